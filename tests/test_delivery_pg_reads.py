"""Delivery reads on PostgreSQL: a read-only asyncpg pool of their own, one statement per query (no reset)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from asyncpg.connection import Connection

from cms.app import create_app
from cms.delivery import pg_reads
from cms.delivery.filters import order_clause, sort_column, sort_expression, stored_columns
from cms.delivery.indexes import sync_field_indexes
from cms.delivery.queries import page_query
from cms.delivery.reads import read_rows
from cms.delivery.sql import JsonDialect
from cms.model import ContentModel
from cms.store.database import get_engine, write_transaction
from cms.store.engine import start_engine, stop_engine
from cms.store.tables import Projection
from tests.conftest import build_client

pytestmark = pytest.mark.postgres

LIST = "{ products(first: %d) { totalCount nodes { id category { name } } } }"
SAMPLE = (
    "SELECT entry, doc, published_at, valid_until, (SELECT count(*) FROM cms_projection WHERE stage = {}) AS total "
    "FROM cms_projection WHERE stage = {} AND content_type = {} ORDER BY key LIMIT {}"
)


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement asyncpg sends, on any connection: extended-protocol queries and simple ones (resets)."""
    sent: list[str] = []
    execute_extended, execute_simple = Connection._execute, Connection.execute

    async def extended(self: Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(query)
        return await execute_extended(self, query, *args, **kwargs)

    async def simple(self: Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        if not args:  # with arguments it goes through `_execute`, counted there
            sent.append(query)
        return await execute_simple(self, query, *args, **kwargs)

    monkeypatch.setattr(Connection, "_execute", extended)
    monkeypatch.setattr(Connection, "execute", simple)
    yield sent


async def test_rows_are_those_piccolo_raw_gives_for_the_same_query(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pool_reads: list[str] = []
    fetch = pg_reads.fetch_from_pool

    async def spying(pool: Any, sql: str, params: tuple[Any, ...], records: bool = False) -> Any:
        pool_reads.append(sql)
        return await fetch(pool, sql, params, records)

    monkeypatch.setattr(pg_reads, "fetch_from_pool", spying)
    params = ("live", "live", "product", 5)

    rows = await read_rows(SAMPLE, *params)

    assert pool_reads == [SAMPLE.format("$1", "$2", "$3", "$4")]
    assert rows == await Projection.raw(SAMPLE, *params)
    assert len(rows) == 5
    assert isinstance(rows[0]["doc"], str)  # jsonb as text, as Piccolo gives it without load_json
    assert isinstance(rows[0]["published_at"], dt.datetime) and rows[0]["published_at"].tzinfo is not None
    assert rows[0]["total"] > 5


async def test_inside_a_transaction_delivery_reads_see_its_uncommitted_rows(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Rollback(Exception):
        pass

    async def refused(*args: Any) -> None:
        raise AssertionError("read from the delivery pool inside a transaction")

    monkeypatch.setattr(pg_reads, "fetch_from_pool", refused)
    with pytest.raises(Rollback):
        async with write_transaction():
            await Projection.raw("UPDATE cms_projection SET slug = 'in-flight' WHERE content_type = 'product'")
            rows = await read_rows("SELECT count(*) AS n FROM cms_projection WHERE slug = {}", "in-flight")
            assert rows[0]["n"] > 0
            raise Rollback


async def test_a_write_sent_to_the_read_pool_fails(demo_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        await read_rows("DELETE FROM cms_projection")
    assert await Projection.count() > 0


async def test_a_delivery_request_sends_one_statement_per_query_without_reset(  # type: ignore[no-untyped-def]
    client, demo_db, round_trips, statements, monkeypatch
) -> None:
    pool_reads: list[str] = []
    fetch = pg_reads.fetch_from_pool  # counted by round_trips too

    async def spying(pool: Any, sql: str, params: tuple[Any, ...], records: bool = False) -> Any:
        pool_reads.append(sql)
        return await fetch(pool, sql, params, records)

    monkeypatch.setattr(pg_reads, "fetch_from_pool", spying)
    await client.post("/graphql/web", json={"query": LIST % 1})
    statements.clear()
    pool_reads.clear()
    round_trips.count = 0
    for first in range(2, 7):  # not answered from the response cache
        response = await client.post("/graphql/web", json={"query": LIST % first})
        assert response.json()["data"]["products"]["totalCount"] == 64

    resets = [sql for sql in statements if "RESET ALL" in sql]
    main_engine_queries = round_trips.count - len(pool_reads)  # the content version, read per request here
    assert len(pool_reads) >= 10  # per request: a page with its total, then the categories
    assert len(resets) == main_engine_queries  # only Piccolo's pool resets its connections
    assert len(statements) == round_trips.count + len(resets)  # one statement per delivery read, nothing more


async def test_the_read_pool_is_closed_when_the_app_shuts_down(settings, model, demo_db) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine()
    await stop_engine(engine)  # the app starts the engine's pool itself, as when served
    app = create_app(settings, model)
    try:
        async with app.lifespan(), build_client(app) as client:
            response = await client.post("/graphql/web", json={"query": LIST % 7})
            assert response.json()["data"]["products"]["totalCount"] == 64
            opened = pg_reads._current
            assert opened is not None and opened.pool is not None

        assert pg_reads._current is None
        assert opened.pool.is_closing() and opened.pool.get_size() == 0
    finally:
        if engine.pool is None:
            await start_engine(engine, 4)  # the tests' pool, as the database fixture started it


async def test_delivery_reads_plan_once_and_pages_come_from_covering_indexes(demo_db) -> None:  # type: ignore[no-untyped-def]
    # The table has an index per filterable and sortable field: planning a query anew costs more than running it.
    settings = await pg_reads.read_rows("SELECT current_setting('plan_cache_mode') AS mode")
    assert settings == [{"mode": "force_generic_plan"}]
    definitions = {
        row["indexname"]: row["indexdef"]
        for row in await Projection.raw("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cms_projection'")
    }
    for name in ("cms_projection_stage_listing_hashed", "cms_projection_entry_hashed"):
        assert "doc_hash" in definitions[name] and definitions[name].endswith("INCLUDE (id)")


async def test_documents_are_compressed_with_lz4_when_the_server_has_it(demo_db) -> None:  # type: ignore[no-untyped-def]
    has_lz4 = await Projection.raw(
        "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    )
    compression = await Projection.raw(
        "SELECT attcompression::text AS method FROM pg_attribute "
        "WHERE attrelid = 'cms_projection'::regclass AND attname = 'doc'"
    )
    assert compression == [{"method": "l" if has_lz4 else ""}]


async def test_documents_under_8_kb_are_stored_in_their_row_uncompressed(demo_db) -> None:  # type: ignore[no-untyped-def]
    options = await Projection.raw("SELECT reloptions FROM pg_class WHERE oid = 'cms_projection'::regclass")
    assert "toast_tuple_target=8160" in options[0]["reloptions"]
    sizes = await Projection.raw(
        "SELECT count(*) AS documents, count(pg_column_compression(doc)) AS compressed, "
        "max(octet_length(doc::text)) AS largest FROM cms_projection"
    )
    assert sizes[0]["largest"] < 6000, "the demo's documents are all well under the target"
    assert sizes[0]["documents"] > 100 and sizes[0]["compressed"] == 0


def _without_sorting_on(model: ContentModel, type_name: str, field_name: str) -> ContentModel:
    content_type = model.types[type_name]
    fields = [
        msgspec.structs.replace(field, sortable=False) if field.name == field_name else field
        for field in content_type.fields
    ]
    types = {**model.types, type_name: msgspec.structs.replace(content_type, fields=fields)}
    return msgspec.structs.replace(model, types=types)


async def _sort_columns_in_table() -> set[str]:
    rows = await Projection.raw(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'cms_projection' "
        "AND starts_with(column_name, 'sort_') AND is_generated = 'ALWAYS'"
    )
    return {row["name"] for row in rows}


async def test_each_sort_expression_is_a_generated_column_the_order_names(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    product = model.types["product"]
    price = product.field("price")
    column = sort_column(price, sort_expression(JsonDialect(postgres=True), price))

    assert column in await _sort_columns_in_table()
    assert f"{column} DESC" in order_clause(JsonDialect(postgres=True), product, [("price", True)])
    stored = await Projection.raw(
        f"SELECT count(*) AS products, count({column}) AS priced, "
        f"count(*) FILTER (WHERE {column} = CAST(doc->'price'->>'amount' AS NUMERIC)) AS matching "
        "FROM cms_projection WHERE content_type = 'product'"
    )
    assert stored[0]["products"] == stored[0]["priced"] == stored[0]["matching"] > 100  # written with each row


async def test_a_page_in_a_sort_order_reads_its_sort_index_alone(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    await get_engine().run_ddl("VACUUM cms_projection")  # marks the pages all-visible, as autovacuum does
    dialect = JsonDialect(postgres=True)
    for sort in ([], [("price", False)]):
        order = order_clause(dialect, model.types["product"], sort)
        page = page_query("live", "product", "web", "en", [], order, 50, 0)[0]
        async with write_transaction():
            await Projection.raw("SET LOCAL enable_seqscan = off")  # the demo's table is small enough to scan
            rows = await Projection.raw(f"EXPLAIN (ANALYZE, COSTS OFF) {page.sql}", *page.params)
        plan = "\n".join(row["QUERY PLAN"] for row in rows)

        assert "Index Only Scan using cms_projection_sort_" in plan, plan
        fetches = re.findall(r"Heap Fetches: (\d+)", plan)
        assert fetches and set(fetches) == {"0"}, plan  # the page, its total and the read-ahead alike
        assert "Sort Key" not in plan, plan  # read in the index's order


@pytest.fixture
async def uncached(settings, model) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A client of an app without a response cache: every query reads the database."""
    async with build_client(create_app(msgspec.structs.replace(settings, delivery_cache_entries=0), model)) as client:
        yield client


async def _slugs(client: httpx.AsyncClient, query: str) -> list[str]:
    answer = (await client.post("/graphql/web", json={"query": query})).json()
    assert "errors" not in answer, answer
    return [node["slug"] for node in answer["data"]["products"]["nodes"]]


async def test_sort_columns_follow_the_model_and_orders_fall_back_to_the_expression(model, demo_db, uncached) -> None:  # type: ignore[no-untyped-def]
    rating = model.types["product"].field("rating")
    column = sort_column(rating, sort_expression(JsonDialect(postgres=True), rating))
    query = "{ products(first: 9, orderBy: [{field: RATING, direction: DESC}, {field: NAME}]) { nodes { slug } } }"
    await sync_field_indexes(model)
    before = await _slugs(uncached, query)

    try:
        await sync_field_indexes(_without_sorting_on(model, "product", "rating"))

        assert column not in await _sort_columns_in_table()
        assert column not in stored_columns()
        indexes = await Projection.raw("SELECT indexdef FROM pg_indexes WHERE tablename = 'cms_projection'")
        assert not [row for row in indexes if column in row["indexdef"]]
        # This app still sorts on rating: without its column, on the expression, in the same order.
        assert await _slugs(uncached, query) == before
    finally:
        await sync_field_indexes(model)

    assert column in await _sort_columns_in_table() and column in stored_columns()
    assert await _slugs(uncached, query) == before
    ratings = await Projection.raw(
        "SELECT slug FROM cms_projection WHERE stage = 'live' AND content_type = 'product' AND channel = 'web' "
        "AND locale = 'en' AND (valid_from IS NULL OR valid_from <= now()) "  # the slice in force (offers' windows)
        "AND (valid_until IS NULL OR valid_until > now()) "
        "ORDER BY CAST(doc->>'rating' AS NUMERIC) DESC NULLS LAST, cms_fold(doc->>'name') COLLATE \"C\", entry "
        "LIMIT 9"
    )
    assert before == [row["slug"] for row in ratings]


async def test_a_sort_column_another_process_dropped_is_ordered_on_without_an_error(model, demo_db, uncached) -> None:  # type: ignore[no-untyped-def]
    name = model.types["product"].field("name")
    column = sort_column(name, sort_expression(JsonDialect(postgres=True), name))
    query = "{ products(first: 12) { nodes { slug } } }"  # the default order: by name
    await sync_field_indexes(model)
    before = await _slugs(uncached, query)

    await Projection.raw(f"ALTER TABLE cms_projection DROP COLUMN {column}")  # a worker started with another model
    try:
        assert column in stored_columns()  # this process has not started again since

        assert await _slugs(uncached, query) == before  # read again, ordered on the expression

        assert column not in stored_columns()
    finally:
        await sync_field_indexes(model)
    assert column in stored_columns()


@pytest.fixture
def acquired(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per connection taken from an asyncpg pool."""
    taken: list[int] = []
    acquire = asyncpg.Pool.acquire

    def counting(self: asyncpg.Pool, *args: Any, **kwargs: Any) -> Any:
        taken.append(1)
        return acquire(self, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Pool, "acquire", counting)
    return taken


async def test_reads_keep_their_connection_and_a_failed_one_goes_back_to_asyncpg(demo_db, acquired) -> None:  # type: ignore[no-untyped-def]
    await pg_reads.close_pool()
    for number in range(5):
        assert await pg_reads.read_rows(f"SELECT {number} AS n") == [{"n": number}]
    assert len(acquired) == 1  # leased once, kept between reads

    with pytest.raises(asyncpg.PostgresError):
        await pg_reads.read_rows("SELECT 1 / 0 AS never")
    assert await pg_reads.read_rows("SELECT 2 AS two") == [{"two": 2}]
    assert len(acquired) == 2  # the failed read's connection went back: leased again
    # asyncpg's close waits for every connection taken from the pool: none was lost on the way.
    await asyncio.wait_for(pg_reads.close_pool(), 5)


async def test_a_cancelled_read_leaves_every_connection_usable(demo_db) -> None:  # type: ignore[no-untyped-def]
    await pg_reads.read_rows("SELECT 1 AS warm")
    slow = asyncio.ensure_future(pg_reads.read_rows("SELECT pg_sleep(5) AS slept"))
    await asyncio.sleep(0.2)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow

    # asyncpg cancelled the query on the server before taking the connection back: every later read answers.
    answers = await asyncio.wait_for(
        asyncio.gather(*[pg_reads.read_rows(f"SELECT {number} AS n") for number in range(8)]), 5
    )
    assert [rows[0]["n"] for rows in answers] == list(range(8))
    await asyncio.wait_for(pg_reads.close_pool(), 5)  # and none was lost


@pytest.mark.parametrize("noticed", [False, True], ids=["at once", "once asyncpg saw the socket close"])
async def test_a_connection_the_server_closed_while_idle_costs_no_read(demo_db, noticed) -> None:  # type: ignore[no-untyped-def]
    await pg_reads.close_pool()
    pid = (await pg_reads.read_rows("SELECT pg_backend_pid() AS pid"))[0]["pid"]
    for _ in range(5):  # the server's goodbye races the next read in several ways
        ended = await Projection.raw("SELECT pg_terminate_backend({}) AS ended", pid)  # a restart, a killed session
        assert ended == [{"ended": True}]
        if noticed:
            await asyncio.sleep(0.3)

        again = (await pg_reads.read_rows("SELECT pg_backend_pid() AS pid"))[0]["pid"]

        assert again != pid
        pid = again
    await asyncio.wait_for(pg_reads.close_pool(), 5)  # no connection lost on the way


async def test_more_concurrent_reads_than_connections_all_get_one(settings, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    await pg_reads.close_pool()
    monkeypatch.setattr(pg_reads, "get_settings", lambda: msgspec.structs.replace(settings, db_pool_size=2))
    try:
        # Connections leased between reads must go back to asyncpg's pool while reads wait for one there.
        answers = await asyncio.wait_for(
            asyncio.gather(*[pg_reads.read_rows(f"SELECT {n} AS n, pg_sleep(0.02) AS slept") for n in range(12)]), 10
        )
        assert [rows[0]["n"] for rows in answers] == list(range(12))
        current = pg_reads._current
        assert current is not None and current.pool is not None and current.pool.get_size() == 2
    finally:
        await pg_reads.close_pool()


async def test_a_connection_never_handed_back_does_not_hold_the_shutdown(database: None) -> None:
    """asyncpg's `close()` waits for every connection: one a stuck task holds would keep the worker (or the test
    session, as a CI run found) from ever stopping. After the grace period it is cut."""
    import os

    from piccolo.engine.postgres import PostgresEngine

    engine = PostgresEngine(config={"dsn": os.environ["CMS_DATABASE_URL"]})
    await start_engine(engine, 2)
    held = await engine.pool.acquire()
    pid = held.get_server_pid()
    await asyncio.wait_for(stop_engine(engine, grace_seconds=0.5), 5)
    assert engine.pool is None
    watcher = await asyncpg.connect(os.environ["CMS_DATABASE_URL"])
    try:
        for _ in range(50):  # the server notices the cut socket within moments
            if not await watcher.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
                break
            await asyncio.sleep(0.1)
        assert not await watcher.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)
    finally:
        await watcher.close()
