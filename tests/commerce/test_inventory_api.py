"""`PUT /inventory`: stock batches applied set-wise, last write wins, every line not applied reported."""

from __future__ import annotations

import pytest

from cms.auth.principal import SCHEDULER, token_principal
from cms.events.log import STOCK_CHANGED
from cms.model import ContentModel
from cms.store.database import get_engine
from cms.store.tables import Event, WebhookDelivery
from cms.webhooks.subscriptions import Webhooks, WebhookSpec
from tests.commerce.helpers import T0, T1, T2, line, products_with_skus, put_stock
from tests.management_client import token_for


@pytest.fixture
async def skus(model: ContentModel, clean_db: None) -> dict[str, str]:
    return await products_with_skus(model, "KET-01", "LMP-02")


@pytest.fixture
async def oms(model: ContentModel, clean_db: None) -> str:
    return await token_for(model, "inventory:write", name="oms")


async def stored_stock() -> dict[tuple[str, str], int]:
    rows = await get_engine().run_ddl("SELECT sku, location, quantity FROM cms_stock")
    return {(row["sku"], row["location"]): row["quantity"] for row in rows or []}


async def stock_events() -> list[dict]:  # type: ignore[type-arg]
    return await Event.select().where(Event.kind == STOCK_CHANGED).order_by(Event.id).output(load_json=True)


async def test_a_good_batch_is_applied_and_reported(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    response = await put_stock(
        client,
        oms,
        [line("KET-01", "paris_store", 4), line("KET-01", "lyon_store", 0), line("LMP-02", "central_warehouse", 30)],
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["received"], report["applied"], report["changed"], report["refused"], report["stale"]) == (
        3,
        3,
        3,
        0,
        0,
    )
    assert report["lines"] == []
    assert await stored_stock() == {
        ("KET-01", "paris_store"): 4,
        ("KET-01", "lyon_store"): 0,
        ("LMP-02", "central_warehouse"): 30,
    }


async def test_bad_lines_are_answered_line_by_line_and_nothing_is_applied_by_default(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    # Given stock counted at T1 for the Paris store
    await put_stock(client, oms, [line("KET-01", "paris_store", 5, T1)])

    # When a batch mixes a good line with an unknown sku, a negative quantity, a stale line and an unknown location
    response = await put_stock(
        client,
        oms,
        [
            line("LMP-02", "paris_store", 7, T1),
            line("NOPE-99", "paris_store", 1),
            line("LMP-02", "lyon_store", -2),
            line("KET-01", "paris_store", 9, T0),
            line("KET-01", "moon_base", 1),
        ],
    )

    # Then each line not applied is named with its number and reason, and nothing was written
    assert response.status_code == 422, response.text
    report = response.json()
    assert [(item["line"], item["outcome"]) for item in report["lines"]] == [
        (2, "refused"),
        (3, "refused"),
        (5, "refused"),
    ]
    reasons = {item["line"]: item["reason"] for item in report["lines"]}
    assert "unknown sku 'NOPE-99'" in reasons[2]
    assert "negative quantity -2" in reasons[3]
    assert "unknown location 'moon_base'" in reasons[5]
    assert report["applied"] == 0
    assert await stored_stock() == {("KET-01", "paris_store"): 5}
    assert len(await stock_events()) == 1  # the first batch's only


async def test_partial_applies_the_good_lines_and_reports_stale_and_refused_ones(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "paris_store", 5, T1)])

    response = await put_stock(
        client,
        oms,
        [
            line("LMP-02", "paris_store", 7, T1),
            line("NOPE-99", "paris_store", 1),
            line("LMP-02", "lyon_store", -2),
            line("KET-01", "paris_store", 9, T0),
        ],
        partial=True,
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert [(item["line"], item["outcome"]) for item in report["lines"]] == [
        (2, "refused"),
        (3, "refused"),
        (4, "stale"),
    ]
    assert "newer" in report["lines"][2]["reason"]
    assert (report["applied"], report["refused"], report["stale"]) == (1, 2, 1)
    assert await stored_stock() == {("KET-01", "paris_store"): 5, ("LMP-02", "paris_store"): 7}


async def test_a_stale_line_alone_is_reported_but_does_not_refuse_the_batch(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "paris_store", 5, T2)])

    response = await put_stock(client, oms, [line("KET-01", "paris_store", 1, T1), line("LMP-02", "paris_store", 2)])

    assert response.status_code == 200
    assert [(item["line"], item["outcome"]) for item in response.json()["lines"]] == [(1, "stale")]
    assert await stored_stock() == {("KET-01", "paris_store"): 5, ("LMP-02", "paris_store"): 2}


async def test_the_same_batch_sent_twice_changes_nothing_the_second_time(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    batch = [line("KET-01", "paris_store", 5), line("LMP-02", "lyon_store", 6)]
    first = (await put_stock(client, oms, batch)).json()

    second = (await put_stock(client, oms, batch)).json()

    assert (first["applied"], first["changed"]) == (2, 2)
    assert (second["applied"], second["changed"], second["unchanged"], second["stale"]) == (0, 0, 2, 0)
    assert second["event"] is None
    assert len(await stock_events()) == 1


async def test_within_a_batch_the_latest_line_of_a_pair_wins(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    response = await put_stock(
        client, oms, [line("KET-01", "paris_store", 8, T2), line("KET-01", "paris_store", 3, T1)]
    )

    assert response.status_code == 200
    assert [(item["line"], item["outcome"]) for item in response.json()["lines"]] == [(2, "stale")]
    assert await stored_stock() == {("KET-01", "paris_store"): 8}


async def test_ndjson_lines_are_numbered_as_sent(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    response = await put_stock(
        client, oms, [line("KET-01", "paris_store", 2), line("KET-01", "lyon_store", "two")], ndjson=True, partial=True
    )

    assert response.status_code == 200
    assert response.json()["lines"] == [
        {
            "line": 2,
            "outcome": "refused",
            "reason": "malformed: quantity: expected `int`, got `str`",
            "sku": "KET-01",
            "location": "lyon_store",
        }
    ]
    assert await stored_stock() == {("KET-01", "paris_store"): 2}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b'[{"sku": "KET-01", "location": "paris_store", "quantity": 1, "upda', "application/json", 400, "not JSON"),
        (b'{"sku": "KET-01", "location": "paris_store"}', "application/json", 400, "JSON array"),
        (
            b'{"sku": "KET-01", "location": "paris_store", "quantity": 1, "updated_at": "2026-12-23T10:00:00Z"}\n'
            b'{"sku": "LMP',
            "application/x-ndjson",
            400,
            "line 2 is not JSON",
        ),
        (b"[]", "application/json", 400, "no lines"),
        (b"sku,location\nKET-01,paris_store", "text/csv", 415, "application/x-ndjson"),
    ],
)
async def test_a_malformed_batch_applies_nothing(client, skus, oms, body, content_type, status, says) -> None:  # type: ignore[no-untyped-def]
    response = await client.put(
        "/inventory", content=body, headers={"Authorization": f"Bearer {oms}", "Content-Type": content_type}
    )

    assert response.status_code == status
    assert says in response.json()["errors"][0]["message"]
    assert await stored_stock() == {}
    assert await stock_events() == []


async def test_a_batch_over_the_limit_applies_nothing(client, skus, oms, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("cms.commerce.lines.MAX_LINES", 2)

    response = await put_stock(
        client,
        oms,
        [line("KET-01", "paris_store", 1), line("KET-01", "lyon_store", 1), line("LMP-02", "lyon_store", 1)],
    )

    assert response.status_code == 413
    assert "3 lines, over the limit of 2" in response.json()["errors"][0]["message"]
    assert await stored_stock() == {}


async def test_a_change_records_one_stock_changed_event_per_batch(client, skus, oms) -> None:  # type: ignore[no-untyped-def]
    response = await put_stock(client, oms, [line("KET-01", "paris_store", 4), line("LMP-02", "central_warehouse", 9)])

    events = await stock_events()
    assert [event["id"] for event in events] == [response.json()["event"]]
    data = events[0]["data"]
    assert data["changes"] == 2
    assert data["locations"] == ["central_warehouse", "paris_store"]
    assert data["skus"] == ["KET-01", "LMP-02"]
    assert data["skusTruncated"] is False
    # the channels selling from those locations: web, web_ch and app from the warehouse, the kiosk from its stores
    assert events[0]["channels"] == ["app", "kiosk", "web", "web_ch"]


async def test_a_webhook_subscribed_to_stock_changes_of_the_kiosk_is_owed_the_event(client, model, skus, oms) -> None:  # type: ignore[no-untyped-def]
    # Given a subscription to stock changes on the kiosk, and one to stock changes on the social channel
    webhooks = Webhooks(model, SCHEDULER, allow_private_targets=True)
    kiosk, _ = await webhooks.create(
        WebhookSpec(url="http://127.0.0.1:9/kiosk", events=[STOCK_CHANGED], channels=["kiosk"])
    )
    await webhooks.create(WebhookSpec(url="http://127.0.0.1:9/social", events=[STOCK_CHANGED], channels=["social"]))

    # When a batch changes a store's stock
    event = (await put_stock(client, oms, [line("KET-01", "lyon_store", 3)])).json()["event"]

    # Then the kiosk's subscription alone is owed that event
    owed = await WebhookDelivery.select(WebhookDelivery.subscription, WebhookDelivery.event)
    assert owed == [{"subscription": kiosk["id"], "event": event}]


async def test_writing_stock_needs_the_inventory_scope(client, model, skus) -> None:  # type: ignore[no-untyped-def]
    batch = [line("KET-01", "paris_store", 4)]
    admin = await token_for(model, "management:admin", name="admin")

    anonymous = await client.put("/inventory", json=batch)
    wrong_scope = await put_stock(client, admin, batch)
    bad_token = await put_stock(client, "cms_nope_nope", batch)

    assert anonymous.status_code == 403
    assert wrong_scope.status_code == 403
    assert "inventory:write" in wrong_scope.json()["errors"][0]["message"]
    assert bad_token.status_code == 401
    assert await stored_stock() == {}


async def test_the_inventory_scope_grants_nothing_else(client, model, oms) -> None:  # type: ignore[no-untyped-def]
    # Given a token holding only inventory:write
    principal = token_principal("t1", "oms", ["inventory:write"])

    # When it asks the management API for releases, or reads a protected-by-nothing permission set
    response = await client.post(
        "/graphql", json={"query": "{ releases { id } }"}, headers={"Authorization": f"Bearer {oms}"}
    )

    # Then it holds that one permission, and the management API refuses it
    assert principal.permissions == frozenset({"inventory:write"})
    assert principal.delivery_channels == frozenset()
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
