"""Shared steps of the webhook tests: subscribe through the management API, drain the outbox."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec

from cms.settings import Settings
from cms.store.tables import WebhookDelivery
from cms.webhooks.dispatch import Dispatcher
from tests.management_client import Management

CREATE = """
mutation($input: WebhookInput!) { createWebhook(input: $input) { secret webhook { id url active } } }
"""


def category(name: str, slug: str) -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": slug}, "fr": {"name": f"{name} (fr)"}}}


async def subscribe(admin: Management, url: str, **filters: Any) -> tuple[int, str]:
    """A new subscription's id and secret."""
    created = (await admin.ok(CREATE, input={"url": url, **filters}))["createWebhook"]
    return created["webhook"]["id"], created["secret"]


def fast_settings(settings: Settings, **changes: Any) -> Settings:
    """The test settings with retries in milliseconds instead of seconds."""
    defaults = {"webhook_retry_base": 0.01, "webhook_timeout": 2.0, "webhook_allow_private_targets": True}
    return msgspec.structs.replace(settings, **(defaults | changes))


async def pending() -> int:
    return int(await WebhookDelivery.count().where(WebhookDelivery.status == "pending"))


async def drain(dispatcher: Dispatcher, rounds: int | None = None, seconds: float = 30.0) -> None:
    """Dispatch until nothing is pending, or `rounds` dispatch rounds or `seconds` have passed (a test then
    fails on what it expected). The bound is time, not rounds, by default: a slow CI machine needs more
    rounds for the same retry backoffs."""
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline and (rounds is None or done < rounds):
        if not await pending():
            return
        if not await dispatcher.dispatch_due():
            await asyncio.sleep(0.01)
        done += 1
