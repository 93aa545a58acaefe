"""Delivery reads on SQLite: kept read-only connections, counted like any query, never inside a write."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest

from cms.delivery.reads import INLINE_BUDGET, READ_THREADS, KeptConnectionsEngine, read_rows, reading_engine
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Projection

pytestmark = pytest.mark.skipif(is_postgres(get_engine()), reason="PostgreSQL reads through its pool")

LIST = "{ products(first: %d) { totalCount nodes { id category { name } } } }"


async def test_delivery_reads_reuse_kept_connections_and_count_as_round_trips(client, demo_db, round_trips) -> None:  # type: ignore[no-untyped-def]
    reader = reading_engine()
    assert isinstance(reader, KeptConnectionsEngine)

    await client.post("/graphql/web", json={"query": LIST % 6})  # every document shown below seen once
    round_trips.count = 0
    for first in range(1, 6):  # not answered from the response cache
        response = await client.post("/graphql/web", json={"query": LIST % first})
        assert response.json()["data"]["products"]["totalCount"] == 64

    assert round_trips.count == 10  # per request: a page with its total, then the categories
    assert 1 <= len(reader._connections) <= READ_THREADS + 1  # the read threads' and the event loop's


async def test_a_query_runs_on_the_event_loop_while_its_last_run_was_quick(demo_db) -> None:  # type: ignore[no-untyped-def]
    reader = reading_engine()
    assert isinstance(reader, KeptConnectionsEngine)
    sql = "SELECT count(*) AS n FROM cms_projection WHERE slug = {}"
    threads: list[threading.Thread] = []
    fetch = reader._fetch

    def spying(query: str, args: list[Any], tuples: bool = False, inline: bool = False) -> Any:
        threads.append(threading.current_thread())
        assert inline is (threading.current_thread() is loop_thread)  # timed by the loop's clock only there
        return fetch(query, args, tuples, inline)

    reader._fetch = spying  # type: ignore[method-assign]
    loop_thread = threading.current_thread()
    await read_rows(sql, "nothing")
    assert threads[0] is not loop_thread  # never seen before: on a read thread

    for query in reader.durations:
        reader.durations[query] = INLINE_BUDGET / 2  # as if its last run had been quick
    await read_rows(sql, "nothing")
    assert threads[1] is loop_thread

    for query in reader.durations:
        reader.durations[query] = INLINE_BUDGET * 2  # as if its last run had been slow
    await read_rows(sql, "nothing")
    assert threads[2] is not loop_thread


async def test_a_write_sent_to_the_read_connections_fails(demo_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await read_rows("DELETE FROM cms_projection")
    assert await Projection.count() > 0


async def test_inside_a_transaction_delivery_reads_see_its_uncommitted_rows(demo_db) -> None:  # type: ignore[no-untyped-def]
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback):
        async with write_transaction():
            await Projection.raw("UPDATE cms_projection SET slug = 'in-flight' WHERE content_type = 'product'")
            assert reading_engine() is None
            rows = await read_rows("SELECT count(*) AS n FROM cms_projection WHERE slug = 'in-flight'")
            assert rows[0]["n"] > 0
            raise Rollback
