"""The search backend protocol, what it reads and writes, and the choice of backend by database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import msgspec

from cms.search.query import ParsedQuery
from cms.search.records import SearchRecord

Reader = Callable[..., Awaitable[Sequence[Sequence[Any]]]]
"""`read(sql, *params)`: rows of a read-only query written with Piccolo's `{}` placeholders (delivery passes
its own reads, cms.delivery.reads.read_tuples, so search reads like any list)."""
MOST_CANDIDATES = 200
"""Matches a search ranks, counts and pages through at most: the most recently indexed ones (a publish indexes
again). Ranking every match made a broad query's cost grow with the catalogue (bm25 and the total over ~5,000
matches at 100k products: ~80 ms); the candidates are read newest first from the index and the scan stops."""
TYPE_FACET = "type"
"""The facet counting results by content type (always there)."""


class IndexRow(msgspec.Struct, frozen=True):
    """One projection row's record: the same entry, channel, locale and validity window."""

    entry: str
    content_type: str
    channel: str
    locale: str
    language: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    record: SearchRecord


class SearchFilters(msgspec.Struct, frozen=True):
    types: tuple[str, ...]
    """Content types searched: the channel's searchable ones, or those `where.types` names."""
    facets: dict[str, tuple[str, ...]] = {}
    """Facet (GraphQL field name) -> values any of which a result must have."""
    ranges: dict[str, tuple[float | None, float | None]] = {}
    """Numeric facet -> (at least, below): the bounds of a bucket (`25-50`: 25 ≤ price < 50)."""

    def without(self, facet: str) -> SearchFilters:
        """These filters but `facet`'s own (the counts of a facet's values ignore the choice made in it)."""
        if facet == TYPE_FACET:
            return msgspec.structs.replace(self, types=())
        return SearchFilters(
            self.types,
            {k: v for k, v in self.facets.items() if k != facet},
            {k: v for k, v in self.ranges.items() if k != facet},
        )

    def filtered(self) -> list[str]:
        return [*self.facets, *self.ranges]


class SearchRequest(msgspec.Struct, frozen=True):
    query: ParsedQuery
    channel: str
    locale: str
    at: Any
    """The instant, bound as delivery binds it (cms.delivery.queries.served_now): search serves the rows
    delivery serves."""
    all_types: tuple[str, ...]
    """The channel's searchable types: what a facet count never goes beyond."""
    filters: SearchFilters
    first: int = 20
    offset: int = 0
    match_all: bool = True
    """Every term must match; False: any (the fallback when all of them find nothing)."""
    titles_only: bool = False
    """Match in A-weighted fields only (suggestions)."""


class Hit(msgspec.Struct, frozen=True):
    entry: str
    content_type: str
    score: float
    """Higher is more relevant (bm25 on SQLite, ts_rank on PostgreSQL: comparable within one answer)."""
    exact: bool
    """The query is exactly one of the entry's codes (GTIN, SKU)."""
    doc_hash: str | None = None
    """The hash of the entry's live document served now (cms.store.tables.document_hash), read with the page
    so that a document delivery keeps decoded needs no query of its own; None when not exactly one row."""


class HitPage(msgspec.Struct, frozen=True):
    hits: list[Hit]
    total: int
    """Matches among the candidates: MOST_CANDIDATES when the query matches that many or more."""


class Suggestion(msgspec.Struct, frozen=True):
    entry: str
    content_type: str
    title: str


FacetCounts = dict[str, dict[str, int]]
"""Facet -> value -> number of results."""


class SearchBackend(Protocol):
    """One database's index: written inside the publishing transaction, read with delivery's reads."""

    async def replace(self, entry_ids: list[str], rows: list[IndexRow]) -> None:
        """Remove the entries' rows and write `rows`, in the caller's transaction."""

    async def known_stems(self, read: Reader, stems: set[str]) -> set[str]:
        """Which of `stems` the index holds (for typos)."""

    async def page(self, read: Reader, request: SearchRequest) -> HitPage:
        """One page of results, best first (an exact code first), their documents' hashes, and their total."""

    async def facet_counts(self, read: Reader, request: SearchRequest) -> FacetCounts:
        """Counts of every facet's values among the results, each facet ignoring its own filter."""

    async def suggest(self, read: Reader, request: SearchRequest) -> list[Suggestion]:
        """Titles of the best matches in A-weighted fields (up to `request.first`, several per title)."""


def search_backend() -> SearchBackend:
    """The backend of the engine every table is bound to (backends hold no state: one of each is kept, as
    importing and building one cost ~10 µs a search)."""
    from cms.store.database import get_engine
    from cms.store.engine import is_postgres

    postgres = is_postgres(get_engine())
    backend = _backends.get(postgres)
    if backend is None:
        if postgres:
            from cms.search.postgres import PostgresSearch

            backend = _backends[postgres] = PostgresSearch()
        else:
            from cms.search.sqlite import SQLiteSearch

            backend = _backends[postgres] = SQLiteSearch()
    return backend


_backends: dict[bool, SearchBackend] = {}
