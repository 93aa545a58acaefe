"""Webhook subscriptions in the admin (admins only): the list, adding one (its secret shown once), each one's recent
deliveries, disabling, enabling, rotating the secret, deleting, and sending deliveries again.

Every change goes through `cms.webhooks.subscriptions.Webhooks` with the signed-in admin as principal, so the checks,
refusals and audit events are those of the management API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.response import Template

from cms.admin.gate import principal
from cms.admin.i18n import admin_language
from cms.admin.render import model_of, render, translator
from cms.auth.principal import ADMIN
from cms.events.log import EVENT_KINDS
from cms.store.tables import WebhookDelivery
from cms.webhooks.subscriptions import (
    InvalidWebhookError,
    Webhooks,
    WebhookSpec,
    recent_deliveries,
    subscription_row,
    subscription_rows,
)
from cms.workflow.errors import NotFoundError

FILTERS = ("events", "content_types", "channels")
"""The three filters of a subscription: its row's keys, the form's checkbox groups and the template's loops."""
PROBLEM_FIELDS = {"contentTypes": "content_types"}
"""Where the service's problem paths (`contentTypes.2`) point in the form (others share their name)."""
DELIVERIES_SHOWN = 20
NO_STORE = {"Cache-Control": "no-store"}
"""A page showing a secret must not be kept by any cache (nor the back button)."""


def _forbidden(request: Request[Any, Any, Any]) -> Template | None:
    if principal(request).can(ADMIN):
        return None
    return render(request, "webhooks/forbidden.html", status_code=403)


def _webhooks(request: Request[Any, Any, Any]) -> Webhooks:
    private = request.app.state.settings.webhook_allow_private_targets
    return Webhooks(model_of(request), principal(request), allow_private_targets=private)


@get("/webhooks", name="admin:webhooks")
async def webhook_list(request: Request[Any, Any, Any]) -> Template:
    return _forbidden(request) or await _list_page(request)


@post("/webhooks", name="admin:webhook-create")
async def add_webhook(request: Request[Any, Any, Any]) -> Template:
    if refused := _forbidden(request):
        return refused
    form = await request.form()
    spec = WebhookSpec(
        url=str(form.get("url") or "").strip(),
        description=str(form.get("description") or "").strip(),
        events=[str(kind) for kind in form.getall("events", [])],
        content_types=[str(name) for name in form.getall("content_types", [])],
        channels=[str(name) for name in form.getall("channels", [])],
    )
    try:
        row, secret = await _webhooks(request).create(spec)
    except InvalidWebhookError as error:
        return await _list_page(request, status_code=400, problems=_problems(error), typed=spec)
    notice = translator(request)("webhooks.created", url=row["url"])
    return _no_store(await _list_page(request, notice=notice, secret=secret, secret_url=row["url"]))


@get("/webhooks/{webhook_id:int}", name="admin:webhook")
async def webhook_page(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    return _forbidden(request) or await _detail_page(request, webhook_id)


@post("/webhooks/{webhook_id:int}/disable", name="admin:webhook-disable")
async def disable(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    return await _act(request, webhook_id, lambda hooks: hooks.disable(webhook_id), "webhooks.disabled_notice")


@post("/webhooks/{webhook_id:int}/enable", name="admin:webhook-enable")
async def enable(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    return await _act(request, webhook_id, lambda hooks: hooks.enable(webhook_id), "webhooks.enabled_notice")


@post("/webhooks/{webhook_id:int}/rotate", name="admin:webhook-rotate")
async def rotate(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    if refused := _forbidden(request):
        return refused
    secret = await _webhooks(request).rotate_secret(webhook_id)
    url = (await subscription_row(webhook_id))["url"]
    notice = translator(request)("webhooks.rotated")
    return _no_store(await _detail_page(request, webhook_id, notice=notice, secret=secret, secret_url=url))


@post("/webhooks/{webhook_id:int}/delete", name="admin:webhook-delete")
async def delete(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    if refused := _forbidden(request):
        return refused
    url = (await subscription_row(webhook_id))["url"]
    await _webhooks(request).delete(webhook_id)
    return await _list_page(request, notice=translator(request)("webhooks.deleted", url=url))


@post("/webhooks/{webhook_id:int}/deliveries/{delivery_id:int}/redeliver", name="admin:webhook-redeliver")
async def redeliver(request: Request[Any, Any, Any], webhook_id: int, delivery_id: int) -> Template:
    if refused := _forbidden(request):
        return refused
    owned = (WebhookDelivery.id == delivery_id) & (WebhookDelivery.subscription == webhook_id)
    if not await WebhookDelivery.exists().where(owned):
        raise NotFoundError(f"webhook {webhook_id} has no delivery {delivery_id}")
    return await _redelivered(request, webhook_id, await _webhooks(request).redeliver([delivery_id]))


@post("/webhooks/{webhook_id:int}/redeliver-failed", name="admin:webhook-redeliver-failed")
async def redeliver_failed(request: Request[Any, Any, Any], webhook_id: int) -> Template:
    if refused := _forbidden(request):
        return refused
    return await _redelivered(request, webhook_id, await _webhooks(request).redeliver(failed_of=webhook_id))


async def _redelivered(request: Request[Any, Any, Any], webhook_id: int, count: int) -> Template:
    """Says how many go out again, and that they wait while the webhook is disabled."""
    t = translator(request)
    notice = t.plural("webhooks.redelivered", count)
    if not (await subscription_row(webhook_id))["active"]:
        notice = f"{notice} {t('webhooks.sent_when_enabled')}"
    return await _detail_page(request, webhook_id, notice=notice)


async def _act(
    request: Request[Any, Any, Any], webhook_id: int, action: Callable[[Webhooks], Awaitable[Any]], done: str
) -> Template:
    if refused := _forbidden(request):
        return refused
    await action(_webhooks(request))
    return await _detail_page(request, webhook_id, notice=translator(request)(done))


def _problems(error: InvalidWebhookError) -> dict[str, list[str]]:
    """The service's reasons by form field, so each is shown next to the field it names."""
    problems: dict[str, list[str]] = {}
    for problem in error.extensions.get("fields", []):
        head = problem["path"].split(".")[0]
        problems.setdefault(PROBLEM_FIELDS.get(head, head), []).append(problem["reason"])
    return problems


def _choices(request: Request[Any, Any, Any]) -> dict[str, dict[str, str]]:
    """What each filter can name, with its label in the admin's language."""
    model, language, t = model_of(request), admin_language(request), translator(request)
    return {
        "events": {kind: t(f"webhooks.event.{kind}") for kind in EVENT_KINDS},
        "content_types": {
            name: kind.label.get(language) or kind.label.get("en") or name for name, kind in model.types.items()
        },
        "channels": {
            name: channel.label.get(language) or channel.label.get("en") or name
            for name, channel in model.channels.items()
        },
    }


def _no_store(page: Template) -> Template:
    page.headers.update(NO_STORE)
    return page


async def _list_page(request: Request[Any, Any, Any], *, status_code: int = 200, **context: Any) -> Template:
    return render(
        request,
        "webhooks/list.html",
        status_code=status_code,
        webhooks=await subscription_rows(),
        choices=_choices(request),
        filters=FILTERS,
        **context,
    )


async def _detail_page(request: Request[Any, Any, Any], webhook_id: int, **context: Any) -> Template:
    row = await subscription_row(webhook_id)
    failed = (WebhookDelivery.subscription == webhook_id) & (WebhookDelivery.status == "failed")
    return render(
        request,
        "webhooks/detail.html",
        webhook=row,
        deliveries=await recent_deliveries(webhook_id, first=DELIVERIES_SHOWN),
        failed_count=await WebhookDelivery.count().where(failed),
        shown=DELIVERIES_SHOWN,
        choices=_choices(request),
        filters=FILTERS,
        **context,
    )


ROUTES: list[Any] = [
    webhook_list,
    add_webhook,
    webhook_page,
    disable,
    enable,
    rotate,
    delete,
    redeliver,
    redeliver_failed,
]
