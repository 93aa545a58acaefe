"""Webhooks end to end: a publish through the management API reaches a real receiver on 127.0.0.1, signed in
the Standard Webhooks format and verified there with `standardwebhooks`."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from cms.auth.principal import SCHEDULER
from cms.events.log import record_event
from cms.store import content_version
from cms.store.tables import AuditEvent, Event, WebhookAttempt, WebhookDelivery, WebhookSubscription
from cms.webhooks.dispatch import Dispatcher, backoff
from cms.workflow.entries import Editor
from tests.management_client import Management, token_for
from tests.webhooks.helpers import category, drain, fast_settings, pending, subscribe
from tests.webhooks.receiver import Receiver


@pytest.fixture
async def admin(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="admin-bot"))


@pytest.fixture
async def dispatcher(settings) -> Any:  # type: ignore[no-untyped-def]
    sender = Dispatcher(fast_settings(settings))
    yield sender
    await sender.close()


async def test_a_publish_is_received_signed_with_what_a_cdn_purge_needs(admin, dispatcher, model) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as receiver:
        _, receiver.secret = await subscribe(admin, receiver.url)
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        await drain(dispatcher)
    assert receiver.refused == []
    [message] = receiver.received
    event = await Event.select().where(Event.kind == "entry.published").first()
    assert message.headers["webhook-id"] == f"msg_{event['id']}"
    assert message.verified["type"] == "entry.published"
    data = message.verified["data"]
    exposing = sorted(name for name, channel in model.channels.items() if channel.exposes("category"))
    assert (data["entryId"], data["contentType"], data["slug"], data["version"]) == (
        entry["id"],
        "category",
        "kitchen",
        1,
    )
    assert data["channels"] == exposing
    assert data["locales"] == ["en", "fr"]
    assert {(d["channel"], d["locale"]) for d in data["documents"]} == {
        (channel, locale) for channel in exposing for locale in model.channels[channel].locales
    }
    # First time live: every answer naming the entry, and the channels' lists that may now show it.
    assert data["surrogateKeys"] == [f"entry-{entry['id']}", *(f"channel-{c}" for c in exposing)]


async def test_a_republish_names_only_the_documents_that_changed(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as receiver:
        await subscribe(admin, receiver.url)
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        french_only = {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}, "fr": {"name": "Cuisine"}}}
        await admin.update(entry["id"], 1, french_only)
        await admin.act("publishEntry", entry["id"])
        await admin.act("unpublishEntry", entry["id"])
        await drain(dispatcher)
    first, second, third = (item.payload for item in receiver.received)
    assert [first["type"], second["type"], third["type"]] == ["entry.published", "entry.published", "entry.unpublished"]
    assert second["data"]["locales"] == ["fr"] and second["data"]["version"] == 2
    assert second["data"]["surrogateKeys"] == [f"entry-{entry['id']}"]
    assert third["data"]["locales"] == ["en", "fr"] and third["data"]["version"] == 2


async def test_receiver_down_while_twenty_are_published_then_up_gets_all_in_order_per_entry(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    down = True
    with Receiver(status=lambda number: 503 if down else 200) as receiver:
        _, receiver.secret = await subscribe(admin, receiver.url)
        entries = [await admin.create("category", category(f"Shelf {n}", f"shelf-{n}")) for n in range(5)]
        for version in range(1, 5):  # 5 entries x 4 publishes = 20 events, each entry's in version order
            for entry in entries:
                if version > 1:
                    await admin.update(entry["id"], version - 1, category(f"Shelf v{version}", entry["id"][:8]))
                await admin.act("publishEntry", entry["id"])
        for _ in range(3):
            await dispatcher.dispatch_due()
            await asyncio.sleep(0.05)
        assert receiver.requests >= 5 and receiver.received == []
        assert await pending() == 20
        down = False
        await drain(dispatcher)
    assert len(receiver.received) == 20
    for entry in entries:
        versions = [
            m.verified["data"]["version"] for m in receiver.received if m.verified["data"]["entryId"] == entry["id"]
        ]
        assert versions == [1, 2, 3, 4]
    failed_attempts = await WebhookAttempt.select().where(WebhookAttempt.status_code == 503)
    assert failed_attempts and all(
        a["response"].startswith("nope") and len(a["response"]) == 512 for a in failed_attempts
    )


async def test_two_dispatchers_at_once_never_send_one_delivery_twice(admin, settings) -> None:  # type: ignore[no-untyped-def]
    first, second = Dispatcher(fast_settings(settings)), Dispatcher(fast_settings(settings))
    with Receiver(hang=0.02) as receiver:
        await subscribe(admin, receiver.url)
        await subscribe(admin, receiver.url + "?second")
        for n in range(12):
            entry = await admin.create("category", category(f"Aisle {n}", f"aisle-{n}"))
            await admin.act("publishEntry", entry["id"])
        for _ in range(100):
            await asyncio.gather(first.dispatch_due(), second.dispatch_due())
            if not await pending():
                break
    await first.close()
    await second.close()
    assert len(receiver.received) == 24
    sent = [(m.headers["webhook-id"], m.payload["data"]["entryId"]) for m in receiver.received]
    assert receiver.requests == 24, "a delivery went out twice"
    assert len({message_id for message_id, _ in sent}) == 12


async def test_a_410_disables_the_subscription_with_an_audit_event(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    with Receiver(status=410) as receiver:
        subscription, _ = await subscribe(admin, receiver.url)
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        await admin.act("unpublishEntry", entry["id"])
        await drain(dispatcher, rounds=20)
    assert receiver.requests == 1, "a disabled subscription is not called again"
    row = await WebhookSubscription.select().where(WebhookSubscription.id == subscription).first()
    assert (row["active"], row["disabled_reason"]) == (False, "the receiver answered 410 Gone")
    statuses = sorted(d["status"] for d in await WebhookDelivery.select(WebhookDelivery.status))
    assert statuses == ["failed", "pending"]  # the unpublish waits for the subscription to come back
    audit = await AuditEvent.select().where(AuditEvent.action == "disable_webhook").first()
    assert audit["actor"] == "webhooks"
    listed = await admin.ok("{ webhooks { active disabledReason deliveries { status eventType attempts } } }")
    assert listed["webhooks"][0]["active"] is False
    assert [d["eventType"] for d in listed["webhooks"][0]["deliveries"]] == ["entry.unpublished", "entry.published"]


async def test_after_the_retry_period_a_delivery_fails_and_its_subscription_is_disabled(admin, settings) -> None:  # type: ignore[no-untyped-def]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: every attempt is refused
    sender = Dispatcher(fast_settings(settings, webhook_retry_period=0.0))
    subscription, _ = await subscribe(admin, f"http://127.0.0.1:{port}/gone")
    entry = await admin.create("category", category("Kitchen", "kitchen"))
    await admin.act("publishEntry", entry["id"])
    assert await sender.dispatch_due() == 1
    await sender.close()
    delivery = await WebhookDelivery.select().first()
    assert (delivery["status"], delivery["attempts"]) == ("failed", 1)
    assert "ConnectError" in delivery["last_error"]
    row = await WebhookSubscription.select().where(WebhookSubscription.id == subscription).first()
    assert row["active"] is False and "kept failing" in row["disabled_reason"]


async def test_a_failed_delivery_waits_longer_each_time_with_jitter() -> None:
    for attempts, base in ((1, 5.0), (2, 5.0), (3, 5.0), (12, 5.0), (30, 5.0)):
        delay = min(3600.0, base * 2 ** (attempts - 1))
        samples = [backoff(attempts, base) for _ in range(200)]
        assert all(delay / 2 <= sample <= delay for sample in samples)
        assert len(set(samples)) > 150, "jittered"


async def test_filters_by_event_type_content_type_and_channel(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as everything, Receiver() as products, Receiver() as unpublishes, Receiver() as kiosk:
        await subscribe(admin, everything.url)
        await subscribe(admin, products.url, contentTypes=["product"])
        await subscribe(admin, unpublishes.url, events=["entry.unpublished"])
        await subscribe(admin, kiosk.url, channels=["kiosk"], contentTypes=["category"])
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        await admin.act("unpublishEntry", entry["id"])
        await drain(dispatcher)
    assert everything.types() == ["entry.published", "entry.unpublished"]
    assert products.types() == []
    assert unpublishes.types() == ["entry.unpublished"]
    assert kiosk.types() == ["entry.published", "entry.unpublished"]


async def test_a_subscription_is_validated_field_by_field(admin) -> None:  # type: ignore[no-untyped-def]
    error = await admin.error(
        "mutation($input: WebhookInput!) { createWebhook(input: $input) { secret } }",
        input={"url": "ftp://example.com/x", "events": ["entry.published", "entry.exploded"], "channels": ["fax"]},
    )
    assert error["extensions"]["code"] == "VALIDATION"
    paths = [field["path"] for field in error["extensions"]["fields"]]
    assert paths == ["url", "events.1", "channels.0"]
    assert "entry.exploded" in error["message"] and "fax" in error["message"]
    assert await WebhookSubscription.count() == 0


async def test_loopback_and_private_targets_are_refused_unless_allowed(model) -> None:  # type: ignore[no-untyped-def]
    from cms.auth.principal import ROLE_PERMISSIONS, Principal
    from cms.webhooks.subscriptions import InvalidWebhookError, Webhooks, WebhookSpec

    admin = Principal(kind="user", name="ana@example.test", role="admin", permissions=ROLE_PERMISSIONS["admin"])
    strict = Webhooks(model, admin, allow_private_targets=False)
    for url in (
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.0.0.8/x",
        "http://[::1]/x",
        "http://169.254.169.254/",
    ):
        with pytest.raises(InvalidWebhookError, match="loopback, private or reserved") as refused:
            await strict.create(WebhookSpec(url=url))
        assert refused.value.extensions["fields"][0]["path"] == "url"


async def test_the_dispatcher_checks_the_address_again_at_each_attempt(admin, settings) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as receiver:
        await subscribe(admin, receiver.url)  # allowed when it was made (tests allow loopback)
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        strict = Dispatcher(fast_settings(settings, webhook_allow_private_targets=False))
        await strict.dispatch_due()
        await strict.close()
    assert receiver.requests == 0
    attempt = await WebhookAttempt.select().first()
    assert attempt["status_code"] is None and "loopback, private or reserved" in attempt["error"]


async def test_only_admins_see_and_change_webhooks_and_every_change_is_audited(admin, client, model) -> None:  # type: ignore[no-untyped-def]
    editor = Management(client, await token_for(model, "management:write", "management:publish", name="editor-bot"))
    assert (await editor.error("{ webhooks { id } }"))["extensions"]["code"] == "FORBIDDEN"
    subscription, secret = await subscribe(admin, "http://127.0.0.1:9/hook", description="Storefront build")
    assert secret.startswith("whsec_")
    forbidden = await editor.error("mutation($id: Int!) { disableWebhook(id: $id) { active } }", id=subscription)
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    update = "mutation($id: Int!, $input: WebhookInput!) { updateWebhook(id: $id, input: $input) { url events } }"
    changed = await admin.ok(
        update, id=subscription, input={"url": "http://127.0.0.1:9/other", "events": ["entry.published"]}
    )
    assert changed["updateWebhook"] == {"url": "http://127.0.0.1:9/other", "events": ["entry.published"]}
    await admin.ok("mutation($id: Int!) { disableWebhook(id: $id) { active } }", id=subscription)
    await admin.ok("mutation($id: Int!) { enableWebhook(id: $id) { active } }", id=subscription)
    rotated = (await admin.ok("mutation($id: Int!) { rotateWebhookSecret(id: $id) }", id=subscription))[
        "rotateWebhookSecret"
    ]
    assert rotated.startswith("whsec_") and rotated != secret
    await admin.ok("mutation($id: Int!) { deleteWebhook(id: $id) }", id=subscription)
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert [a for a in actions if "webhook" in a] == [
        "create_webhook",
        "update_webhook",
        "disable_webhook",
        "enable_webhook",
        "rotate_webhook_secret",
        "delete_webhook",
    ]
    introspected = await admin.ok('{ __type(name: "Webhook") { fields { name } } }')
    assert "secret" not in {field["name"] for field in introspected["__type"]["fields"]}


async def test_a_redelivery_sends_the_same_message_again(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as receiver:
        subscription, receiver.secret = await subscribe(admin, receiver.url)
        entry = await admin.create("category", category("Kitchen", "kitchen"))
        await admin.act("publishEntry", entry["id"])
        await drain(dispatcher)
        listed = await admin.ok(
            "query($id: Int!) { webhook(id: $id) { deliveries { id status attemptLog { statusCode } } } }",
            id=subscription,
        )
        [delivery] = listed["webhook"]["deliveries"]
        assert (delivery["status"], delivery["attemptLog"]) == ("delivered", [{"statusCode": 200}])
        again = await admin.ok("mutation($ids: [Int!]) { redeliverWebhooks(deliveryIds: $ids) }", ids=[delivery["id"]])
        assert again["redeliverWebhooks"] == 1
        await drain(dispatcher)
    assert [m.headers["webhook-id"] for m in receiver.received] == [receiver.received[0].headers["webhook-id"]] * 2


async def test_no_event_is_written_when_the_change_rolls_back(admin, model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    await subscribe(admin, "http://127.0.0.1:9/hook")
    entry = await admin.create("category", category("Kitchen", "kitchen"))

    async def failing() -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("cms.publishing.publish.bump_content_version", failing)
    with pytest.raises(RuntimeError, match="disk is full"):
        await Editor(model, SCHEDULER).publish(entry["id"])
    assert await Event.count() == 0 and await WebhookDelivery.count() == 0
    monkeypatch.setattr("cms.publishing.publish.bump_content_version", content_version.bump_content_version)
    await Editor(model, SCHEDULER).publish(entry["id"])
    assert await Event.count() == 1 and await WebhookDelivery.count() == 1


async def test_an_event_recorded_outside_a_change_still_reaches_matching_subscriptions(admin, dispatcher) -> None:  # type: ignore[no-untyped-def]
    with Receiver() as receiver:
        await subscribe(admin, receiver.url, events=["asset.deleted"])
        await record_event("asset.deleted", {"assetId": "a1"})
        await record_event("asset.created", {"assetId": "a2"})
        await drain(dispatcher)
    assert [m.payload["data"] for m in receiver.received] == [{"assetId": "a1"}]


async def test_a_receiver_that_hangs_does_not_hold_publishing_up(admin, settings) -> None:  # type: ignore[no-untyped-def]
    from cms.webhooks.dispatch import dispatching

    with Receiver(hang=lambda number: 3.0 if number == 1 else 0.0) as receiver:
        await subscribe(admin, receiver.url)
        async with dispatching(fast_settings(settings, webhook_poll_interval=0.02, webhook_timeout=5.0)):
            first = await admin.create("category", category("Kitchen", "kitchen"))
            await admin.act("publishEntry", first["id"])
            for _ in range(200):
                if receiver.requests:
                    break
                await asyncio.sleep(0.01)
            assert receiver.requests == 1  # the first delivery is in flight, its receiver not answering
            second = await admin.create("category", category("Garden", "garden"))
            published = await admin.act("publishEntry", second["id"])
            assert published["status"] == "published"
            hung = [m for m in receiver.received if m.payload["data"]["entryId"] == first["id"]]
            assert hung == [], "the second publish went through while the first delivery hung"
            for _ in range(500):
                if len(receiver.received) == 2:
                    break
                await asyncio.sleep(0.01)
    assert sorted(m.payload["data"]["entryId"] for m in receiver.received) == sorted([first["id"], second["id"]])


async def test_a_redelivery_naming_nothing_is_a_validation_error_naming_the_field(admin) -> None:  # type: ignore[no-untyped-def]
    refused = await admin.error("mutation { redeliverWebhooks }")

    reason = "name the deliveries to send again, or send `failedOf`: a subscription whose failed ones to send"
    assert refused["message"] == f"`deliveryIds`: {reason}"
    assert refused["extensions"] == {"code": "VALIDATION", "fields": [{"path": "deliveryIds", "reason": reason}]}
