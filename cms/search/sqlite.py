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

from cms.search.backend import FacetCounts, Hit, HitPage, IndexRow, Reader, SearchRequest, Suggestion
from cms.search.query import ParsedQuery
from cms.search.sql import SERVED_AT, counts_by_facet, facet_branches, filter_conditions, placeholders
from cms.search.text import stems
from cms.store.bulk import insert_many
from cms.store.database import get_engine

META_COLUMNS = (
    "id",
    "entry",
    "content_type",
    "channel",
    "locale",
    "valid_from",
    "valid_until",
    "title",
    "codes",
    "facets",
    "numbers",
)
RANK = "bm25(cms_search_text, 10.0, 4.0, 1.0)"
_encode = msgspec.json.Encoder().encode


def match_expression(query: ParsedQuery, *, match_all: bool, titles_only: bool = False) -> str:
    """The FTS5 query: per term its stem, its typo neighbours and, for the last word, prefixes."""
    groups = []
    for term in query.terms:
        options = [f'"{term.stem}"', *(f'"{alternative}"' for alternative in term.alternatives)]
        if term.prefix:
            options += [f'"{term.stem}"*', f'"{term.word}"*']
        groups.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
    expression = (" AND " if match_all else " OR ").join(groups)
    return f"a : ({expression})" if titles_only else expression


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
        # takes these ids; the FTS row gets the same rowid.
        last = (await run("SELECT coalesce(max(id), 0) AS last FROM cms_search"))[0]["last"]
        meta: list[tuple[Any, ...]] = []
        texts: list[tuple[Any, ...]] = []
        written: set[str] = set()
        for row_id, row in enumerate(rows, start=last + 1):
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
        condition, params = filter_conditions(request.filters, postgres=False)
        hits, base = self._hits_sql(request, "s.entry, s.content_type, s.codes, s.facets, s.numbers")
        sql = (
            f"{hits} SELECT NULL, NULL, (SELECT count(*) FROM hits h WHERE {condition}), NULL"
            " UNION ALL SELECT * FROM (SELECT h.entry, h.content_type, h.rank,"
            f" instr(h.codes, {{}}) > 0 AS exact FROM hits h WHERE {condition}"
            " ORDER BY exact DESC, h.rank, h.entry LIMIT {} OFFSET {})"
        )
        code = f" {request.query.code} "
        rows = await read(sql, *base, *params, code, *params, request.first, request.offset)
        total = int(rows[0][2]) if rows else 0
        hits_found = [Hit(entry=r[0], content_type=r[1], score=-float(r[2]), exact=bool(r[3])) for r in rows[1:]]
        return HitPage(hits=hits_found, total=total)

    def _hits_sql(self, request: SearchRequest, columns: str) -> tuple[str, list[Any]]:
        match = match_expression(request.query, match_all=request.match_all, titles_only=request.titles_only)
        sql = (
            f"WITH hits AS MATERIALIZED (SELECT {columns}, {RANK} AS rank"
            " FROM cms_search_text JOIN cms_search s ON s.id = cms_search_text.rowid"
            f" WHERE cms_search_text MATCH {{}} AND s.channel = {{}} AND s.locale = {{}} AND {SERVED_AT}"
            f" AND s.content_type IN ({placeholders(len(request.all_types))}))"
        )
        return sql, [match, request.channel, request.locale, request.at, request.at, *request.all_types]

    async def facet_counts(self, read: Reader, request: SearchRequest) -> FacetCounts:
        hits, params = self._hits_sql(request, "s.content_type, s.facets, s.numbers")
        branches: list[str] = []
        filters = request.filters
        for branch, facet in enumerate(facet_branches(filters)):
            condition, values = filter_conditions(filters if facet is None else filters.without(facet), postgres=False)
            branches.append(
                f"SELECT {branch}, j.value, count(*) FROM hits h, json_each(h.facets) j WHERE {condition}"
                f" GROUP BY j.value UNION ALL SELECT {branch}, 'type:' || h.content_type, count(*) FROM hits h"
                f" WHERE {condition} GROUP BY h.content_type"
            )
            params += values * 2
        rows = await read(f"{hits} " + " UNION ALL ".join(branches), *params)
        return counts_by_facet(rows, filters)

    async def suggest(self, read: Reader, request: SearchRequest) -> list[Suggestion]:
        hits, params = self._hits_sql(request, "s.entry, s.content_type, s.title")
        rows = await read(
            f"{hits} SELECT entry, content_type, title FROM hits ORDER BY rank, title LIMIT {{}}",
            *params,
            request.first,
        )
        return [Suggestion(entry=row[0], content_type=row[1], title=row[2]) for row in rows]
