"""The PostgreSQL backend: a `tsvector` per row, built by the locale's text search configuration.

`cms_search` holds one row per projection row with `document = setweight(to_tsvector(<config>,
unaccent(A)), 'A') || … B … || … C` (a GIN index), the configuration (`french`, `english`, …) chosen
by the locale; `cms_search_word` lists every lexeme written, for typos (cms.search.query: a word's
one-edit neighbours are looked up there by primary key, as SQLite looks them up in its own, so
both backends forgive the same typos). Ranking is `ts_rank` with weights A 1.0, B 0.4, C 0.2.
"""

from __future__ import annotations

from collections.abc import Callable
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
from cms.store.bulk import insert_many
from cms.store.database import get_engine

RANK = "ts_rank(ARRAY[0.1, 0.2, 0.4, 1.0]::float4[], s.document, q.query)"
_encode = msgspec.json.Encoder().encode
INDEX_COLUMNS = (*ROW_COLUMNS, "document")
INDEX_VALUES = (
    "$1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS jsonb), CAST($10 AS jsonb),"
    " setweight(to_tsvector(CAST($11 AS regconfig), unaccent($12)), 'A')"
    " || setweight(to_tsvector(CAST($11 AS regconfig), unaccent($13)), 'B')"
    " || setweight(to_tsvector(CAST($11 AS regconfig), unaccent($14)), 'C')"
)
"""A row of `cms_search`: its parameters are an IndexRow's values, the text search configuration (the
locale's language) and the A, B and C texts; the `tsvector` is built by PostgreSQL."""


def tsquery_expression(query: ParsedQuery, *, match_all: bool, titles_only: bool = False) -> tuple[str, list[Any]]:
    """The tsquery: per term the configuration's own stemming of the word (a prefix for the last one),
    or-ed with the typo neighbours found in the vocabulary (lexemes, as they are)."""
    weight = "A" if titles_only else ""
    groups: list[str] = []
    params: list[Any] = []
    for term in query.terms:
        parts = ["to_tsquery(CAST({} AS regconfig), {})"]
        params += [query.language, f"{term.word}:{'*' if term.prefix else ''}{weight}".rstrip(":")]
        if term.prefix:
            parts.append("to_tsquery('simple', {})")
            params.append(f"{term.word}:*{weight}")
        if term.alternatives:
            parts.append("CAST({} AS tsquery)")
            params.append(" | ".join(_lexeme(alternative, weight) for alternative in term.alternatives))
        groups.append("(" + " || ".join(parts) + ")")
    return (" && " if match_all else " || ").join(groups), params


class PostgresSearch:
    async def replace(self, entry_ids: list[str], rows: list[IndexRow]) -> None:
        engine = get_engine()

        async def run(sql: str, *params: Any) -> Any:
            return await engine.run_querystring(QueryString(sql, *params))

        if entry_ids:
            await run("DELETE FROM cms_search WHERE entry = ANY(CAST({} AS text[]))", entry_ids)
        # executemany (cms.store.bulk), in the order of `rows` (ids ascending, as the 400-row statements built
        # through Piccolo wrote them): building those statements' strings cost more than running them.
        await insert_many(
            "cms_search",
            INDEX_COLUMNS,
            [
                (
                    row.entry,
                    row.content_type,
                    row.channel,
                    row.locale,
                    row.valid_from,
                    row.valid_until,
                    row.record.title,
                    list(row.record.codes),
                    _encode(list(row.record.facets)).decode(),
                    _encode(row.record.numbers).decode(),
                    row.language,
                    *row.record.texts,
                )
                for row in rows
            ],
            INDEX_VALUES,
        )
        if rows:
            # Never pruned: a word no longer written matches nothing, and only ever widens a typo's choices.
            await run(
                "INSERT INTO cms_search_word (word) SELECT DISTINCT lexeme FROM cms_search,"
                " unnest(tsvector_to_array(document)) AS lexeme WHERE entry = ANY(CAST({} AS text[]))"
                " ORDER BY lexeme ON CONFLICT DO NOTHING",
                sorted({row.entry for row in rows}),
            )

    async def known_stems(self, read: Reader, wanted: set[str]) -> set[str]:
        if not wanted:
            return set()
        rows = await read("SELECT word FROM cms_search_word WHERE word = ANY(CAST({} AS text[]))", sorted(wanted))
        return {row[0] for row in rows}

    def _hits_sql(
        self,
        request: SearchRequest,
        columns: str,
        filters: SearchFilters | Callable[[str], SearchFilters] | None = None,
        names: tuple[str, ...] = ("hits",),
        ranked: bool = True,
    ) -> tuple[str, list[Any]]:
        """`WITH` the query `q` and a CTE per name in `names`: the request's candidates (filtered by `filters`, or
        by `filters(name)` when it is a function), `columns` of the index table `s` and their `rank` when
        `ranked`."""
        expression, params = tsquery_expression(
            request.query, match_all=request.match_all, titles_only=request.titles_only
        )
        ctes = [f"q AS (SELECT {expression} AS query)"]
        for name in names:
            chosen = filters(name) if callable(filters) else filters
            condition, values = filter_conditions(chosen, postgres=True, alias="s") if chosen else ("1 = 1", [])
            ctes.append(
                f"{name} AS MATERIALIZED (SELECT {columns}{f', {RANK} AS rank' if ranked else ''}"
                " FROM cms_search s, q WHERE s.document @@ q.query AND s.channel = {} AND s.locale = {}"
                f" AND {SERVED_AT} AND s.content_type IN ({placeholders(len(request.all_types))}) AND {condition}"
                f" ORDER BY s.id DESC LIMIT {MOST_CANDIDATES})"
            )
            params += [request.channel, request.locale, request.at, request.at, *request.all_types, *values]
        return "WITH " + ", ".join(ctes), params

    async def page(self, read: Reader, request: SearchRequest) -> HitPage:
        hits, params = self._hits_sql(request, "s.entry, s.content_type, s.codes", request.filters)
        sql = (
            f"{hits} (SELECT NULL, NULL, CAST(count(*) AS float8), NULL, NULL FROM hits)"
            f" UNION ALL (SELECT page.*, {LIVE_HASH} FROM (SELECT h.entry, h.content_type, h.rank,"
            " CAST({} AS text) = ANY(h.codes) AS exact FROM hits h"
            " ORDER BY exact DESC, h.rank DESC, h.entry LIMIT {} OFFSET {}) page)"
        )
        served = [request.channel, request.locale, request.at, request.at]
        rows = await read(sql, *params, *served, request.query.code, request.first, request.offset)
        total = int(rows[0][2]) if rows else 0
        found = [
            Hit(entry=r[0], content_type=r[1], score=float(r[2]), exact=bool(r[3]), doc_hash=r[4]) for r in rows[1:]
        ]
        return HitPage(hits=found, total=total)

    async def facet_counts(self, read: Reader, request: SearchRequest) -> FacetCounts:
        # Each branch counts its own candidates: those of the query with every filter but the branch's own.
        filters = request.filters
        branches = facet_branches(filters)
        names = tuple(f"hits{branch}" for branch in range(len(branches)))

        def branch_filters(name: str) -> SearchFilters:
            facet = branches[int(name[4:])]
            return filters if facet is None else filters.without(facet)

        hits, params = self._hits_sql(request, "s.content_type, s.facets", branch_filters, names, ranked=False)
        counts = [
            f"SELECT {branch}, j.value, count(*) FROM {name} h, jsonb_array_elements_text(h.facets) AS j(value)"
            f" GROUP BY j.value UNION ALL SELECT {branch}, 'type:' || h.content_type, count(*) FROM {name} h"
            " GROUP BY h.content_type"
            for branch, name in enumerate(names)
        ]
        rows = await read(f"{hits} " + " UNION ALL ".join(counts), *params)
        return counts_by_facet(rows, filters)

    async def suggest(self, read: Reader, request: SearchRequest) -> list[Suggestion]:
        hits, params = self._hits_sql(request, "s.entry, s.content_type, s.title")
        rows = await read(
            f"{hits} SELECT entry, content_type, title FROM hits ORDER BY rank DESC, title LIMIT {{}}",
            *params,
            request.first,
        )
        return [Suggestion(entry=row[0], content_type=row[1], title=row[2]) for row in rows]


def _lexeme(lexeme: str, weight: str) -> str:
    """A lexeme as a tsquery operand, quoted (and restricted to a weight when one is given)."""
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{weight}" if weight else quoted
