"""Webhook subscriptions: created, changed, disabled and redelivered by admins, every change audited.

A subscription's secret is generated here and returned once, by `create` and `rotate_secret`; listings
never include it (the dispatcher reads it from the table to sign).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from cms.auth.principal import ADMIN, ROLE_PERMISSIONS, Principal
from cms.events.log import EVENT_KINDS
from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.store.database import write_transaction
from cms.store.tables import Event, WebhookAttempt, WebhookDelivery, WebhookSubscription
from cms.webhooks.signing import new_secret
from cms.webhooks.targets import TargetError, resolve_target
from cms.workflow.audit import record
from cms.workflow.errors import ForbiddenError, NotFoundError, UnauthenticatedError, WorkflowError

DISPATCHER = Principal(kind="system", name="webhooks", permissions=ROLE_PERMISSIONS["admin"])
PUBLIC_COLUMNS = [c for c in WebhookSubscription.all_columns() if c._meta.name != "secret"]


class InvalidWebhookError(WorkflowError):
    """A subscription refused: `extensions.fields` lists each problem as `{path, reason}`."""

    code = "VALIDATION"


class WebhookSpec(msgspec.Struct, kw_only=True):
    url: str
    events: list[str] = []
    content_types: list[str] = []
    channels: list[str] = []
    description: str = ""


class Webhooks:
    """What one principal can do to webhook subscriptions (admins only)."""

    def __init__(self, model: ContentModel, principal: Principal, *, allow_private_targets: bool = False) -> None:
        self.model = model
        self.principal = principal
        self.allow_private_targets = allow_private_targets

    def require_admin(self, action: str) -> None:
        if self.principal.kind == "anonymous":
            raise UnauthenticatedError(f"sign in or send a management token to {action}")
        if not self.principal.can(ADMIN):
            raise ForbiddenError(f"only admins may {action} (needs the admin permission)")

    async def create(self, spec: WebhookSpec) -> tuple[dict[str, Any], str]:
        """The new subscription and its secret (shown this once)."""
        self.require_admin("add webhooks")
        await self._check(spec)
        secret, moment = new_secret(), now()
        async with write_transaction():
            rows = await WebhookSubscription.insert(
                WebhookSubscription(
                    url=spec.url.strip(),
                    description=spec.description.strip(),
                    events=_json(spec.events),
                    content_types=_json(spec.content_types),
                    channels=_json(spec.channels),
                    secret=secret,
                    active=True,
                    created_by=self.principal.name,
                    created_at=moment,
                    updated_at=moment,
                )
            ).returning(WebhookSubscription.id)
            await record(self.principal, "create_webhook", details={"webhook": rows[0]["id"], **_described(spec)})
        return await subscription_row(rows[0]["id"]), secret

    async def update(self, subscription_id: int, spec: WebhookSpec) -> dict[str, Any]:
        self.require_admin("change webhooks")
        await subscription_row(subscription_id)
        await self._check(spec)
        async with write_transaction():
            await WebhookSubscription.update(
                {
                    WebhookSubscription.url: spec.url.strip(),
                    WebhookSubscription.description: spec.description.strip(),
                    WebhookSubscription.events: _json(spec.events),
                    WebhookSubscription.content_types: _json(spec.content_types),
                    WebhookSubscription.channels: _json(spec.channels),
                    WebhookSubscription.updated_at: now(),
                }
            ).where(WebhookSubscription.id == subscription_id)
            await record(self.principal, "update_webhook", details={"webhook": subscription_id, **_described(spec)})
        return await subscription_row(subscription_id)

    async def disable(self, subscription_id: int) -> dict[str, Any]:
        self.require_admin("disable webhooks")
        await subscription_row(subscription_id)
        await disable_subscription(subscription_id, f"disabled by {self.principal.name}", self.principal)
        return await subscription_row(subscription_id)

    async def enable(self, subscription_id: int) -> dict[str, Any]:
        """Active again: deliveries still pending go out, in order."""
        self.require_admin("enable webhooks")
        await subscription_row(subscription_id)
        async with write_transaction():
            await WebhookSubscription.update(
                {
                    WebhookSubscription.active: True,
                    WebhookSubscription.disabled_reason: "",
                    WebhookSubscription.updated_at: now(),
                }
            ).where(WebhookSubscription.id == subscription_id)
            await record(self.principal, "enable_webhook", details={"webhook": subscription_id})
        return await subscription_row(subscription_id)

    async def delete(self, subscription_id: int) -> None:
        self.require_admin("delete webhooks")
        row = await subscription_row(subscription_id)
        async with write_transaction():
            await WebhookSubscription.delete().where(WebhookSubscription.id == subscription_id)
            await record(self.principal, "delete_webhook", details={"webhook": subscription_id, "url": row["url"]})

    async def rotate_secret(self, subscription_id: int) -> str:
        """A new secret, returned this once; the old one stops signing at once."""
        self.require_admin("rotate webhook secrets")
        await subscription_row(subscription_id)
        secret = new_secret()
        async with write_transaction():
            await WebhookSubscription.update(
                {WebhookSubscription.secret: secret, WebhookSubscription.updated_at: now()}
            ).where(WebhookSubscription.id == subscription_id)
            await record(self.principal, "rotate_webhook_secret", details={"webhook": subscription_id})
        return secret

    async def redeliver(self, delivery_ids: Sequence[int] = (), *, failed_of: int | None = None) -> int:
        """Send deliveries again (delivered or failed ones; by id, or every failed one of a subscription)."""
        self.require_admin("redeliver webhooks")
        where: Any = WebhookDelivery.status != "pending"
        if failed_of is not None:
            await subscription_row(failed_of)
            where = (WebhookDelivery.subscription == failed_of) & (WebhookDelivery.status == "failed")
        elif delivery_ids:
            where &= WebhookDelivery.id.is_in(list(delivery_ids))
        else:
            reason = "name the deliveries to send again, or send `failedOf`: a subscription whose failed ones to send"
            raise InvalidWebhookError(f"`deliveryIds`: {reason}", fields=[{"path": "deliveryIds", "reason": reason}])
        async with write_transaction():
            rows = (
                await WebhookDelivery.update(
                    {
                        WebhookDelivery.status: "pending",
                        WebhookDelivery.next_attempt_at: now(),
                        WebhookDelivery.leased_until: None,
                    }
                )
                .where(where)
                .returning(WebhookDelivery.id)
            )
            ids = [row["id"] for row in rows]
            await record(self.principal, "redeliver_webhook", details={"deliveries": ids, "webhook": failed_of})
        return len(ids)

    async def _check(self, spec: WebhookSpec) -> None:
        problems = []
        try:
            await resolve_target(spec.url, allow_private=self.allow_private_targets)
        except TargetError as error:
            problems.append({"path": "url", "reason": str(error).removeprefix("url: ")})
        for path, values, known in (
            ("events", spec.events, EVENT_KINDS),
            ("contentTypes", spec.content_types, tuple(self.model.types)),
            ("channels", spec.channels, tuple(self.model.channels)),
        ):
            for index, value in enumerate(values):
                if value not in known:
                    problems.append(
                        {"path": f"{path}.{index}", "reason": f"unknown {value!r} (known: {', '.join(known)})"}
                    )
        if len(spec.description) > 200:
            problems.append({"path": "description", "reason": "longer than 200 characters"})
        if problems:
            summary = "; ".join(f"{p['path']}: {p['reason']}" for p in problems)
            raise InvalidWebhookError(f"invalid webhook: {summary}", fields=problems)


async def disable_subscription(subscription_id: int, reason: str, actor: Principal = DISPATCHER) -> None:
    """Stop sending to a subscription (its pending deliveries wait for it to be enabled again), audited."""
    async with write_transaction():
        await WebhookSubscription.update(
            {
                WebhookSubscription.active: False,
                WebhookSubscription.disabled_reason: reason,
                WebhookSubscription.updated_at: now(),
            }
        ).where(WebhookSubscription.id == subscription_id)
        await record(actor, "disable_webhook", details={"webhook": subscription_id, "reason": reason})


async def _set_active(subscription_id: int, active: bool, reason: str) -> None:
    await WebhookSubscription.update(
        {
            WebhookSubscription.active: active,
            WebhookSubscription.disabled_reason: reason,
            WebhookSubscription.updated_at: now(),
        }
    ).where(WebhookSubscription.id == subscription_id)


async def subscription_row(subscription_id: int) -> dict[str, Any]:
    row = (
        await WebhookSubscription.select(*PUBLIC_COLUMNS)
        .where(WebhookSubscription.id == subscription_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFoundError(f"no webhook with id {subscription_id}")
    return row


async def subscription_rows() -> list[dict[str, Any]]:
    return list(
        await WebhookSubscription.select(*PUBLIC_COLUMNS).order_by(WebhookSubscription.id).output(load_json=True)
    )


async def recent_deliveries(
    subscription_id: int | None = None, *, status: str | None = None, first: int = 20
) -> list[dict[str, Any]]:
    """Deliveries newest first, each with its attempts (newest first)."""
    where: Any = WebhookDelivery.id.is_not_null()
    if subscription_id is not None:
        where &= WebhookDelivery.subscription == subscription_id
    if status is not None:
        where &= WebhookDelivery.status == status
    rows = list(await WebhookDelivery.select().where(where).order_by(WebhookDelivery.id, ascending=False).limit(first))
    attempts = (
        await WebhookAttempt.select()
        .where(WebhookAttempt.delivery.is_in([row["id"] for row in rows] or [-1]))
        .order_by(WebhookAttempt.id, ascending=False)
    )
    kinds = {
        event["id"]: event["kind"]
        for event in await Event.select(Event.id, Event.kind).where(Event.id.is_in([r["event"] for r in rows] or [-1]))
    }
    for row in rows:
        row["event_kind"] = kinds.get(row["event"], "")
        row["attempt_log"] = [attempt for attempt in attempts if attempt["delivery"] == row["id"]]
    return rows


def _json(values: list[str]) -> str:
    return msgspec.json.encode(sorted(set(values))).decode()


def _described(spec: WebhookSpec) -> dict[str, Any]:
    return {"url": spec.url, "events": spec.events, "contentTypes": spec.content_types, "channels": spec.channels}
