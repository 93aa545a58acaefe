"""What a shopper typed, as terms to match: folded, stemmed, the last one as a prefix, typos forgiven.

A typo is forgiven by looking for the word's neighbours: every word one edit away (a letter left out,
added, replaced, or two swapped), stemmed, is looked up in the index's vocabulary (one query), and those
found match too. Looking words up, rather than comparing stems by distance, keeps inflections right:
"bougei" is one edit from "bougie", whose French stem "boug" is two edits from the typo's.
"""

from __future__ import annotations

import functools
import string

import msgspec

from cms.search.text import compact_code, stem, words

MAX_QUERY_LENGTH = 200
TYPO_MIN_LENGTH = 5
"""Words this long or longer may have one typo."""
SHORT_WORD = 2
"""Words this short ("de", "à", "a") are left out of the match unless nothing else is typed."""
_ALPHABET = string.ascii_lowercase + string.digits


class QueryError(ValueError):
    """A query that cannot be run: the message says what to change."""


class Term(msgspec.Struct, frozen=True):
    word: str
    """The folded word as typed."""
    stem: str
    prefix: bool
    """The last word of a query not ending with a space: it may still be being typed."""
    alternatives: tuple[str, ...] = ()
    """Stems of the index one edit away from the word, when the word's own stem is not in it."""


class ParsedQuery(msgspec.Struct, frozen=True):
    text: str
    terms: tuple[Term, ...]
    code: str
    """The whole query compacted, compared with `search = "exact"` values (a GTIN, a SKU)."""
    language: str


class EmptyQueryError(QueryError):
    """A query with no letter or digit to search for: it matches nothing."""


def parse_query(text: str, language: str, *, prefix: bool = True) -> ParsedQuery:
    """The terms of `text`; QueryError when there is nothing to search or too much."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(text)} characters long, over the limit of {MAX_QUERY_LENGTH}: shorten it")
    found = words(text)
    if not found:
        raise EmptyQueryError("the query is empty: type at least one letter or digit")
    kept = [word for word in found if len(word) > SHORT_WORD or word.isdigit()] or found
    last_open = prefix and not text[-1:].isspace() and kept[-1] == found[-1]
    terms = tuple(
        Term(word=word, stem=stem(word, language), prefix=last_open and index == len(kept) - 1)
        for index, word in enumerate(dict.fromkeys(kept))
    )
    return ParsedQuery(text=text, terms=terms, code=compact_code(text), language=language)


def typo_candidates(query: ParsedQuery) -> dict[str, set[str]]:
    """For each word long enough to have a typo: the stems to look up (its own and its neighbours')."""
    return {
        term.word: {term.stem} | _neighbour_stems(term.word, query.language)
        for term in query.terms
        if len(term.word) >= TYPO_MIN_LENGTH and not term.word.isdigit()
    }


@functools.lru_cache(maxsize=4096)
def _neighbour_stems(word: str, language: str) -> frozenset[str]:
    """Kept: a shopper's words come back (~0.3 ms to stem a word's ~700 neighbours)."""
    return frozenset(stem(variant, language) for variant in neighbours(word))


def with_typos(query: ParsedQuery, candidates: dict[str, set[str]], known: set[str]) -> ParsedQuery:
    """The query whose words not in the vocabulary (`known`) match their neighbours found in it."""
    terms = []
    for term in query.terms:
        asked = candidates.get(term.word)
        if asked and term.stem not in known:
            term = msgspec.structs.replace(term, alternatives=tuple(sorted((asked & known) - {term.stem})))
        terms.append(term)
    return msgspec.structs.replace(query, terms=tuple(terms))


def neighbours(word: str) -> set[str]:
    """Every word one edit away from `word` (Damerau: delete, swap, replace, insert)."""
    alphabet = set(_ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {left + right[1:] for left, right in splits if right}
    found |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    found |= {left + char + right[1:] for left, right in splits if right for char in alphabet}
    found |= {left + char + right for left, right in splits for char in alphabet}
    found.discard(word)
    return found
