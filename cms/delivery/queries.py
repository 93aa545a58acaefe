"""Read projections for delivery: one round trip for a page and its total, one per batch of ids.

Rows come back without their text: a query selects each row's id and `doc_hash` (the hash of its stored
text), and the documents come from those delivery keeps decoded (cms.delivery.documents). Only the
texts of documents not kept are read, in one more query by row id; a row replaced in between (a publish
committed meanwhile: its id is gone or carries another hash) makes the whole query run again, texts
included. Reading and decoding ~2 KB of text per row was most of a page query's time. On SQLite a page's
ids and hashes come back packed in one row, read from its sort index alone (cms.delivery.indexes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec
from piccolo.engine.sqlite import convert_datetime_in

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
    """Rows whose validity window holds the current instant: an offer ends exactly at its end.

    On SQLite the instant goes as the text Piccolo's adapter makes of a datetime (UTC, `str`), which is
    how the windows are stored and so compares exactly the same: converted once per query rather than
    once per parameter through the adapter (a few microseconds each, six per page with references)."""
    moment: Any = now()
    if not is_postgres(get_engine()):
        moment = convert_datetime_in(moment)
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
    if columns is HASHED and not is_postgres(get_engine()):
        page = Condition(
            f"SELECT ({count.sql}) AS total, {PACKED} FROM (SELECT id, doc_hash FROM cms_projection "
            f"WHERE {scope.sql} ORDER BY {order} LIMIT {{}} OFFSET {{}})",
            [*scope.params, *scope.params, limit, offset],
        )
        return page, count
    page = Condition(
        f"SELECT {columns}, ({count.sql}) AS total FROM cms_projection WHERE {scope.sql} "
        f"ORDER BY {order} LIMIT {{}} OFFSET {{}}",
        [*scope.params, *scope.params, limit, offset],
    )
    return page, count


PACKED = "group_concat(id), group_concat(ifnull(doc_hash, ''), ' ')"
"""A page's ids and hashes on SQLite, each column as one text in the page's order: an aggregate over an
ordered subquery takes its rows in that order (SQLite never flattens a subquery with ORDER BY into an
aggregate, for this reason). Handing 50 rows over one by one cost Python about as much as SQLite took
to find them."""


class PackedRows(Sequence[tuple[Any, ...]]):
    """The rows (id, hash, no text, total) of a page read as PACKED, each made only when asked for: a page
    whose documents are all kept is served from its hashes alone (`hashes`)."""

    def __init__(self, packed: Sequence[Sequence[Any]]) -> None:
        self.total, ids, hashes = packed[0]
        self.hashes: list[str] = hashes.split(" ") if ids is not None else []
        """Each row's hash, "" for a row without one."""
        self._ids: list[str] = ids.split(",") if ids is not None else []

    def __len__(self) -> int:
        return len(self.hashes)

    def __getitem__(self, position: Any) -> Any:
        return (int(self._ids[position]), self.hashes[position] or None, None, self.total)


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

    def sql_of(columns: str) -> Condition:
        return page_query(stage, content_type, channel, locale, conditions, order, limit, offset, columns)[0]

    rows, documents = await _select_documents(sql_of, locale, None if is_postgres(get_engine()) else PackedRows)
    if isinstance(rows, PackedRows):  # its total even when empty
        return Page(documents, int(rows.total))
    if not rows:
        # An empty page read as rows carries no total: count apart (only past the last page, or with
        # `first: 0`, on PostgreSQL or when the texts were read at once).
        count = page_query(stage, content_type, channel, locale, conditions, order, limit, offset)[1]
        total = await read_rows(count.sql, *count.params)
        return Page([], int(total[0]["total"]))
    return Page(documents, int(rows[0][AFTER]))


async def fetch_by_entry_ids(stage: str, channel: str, locale: str, entry_ids: list[str]) -> dict[str, Document]:
    """Documents of these entries on one channel and locale, keyed by entry id (unpublished ones absent)."""
    if not entry_ids:
        return {}
    among, ids = _one_of(entry_ids)

    def sql_of(columns: str) -> Condition:
        window = served_now()
        return Condition(
            f"SELECT {columns}, entry FROM cms_projection WHERE stage = {{}} AND channel = {{}} AND locale = {{}} "
            f"AND entry {among} AND {window.sql}",
            [stage, channel, locale, *ids, *window.params],
        )

    rows, documents = await _select_documents(sql_of, locale)
    return {row[AFTER]: document for row, document in zip(rows, documents, strict=True)}


async def fetch_by_key(
    stage: str, content_type: str, channel: str, locale: str, expression: str, value: str | int
) -> Document | None:
    """The document where the SQL `expression` (built from model names only) equals `value`."""

    def sql_of(columns: str) -> Condition:
        window = served_now()
        return Condition(
            f"SELECT {columns} FROM cms_projection WHERE stage = {{}} AND content_type = {{}} AND channel = {{}} "
            f"AND locale = {{}} AND {window.sql} AND {expression} = {{}} LIMIT 1",
            [stage, content_type, channel, locale, *window.params, value],
        )

    _, documents = await _select_documents(sql_of, locale)
    return documents[0] if documents else None


MOSTLY_MISSED = 0.5
"""Share of recent rows of a query whose documents were not kept, above which it reads texts at once."""
MISS_RATES_KEPT = 1024
_miss_rates: dict[str, float] = {}
"""By SQL text (without texts): a moving share of its rows whose documents were not kept."""


async def _select_documents(
    sql_of: Callable[[str], Condition],
    locale: str,
    unpack: Callable[[Sequence[Sequence[Any]]], Sequence[Sequence[Any]]] | None = None,
) -> tuple[Sequence[Sequence[Any]], list[Document]]:
    """Rows of the query `sql_of(columns)` and their documents: first without texts (HASHED), reading
    those of documents not kept apart. A query whose rows keep missing (more documents in rotation than
    are kept: random pages of a large catalogue) reads its texts in its one query (WITH_TEXT) instead of
    paying the second one every time; its misses are still counted, so it comes back once they stop.
    `unpack` turns what the query without texts reads into rows, when it reads them packed."""
    hashed = sql_of(HASHED)
    key = hashed.sql
    ways = (WITH_TEXT,) if _miss_rates.get(key, 0.0) > MOSTLY_MISSED else (HASHED, WITH_TEXT)
    for columns in ways:
        query = hashed if columns is HASHED else sql_of(columns)
        rows = await read_tuples(query.sql, *query.params)
        if unpack is not None and columns is HASHED:
            rows = unpack(rows)
        found = await _documents(rows, locale)
        if found is not None:
            documents, missed = found
            if rows:
                if len(_miss_rates) >= MISS_RATES_KEPT and key not in _miss_rates:
                    _miss_rates.clear()
                _miss_rates[key] = (_miss_rates.get(key, 0.0) + missed / len(rows)) / 2
            return rows, documents
    raise AssertionError("rows read with their text always give their documents")


async def _documents(rows: Sequence[Sequence[Any]], locale: str) -> tuple[list[Document], int] | None:
    """The documents of these rows, kept ones by hash, the others decoded from their text (read by row id
    when the query did not read it), and how many were not kept. None when a row was replaced since the
    query: ask again with texts."""
    kept = decoded_documents.in_locale(locale).get
    documents = list(map(kept, rows.hashes)) if isinstance(rows, PackedRows) else [kept(row[HASH]) for row in rows]
    if all(documents):  # all kept (a kept document is never empty: it holds its locale)
        return documents, 0  # type: ignore[return-value]
    missing: dict[int, list[int]] = {}
    missed = 0
    for position, row in enumerate(rows):
        if documents[position] is not None:
            continue
        text, doc_hash = row[TEXT], row[HASH]
        missed += 1
        if text is not None:
            documents[position] = decode_document(_text(text), locale, doc_hash)
        elif doc_hash is None:
            # Written without a hash (by other means): its id alone cannot tell whether it was replaced
            # before a second query (SQLite reuses the ids of deleted last rows), so read all texts now.
            return None
        else:
            missing.setdefault(row[ID], []).append(position)
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
    return documents, missed  # type: ignore[return-value]


PADDED_UP_TO = 256
"""Most values a list of placeholders is padded for (SQLite before 3.32 allows 999 parameters)."""


def _one_of(values: list[Any]) -> tuple[str, list[Any]]:
    """SQL for "one of these values", and its parameters: one array on PostgreSQL, so a query has one text
    (prepared once per connection) whatever the number of values; on SQLite a list of placeholders, as
    many as the next power of two (the last value repeated), so a few texts serve every number of values:
    each text is prepared again whenever it falls out of a connection's statement cache (~300 µs for a
    batch of references, ten times its run)."""
    if is_postgres(get_engine()):
        return "= ANY({})", [values]
    if 1 < len(values) <= PADDED_UP_TO:
        values = values + values[-1:] * ((1 << (len(values) - 1).bit_length()) - len(values))
    return f"IN ({', '.join(['{}'] * len(values))})", values


def _text(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()
