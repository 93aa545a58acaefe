"""Delivery reads on SQLite: kept read-only connections, counted like any query, never inside a write."""

from __future__ import annotations

import sqlite3

import pytest

from cms.delivery.reads import KeptConnectionsEngine, read_rows, reading_engine
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Projection

pytestmark = pytest.mark.skipif(is_postgres(get_engine()), reason="PostgreSQL reads through its pool")

LIST = "{ products(first: %d) { totalCount nodes { id category { name } } } }"


async def test_delivery_reads_reuse_kept_connections_and_count_as_round_trips(client, demo_db, round_trips) -> None:  # type: ignore[no-untyped-def]
    reader = reading_engine()
    assert isinstance(reader, KeptConnectionsEngine)

    await client.post("/graphql/web", json={"query": LIST % 1})
    round_trips.count = 0
    for first in range(2, 7):  # not answered from the response cache
        response = await client.post("/graphql/web", json={"query": LIST % first})
        assert response.json()["data"]["products"]["totalCount"] == 64

    assert round_trips.count == 10  # per request: a page with its total, then the categories
    assert 1 <= len(reader._connections) <= 4


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
