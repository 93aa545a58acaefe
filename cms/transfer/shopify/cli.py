"""`cms import-shopify`: a Shopify product CSV export into this site (docs/shopify-import.md)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from cms.transfer.cli import _progress, console
from cms.transfer.reading import Refusal


@click.command("import-shopify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    "mapping_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file mapping the CSV's columns to the model's fields (see docs/shopify-mapping.example.toml).",
)
@click.option(
    "--images",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the images the CSV names (looked up by the file name ending each Image Src URL).",
)
@click.option("--dry-run", is_flag=True, help="Print what would be created, updated or refused; change nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid products of a file that has refused rows.")
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of the refusals (en, fr).",
)
def import_shopify_command(
    file: Path, mapping_path: Path, images: Path | None, dry_run: bool, skip_invalid: bool, language: str
) -> None:
    """Import products from a Shopify product CSV export: rows grouped by Handle (found again by slug, so
    importing the same file twice changes nothing), variants from the Option and Variant columns, images from
    --images, Body (HTML) as rich text, tags, SEO texts, compare-at prices, and (with an [inventory] mapping) the
    variants' quantities as stock. Nothing is imported from a file with refused rows unless --skip-invalid.
    Products Shopify lists as active and published are published."""
    from cms.auth.principal import cli_principal
    from cms.cli import _in_database, _load_model_or_exit
    from cms.media.library import MediaLibrary
    from cms.settings import get_settings
    from cms.transfer.shopify.csvfile import UnreadableCsv, row_count
    from cms.transfer.shopify.importing import ShopifyImport
    from cms.transfer.shopify.mapping import MappingError, read_mapping

    model = _load_model_or_exit()

    async def work() -> int:
        importer = ShopifyImport(model, mapping, file, images, MediaLibrary(get_settings(), model))
        with _progress() as progress:
            checking = progress.add_task("Checking rows", total=row_count(file))
            report = await importer.check(lambda plan: progress.advance(checking, len(plan.lines)))
        for column in report.unmapped:
            console.print(f"[yellow]unmapped column: {column}[/yellow]", highlight=False, soft_wrap=True)
        for refusal in report.refusals:
            click.echo(f"refused: {in_language(refusal, language)}")
        if dry_run:
            for plan in report.plans:
                if plan.action in ("create", "update") or plan.publish:
                    publish = " and publish" if plan.publish else ""
                    click.echo(f"line {plan.lines[0]}: {plan.action}{publish} product {plan.handle}")
        _print_counts(report.counts, "would be" if dry_run else "checked")
        if mapping.inventory is not None:
            console.print(f"stock: {report.quantities} quantities for {mapping.inventory.location}", highlight=False)
        refused = report.counts["refused"]
        if dry_run:
            return 1 if refused else 0
        if refused and not skip_invalid:
            console.print(
                f"[red]{refused} product(s) refused: nothing was imported "
                "(fix them, or pass --skip-invalid to import the others).[/red]",
                highlight=False,
                soft_wrap=True,
            )
            return 1
        with _progress() as progress:
            applying = progress.add_task("Importing products", total=len(report.plans))
            written, late = await importer.apply(report, cli_principal(), lambda _: progress.advance(applying))
        for refusal in late:
            click.echo(f"refused: {in_language(refusal, language)}")
        _print_counts(written, "imported")
        if importer.stock is not None:
            stock = importer.stock
            console.print(
                f"stock written: {stock.applied} applied ({stock.changed} changed), {stock.unchanged} unchanged, "
                f"{stock.stale} stale, {stock.refused} refused",
                highlight=False,
                soft_wrap=True,
            )
        return 1 if late else 0

    try:
        mapping = read_mapping(mapping_path, model)
        status = asyncio.run(_in_database(work))
    except MappingError as error:
        console.print(f"[red]{mapping_path}: {error}[/red]", highlight=False, soft_wrap=True)
        sys.exit(2)
    except UnreadableCsv as error:
        console.print(f"[red]{error}[/red]", highlight=False, soft_wrap=True)
        sys.exit(1)
    sys.exit(status)


def in_language(refusal: Refusal, language: str) -> str:
    """`line N: column: sentence` in `language`; the English reason where no sentence is known."""
    from cms.admin.problems import say  # the admin's sentences for the model's own problems
    from cms.transfer.shopify.messages import MESSAGES, RowRefusal

    sentence = refusal.reason
    if isinstance(refusal, RowRefusal) and refusal.code in MESSAGES:
        sentence = MESSAGES[refusal.code][language].format_map(refusal.params)
    elif isinstance(refusal, RowRefusal) and refusal.code:
        sentence = say(refusal.code, language, refusal.params) or sentence
    return f"{'ligne' if language == 'fr' else 'line'} {refusal.line}: {refusal.path}: {sentence}"


def _print_counts(counts: dict[str, int], heading: str) -> None:
    actions = ["create", "update", "published", "draft", "unchanged", "refused"]
    summary = ", ".join(f"{counts.get(action, 0)} {action}" for action in actions if counts.get(action, 0))
    console.print(f"products {heading}: {summary or 'none'}", highlight=False, soft_wrap=True)
