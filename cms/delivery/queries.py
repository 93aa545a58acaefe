"""Read projections for delivery: one round trip for a page and its total, one per batch of ids.

A page whose total is not asked for (`counted=False`: the query selects no `totalCount`) counts its matches
only up to one past the page (`offset + limit + 1`): enough for `hasNextPage`, and it stops there instead
of counting every match (the main cost of a filtered list over a large catalogue, docs/performance.md).

Rows come back without their text: a query selects each row's `doc_hash` (the hash of its stored text),
and the documents come from those delivery keeps decoded (cms.delivery.documents). Reading and decoding
~2 KB of text per row was most of a page query's time. A page's hashes come back packed in one row
(read from its sort index alone, cms.delivery.indexes), without the rows' ids: a page with a document
not kept is read again with its texts. A batch by entry id selects ids and hashes, and reads
the texts of documents not kept in one more query by row id; a row replaced in between (a publish
committed meanwhile: its id is gone or carries another hash) makes the whole batch run again, texts
included.
"""

from __future__ import annotations

import datetime as dt
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
    """Rows whose validity window holds the current instant: an offer ends exactly at its end."""
    moment = _instant(is_postgres(get_engine()))
    return Condition(SERVED_NOW, [moment, moment])


def _instant(postgres: bool) -> Any:
    """The current instant as a query compares it with the stored windows.

    On SQLite it goes as the text Piccolo's adapter makes of a datetime (`str` of it in UTC, as the
    windows are stored, so it compares exactly the same), made once per query rather than once per
    parameter through the adapter; its whole second's text is remembered (formatting a datetime cost
    ~4 µs, twice a request)."""
    moment = now()
    if postgres:
        return moment
    if moment.tzinfo is not dt.UTC:
        return convert_datetime_in(moment)
    second, text = _second
    if second is not None and second <= moment < second + ONE_SECOND:
        microseconds = moment.microsecond
        return f"{text}.{microseconds:06d}+00:00" if microseconds else f"{text}+00:00"
    second = moment.replace(microsecond=0)
    _second[:] = (second, str(second.replace(tzinfo=None)))
    return convert_datetime_in(moment)


ONE_SECOND = dt.timedelta(seconds=1)
_second: list[Any] = [None, ""]
"""The last whole second (UTC) an instant was made in, and its text."""


class Page(msgspec.Struct):
    documents: list[Document]
    total: int
    """The number of matches; without `counted`, only up to one past the page (`offset + limit + 1`, or 0 when
    the page is empty and `limit` is not 0: then there are none from `offset` on), so `offset + len(documents) <
    total` and `offset < total` still tell whether matches follow."""
    also: dict[str, Document | None] | None = None
    """Documents of the entries asked to be read with the page (`also`), by entry id: None for one not
    served now; an entry whose document is not kept decoded is left out (loaded the usual way)."""


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
    also: list[str] | None = None,
    counted: bool = True,
) -> tuple[Condition, Condition]:
    """The SQL of a page with its total, and of the total alone (for an empty page). With `also`, a page read
    without texts (packed) reads the hashes of those entries' rows (same stage, channel, locale and
    window as a batch by entry id) in its last column. Without `counted`, the total counts up to
    `offset + limit + 1` matches (`Page.total`)."""
    postgres = is_postgres(get_engine())
    among, also_ids = _one_of(also) if also and columns is HASHED else ("", [])
    key = (columns, order, postgres, among, counted, *[condition.sql for condition in conditions])
    texts = _page_texts.get(key)
    if texts is None:
        texts = _page_texts_of(conditions, order, columns, postgres, among, counted)
        if len(_page_texts) >= TEXTS_KEPT:
            _page_texts.clear()
        _page_texts[key] = texts
    moment = _instant(postgres)
    scope = [stage, content_type, channel, locale, moment, moment]
    for condition in conditions:
        scope += condition.params
    if not counted:  # the total's LIMIT, right after its scope
        scope.append(offset + limit + 1)
        if postgres:
            return Condition(texts[0], [*scope, *also_ids, limit, offset]), Condition(texts[1], scope)
        also_params = [stage, channel, locale, *also_ids, moment, moment] if among else []
        return Condition(texts[0], [*scope, *also_params, *scope[:-1], limit, offset]), Condition(texts[1], scope)
    if postgres:  # the page names its total's parameters again (`_page_texts_of`)
        return Condition(texts[0], [*scope, *also_ids, limit, offset]), Condition(texts[1], scope)
    also_params = [stage, channel, locale, *also_ids, moment, moment] if among else []
    return Condition(texts[0], [*scope, *also_params, *scope, limit, offset]), Condition(texts[1], scope)


TEXTS_KEPT = 1024
"""Most SQL texts of pages remembered (all are forgotten beyond that)."""
_page_texts: dict[tuple[Any, ...], tuple[str, str]] = {}
"""The SQL texts of a page and of its total, by columns, order, database and conditions' SQL: the same
few serve every request (rebuilding them cost ~15 µs a page)."""


def _page_texts_of(
    conditions: list[Condition], order: str, columns: str, postgres: bool, among: str = "", counted: bool = True
) -> tuple[str, str]:
    """On PostgreSQL the page's scope (stage, type, channel, locale, window, conditions) and the entries
    read along with it name the parameters of its total's scope, which comes first in the text (`$1` …
    `$n`), rather than taking each value again: an uncached 50-product page sends 9 parameters instead of
    20 (asyncpg's encoding of them cost ~15 µs of a request). SQLite's `?` placeholders are positional."""
    scope = conjunction(
        [
            Condition("stage = {} AND content_type = {} AND channel = {} AND locale = {}", []),
            Condition(SERVED_NOW, []),
            *[Condition(condition.sql, []) for condition in conditions],
        ]
    ).sql
    if counted:
        count = f"SELECT count(*) AS total FROM cms_projection WHERE {scope}"
    else:  # up to one past the page: no ORDER BY, any index of the conditions stops after that many
        count = f"SELECT count(*) AS total FROM (SELECT 1 FROM cms_projection WHERE {scope} LIMIT {{}}) AS matches"
    also = ""
    if among and postgres:
        also = (
            f", (SELECT {ALSO_POSTGRES} FROM cms_projection WHERE stage = $1 AND channel = $3 AND locale = $4 "
            f"AND entry {among} AND {SERVED_NOW.format('$5', '$6')}) AS also"
        )
    elif among:
        also = (
            f", (SELECT {ALSO_SQLITE} FROM cms_projection WHERE stage = {{}} AND channel = {{}} AND locale = {{}} "
            f"AND entry {among} AND {SERVED_NOW}) AS also"
        )
    if postgres:  # the total comes first in the page's text: its `{}` are $1, $2, …
        assert "{{" not in scope and "}}" not in scope, "conditions name no braces but placeholders"
        scope = scope.format(*[f"${number}" for number in range(1, scope.count("{}") + 1)])
    if columns is HASHED:
        page = (
            f"SELECT ({count}) AS total, {PACKED_POSTGRES if postgres else PACKED_SQLITE}{also} FROM "
            f"(SELECT doc_hash FROM cms_projection WHERE {scope} ORDER BY {order} LIMIT {{}} OFFSET {{}}) AS page"
        )
    else:
        page = (
            f"SELECT {columns}, ({count}) AS total{also} FROM cms_projection WHERE {scope} "
            f"ORDER BY {order} LIMIT {{}} OFFSET {{}}"
        )
    return page, count


ALSO_SQLITE = "json_group_array(json_array(entry, doc_hash))"
ALSO_POSTGRES = "CAST(json_agg(json_build_array(entry, doc_hash)) AS TEXT)"
"""The entries read along with a page: a JSON array of `[entry id, hash or null]`, one per row served now."""

PACKED_SQLITE = "group_concat(ifnull(doc_hash, ''), ' ')"
PACKED_POSTGRES = "string_agg(coalesce(doc_hash, ''), ' ')"
"""A page's hashes as one text in the page's order (hashes are hexadecimal; "" for a row without one): an
aggregate over an ordered subquery takes its rows in that order (SQLite never flattens a subquery with
ORDER BY into an aggregate, for this reason; PostgreSQL's manual says it "will usually work"; tests
check the order for several sorts and offsets on both). Handing 50 rows over one by one cost Python
about as much as SQLite took to find them; their ids are not read (turning 50 of them into text was a
fifth of the page's time on SQLite): a page with a document not kept is read again with its texts."""


class PackedRows(Sequence[tuple[Any, ...]]):
    """The rows (no id, hash, no text, total) of a page read packed: a page whose documents are all kept is
    served from its hashes alone (`hashes`)."""

    def __init__(self, packed: Sequence[Sequence[Any]]) -> None:
        row = packed[0]
        self.total, hashes = row[0], row[1]
        self.also: str | None = row[2] if len(row) > 2 else None
        """The entries read along (ALSO_SQLITE, ALSO_POSTGRES), when asked for."""
        self.hashes: list[str] = hashes.split(" ") if hashes is not None else []
        """Each row's hash, "" for a row without one."""

    def __len__(self) -> int:
        return len(self.hashes)

    def __getitem__(self, position: Any) -> Any:
        return (None, self.hashes[position] or None, None, self.total)


async def fetch_page(
    stage: str,
    content_type: str,
    channel: str,
    locale: str,
    conditions: list[Condition],
    order: str,
    limit: int,
    offset: int,
    also: list[str] | None = None,
    counted: bool = True,
) -> Page:
    """One page of documents and the total count of matches, in a single query (read again with texts when
    one of its documents is not kept). With `also` (entry ids), the same query reads those entries'
    documents in `locale`, as far as they are kept decoded (`Page.also`): what a repeated query is
    expected to load next (cms.delivery.fast.run), read in the page's round trip instead of one of its
    own (not when the page is read with its texts: a page seen for the first time). Without `counted`
    (no `totalCount` selected), the total is only counted up to one past the page (`Page.total`)."""

    def sql_of(columns: str) -> Condition:
        return page_query(
            stage, content_type, channel, locale, conditions, order, limit, offset, columns, also, counted
        )[0]

    rows, documents = await _select_documents(sql_of, locale, PackedRows)
    if isinstance(rows, PackedRows):  # its total even when empty
        return Page(documents, int(rows.total), _also(also, rows.also, locale))
    if not rows:
        if not counted and limit:  # no match from `offset` on: nothing follows, and no total to tell
            return Page([], 0)
        # An empty page read as rows carries no total: count apart (past the last page, or with `first:
        # 0`, when the texts were read at once).
        count = page_query(stage, content_type, channel, locale, conditions, order, limit, offset, counted=counted)[1]
        total = await read_rows(count.sql, *count.params)
        return Page([], int(total[0]["total"]))
    return Page(documents, int(rows[0][AFTER]))


def _also(asked: list[str] | None, read: str | None, locale: str) -> dict[str, Document | None] | None:
    """The documents of the entries `asked` for, from the `[entry id, hash]` pairs `read` along with a page:
    None for an entry with no row served now; left out (loaded the usual way, text included) when its
    document is not kept, its row has no hash, or it has several rows served now."""
    if not asked:
        return None
    found: dict[str, Document | None] = dict.fromkeys(asked)
    if read:
        try:
            pairs = _decode_pairs(read)
        except msgspec.DecodeError:  # not what ALSO_SQLITE or ALSO_POSTGRES reads: load them the usual way
            return None
        kept = decoded_documents.in_locale(locale).get
        seen: set[str] = set()
        for entry_id, doc_hash in pairs:
            document = kept(doc_hash) if doc_hash else None
            if document is None or entry_id in seen:
                found.pop(entry_id, None)
            elif entry_id in found:
                found[entry_id] = document
            seen.add(entry_id)
    return found


_decode_pairs = msgspec.json.Decoder(list[tuple[str, str | None]]).decode


async def fetch_by_entry_ids(stage: str, channel: str, locale: str, entry_ids: list[str]) -> dict[str, Document]:
    """Documents of these entries on one channel and locale, keyed by entry id (unpublished ones absent)."""
    if not entry_ids:
        return {}
    among, ids = _one_of(entry_ids)
    postgres = is_postgres(get_engine())

    def sql_of(columns: str) -> Condition:
        key = (columns, among)
        text = _by_entry_texts.get(key)
        if text is None:
            if len(_by_entry_texts) >= TEXTS_KEPT:
                _by_entry_texts.clear()
            text = _by_entry_texts[key] = (
                f"SELECT {columns}, entry FROM cms_projection WHERE stage = {{}} AND channel = {{}} AND locale = {{}} "
                f"AND entry {among} AND {SERVED_NOW}"
            )
        moment = _instant(postgres)
        return Condition(text, [stage, channel, locale, *ids, moment, moment])

    rows, documents = await _select_documents(sql_of, locale)
    return {row[AFTER]: document for row, document in zip(rows, documents, strict=True)}


_by_entry_texts: dict[tuple[str, str], str] = {}
"""The SQL texts of batches by entry id, by columns and list of placeholders."""


async def fetch_by_key(
    stage: str, content_type: str, channel: str, locale: str, expression: str, value: str | int
) -> Document | None:
    """The document where the SQL `expression` (built from model names only) equals `value`."""
    return await fetch_where(stage, content_type, channel, locale, Condition(f"{expression} = {{}}", [value]))


async def fetch_where(
    stage: str, content_type: str, channel: str, locale: str, condition: Condition
) -> Document | None:
    """A document where `condition` holds (built from model names only; values bound)."""

    def sql_of(columns: str) -> Condition:
        window = served_now()
        return Condition(
            f"SELECT {columns} FROM cms_projection WHERE stage = {{}} AND content_type = {{}} AND channel = {{}} "
            f"AND locale = {{}} AND {window.sql} AND ({condition.sql}) LIMIT 1",
            [stage, content_type, channel, locale, *window.params, *condition.params],
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
    those of documents not kept apart (or the whole query again with them). A query whose rows keep
    missing (more documents in rotation than are kept: random pages of a large catalogue) reads its
    texts in its one query (WITH_TEXT) instead of paying the second one every time; its misses are still
    counted, so it comes back once they stop. `unpack` turns what the query without texts reads into
    rows, when it reads them packed."""
    hashed = sql_of(HASHED)
    key = hashed.sql
    rate = _miss_rates.get(key)
    ways = (WITH_TEXT,) if rate is not None and rate > MOSTLY_MISSED else (HASHED, WITH_TEXT)
    for columns in ways:
        query = hashed if columns is HASHED else sql_of(columns)
        rows = await read_tuples(query.sql, *query.params)
        if unpack is not None and columns is HASHED:
            rows = unpack(rows)
        found = await _documents(rows, locale)
        if found is not None:
            documents, missed = found
            rate = _miss_rates.get(key)  # again: others may have read meanwhile
            if rows and (missed or rate != 0.0):  # a rate of none missed stays as it is
                if rate is None and len(_miss_rates) >= MISS_RATES_KEPT:
                    _miss_rates.clear()
                _miss_rates[key] = ((rate or 0.0) + missed / len(rows)) / 2
            return rows, documents
    raise AssertionError("rows read with their text always give their documents")


async def _documents(rows: Sequence[Sequence[Any]], locale: str) -> tuple[list[Document], int] | None:
    """The documents of these rows, kept ones by hash, the others decoded from their text (read by row id
    when the query did not read it), and how many were not kept. None when a row was replaced since the
    query, or for packed rows (read without ids) with a document not kept: ask again with texts."""
    kept = decoded_documents.in_locale(locale).get
    if isinstance(rows, PackedRows):
        documents = list(map(kept, rows.hashes))
        # All kept (a kept document is never empty: it holds its locale), else read without ids: ask again with texts.
        return (documents, 0) if all(documents) else None  # type: ignore[return-value]
    documents = [kept(row[HASH]) for row in rows]
    if all(documents):
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
    among = _placeholders.get(len(values))
    if among is None:
        among = f"IN ({', '.join(['{}'] * len(values))})"
        if len(values) <= PADDED_UP_TO:
            _placeholders[len(values)] = among
    return among, values


_placeholders: dict[int, str] = {}
"""`IN ({}, …)` by number of values (up to PADDED_UP_TO)."""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()
