"""The `cms` command: serve, check the model, write the GraphQL schemas, migrate, seed the demo."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress

from cms.model import ContentModel, read_model
from cms.settings import get_settings

console = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Omnichannel headless CMS: content written once, delivered per channel over GraphQL.

    Settings come from CMS_* environment variables (see the README); the content model from
    CMS_MODEL_DIR (default: content_types/).
    """


def _load_model_or_exit(model_dir: str | None = None) -> ContentModel:
    directory = Path(model_dir or get_settings().model_dir)
    model, problems = read_model(directory)
    if problems or model is None:
        console.print(f"[red]The content model in {directory} has {len(problems)} problem(s):[/red]")
        for problem in problems:
            click.echo(str(problem))
        sys.exit(1)
    return model


@main.command()
@click.option("--model-dir", help="Model directory to check (default: CMS_MODEL_DIR or content_types/).")
def check(model_dir: str | None) -> None:
    """Validate the content model; print each problem as `file: key: reason`."""
    model = _load_model_or_exit(model_dir)
    click.echo(
        f"model OK: {len(model.types)} content types, {len(model.channels)} channels, {len(model.locales)} locales"
    )


@main.command()
@click.option(
    "--check", "check_only", is_flag=True, help="Fail when the files differ from the model instead of writing."
)
@click.option("--out", type=click.Path(file_okay=False), help="Directory (default: CMS_GRAPHQL_DIR or graphql/).")
def schema(check_only: bool, out: str | None) -> None:
    """Write graphql/<channel>.graphql, the SDL of every channel."""
    from cms.delivery.sdl import sdl_drift, write_sdl

    model = _load_model_or_exit()
    directory = Path(out or get_settings().graphql_dir)
    if check_only:
        problems = sdl_drift(model, directory)
        for problem in problems:
            click.echo(problem)
        sys.exit(1 if problems else 0)
    for path in write_sdl(model, directory):
        click.echo(f"wrote {path}")


@main.command()
def migrate() -> None:
    """Apply pending database migrations."""
    from cms.store.database import migrate as run_migrations

    asyncio.run(run_migrations())
    click.echo("database is up to date")


@main.command()
@click.option("--reset", is_flag=True, help="Delete all content first.")
def demo(reset: bool) -> None:
    """Seed and publish the demo content (skipped when content exists, unless --reset)."""
    model = _load_model_or_exit()
    asyncio.run(_prepare_database(model, demo=True, reset=reset))


@main.command()
@click.option("--demo", "with_demo", is_flag=True, help="Seed demo content when the database is empty.")
@click.option("--host", help="Interface to bind (default: CMS_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: CMS_PORT or 8000).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
def serve(with_demo: bool, host: str | None, port: int | None, workers: int) -> None:
    """Run the CMS: migrate, optionally seed the demo, and serve HTTP."""
    import uvicorn

    settings = get_settings()
    model = _load_model_or_exit()
    asyncio.run(_prepare_database(model, demo=with_demo, reset=False))
    host, port = host or settings.host, port or settings.port
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo("GraphiQL, one per channel:")
    for name in model.channels:
        click.echo(f"  {name:<8} http://{shown}:{port}/graphql/{name}")
    uvicorn.run("cms.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")


async def _prepare_database(model: ContentModel, *, demo: bool, reset: bool) -> None:
    from cms.demo.seed import has_content, seed_demo
    from cms.store.database import delete_all_content, get_engine, migrate
    from cms.store.engine import start_engine, stop_engine

    await start_engine(get_engine(), 2)
    try:
        await migrate()
        if reset:
            await delete_all_content()
        if demo and not await has_content():
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Seeding demo content", total=None)
                count = await seed_demo(model, lambda done, total: progress.update(task, completed=done, total=total))
            console.print(f"Seeded and published {count} demo entries.")
    finally:
        await stop_engine(get_engine())
