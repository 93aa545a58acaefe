"""`record_events` writes in bulk exactly what `record_event` writes one event at a time: the same event rows with
the same ids, and the same deliveries (ids, events, subscriptions, every field) in the same order.

Each test records its events twice in one database: one by one in a transaction that is rolled back (its ids then
given back: SQLite's rollback undoes `sqlite_sequence`, PostgreSQL's sequences are set back by hand), then in bulk;
every row of both tables is compared whole, ids and instants included (a test clock stands still).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

import pytest
from piccolo.querystring import QueryString

from cms.auth.principal import cli_principal
from cms.events.log import (
    ASSET_DELETED,
    ENTRY_CHANGED,
    ENTRY_PUBLISHED,
    STOCK_CHANGED,
    NewEvent,
    cause,
    record_event,
    record_events,
)
from cms.lib.clock import TestClock, use_clock
from cms.model import ContentModel
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Event
from cms.webhooks.subscriptions import Webhooks, WebhookSpec

TABLES = ("cms_event", "cms_webhook_delivery")

EVENTS = [
    # published products on the web: both subscriptions
    NewEvent(ENTRY_PUBLISHED, {"n": 1}, entry="p1", content_type="product", entries=("p1",), channels=("web",)),
    # a category published for the app only: neither
    NewEvent(ENTRY_PUBLISHED, {"n": 2}, entry="c1", content_type="category", entries=("c1",), channels=("app",)),
    # no entry, on the web: the channel subscription, ordered by the kind's prefix (`stock`)
    NewEvent(STOCK_CHANGED, {"n": 3}, channels=("web", "app")),
    # a product changed on both channels (given unsorted, twice): the channel subscription only
    NewEvent(ENTRY_CHANGED, {"n": 4}, entry="p1", content_type="product", channels=("web", "app", "web")),
    # a product published for the app only: the product subscription only
    NewEvent(ENTRY_PUBLISHED, {"n": 5}, entry="p2", content_type="product", entries=("p2",), channels=("app",)),
    # nothing names it: neither
    NewEvent(ASSET_DELETED, {"n": 6}),
    NewEvent(ENTRY_PUBLISHED, {"n": 7}, entry="p3", content_type="product", entries=("p3",), channels=("web",)),
]


@pytest.fixture
def clock() -> Iterator[TestClock]:
    test_clock = TestClock(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC))
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


@pytest.fixture
async def subscriptions(model: ContentModel, clean_db: None, clock: TestClock) -> list[int]:
    """Two active subscriptions with different filters, and a disabled one that would match everything."""
    webhooks = Webhooks(model, cli_principal(), allow_private_targets=True)
    specs = [
        WebhookSpec(url="http://127.0.0.1:9/products", events=[ENTRY_PUBLISHED], content_types=["product"]),
        WebhookSpec(url="http://127.0.0.1:9/web", channels=["web"]),
        WebhookSpec(url="http://127.0.0.1:9/off"),
    ]
    ids = [(await webhooks.create(spec))[0]["id"] for spec in specs]
    await webhooks.disable(ids[2])
    # Ids that do not start at 1, and on SQLite one left unused (AUTOINCREMENT never gives a deleted id again)
    async with write_transaction():
        await record_event(ASSET_DELETED, {"earlier": 1})
        newest = await record_event(ASSET_DELETED, {"earlier": 2})
        await Event.delete().where(Event.id == newest)
    return ids


class _RolledBack(Exception):
    pass


async def _rows() -> dict[str, list[dict[str, Any]]]:
    engine = get_engine()
    return {table: await engine.run_querystring(QueryString(f"SELECT * FROM {table} ORDER BY id")) for table in TABLES}


async def _sequences() -> list[tuple[str, Any, Any]]:
    """PostgreSQL: where each table's id sequence stands (the sequences ignore rollbacks)."""
    if not is_postgres(get_engine()):
        return []
    engine, positions = get_engine(), []
    for table in TABLES:
        name = (await engine.run_querystring(QueryString(f"SELECT pg_get_serial_sequence('{table}', 'id') AS s")))[0][
            "s"
        ]
        row = (await engine.run_querystring(QueryString(f"SELECT last_value, is_called FROM {name}")))[0]
        positions.append((name, row["last_value"], row["is_called"]))
    return positions


async def _written_then_rolled_back(record: Callable[[], Awaitable[None]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of both tables after `record`, which is then undone, ids included."""
    sequences = await _sequences()
    written: dict[str, list[dict[str, Any]]] = {}
    with pytest.raises(_RolledBack):
        async with write_transaction():
            await record()
            written = await _rows()
            raise _RolledBack
    for name, last_value, is_called in sequences:
        await get_engine().run_querystring(QueryString("SELECT setval({}, {}, {})", name, last_value, is_called))
    return written


async def record_one_by_one(events: Sequence[NewEvent]) -> None:
    """What `record_events` stands for: each event through `record_event`, in order."""
    for event in events:
        await record_event(
            event.kind,
            event.data,
            entry=event.entry,
            content_type=event.content_type,
            entries=event.entries,
            channels=event.channels,
        )


async def _in_bulk(events: list[NewEvent]) -> dict[str, list[dict[str, Any]]]:
    async with write_transaction():
        await record_events(events)
        return await _rows()


async def test_events_recorded_in_bulk_are_the_rows_and_deliveries_of_recording_themrecord_one_by_one(
    subscriptions: list[int],
) -> None:
    products, web, _ = subscriptions
    before = await _rows()
    with cause(release=4):
        # Given the rows recording each event in turn writes
        reference = await _written_then_rolled_back(lambda: record_one_by_one(EVENTS))
        # When the same events are recorded in bulk
        bulk = await _in_bulk(EVENTS)

    # Then both tables hold the same rows, ids and every column included
    assert bulk == reference
    # ...which are the events in order, after the earlier ones, each with the deliveries it owes
    events = bulk["cms_event"][len(before["cms_event"]) :]
    assert [event["kind"] for event in events] == [event.kind for event in EVENTS]
    assert len(events) == len(EVENTS) and events[0]["id"] > before["cms_event"][-1]["id"] + 1
    number = {event["id"]: index + 1 for index, event in enumerate(events)}
    deliveries = [
        (number[row["event"]], row["subscription"], row["ordering_key"]) for row in bulk["cms_webhook_delivery"]
    ]
    assert deliveries == [
        (1, products, "p1"),
        (1, web, "p1"),
        (3, web, "stock"),
        (4, web, "p1"),
        (5, products, "p2"),
        (7, products, "p3"),
        (7, web, "p3"),
    ]


async def test_events_owing_no_delivery_are_recorded_in_bulk_asrecord_one_by_one(subscriptions: list[int]) -> None:
    # Given events no active subscription matches
    unmatched = [EVENTS[1], EVENTS[5]]
    reference = await _written_then_rolled_back(lambda: record_one_by_one(unmatched))
    # When they are recorded in bulk
    bulk = await _in_bulk(unmatched)
    # Then the same events are written, and no delivery
    assert bulk == reference
    assert bulk["cms_webhook_delivery"] == []
