"""`cms doctor` and `cms storage init`."""

from __future__ import annotations

import asyncio

import click
from rich.console import Console

console = Console()


@click.command()
def doctor() -> None:
    """Check settings, model, database, migrations, media storage, SDL files and persisted operations;
    print each problem with its fix. Exit 1 when anything is wrong."""
    from cms.ops.doctor import examine
    from cms.settings import get_settings
    from cms.store.database import get_engine
    from cms.store.engine import start_engine, stop_engine

    async def run() -> bool:
        healthy = True
        started = False
        try:
            await start_engine(get_engine(), 1)
            started = True
        except Exception:  # the database check below says what is wrong
            pass
        try:
            async for finding in examine(get_settings()):
                healthy &= finding.ok
                mark = "[green]ok[/green]     " if finding.ok else "[red]problem[/red]"
                console.print(f"{mark} {finding.check:<11} {finding.message}", highlight=False)
                if finding.fix:
                    console.print(f"{'':20}fix: {finding.fix}", highlight=False)
        finally:
            if started:
                await stop_engine(get_engine())
        return healthy

    raise SystemExit(0 if asyncio.run(run()) else 1)


@click.group()
def storage() -> None:
    """The media storage (CMS_STORAGE: a local folder, or an S3 bucket)."""


@storage.command("init")
def storage_init() -> None:
    """Make the bucket (or the media folder) when it is missing; nothing happens when it exists."""
    from cms.media.storage import storage_for
    from cms.settings import get_settings

    settings = get_settings()
    made = asyncio.run(storage_for(settings).prepare())
    where = f"bucket {settings.s3_bucket}" if settings.storage == "s3" else f"folder {settings.media_root}"
    click.echo(f"{'created' if made else 'found'} {where}")
