"""Answer a search through a backend: parse, forgive typos, page, and fall back to any word."""

from __future__ import annotations

import msgspec

from cms.search.backend import HitPage, Reader, SearchBackend, SearchRequest
from cms.search.query import ParsedQuery, parse_query, typo_candidates, with_typos


async def prepare_query(backend: SearchBackend, read: Reader, text: str, language: str) -> ParsedQuery:
    """The parsed query, its words not in the index matched to their one-edit neighbours that are
    (one query, only when a word is long enough to have a typo). Raises QueryError."""
    query = parse_query(text, language)
    candidates = typo_candidates(query)
    if not candidates:
        return query
    known = await backend.known_stems(read, set().union(*candidates.values()))
    return with_typos(query, candidates, known)


async def search_page(backend: SearchBackend, read: Reader, request: SearchRequest) -> tuple[HitPage, SearchRequest]:
    """A page of results, and the request it answers: when no result has every word (a sentence spoken to
    an assistant: "do you have a linen throw"), results with any of them, best first."""
    page = await backend.page(read, request)
    if page.total == 0 and not any(term.alternatives for term in request.query.terms):
        # Typos are looked up only when the words as typed find nothing: a page with results proves every
        # word not typed as a prefix is in the index (the usual search pays no vocabulary round trip).
        candidates = typo_candidates(request.query)
        if candidates:
            known = await backend.known_stems(read, set().union(*candidates.values()))
            query = with_typos(request.query, candidates, known)
            if query != request.query:
                request = msgspec.structs.replace(request, query=query)
                page = await backend.page(read, request)
    if page.total == 0 and request.match_all and len(request.query.terms) > 1:
        request = msgspec.structs.replace(request, match_all=False)
        page = await backend.page(read, request)
    return page, request
