"""What a delivery page costs the database: on SQLite its sort index holds all the page reads (the table's
rows, ~2 KB of document each, are never read), existing databases get that index on start, and the
validity window's instant, passed as the text SQLite stores, ends an offer exactly at its end."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import cms.delivery.queries
from cms.delivery.documents import decoded_documents
from cms.delivery.filters import order_clause
from cms.delivery.indexes import field_indexes, sync_field_indexes
from cms.delivery.queries import WITH_TEXT, fetch_by_entry_ids, fetch_page, page_query
from cms.delivery.reads import read_tuples
from cms.delivery.sql import JsonDialect
from cms.lib.clock import TestClock, use_clock
from cms.store.tables import Entry, Projection, document_hash
from tests.test_delivery_indexes import POSTGRES, plan_of

sqlite_only = pytest.mark.skipif(POSTGRES, reason="SQLite's sort indexes and plans")
TABLE_READS = {"Column", "Rowid", "SeekRowid", "NotExists", "NotFound", "Found", "SeekGE", "SeekGT", "SeekLE", "SeekLT"}
"""Opcodes that read a cursor's rows (an index's cursor is only ever positioned by a deferred seek)."""


def default_page(model: Any, limit: int = 50, offset: int = 0, sort: list[Any] | None = None) -> Any:
    dialect = JsonDialect(postgres=POSTGRES)
    order = order_clause(dialect, model.types["product"], sort or [])
    return page_query("live", "product", "web", "en", [], order, limit, offset)[0]


@sqlite_only
async def test_a_page_in_a_sort_order_reads_no_row_of_the_table(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    page = default_page(model)
    root = (await Projection.raw("SELECT rootpage FROM sqlite_master WHERE name = 'cms_projection'"))[0]["rootpage"]

    program = await Projection.raw(f"EXPLAIN {page.sql}", *page.params)

    table_cursors = {row["p1"] for row in program if row["opcode"] == "OpenRead" and row["p2"] == root}
    reads = [row for row in program if row["opcode"] in TABLE_READS and row["p1"] in table_cursors]
    assert table_cursors and reads == [], reads  # opened (SQLite opens it for a deferred seek), never read
    plan = await plan_of(page)
    name_index = next(index.name for index in field_indexes(model, JsonDialect(False)) if "sort_name" in index.name)
    assert f"USING INDEX {name_index} " in plan and "TEMP B-TREE" not in plan, plan  # read in its order
    assert "USING COVERING INDEX" in plan, plan  # the total counted from an index alone too


@sqlite_only
async def test_an_existing_database_gets_the_covering_sort_indexes_on_start(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    wanted = next(index for index in field_indexes(model, JsonDialect(False)) if "sort_name" in index.name)
    await Projection.raw(f"DROP INDEX {wanted.name}")
    before = "cms_projection_sort_name_dfdc67fb"  # as indexes were made before they covered the page's columns
    await Projection.raw(
        f"CREATE INDEX {before} ON cms_projection (stage, content_type, channel, locale, "
        "((lower(json_extract(doc, '$.name')) IS NULL)), (lower(json_extract(doc, '$.name'))), entry)"
    )

    created = await sync_field_indexes(model)

    assert created == [wanted.name]
    names = {row["name"] for row in await Projection.raw("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert before not in names and wanted.name in names
    columns = [row["name"] for row in await Projection.raw(f"PRAGMA index_info({wanted.name})")]
    assert columns[-3:] == ["valid_from", "valid_until", "doc_hash"]


async def test_pages_come_in_their_sort_order(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    decoded_documents.clear()
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    for sort, offset in (([], 0), ([], 30), ([("price", True)], 5), ([("rating", False), ("name", True)], 0)):
        order = order_clause(dialect, product, sort)
        rows_query = page_query("live", "product", "web", "en", [], order, 20, offset, WITH_TEXT)[0]
        rows = await read_tuples(rows_query.sql, *rows_query.params)

        page = await fetch_page("live", "product", "web", "en", [], order, 20, offset)

        assert [document["id"] for document in page.documents] == [json.loads(row[2])["id"] for row in rows], sort
        assert page.total == rows[0][3] == 64


async def test_a_row_without_a_hash_amid_a_page_keeps_its_place(demo_db) -> None:  # type: ignore[no-untyped-def]
    page = await fetch_page("live", "product", "web", "en", [], "entry ASC", 5, 0)
    where = (Projection.entry == page.documents[2]["id"]) & (Projection.channel == "web") & (Projection.locale == "en")
    stored = await Projection.select(Projection.doc_hash).where(where).first()
    await Projection.update({Projection.doc_hash: None}).where(where)  # written by other means
    try:
        again = await fetch_page("live", "product", "web", "en", [], "entry ASC", 5, 0)
    finally:
        await Projection.update({Projection.doc_hash: stored["doc_hash"]}).where(where)  # type: ignore[index]

    assert [document["name"] for document in again.documents] == [document["name"] for document in page.documents]
    assert again.total == page.total


@sqlite_only
async def test_batches_of_references_share_a_few_sql_texts(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    entries = [row["entry"] for row in await Projection.raw("SELECT DISTINCT entry FROM cms_projection LIMIT 9")]
    sent: list[str] = []
    original = cms.delivery.queries.read_tuples

    async def spying(sql: str, *params: Any) -> Any:
        sent.append(sql)
        return await original(sql, *params)

    monkeypatch.setattr(cms.delivery.queries, "read_tuples", spying)
    monkeypatch.setattr(cms.delivery.queries, "_miss_rates", {})  # no query reading texts at once from earlier tests
    found = {count: await fetch_by_entry_ids("live", "web", "en", entries[:count]) for count in range(1, 10)}

    hashed = {sql for sql in sent if "NULL AS doc, entry FROM" in sql}
    assert len(hashed) == 5  # 1, 2, up to 4, up to 8, up to 16 values
    for count, documents in found.items():
        assert sorted(documents) == sorted(entry for entry in entries[:count] if entry in found[9])
        assert all(documents[entry]["id"] == entry for entry in documents)


async def test_a_page_past_the_last_has_the_total_in_its_one_query(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sent: list[str] = []
    for name in ("read_tuples", "read_rows"):
        original = getattr(cms.delivery.queries, name)

        async def counting(sql: str, *params: Any, original: Any = original) -> Any:
            sent.append(sql)
            return await original(sql, *params)

        monkeypatch.setattr(cms.delivery.queries, name, counting)

    page = await fetch_page("live", "product", "web", "en", [], "entry ASC", 10, 100)

    assert (page.documents, page.total) == ([], 64)
    assert len(sent) == 1  # packed: the total comes even with no row


@pytest.mark.parametrize(
    "end",
    [
        dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 12, 0, 0, 500_000, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 14, 0, 0, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    ],
)
async def test_a_window_holds_to_the_microsecond_before_its_end_and_not_at_it(clean_db, end: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    start = end - dt.timedelta(days=1)
    await Entry.insert(Entry(id="w" * 36, content_type="offer", created_at=start, updated_at=start))
    text = json.dumps({"id": "w" * 36, "title": "Windowed"})
    await Projection.insert(
        Projection(
            key="windowed",
            entry="w" * 36,
            content_type="offer",
            channel="web",
            locale="en",
            doc=text,
            doc_hash=document_hash(text),
            version=1,
            published_at=start,
            valid_from=start,
            valid_until=end,
        )
    )
    clock = TestClock(start)
    previous = use_clock(clock)
    try:
        served = []
        for instant in (start - dt.timedelta(microseconds=1), start, end - dt.timedelta(microseconds=1), end):
            clock.set(instant)
            by_id = await fetch_by_entry_ids("live", "web", "en", ["w" * 36])
            page = await fetch_page("live", "offer", "web", "en", [], "entry ASC", 10, 0)
            assert len(page.documents) == page.total == len(by_id)
            served.append(bool(by_id))
    finally:
        use_clock(previous)
    assert served == [False, True, True, False]
