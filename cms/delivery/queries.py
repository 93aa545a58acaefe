"""Read projections for delivery: one round trip for a page and its total, one per batch of ids.

Rows come back without their text: a query selects each row's id and `doc_hash` (the hash of its stored
text), and the documents come from those delivery keeps decoded (cms.delivery.documents). Only the
texts of documents not kept are read, in one more query by row id; a row replaced in between (a publish
committed meanwhile: its id is gone or carries another hash) makes the whole query run again, texts
included. Reading and decoding ~2 KB of text per row was most of a page query's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from cms.delivery.documents import Document, decode_document, decoded_documents
from cms.delivery.reads import read_rows, read_tuples
from cms.delivery.sql import Condition, conjunction
from cms.lib.clock import now
from cms.store.database import get_engine
from cms.store.engine import is_postgres

SERVED_NOW = "(valid_from IS NULL OR valid_from <= {}) AND (valid_until IS NULL OR valid_until > {})"
HASHED = "id, doc_hash, NULL AS doc"
"""A document's columns, its text left out (read apart for documents not kept; a row without a hash makes
the query run again with texts)."""
WITH_TEXT = "id, doc_hash, doc"
ID, HASH, TEXT, AFTER = 0, 1, 2, 3
"""Where those columns are in a row, and the first column a query selects after them."""


def served_now() -> Condition:
    """Rows whose validity window holds the current instant: an offer ends exactly at its end."""
    moment = now()
    return Condition(SERVED_NOW, [moment, moment])


class Page(msgspec.Struct):
    documents: list[Document]
    total: int


def page_query(
    stage: str,
    content_type: str,
    channel: str,
    locale: str,
    conditions: list[Condition],
    order: str,
    limit: int,
    offset: int,
    columns: str = HASHED,
) -> tuple[Condition, Condition]:
    """The SQL of a page with its total, and of the total alone (for an empty page)."""
    scope = conjunction(
        [
            Condition(
                "stage = {} AND content_type = {} AND channel = {} AND locale = {}",
                [stage, content_type, channel, locale],
            ),
            served_now(),
            *conditions,
        ]
    )
    count = Condition(f"SELECT count(*) AS total FROM cms_projection WHERE {scope.sql}", scope.params)
    page = Condition(
        f"SELECT {columns}, ({count.sql}) AS total FROM cms_projection WHERE {scope.sql} "
        f"ORDER BY {order} LIMIT {{}} OFFSET {{}}",
        [*scope.params, *scope.params, limit, offset],
    )
    return page, count


async def fetch_page(
    stage: str,
    content_type: str,
    channel: str,
    locale: str,
    conditions: list[Condition],
    order: str,
    limit: int,
    offset: int,
) -> Page:
    """One page of documents and the total count of matches, in a single query (and one more for the
    texts of documents not kept)."""
    for columns in (HASHED, WITH_TEXT):
        page, count = page_query(stage, content_type, channel, locale, conditions, order, limit, offset, columns)
        rows = await read_tuples(page.sql, *page.params)
        if not rows:
            # An empty page carries no total: count apart (only past the last page, or with `first: 0`).
            total = await read_rows(count.sql, *count.params)
            return Page([], int(total[0]["total"]))
        documents = await _documents(rows, locale)
        if documents is not None:
            return Page(documents, int(rows[0][AFTER]))
    raise AssertionError("rows read with their text always give their documents")


async def fetch_by_entry_ids(stage: str, channel: str, locale: str, entry_ids: list[str]) -> dict[str, Document]:
    """Documents of these entries on one channel and locale, keyed by entry id (unpublished ones absent)."""
    if not entry_ids:
        return {}
    among, ids = _one_of(entry_ids)
    for columns in (HASHED, WITH_TEXT):
        rows = await read_tuples(
            f"SELECT {columns}, entry FROM cms_projection WHERE stage = {{}} AND channel = {{}} AND locale = {{}} "
            f"AND entry {among} AND {SERVED_NOW}",
            stage,
            channel,
            locale,
            *ids,
            *served_now().params,
        )
        documents = await _documents(rows, locale)
        if documents is not None:
            return {row[AFTER]: document for row, document in zip(rows, documents, strict=True)}
    raise AssertionError("rows read with their text always give their documents")


async def fetch_by_key(
    stage: str, content_type: str, channel: str, locale: str, expression: str, value: str | int
) -> Document | None:
    """The document where the SQL `expression` (built from model names only) equals `value`."""
    for columns in (HASHED, WITH_TEXT):
        rows = await read_tuples(
            f"SELECT {columns} FROM cms_projection WHERE stage = {{}} AND content_type = {{}} AND channel = {{}} "
            f"AND locale = {{}} AND {SERVED_NOW} AND {expression} = {{}}",
            stage,
            content_type,
            channel,
            locale,
            *served_now().params,
            value,
        )
        if not rows:
            return None
        documents = await _documents(rows[:1], locale)
        if documents is not None:
            return documents[0]
    raise AssertionError("rows read with their text always give their documents")


async def _documents(rows: Sequence[Sequence[Any]], locale: str) -> list[Document] | None:
    """The documents of these rows: kept ones by hash, the others decoded from their text (read by row id
    when the query did not read it). None when a row was replaced since the query: ask again with texts."""
    documents: list[Document | None] = []
    missing: dict[int, list[int]] = {}
    kept = decoded_documents.get
    for row in rows:
        text, doc_hash = row[TEXT], row[HASH]
        if text is not None:
            documents.append(decode_document(_text(text), locale, doc_hash))
            continue
        if doc_hash is None:
            # Written without a hash (by other means): its id alone cannot tell whether it was replaced
            # before a second query (SQLite reuses the ids of deleted last rows), so read all texts now.
            return None
        document = kept(doc_hash, locale)
        if document is None:
            missing.setdefault(row[ID], []).append(len(documents))
        documents.append(document)
    if missing:
        among, ids = _one_of(list(missing))
        found = await read_tuples(f"SELECT {WITH_TEXT} FROM cms_projection WHERE id {among}", *ids)
        by_id = {row[ID]: row for row in found}
        for row_id, positions in missing.items():
            current = by_id.get(row_id)
            expected = rows[positions[0]][HASH]
            if current is None or current[HASH] != expected:
                return None
            document = decode_document(_text(current[TEXT]), locale, expected)
            for position in positions:
                documents[position] = document
    return documents  # type: ignore[return-value]


def _one_of(values: list[Any]) -> tuple[str, list[Any]]:
    """SQL for "one of these values", and its parameters: one array on PostgreSQL, so a query has one text
    (prepared once per connection) whatever the number of values; a list of placeholders on SQLite."""
    if is_postgres(get_engine()):
        return "= ANY({})", [values]
    return f"IN ({', '.join(['{}'] * len(values))})", values


def _text(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()
