"""The SQLite backend: an FTS5 table of stemmed text beside a table of what each row is and when it is served.

`cms_search` holds one row per projection row (entry, channel, locale, window, codes, facets, numbers);
`cms_search_text` (FTS5, `unicode61 remove_diacritics 2`, prefix indexes of 2 and 3 characters) holds its
A, B and C texts, stemmed in Python (cms.search.text), under the same rowid; `cms_search_word` lists every
stem written, for typos (never pruned: a stem no longer written matches nothing). Ranking is bm25 with
weights 10, 4 and 1.
"""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.querystring import QueryString

from cms.search.backend import (
    MOST_CANDIDATES,
    FacetCounts,
    Hit,
    HitPage,
    IndexRow,
    Reader,
    SearchFilters,
    SearchRequest,
    Suggestion,
)
from cms.search.query import ParsedQuery
from cms.search.sql import (
    LIVE_HASH,
    ROW_COLUMNS,
    SERVED_AT,
    counts_by_facet,
    facet_branches,
    filter_conditions,
    placeholders,
)
from cms.search.text import stems
from cms.store.bulk import insert_many
from cms.store.database import get_engine

META_COLUMNS = ("id", *ROW_COLUMNS)
RANK = "bm25(cms_search_text, 10.0, 4.0, 1.0)"
_encode = msgspec.json.Encoder().encode


PREFIX_WORDS = 32
"""Words of the vocabulary a prefix is matched as, at most (more: FTS5's own prefix query)."""
_PREFIX_WORDS = (
    f"(SELECT CASE WHEN count(*) > {PREFIX_WORDS} THEN ' OR \"' || {{}} || '\"*'"
    " ELSE coalesce(' OR ' || group_concat('\"' || word || '\"', ' OR '), '') END"
    " FROM (SELECT word FROM cms_search_word WHERE word >= {} AND word < {} AND word <> {}"
    f" ORDER BY word LIMIT {PREFIX_WORDS + 1}))"
)
"""` OR "word" OR …` for the vocabulary's words starting with a prefix but the term's stem (none: nothing), as an
SQL expression."""


def match_expression(query: ParsedQuery, *, match_all: bool, titles_only: bool = False) -> tuple[str, list[Any]]:
    """The FTS5 query, as an SQL expression and its parameters: per term its stem, its typo neighbours and, for
    the last word, the words of the vocabulary starting with its stem or with the word as typed.

    A prefix is matched as the words it stands for, read from `cms_search_word` in the same statement, rather
    than as FTS5's `"candl"*`: bm25 weighs each phrase by the number of rows holding it, and for a prefix
    FTS5 finds that number by merging every matching term's whole doclist (at 100,000 products, `scented
    candle` ranked its 200 candidates in ~40 ms with prefix phrases, ~2.5 ms with the words). Each prefix
    matches the same entries; each word is one phrase (the stem once)."""
    pieces: list[str] = []
    params: list[Any] = []
    text = ["a : (" if titles_only else ""]
    for index, term in enumerate(query.terms):
        if index:
            text.append(" AND " if match_all else " OR ")
        text.append("(" + " OR ".join(dict.fromkeys([f'"{term.stem}"', *(f'"{alt}"' for alt in term.alternatives)])))
        if term.prefix:
            # The word as typed adds nothing when it starts with its stem ("candle", "candl").
            prefixes = [term.stem] if term.word.startswith(term.stem) else [term.stem, term.word]
            for prefix in prefixes:
                pieces += ["{}", _PREFIX_WORDS]
                params += ["".join(text), prefix, prefix, _after_prefix(prefix), term.stem]
                text = []
        text.append(")")
    text.append(")" if titles_only else "")
    pieces.append("{}")
    params.append("".join(text))
    return " || ".join(pieces), params


def _after_prefix(prefix: str) -> str:
    """The first string after every string starting with `prefix` (the end of its range in an index)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SQLiteSearch:
    async def replace(self, entry_ids: list[str], rows: list[IndexRow]) -> None:
        engine = get_engine()

        async def run(sql: str, *params: Any) -> Any:
            return await engine.run_querystring(QueryString(sql, *params))

        if entry_ids:
            ids = _encode(entry_ids).decode()
            await run(
                "DELETE FROM cms_search_text WHERE rowid IN "
                "(SELECT id FROM cms_search WHERE entry IN (SELECT value FROM json_each({})))",
                ids,
            )
            await run("DELETE FROM cms_search WHERE entry IN (SELECT value FROM json_each({}))", ids)
        if not rows:
            return
        # Inside the publishing transaction (BEGIN IMMEDIATE: the write lock is held), so no other writer
        # takes these ids; the FTS row gets the same rowid. Ids count down, so that the newest rows come first
        # in FTS5's ascending rowid order (a search reads its candidates in that order; rows written before
        # ids counted down come after them, oldest first).
        lowest = (await run("SELECT coalesce(min(id), 0) AS lowest FROM cms_search"))[0]["lowest"]
        meta: list[tuple[Any, ...]] = []
        texts: list[tuple[Any, ...]] = []
        written: set[str] = set()
        for offset, row in enumerate(rows):
            row_id = lowest - offset - 1
            record = row.record
            codes = f" {' '.join(record.codes)} " if record.codes else ""
            facets, numbers = _encode(list(record.facets)).decode(), _encode(record.numbers).decode()
            where = (row.entry, row.content_type, row.channel, row.locale, row.valid_from, row.valid_until)
            meta.append((row_id, *where, record.title, codes, facets, numbers))
            stemmed = [stems(text, row.language) for text in record.texts]
            texts.append((row_id, *(" ".join(words) for words in stemmed)))
            written.update(*stemmed)
        # executemany (cms.store.bulk): a statement of 400 rows' values cost more to build through Piccolo than
        # to run (a tenth of `cms import`'s time).
        await insert_many("cms_search", META_COLUMNS, meta)
        await insert_many("cms_search_text", ("rowid", "a", "b", "c"), texts)
        await run(
            "INSERT OR IGNORE INTO cms_search_word (word) SELECT value FROM json_each({})",
            _encode(sorted(written)).decode(),
        )

    async def known_stems(self, read: Reader, wanted: set[str]) -> set[str]:
        if not wanted:
            return set()
        rows = await read(
            "SELECT word FROM cms_search_word WHERE word IN (SELECT value FROM json_each({}))",
            _encode(sorted(wanted)).decode(),
        )
        return {row[0] for row in rows}

    async def page(self, read: Reader, request: SearchRequest) -> HitPage:
        hits, params = self._hits_sql(request, "s.entry, s.content_type, s.codes", request.filters)
        sql = (
            f"WITH {hits} SELECT NULL, NULL, (SELECT count(*) FROM hits), NULL, NULL"
            f" UNION ALL SELECT page.*, {LIVE_HASH} FROM (SELECT h.entry, h.content_type, h.rank,"
            " instr(h.codes, {}) > 0 AS exact FROM hits h ORDER BY exact DESC, h.rank, h.entry LIMIT {} OFFSET {}) page"
        )
        served = [request.channel, request.locale, request.at, request.at]
        code = f" {request.query.code} "
        rows = await read(sql, *params, *served, code, request.first, request.offset)
        total = int(rows[0][2]) if rows else 0
        found = [
            Hit(entry=r[0], content_type=r[1], score=-float(r[2]), exact=bool(r[3]), doc_hash=r[4]) for r in rows[1:]
        ]
        return HitPage(hits=found, total=total)

    def _hits_sql(
        self,
        request: SearchRequest,
        columns: str,
        filters: SearchFilters | None = None,
        name: str = "hits",
        ranked: bool = True,
    ) -> tuple[str, list[Any]]:
        """The CTE `name`: the request's candidates (filtered by `filters`): `columns` of the index table `s`,
        and their `rank` when `ranked`."""
        match, match_params = match_expression(
            request.query, match_all=request.match_all, titles_only=request.titles_only
        )
        condition, values = filter_conditions(filters, postgres=False, alias="s") if filters else ("1 = 1", [])
        sql = (
            f"{name} AS MATERIALIZED (SELECT {columns}{f', {RANK} AS rank' if ranked else ''}"
            " FROM cms_search_text JOIN cms_search s ON s.id = cms_search_text.rowid"
            f" WHERE cms_search_text MATCH ({match}) AND s.channel = {{}} AND s.locale = {{}} AND {SERVED_AT}"
            f" AND s.content_type IN ({placeholders(len(request.all_types))}) AND {condition}"
            # FTS5 hands rows out in rowid order and stops at the limit: the newest matches (ids count down), no
            # others read (descending order would cost more: FTS5 reads doclists backwards from their end).
            f" ORDER BY cms_search_text.rowid LIMIT {MOST_CANDIDATES})"
        )
        return sql, [
            *match_params,
            request.channel,
            request.locale,
            request.at,
            request.at,
            *request.all_types,
            *values,
        ]

    async def facet_counts(self, read: Reader, request: SearchRequest) -> FacetCounts:
        # Each branch counts its own candidates: those of the query with every filter but the branch's own.
        ctes: list[str] = []
        counts: list[str] = []
        params: list[Any] = []
        filters = request.filters
        for branch, facet in enumerate(facet_branches(filters)):
            hits, values = self._hits_sql(
                request,
                "s.content_type, s.facets",
                filters if facet is None else filters.without(facet),
                f"hits{branch}",
                ranked=False,
            )
            ctes.append(hits)
            params += values
            counts.append(
                f"SELECT {branch}, j.value, count(*) FROM hits{branch} h, json_each(h.facets) j GROUP BY j.value"
                f" UNION ALL SELECT {branch}, 'type:' || h.content_type, count(*) FROM hits{branch} h"
                " GROUP BY h.content_type"
            )
        rows = await read("WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(counts), *params)
        return counts_by_facet(rows, filters)

    async def suggest(self, read: Reader, request: SearchRequest) -> list[Suggestion]:
        hits, params = self._hits_sql(request, "s.entry, s.content_type, s.title")
        rows = await read(
            f"WITH {hits} SELECT entry, content_type, title FROM hits ORDER BY rank, title LIMIT {{}}",
            *params,
            request.first,
        )
        return [Suggestion(entry=row[0], content_type=row[1], title=row[2]) for row in rows]
