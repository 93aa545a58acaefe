"""`cms media gc [--dry-run]`: find (and delete) files in media storage that no asset owns (see cms.media.gc)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import Progress

if TYPE_CHECKING:
    from cms.media.storage import MediaStorage

console = Console(stderr=True)


@click.group()
def media() -> None:
    """The media library's storage (CMS_STORAGE: a local folder, or an S3 bucket)."""


@media.command("gc")
@click.option("--dry-run", is_flag=True, help="List the files no asset owns; delete nothing.")
@click.option(
    "--min-age",
    type=click.IntRange(min=0),
    default=3600,
    show_default=True,
    help="Seconds: younger files are left alone (an upload stores its file a moment before its asset row).",
)
def gc(dry_run: bool, min_age: int) -> None:
    """Print each file of media storage no asset owns (key and bytes) and a total; delete them unless --dry-run.
    Exit 1 when a file could not be deleted."""
    from cms.cli import _in_database
    from cms.lib.clock import now
    from cms.media.gc import find_orphans
    from cms.media.storage import storage_for
    from cms.settings import get_settings

    storage = storage_for(get_settings())
    found = asyncio.run(_in_database(lambda: find_orphans(storage, min_age=dt.timedelta(seconds=min_age), now=now())))
    for orphan in found:
        click.echo(f"{orphan.key}\t{orphan.size}")
    failed = 0 if dry_run or not found else asyncio.run(_delete(storage, [orphan.key for orphan in found]))
    size = sum(orphan.size for orphan in found)
    total = f"{len(found)} file{'' if len(found) == 1 else 's'}, {size:,} bytes no asset owns"
    if found:
        total += " (dry run: nothing deleted)" if dry_run else f": {len(found) - failed} deleted"
    click.echo(total)
    if failed:
        console.print(f"[red]{failed} could not be deleted (see above); run it again[/red]", highlight=False)
        raise SystemExit(1)


async def _delete(storage: MediaStorage, keys: list[str]) -> int:
    """Delete every key, with a progress bar on a terminal; the number that failed (each printed)."""
    failed = 0
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("Deleting", total=len(keys))
        for key in keys:
            try:
                await storage.delete(key)
            except Exception as error:
                failed += 1
                console.print(f"[red]{key}: {type(error).__name__}: {error}[/red]", highlight=False)
            progress.advance(task)
    return failed
