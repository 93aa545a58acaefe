"""Webhooks in the admin over HTTP: admins only, a secret shown once, refusals next to their field, and a
subscription the dispatcher gave up on shown as such, with its failed deliveries sent again from the page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest

from cms.admin.i18n import MESSAGES
from cms.events.log import EVENT_KINDS, record_event
from cms.settings import Settings
from cms.store.database import write_transaction
from cms.store.tables import AuditEvent, WebhookDelivery, WebhookSubscription
from cms.webhooks.dispatch import Dispatcher
from tests.admin_sign_in import sign_in_as
from tests.webhooks.receiver import Receiver

CLOSED_PORT_URL = "http://127.0.0.1:9/hooks"
"""A receiver that is never called in these tests (the discard port: nothing listens)."""
SECRET = re.compile(r'id="webhook-secret"[^>]* value="(whsec_[^"]+)"')


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")


@pytest.fixture
async def dispatcher(settings: Settings) -> AsyncIterator[Dispatcher]:
    """A dispatcher that gives up at the first failure (a retry period of nothing)."""
    sender = Dispatcher(msgspec.structs.replace(settings, webhook_retry_period=0.0, webhook_timeout=2.0))
    yield sender
    await sender.close()


async def add(client: httpx.AsyncClient, csrf: str, url: str = CLOSED_PORT_URL, **fields: object) -> httpx.Response:
    return await client.post("/admin/webhooks", data={"_csrf": csrf, "url": url, **fields})


async def only_webhook_id() -> int:
    row = await WebhookSubscription.select(WebhookSubscription.id).first()
    assert row is not None
    return int(row["id"])


async def publish_event() -> None:
    async with write_transaction():
        await record_event(
            "entry.published", {"slug": "kitchen"}, entry="e-1", content_type="category", channels=["web"]
        )


@pytest.mark.parametrize("role", ["editor", "reviewer", "viewer"])
async def test_only_admins_see_webhooks(client: httpx.AsyncClient, clean_db: None, role: str) -> None:
    csrf = await sign_in_as(client, role)

    page = await client.get("/admin/webhooks")
    refused = await add(client, csrf)

    assert page.status_code == 403
    assert "Your role does not allow this page." in page.text
    assert 'href="/admin/webhooks"' not in page.text  # nor the navigation link
    assert refused.status_code == 403
    assert await WebhookSubscription.count() == 0


async def test_an_admin_adds_a_webhook_and_sees_its_secret_only_once(client: httpx.AsyncClient, csrf: str) -> None:
    form = {"description": "CDN purge", "events": ["entry.published", "entry.unpublished"], "channels": "web"}

    created = await add(client, csrf, **form)

    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    assert "it will not be shown again" in created.text
    found = SECRET.search(created.text)
    assert found is not None
    secret = found.group(1)
    webhook_id = await only_webhook_id()
    listed = await client.get("/admin/webhooks")
    detail = await client.get(f"/admin/webhooks/{webhook_id}")
    assert secret not in listed.text and secret not in detail.text  # never again
    assert 'id="webhook-secret"' not in listed.text
    assert f'href="/admin/webhooks/{webhook_id}"' in listed.text
    assert "CDN purge" in listed.text and "Website" in listed.text and "All content types" in listed.text
    assert "An entry was unpublished" in detail.text
    event = await AuditEvent.select().where(AuditEvent.action == "create_webhook").first()
    assert event is not None and event["actor"] == "admin@example.test"
    assert secret not in str(event["details"])


async def test_a_refused_url_is_named_next_to_the_url_field_and_the_form_keeps_what_was_typed(
    client: httpx.AsyncClient, csrf: str
) -> None:
    refused = await add(client, csrf, "ftp://example.com/hooks", description="Search index", events="asset.created")

    assert refused.status_code == 400
    assert "The webhook was not added: correct the fields marked below." in refused.text
    error = re.search(r'<p class="field-error" id="url-error">([^<]+)</p>', refused.text)
    assert error is not None and "must start with https:// or http://" in error.group(1)
    assert re.search(
        r'id="webhook-url"[^>]*aria-describedby="url-error url-hint"[^>]*aria-invalid="true"', refused.text
    )
    assert 'value="ftp://example.com/hooks"' in refused.text and 'value="Search index"' in refused.text
    assert 'value="asset.created" checked' in refused.text
    assert await WebhookSubscription.count() == 0


async def test_an_admin_disables_and_enables_a_webhook(client: httpx.AsyncClient, csrf: str) -> None:
    await add(client, csrf)
    webhook_id = await only_webhook_id()

    disabled = await client.post(f"/admin/webhooks/{webhook_id}/disable", data={"_csrf": csrf})
    listed = await client.get("/admin/webhooks")
    enabled = await client.post(f"/admin/webhooks/{webhook_id}/enable", data={"_csrf": csrf})

    assert "Webhook disabled" in disabled.text
    assert 'id="disabled-heading">Disabled</h2>' in disabled.text
    assert "Reason: disabled by admin@example.test" in disabled.text
    assert 'class="badge error">Disabled</span>' in listed.text
    assert "Webhook enabled" in enabled.text and 'class="badge ok">Active</span>' in enabled.text
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-3:] == ["create_webhook", "disable_webhook", "enable_webhook"]


async def test_a_webhook_the_dispatcher_gave_up_on_shows_why_and_its_failures_go_out_again(
    client: httpx.AsyncClient, csrf: str, dispatcher: Dispatcher
) -> None:
    with Receiver(status=500) as receiver:
        await add(client, csrf, receiver.url)
        webhook_id = await only_webhook_id()
        await publish_event()
        assert await dispatcher.dispatch_due() == 1

    listed = await client.get("/admin/webhooks")
    detail = await client.get(f"/admin/webhooks/{webhook_id}")

    assert 'class="badge error">Disabled</span>' in listed.text
    assert "Reason: deliveries kept failing" in listed.text
    assert "Reason: deliveries kept failing" in detail.text
    row = re.search(r"<tr>\s*<td[^>]*><code>entry.published</code>.*?</tr>", detail.text, re.S)
    assert row is not None
    assert 'class="badge error">Failed</span>' in row.group(0)
    assert '"Last HTTP status">500</td>' in row.group(0) and " ms</td>" in row.group(0)
    assert "nope nope" in row.group(0)  # the first bytes of the answer
    assert "Send the 1 failed delivery again" in detail.text

    again = await client.post(f"/admin/webhooks/{webhook_id}/redeliver-failed", data={"_csrf": csrf})

    assert "1 delivery will be sent again. They go out once the webhook is enabled again." in again.text
    assert await WebhookDelivery.count().where(WebhookDelivery.status == "pending") == 1


async def test_one_delivery_goes_out_again_only_from_its_own_webhook(
    client: httpx.AsyncClient, csrf: str, dispatcher: Dispatcher
) -> None:
    with Receiver(status=200) as receiver:
        await add(client, csrf, receiver.url)
        webhook_id = await only_webhook_id()
        await publish_event()
        await dispatcher.dispatch_due()
    delivery = await WebhookDelivery.select(WebhookDelivery.id).first()
    assert delivery is not None
    detail = await client.get(f"/admin/webhooks/{webhook_id}")
    assert 'class="badge ok">Delivered</span>' in detail.text and '"Last HTTP status">200</td>' in detail.text

    elsewhere = await client.post(
        f"/admin/webhooks/{webhook_id + 1}/deliveries/{delivery['id']}/redeliver", data={"_csrf": csrf}
    )
    again = await client.post(
        f"/admin/webhooks/{webhook_id}/deliveries/{delivery['id']}/redeliver", data={"_csrf": csrf}
    )

    assert elsewhere.status_code == 404
    assert again.status_code == 200 and "1 delivery will be sent again." in again.text
    assert "They go out once" not in again.text  # an active webhook sends it at once


async def test_a_rotated_secret_is_shown_once_and_a_deleted_webhook_is_gone(
    client: httpx.AsyncClient, csrf: str
) -> None:
    first = SECRET.search((await add(client, csrf)).text)
    webhook_id = await only_webhook_id()

    rotated = await client.post(f"/admin/webhooks/{webhook_id}/rotate", data={"_csrf": csrf})
    found = SECRET.search(rotated.text)
    assert first is not None and found is not None and found.group(1) != first.group(1)
    assert rotated.headers["cache-control"] == "no-store"
    assert found.group(1) not in (await client.get(f"/admin/webhooks/{webhook_id}")).text
    assert "Yes, delete this webhook" in rotated.text  # behind a disclosure that warns first

    deleted = await client.post(f"/admin/webhooks/{webhook_id}/delete", data={"_csrf": csrf})

    assert f"Webhook to {CLOSED_PORT_URL} deleted." in deleted.text
    assert await WebhookSubscription.count() == 0
    assert (await client.get(f"/admin/webhooks/{webhook_id}")).status_code == 404


async def test_a_form_without_the_csrf_token_changes_nothing(client: httpx.AsyncClient, csrf: str) -> None:
    refused = await client.post("/admin/webhooks", data={"url": CLOSED_PORT_URL})

    assert refused.status_code == 403 and "CSRF" in refused.text
    assert await WebhookSubscription.count() == 0


async def test_the_webhooks_pages_speak_french(client: httpx.AsyncClient, csrf: str) -> None:
    client.cookies.set("cms_admin_lang", "fr")

    created = await add(client, csrf, channels="app")
    detail = await client.get(f"/admin/webhooks/{await only_webhook_id()}")

    assert '<a href="/admin/webhooks" aria-current="page">Webhooks</a>' in created.text
    assert "Ajouter un webhook" in created.text and "il ne sera plus affiché" in created.text
    assert "Tous les événements" in created.text and "Application mobile" in created.text
    assert "Renouveler le secret" in detail.text and "Livraisons récentes" in detail.text
    assert "Un contenu a été publié" in created.text  # the event checkboxes


def test_every_event_kind_has_words_in_the_admin() -> None:
    assert [kind for kind in EVENT_KINDS if f"webhooks.event.{kind}" not in MESSAGES] == []
