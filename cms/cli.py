"""The `cms` command: serve, check the model, write the GraphQL schemas, migrate, seed the demo, lint."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from rich.console import Console

from cms.auth.principal import ROLES, SCOPE_PERMISSIONS
from cms.model import ContentModel, read_model
from cms.settings import get_settings

console = Console(stderr=True)
T = TypeVar("T")


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
    """Import and publish the demo content, cms/demo/demo.ndjson (skipped when content exists, unless --reset)."""
    model = _load_model_or_exit()
    asyncio.run(_prepare_database(model, demo=True, reset=reset))


@main.command()
@click.option("--demo", "with_demo", is_flag=True, help="Seed demo content when the database is empty.")
@click.option("--host", help="Interface to bind (default: CMS_HOST or 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: CMS_PORT or 8000).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log a line per request (off by default: at thousands of requests per second, writing it costs "
    "more than answering from the cache).",
)
def serve(with_demo: bool, host: str | None, port: int | None, workers: int, access_log: bool) -> None:
    """Run the CMS: migrate, optionally seed the demo, and serve HTTP."""
    import uvicorn

    settings = get_settings()
    model = _load_model_or_exit()
    asyncio.run(_prepare_database(model, demo=with_demo, reset=False))
    host, port = host or settings.host, port or settings.port
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"Admin: http://{shown}:{port}/admin/")
    click.echo("GraphiQL, one per channel:")
    for name in model.channels:
        click.echo(f"  {name:<8} http://{shown}:{port}/graphql/{name}")
    uvicorn.run(
        "cms.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )


async def _prepare_database(model: ContentModel, *, demo: bool, reset: bool) -> None:
    from cms.store.database import delete_all_content, get_engine, migrate
    from cms.store.engine import start_engine, stop_engine

    await start_engine(get_engine(), 2)
    try:
        await migrate()
        if reset:
            await delete_all_content()
        if demo:
            await _load_demo(model)
            await _demo_admin()
    finally:
        await stop_engine(get_engine())


async def _load_demo(model: ContentModel) -> None:
    """Import the demo file (cms/demo/demo.ndjson) into an empty database, with its progress."""
    from rich.progress import TaskID

    from cms.demo.load import DEMO_FILE, DemoRefused, has_content, load_demo
    from cms.transfer.cli import _progress

    if await has_content():
        console.print("The database has content: the demo is not loaded (`cms demo --reset` replaces it).")
        return
    with _progress() as progress:  # the bars of `cms import`: counts and rates
        tasks: dict[str, TaskID] = {}

        def advance(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(f"{step} the demo", total=total)
            progress.update(tasks[step], completed=done)

        try:
            written = await load_demo(model, advance)
        except DemoRefused as error:
            raise click.ClickException(str(error)) from error
    entries = sum(count for (kind, _), count in written.items() if kind == "entry")
    console.print(f"Imported the demo from {DEMO_FILE.name}: {entries} entries, published.")


DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_ADMIN_PASSWORD = "demo-admin-password"


async def _demo_admin() -> None:
    """The demo's sign-in for the admin, created when no user exists yet (never on a real install's users)."""
    from cms.auth.users import create_user
    from cms.store.tables import User

    if await User.count() == 0:
        await create_user(DEMO_ADMIN_EMAIL, "Demo admin", "admin", DEMO_ADMIN_PASSWORD)
        console.print(
            f"Demo admin created: sign in at /admin/ as {DEMO_ADMIN_EMAIL} with password {DEMO_ADMIN_PASSWORD} "
            "(demo only: create real users with `cms user create`)."
        )


@main.command()
@click.option("--type", "type_name", metavar="TYPE", help="Lint only entries of this content type.")
@click.option("--errors-only", is_flag=True, help="Print only errors (warnings are still counted).")
@click.option(
    "--live",
    is_flag=True,
    help="Only what live copy says that stock or prices contradict now (stock_claim, price_live).",
)
@click.option("--channel", metavar="CHANNEL", help="With --live: only this channel's mismatches.")
def lint(type_name: str | None, errors_only: bool, live: bool, channel: str | None) -> None:
    """Lint the current version of every entry that is not archived, against the published offers.

    Prints one row per finding: type, slug, field, locale, channel ("all" when every channel showing
    the field has it), severity, rule and message. Exits 1 when any error would block publishing;
    warnings alone exit 0. With `--live`, the published versions' copy against the stock and prices
    of each channel now ("in stock" under a sold-out product, a price the channel no longer charges).
    """
    from cms.workflow.lint import lint_current_versions

    model = _load_model_or_exit()
    if type_name is not None and type_name not in model.types:
        _fail(f"unknown content type {type_name!r} (known: {', '.join(model.types)})")
    if channel is not None and channel not in model.channels:
        _fail(f"unknown channel {channel!r} (known: {', '.join(model.channels)})")
    if live:
        _lint_live(model, type_name, channel)
        return
    linted = asyncio.run(_in_database(lambda: lint_current_versions(model, type_name)))
    errors = sum(len(report.errors) for _, report in linted)
    warnings = sum(len(report.warnings) for _, report in linted)
    for row, report in linted:
        for finding in report.errors if errors_only else report.findings:
            entry = (row["content_type"], row["slug"] or row["id"])
            where = (finding.field, finding.locale, finding.channel or "all")
            click.echo("\t".join((*entry, *where, finding.severity, finding.rule, finding.message)))
    colour = "red" if errors else "green"
    console.print(
        f"[{colour}]Linted {len(linted)} entries: {errors} error(s), {warnings} warning(s).[/{colour}]", highlight=False
    )
    sys.exit(1 if errors else 0)


def _lint_live(model: ContentModel, type_name: str | None, channel: str | None) -> None:
    from cms.workflow.lint import live_fact_mismatches

    mismatches = asyncio.run(_in_database(lambda: live_fact_mismatches(model, channel)))
    shown = [(row, finding) for row, finding in mismatches if type_name is None or row["content_type"] == type_name]
    for row, finding in shown:
        entry = (row["content_type"], row["slug"] or row["id"])
        where = (finding.field, finding.locale, finding.channel or "all")
        click.echo("\t".join((*entry, *where, finding.severity, finding.rule, finding.message)))
    colour = "yellow" if shown else "green"
    console.print(f"[{colour}]{len(shown)} live copy mismatch(es) with stock and prices.[/{colour}]", highlight=False)


# --- users and API tokens -------------------------------------------------------------------------


async def _in_database(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` with the engine started and the migrations applied."""
    from cms.store.database import get_engine, migrate
    from cms.store.engine import start_engine, stop_engine

    await start_engine(get_engine(), 2)
    try:
        await migrate()
        return await work()
    finally:
        await stop_engine(get_engine())


def _fail(message: str) -> NoReturn:
    console.print(f"[red]{message}[/red]", highlight=False, soft_wrap=True)  # never wrapped: it may be grepped
    sys.exit(1)


@main.group()
def user() -> None:
    """Users of the admin and the management API, each with one role."""


@user.command("create", short_help="Create a user; prompts for the password.")
@click.option("--email", required=True, help="Sign-in email (stored lower-cased; unique).")
@click.option("--name", default="", help="Display name.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="viewer reads and previews; editor also writes and publishes; reviewer also approves; admin does all.",
)
def user_create(email: str, name: str, role: str) -> None:
    """Create a user; prompts twice for the password (at least 10 characters), which is stored as an argon2 hash."""
    from cms.auth.passwords import password_problem
    from cms.auth.principal import cli_principal
    from cms.auth.users import UserError, create_user
    from cms.workflow.audit import record

    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if problem := password_problem(password):
        _fail(f"password refused: {problem}")

    async def create_audited() -> int:
        created = await create_user(email, name, role, password)
        details = {"user": created, "email": email.strip().lower(), "role": role}
        await record(cli_principal(), "create_user", details=details)
        return created

    try:
        user_id = asyncio.run(_in_database(create_audited))
    except UserError as error:
        _fail(str(error))
    click.echo(f"created user {user_id}: {email.strip().lower()} ({role})")


@user.command("list", short_help="List users with their roles.")
def user_list() -> None:
    """List users: email, role, whether active, and name."""
    from cms.auth.users import list_users

    for info in asyncio.run(_in_database(list_users)):
        click.echo(f"{info.email:<40} {info.role:<9} {'active' if info.active else 'inactive':<9} {info.name}")


@main.group()
def token() -> None:
    """API tokens for automation: shown once, stored hashed, revocable."""


@token.command("create", short_help="Create a token and print it once.")
@click.option("--name", required=True, help="What the token is for, e.g. 'storefront build'.")
@click.option(
    "--scope",
    "scopes",
    required=True,
    multiple=True,
    help=f"Repeatable: {', '.join(SCOPE_PERMISSIONS)}, delivery:<channel> or delivery:*.",
)
@click.option("--expires-in", help="Lifetime such as 30d, 12h or 90m (default: never expires).")
def token_create(name: str, scopes: tuple[str, ...], expires_in: str | None) -> None:
    """Create a token and print it once on stdout; only its hash is stored."""
    from cms.auth.principal import cli_principal
    from cms.auth.tokens import TokenError, create_token, validate_scopes
    from cms.lib.clock import now
    from cms.workflow.audit import record

    channels = list(_load_model_or_exit().channels)
    lifetime = _parse_lifetime(expires_in)
    try:
        checked = validate_scopes(scopes, channels)
    except TokenError as error:
        _fail(str(error))
    expires_at = now() + lifetime if lifetime else None
    creator = cli_principal()

    async def create_audited() -> str:
        token_id, text = await create_token(
            name, checked, channels=channels, expires_at=expires_at, created_by=creator.name
        )
        expires = expires_at.isoformat() if expires_at else None
        details = {"token": token_id, "name": name, "scopes": list(checked), "expires": expires}
        await record(creator, "create_token", details=details)
        return text

    text = asyncio.run(_in_database(create_audited))
    click.echo(text)
    console.print("[yellow]Copy this token now: it will not be shown again.[/yellow]", highlight=False)


@token.command("list", short_help="List tokens (never their secrets).")
def token_list() -> None:
    """List tokens: id, name, scopes, expiry and revocation (never the secrets)."""
    from cms.auth.tokens import list_tokens

    for info in asyncio.run(_in_database(list_tokens)):
        expires = f"expires {info.expires_at:%Y-%m-%d %H:%M}" if info.expires_at else "no expiry"
        revoked = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
        click.echo(f"{info.token_id}  {info.name:<24} {','.join(info.scopes):<40} {expires:<24} {revoked}")


@token.command("revoke", short_help="Revoke a token by its id.")
@click.argument("token_id")
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id (from `cms token list`): it is refused from now on."""
    from cms.auth.principal import cli_principal
    from cms.auth.tokens import TokenError, revoke_token
    from cms.workflow.audit import record

    async def revoke_audited() -> None:
        await revoke_token(token_id)
        await record(cli_principal(), "revoke_token", details={"token": token_id})

    try:
        asyncio.run(_in_database(revoke_audited))
    except TokenError as error:
        _fail(str(error))
    click.echo(f"revoked token {token_id}")


@token.command("sign-url", short_help="Print a signed feed URL for an email:read token.")
@click.argument("token_id")
@click.argument("path")
def token_sign_url(token_id: str, path: str) -> None:
    """Print a signed URL opening PATH (an email feed such as /email/campaigns/<slug>, with any query string the
    tool needs) with the token TOKEN_ID, for tools that cannot send headers (Klaviyo web feeds).

    The URL carries the token's id and a signature of the path, never the token itself, and opens that path only:
    revoking the token (`cms token revoke`) closes every URL it signed. Only a token whose sole scope is
    email:read may sign (`cms token create --name klaviyo --scope email:read`)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from cms.auth.principal import cli_principal
    from cms.auth.tokens import TokenError, sign_path, token_scopes
    from cms.email.access import FEED_PARAMETER, FEED_SCOPE, SIGNATURE_PARAMETER, URL_PARAMETERS
    from cms.settings import get_settings
    from cms.workflow.audit import record

    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/email/"):
        _fail(f"PATH: {path!r} is not an email feed path: give one like /email/campaigns/<slug>?locale=fr")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name in URL_PARAMETERS for name, _ in query):
        _fail(f"PATH: leave out {', '.join(URL_PARAMETERS)}: the signed URL carries its own")

    async def sign_audited() -> str:
        scopes = await token_scopes(token_id)
        if scopes != [FEED_SCOPE]:
            raise TokenError(
                f"token {token_id} has the scopes {', '.join(scopes)}: only a token whose sole scope is {FEED_SCOPE}"
                " may sign a feed URL"
            )
        signature = await sign_path(token_id, parts.path)
        await record(cli_principal(), "sign_feed_url", details={"token": token_id, "path": parts.path})
        return signature

    try:
        signature = asyncio.run(_in_database(sign_audited))
    except TokenError as error:
        _fail(str(error))
    base = get_settings().public_base_url.rstrip("/")
    query += [(FEED_PARAMETER, token_id), (SIGNATURE_PARAMETER, signature)]
    click.echo(f"{base}{parts.path}?{urlencode(query)}")
    if not base:
        console.print("[yellow]Set CMS_PUBLIC_BASE_URL to print the URL with its host.[/yellow]", highlight=False)


_LIFETIME_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def _parse_lifetime(text: str | None) -> dt.timedelta | None:
    if text is None:
        return None
    number, unit = text[:-1], text[-1:]
    if not number.isdigit() or unit not in _LIFETIME_UNITS or int(number) == 0:
        raise click.BadParameter(
            f"{text!r}: use a positive number followed by d, h or m, e.g. 30d", param_hint="--expires-in"
        )
    return dt.timedelta(**{_LIFETIME_UNITS[unit]: int(number)})


@main.group()
def operations() -> None:
    """Persisted operations: graphql/operations/<channel>/*.graphql, addressed by the sha256 of their text."""


@operations.command("sync")
def operations_sync() -> None:
    """Validate every persisted operation against its channel's schema and print its id."""
    from cms.delivery.operations import check_operations, load_operations, operation_id
    from cms.delivery.schema import build_channel_schema

    model = _load_model_or_exit()
    directory = Path(get_settings().graphql_dir)
    schemas = {name: build_channel_schema(model, name) for name in model.channels}
    problems = check_operations(directory, schemas)
    for problem in problems:
        click.echo(f"{problem.path}: {problem.reason}", err=True)
    for channel in model.channels:
        for path in sorted((directory / "operations" / channel).glob("*.graphql")):
            click.echo(f"{channel}\t{path.stem}\t{operation_id(path.read_text(encoding='utf-8'))}")
    if problems:
        sys.exit(1)
    loaded = sum(len(set(load_operations(directory, channel).values())) for channel in model.channels)
    click.echo(f"{loaded} persisted operations are valid; the server registers them at start", err=True)


from cms.webhooks.cli import webhook  # noqa: E402 (its commands import this module's helpers when they run)

main.add_command(webhook)

from cms.ops.cli import doctor, storage  # noqa: E402

main.add_command(doctor)
main.add_command(storage)

from cms.media.cli import media  # noqa: E402

main.add_command(media)

from cms.transfer.cli import export_command, import_command  # noqa: E402

main.add_command(export_command)
main.add_command(import_command)

from cms.transfer.shopify.cli import import_shopify_command  # noqa: E402

main.add_command(import_shopify_command)
