"""`cms export` and `cms import`: a whole site to an NDJSON file and back (docs/export-format.md)."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

console = Console(stderr=True)


class RateColumn(ProgressColumn):
    """Records per second, as rich measures them over the last seconds."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "…/s", style="progress.data.speed")


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@click.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@click.option(
    "--no-files",
    is_flag=True,
    help="Write assets without their images (only their storage keys): for a site that will share this media storage.",
)
def export_command(out: Path, no_files: bool) -> None:
    """Write the whole site (entries with every version, assets, users without passwords, releases, schedules,
    webhooks without secrets, the audit log) as one NDJSON file."""
    from cms.cli import _in_database, _load_model_or_exit
    from cms.media.storage import storage_for
    from cms.settings import get_settings
    from cms.transfer.export import export_site, record_count

    model = _load_model_or_exit()
    storage = None if no_files else storage_for(get_settings())
    partial = out.with_name(out.name + ".partial")

    async def work() -> int:
        with _progress() as progress, partial.open("wb") as stream:
            task = progress.add_task("Exporting", total=await record_count())
            return await export_site(model, stream, storage, lambda _: progress.advance(task))

    count = asyncio.run(_in_database(work))
    partial.replace(out)  # only a complete file gets the name asked for
    console.print(f"Exported {count} records to {out}.", highlight=False, soft_wrap=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print what would be created, updated or refused; change nothing.")
@click.option("--skip-invalid", is_flag=True, help="Apply the valid records of a file that has refused ones.")
@click.option(
    "--force-model",
    is_flag=True,
    help="Import a file exported from another content model (every entry is still checked against this one).",
)
def import_command(file: Path, dry_run: bool, skip_invalid: bool, force_model: bool) -> None:
    """Import an export file into this site, empty or not: records are matched with what is stored, so
    importing the same file again changes nothing. Nothing is applied from a file with refused records
    unless --skip-invalid."""
    from cms.cli import _in_database, _load_model_or_exit
    from cms.media.storage import storage_for
    from cms.settings import get_settings
    from cms.transfer.importing import Importer, Outcome
    from cms.transfer.reading import UnreadableFile

    model = _load_model_or_exit()

    def seen(outcome: Outcome, progress: Progress, task: TaskID) -> None:
        progress.advance(task)
        if dry_run and outcome.action in ("create", "update"):
            click.echo(f"line {outcome.line}: {outcome.action} {outcome.kind} {outcome.label}")

    async def work() -> int:
        importer = Importer(model, storage_for(get_settings()), file, force_model=force_model)
        for difference in importer.model_differences:
            console.print(f"[yellow]model: {difference}[/yellow]", highlight=False, soft_wrap=True)
        with _progress() as progress:
            checking = progress.add_task("Checking", total=None)
            report = await importer.check(lambda outcome: seen(outcome, progress, checking))
            progress.update(checking, total=progress.tasks[checking].completed)
        for refusal in report.refusals:
            click.echo(f"refused: {refusal}")
        _print_counts(report.counts, "would be" if dry_run else "checked")
        if dry_run:
            return 1 if report.refusals else 0
        if report.refusals and not skip_invalid:
            console.print(
                f"[red]{len(report.refused_lines)} record(s) refused: nothing was imported "
                "(fix them, or pass --skip-invalid to import the others).[/red]",
                highlight=False,
                soft_wrap=True,
            )
            return 1
        total = sum(count for (_, action), count in report.counts.items() if action != "refused")
        with _progress() as progress:
            applying = progress.add_task("Importing", total=total)
            written = await importer.apply(report.refused_lines, lambda done: progress.advance(applying, done))
        _print_counts(written, "imported")
        return 0

    try:
        status = asyncio.run(_in_database(work))
    except UnreadableFile as error:
        console.print(f"[red]{error}[/red]", highlight=False, soft_wrap=True)
        sys.exit(1)
    sys.exit(status)


def _print_counts(counts: Counter[Any], heading: str) -> None:
    table = Table(title=heading, title_justify="left")
    actions = ["create", "update", "unchanged", "refused"]
    table.add_column("records")
    for action in actions:
        table.add_column(action, justify="right")
    for kind in sorted({kind for kind, _ in counts}):
        table.add_row(kind, *(str(counts[(kind, action)]) for action in actions))
    console.print(table)
