"""Webhook subscriptions in the management API (admins only): list with recent deliveries, add, change,
disable, enable, delete, rotate the secret, redeliver."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from cms.api.errors import found_or_none, guarded
from cms.settings import get_settings
from cms.webhooks import subscriptions
from cms.webhooks.subscriptions import Webhooks, WebhookSpec


@strawberry.type(description="One HTTP attempt of a delivery.")
class WebhookAttempt:
    at: dt.datetime
    status_code: int | None = strawberry.field(description="Null when no answer came (refused, timed out).")
    latency_ms: float
    response: str = strawberry.field(description="The first 512 bytes of the answer.")
    error: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WebhookAttempt:
        return cls(
            at=row["at"],
            status_code=row["status_code"],
            latency_ms=row["latency_ms"],
            response=row["response"],
            error=row["error"],
        )


@strawberry.type(description="An event owed to a subscription: `pending` until a 2xx, `failed` once given up.")
class WebhookDelivery:
    id: int
    event_id: int
    event_type: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    delivered_at: dt.datetime | None
    last_status: int | None
    last_error: str
    attempt_log: list[WebhookAttempt] = strawberry.field(description="Newest first.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WebhookDelivery:
        return cls(
            id=row["id"],
            event_id=row["event"],
            event_type=row["event_kind"],
            status=row["status"],
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            delivered_at=row["delivered_at"],
            last_status=row["last_status"],
            last_error=row["last_error"],
            attempt_log=[WebhookAttempt.from_row(attempt) for attempt in row["attempt_log"]],
        )


@strawberry.type(description="Where to send which events; empty filters let everything through.")
class Webhook:
    id: int
    url: str
    description: str
    events: list[str]
    content_types: list[str]
    channels: list[str]
    active: bool
    disabled_reason: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @strawberry.field(description="Recent deliveries, newest first.")
    async def deliveries(self, status: str | None = None, first: int = 20) -> list[WebhookDelivery]:
        rows = await subscriptions.recent_deliveries(self.id, status=status, first=max(0, min(first, 200)))
        return [WebhookDelivery.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Webhook:
        return cls(**{name: row[name] for name in cls.__annotations__ if name in row})


@strawberry.type(description="A new subscription and its signing secret, shown only this once.")
class CreatedWebhook:
    webhook: Webhook
    secret: str


@strawberry.input
class WebhookInput:
    url: str
    events: list[str] = strawberry.field(default_factory=list, description="Event types (none: all).")
    content_types: list[str] = strawberry.field(default_factory=list, description="Content types (none: all).")
    channels: list[str] = strawberry.field(default_factory=list, description="Channels (none: all).")
    description: str = ""

    def spec(self) -> WebhookSpec:
        return WebhookSpec(
            url=self.url,
            events=self.events,
            content_types=self.content_types,
            channels=self.channels,
            description=self.description,
        )


def _webhooks(info: strawberry.Info) -> Webhooks:
    return Webhooks(
        info.context.model,
        info.context.principal,
        allow_private_targets=get_settings().webhook_allow_private_targets,
    )


async def _admin(info: strawberry.Info, action: str) -> Webhooks:
    webhooks = _webhooks(info)

    async def check() -> None:
        webhooks.require_admin(action)

    await guarded(check())
    return webhooks


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Webhook subscriptions (admins only).")
    async def webhooks(self, info: strawberry.Info) -> list[Webhook]:
        await _admin(info, "read webhooks")
        return [Webhook.from_row(row) for row in await subscriptions.subscription_rows()]

    @strawberry.field(description="One webhook subscription (admins only); null when there is none with this id.")
    async def webhook(self, info: strawberry.Info, id: int) -> Webhook | None:
        await _admin(info, "read webhooks")
        row = await found_or_none(subscriptions.subscription_row(id))
        return None if row is None else Webhook.from_row(row)


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Subscribe a URL to events; the secret it returns is shown only once.")
    async def create_webhook(self, info: strawberry.Info, input: WebhookInput) -> CreatedWebhook:
        row, secret = await guarded(_webhooks(info).create(input.spec()))
        return CreatedWebhook(webhook=Webhook.from_row(row), secret=secret)

    @strawberry.mutation
    async def update_webhook(self, info: strawberry.Info, id: int, input: WebhookInput) -> Webhook:
        return Webhook.from_row(await guarded(_webhooks(info).update(id, input.spec())))

    @strawberry.mutation(description="Stop sending; pending deliveries wait until it is enabled again.")
    async def disable_webhook(self, info: strawberry.Info, id: int) -> Webhook:
        return Webhook.from_row(await guarded(_webhooks(info).disable(id)))

    @strawberry.mutation
    async def enable_webhook(self, info: strawberry.Info, id: int) -> Webhook:
        return Webhook.from_row(await guarded(_webhooks(info).enable(id)))

    @strawberry.mutation
    async def delete_webhook(self, info: strawberry.Info, id: int) -> bool:
        await guarded(_webhooks(info).delete(id))
        return True

    @strawberry.mutation(description="A new signing secret, shown only once; the old one stops at once.")
    async def rotate_webhook_secret(self, info: strawberry.Info, id: int) -> str:
        return await guarded(_webhooks(info).rotate_secret(id))

    @strawberry.mutation(description="Send deliveries again: by id, or every failed one of a subscription.")
    async def redeliver_webhooks(
        self, info: strawberry.Info, delivery_ids: list[int] | None = None, failed_of: int | None = None
    ) -> int:
        return await guarded(_webhooks(info).redeliver(delivery_ids or (), failed_of=failed_of))
