"""SQL shared by both backends: the conditions of a search's filters over the index table (`h`).

Facet and type names come from the validated model; every value a client sends is a bound parameter.
"""

from __future__ import annotations

from typing import Any

import msgspec

from cms.search.backend import TYPE_FACET, FacetCounts, SearchFilters

ROW_COLUMNS = (
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
"""The columns of a `cms_search` row both backends write, in that order (each adds its own: SQLite the id its
FTS row shares, PostgreSQL the `tsvector`)."""

SERVED_AT = "(s.valid_from IS NULL OR s.valid_from <= {}) AND (s.valid_until IS NULL OR s.valid_until > {})"
"""The index rows delivery serves at an instant (the same window as the projection they come from)."""


LIVE_HASH = (
    "(SELECT CASE WHEN count(*) = 1 THEN max(p.doc_hash) END FROM cms_projection p WHERE p.entry = page.entry"
    " AND p.stage = 'live' AND p.channel = {} AND p.locale = {}"
    " AND (p.valid_from IS NULL OR p.valid_from <= {}) AND (p.valid_until IS NULL OR p.valid_until > {}))"
)
"""The hash of a page row's live document served now (through the projections' entry index, only for the rows
of the page): written in the same transaction as the index row, so read in the same statement they agree."""


def placeholders(count: int) -> str:
    return ", ".join(["{}"] * count)


def filter_conditions(filters: SearchFilters, *, postgres: bool, alias: str = "h") -> tuple[str, list[Any]]:
    """Conditions of the filters (types, facet values, ranges) on the index table as `alias`, and their
    parameters."""
    sql: list[str] = []
    params: list[Any] = []
    if filters.types:
        sql.append(f"{alias}.content_type IN ({placeholders(len(filters.types))})")
        params += filters.types
    for facet, values in filters.facets.items():
        tokens = [f"{facet}:{value}" for value in values]
        if postgres:
            sql.append(f"{alias}.facets ?| CAST({{}} AS text[])")
            params.append(tokens)
        else:
            sql.append(
                f"EXISTS (SELECT 1 FROM json_each({alias}.facets) WHERE value IN (SELECT value FROM json_each({{}})))"
            )
            params.append(msgspec.json.encode(tokens).decode())
    for facet, (low, high) in filters.ranges.items():
        number = (
            f"CAST({alias}.numbers->>'{facet}' AS float8)"
            if postgres
            else f"json_extract({alias}.numbers, '$.{facet}')"
        )
        if low is not None:
            sql.append(f"{number} >= {{}}")
            params.append(low)
        if high is not None:
            sql.append(f"{number} < {{}}")
            params.append(high)
    return (" AND ".join(sql) or "1 = 1"), params


def facet_branches(filters: SearchFilters) -> list[str | None]:
    """What each branch of a facet count leaves out: nothing (branch 0), then each filtered facet in turn."""
    return [None, *filters.filtered(), *([TYPE_FACET] if filters.types else [])]


def counts_by_facet(rows: Any, filters: SearchFilters) -> FacetCounts:
    """(branch, `<facet>:<value>`, count) rows as counts: a filtered facet's from its own branch (its filter
    left out, so its other values still count), every other facet's from branch 0 (every filter)."""
    branches = facet_branches(filters)
    counts: FacetCounts = {}
    for branch, token, count in rows:
        facet, _, value = str(token).partition(":")
        left_out = branches[int(branch)]
        if (left_out is None and facet in branches) or (left_out is not None and left_out != facet):
            continue
        counts.setdefault(facet, {})[value] = int(count)
    return counts
