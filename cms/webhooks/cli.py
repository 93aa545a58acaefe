"""`cms webhook add|list|deliveries|disable|enable|delete|redeliver`: webhook subscriptions from a shell.

Changes are audited as the system principal `cli` (who ran the command is the machine's business).
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from cms.auth.principal import ROLE_PERMISSIONS, Principal
from cms.events.log import EVENT_KINDS
from cms.workflow.errors import WorkflowError

T = TypeVar("T")
console = Console(stderr=True)


def _principal() -> Principal:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Principal(kind="system", name=f"cli:{who}", permissions=ROLE_PERMISSIONS["admin"])


def _run(work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(webhooks)` with the database started; a refusal is printed and exits 1."""
    from cms.cli import _in_database, _load_model_or_exit
    from cms.settings import get_settings
    from cms.webhooks.subscriptions import Webhooks

    webhooks = Webhooks(
        _load_model_or_exit(), _principal(), allow_private_targets=get_settings().webhook_allow_private_targets
    )
    try:
        return asyncio.run(_in_database(lambda: work(webhooks)))
    except WorkflowError as error:
        _fail(error.message)


def _fail(message: str) -> NoReturn:
    console.print(f"[red]{message}[/red]", highlight=False)
    raise SystemExit(1)


@click.group()
def webhook() -> None:
    """Webhook subscriptions: signed events (Standard Webhooks) sent when what delivery serves changes."""


@webhook.command("add", short_help="Subscribe a URL; prints its secret once.")
@click.argument("url")
@click.option("--event", "events", multiple=True, type=click.Choice(EVENT_KINDS), help="Repeatable (default: all).")
@click.option("--type", "content_types", multiple=True, metavar="TYPE", help="Repeatable content type (default: all).")
@click.option("--channel", "channels", multiple=True, metavar="CHANNEL", help="Repeatable channel (default: all).")
@click.option("--description", default="", help="What the receiver is, e.g. 'storefront build'.")
def add(
    url: str, events: tuple[str, ...], content_types: tuple[str, ...], channels: tuple[str, ...], description: str
) -> None:
    """Subscribe URL to events; prints the id, then the `whsec_` secret receivers verify signatures with."""
    from cms.webhooks.subscriptions import WebhookSpec

    spec = WebhookSpec(
        url=url,
        events=list(events),
        content_types=list(content_types),
        channels=list(channels),
        description=description,
    )
    row, secret = _run(lambda webhooks: webhooks.create(spec))
    click.echo(f"created webhook {row['id']}: {row['url']}")
    click.echo(secret)
    console.print("[yellow]Copy this secret now: it will not be shown again.[/yellow]", highlight=False)


@webhook.command("list", short_help="List subscriptions (never their secrets).")
def list_() -> None:
    """List subscriptions: id, state, URL and filters, and why a disabled one was disabled."""
    from cms.webhooks.subscriptions import subscription_rows

    for row in _run(lambda _: subscription_rows()):
        state = "active" if row["active"] else "disabled"
        filters = " ".join(
            f"{name}={','.join(row[name])}" for name in ("events", "content_types", "channels") if row[name]
        )
        click.echo(f"{row['id']:>4}  {state:<8}  {row['url']}  {filters or 'all events'}")
        if row["disabled_reason"]:
            click.echo(f"      {row['disabled_reason']}")


@webhook.command("deliveries", short_help="Recent deliveries of a subscription, with their attempts.")
@click.argument("subscription_id", type=int)
@click.option("--status", type=click.Choice(["pending", "delivered", "failed"]))
@click.option("--first", default=20, show_default=True, type=click.IntRange(1, 500))
def deliveries(subscription_id: int, status: str | None, first: int) -> None:
    """Deliveries newest first: id, event, status, attempts, last HTTP status and error."""
    from cms.webhooks.subscriptions import recent_deliveries, subscription_row

    async def read(_: Any) -> list[dict[str, Any]]:
        await subscription_row(subscription_id)
        return await recent_deliveries(subscription_id, status=status, first=first)

    for row in _run(read):
        last = row["last_status"] if row["last_status"] is not None else "-"
        click.echo(
            f"{row['id']:>6}  {row['event_kind']:<18} {row['status']:<9} attempts={row['attempts']} "
            f"last={last} {row['last_error']}".rstrip()
        )


@webhook.command("disable", short_help="Stop sending to a subscription.")
@click.argument("subscription_id", type=int)
def disable(subscription_id: int) -> None:
    """Stop sending; pending deliveries wait until `cms webhook enable`."""
    _run(lambda webhooks: webhooks.disable(subscription_id))
    click.echo(f"disabled webhook {subscription_id}")


@webhook.command("enable", short_help="Send to a subscription again.")
@click.argument("subscription_id", type=int)
def enable(subscription_id: int) -> None:
    """Send again; what is pending goes out first, in order."""
    _run(lambda webhooks: webhooks.enable(subscription_id))
    click.echo(f"enabled webhook {subscription_id}")


@webhook.command("delete", short_help="Delete a subscription and its delivery log.")
@click.argument("subscription_id", type=int)
@click.confirmation_option(prompt="Delete this webhook and its delivery log?")
def delete(subscription_id: int) -> None:
    _run(lambda webhooks: webhooks.delete(subscription_id))
    click.echo(f"deleted webhook {subscription_id}")


@webhook.command("redeliver", short_help="Send deliveries again.")
@click.argument("delivery_ids", type=int, nargs=-1)
@click.option("--failed-of", type=int, metavar="SUBSCRIPTION", help="Every failed delivery of this subscription.")
def redeliver(delivery_ids: tuple[int, ...], failed_of: int | None) -> None:
    """Send deliveries again, by id (see `cms webhook deliveries`) or every failed one of a subscription."""
    if not delivery_ids and failed_of is None:
        raise click.UsageError("name delivery ids, or --failed-of SUBSCRIPTION")
    count = _run(lambda webhooks: webhooks.redeliver(delivery_ids, failed_of=failed_of))
    click.echo(f"{count} deliver{'y' if count == 1 else 'ies'} queued again")


@webhook.command("dispatch", short_help="Run a webhook dispatcher in this process until stopped.")
def dispatch() -> None:
    """Send due webhook deliveries until interrupted (Ctrl-C or SIGTERM).

    Every `cms serve` worker runs a dispatcher unless CMS_WEBHOOKS=false; on a busy site, run the web
    workers with CMS_WEBHOOKS=false and one or more of these beside them, so sending never takes CPU
    from requests. Several dispatchers may run at once: each delivery is claimed by one.
    """
    from cms.cli import _in_database
    from cms.settings import get_settings
    from cms.webhooks.dispatch import Dispatcher

    async def run() -> None:
        dispatcher = Dispatcher(get_settings())
        try:
            await dispatcher.run()
        finally:
            await dispatcher.close()

    console.print("dispatching webhooks (Ctrl-C to stop)", highlight=False)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_in_database(run))
