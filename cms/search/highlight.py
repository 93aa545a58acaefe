"""Snippets of a field's text around the words a query matched, marked for the channel's text mode.

HTML channels get `<mark>word</mark>` (the rest escaped); plain-text channels (kiosk, social, assistant)
get `«word»`, which a screen shows and a speech synthesizer reads as nothing.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from typing import NamedTuple

from cms.search.query import ParsedQuery
from cms.search.text import fold, stem

SNIPPET_LENGTH = 160
"""Characters of text around the first match (whole words: a little more or less)."""
INDEXED_CHARACTERS_KEPT = 2_000_000
"""Characters of text whose words are kept indexed, and of snippets kept with them (all are forgotten beyond
that): ~20 MB at most."""
SNIPPETS_KEPT = 8
"""Queries whose snippet each text remembers (all are forgotten beyond that)."""
_WORD = re.compile(r"[^\W_]+")


class IndexedText(NamedTuple):
    """A text's words, folded and stemmed once (cms.search.text), looked up by stem and by folded word."""

    spans: tuple[tuple[int, int], ...]
    """Where each word is in the text, in order."""
    by_stem: dict[str, tuple[int, ...]]
    """Stem -> the positions (in `spans`) of the words with that stem."""
    by_word: dict[str, tuple[int, ...]]
    """Folded word -> the positions of those words."""
    words: list[str]
    """The folded words, sorted: a prefix's words are a range of it."""
    snippets: dict[tuple[str, str], str | None]
    """(Matcher.key, mode) -> the snippet of this text (None: no match), for the last queries that asked."""


_indexed: dict[tuple[str, str], IndexedText] = {}
_indexed_characters = [0]


def indexed_text(text: str, language: str) -> IndexedText:
    """The words of `text`, kept: a description is shown again and again (folding and stemming every word of
    ten results' fields cost ~1 ms a search; a lookup per query term costs microseconds)."""
    key = (text, language)
    found = _indexed.get(key)
    if found is None:
        if _indexed_characters[0] + len(text) > INDEXED_CHARACTERS_KEPT:
            _indexed.clear()
            _indexed_characters[0] = 0
        spans: list[tuple[int, int]] = []
        by_stem: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        for position, match in enumerate(_WORD.finditer(text)):
            spans.append(match.span())
            folded = fold(match.group())
            by_word.setdefault(folded, []).append(position)
            by_stem.setdefault(stem(folded, language), []).append(position)
        found = _indexed[key] = IndexedText(
            tuple(spans),
            {key: tuple(value) for key, value in by_stem.items()},
            {key: tuple(value) for key, value in by_word.items()},
            sorted(by_word),
            {},
        )
        _indexed_characters[0] += len(text)
    return found


class Matcher:
    """Finds the words of a text that match one of the query's terms: its stem (or a typo's), the whole
    query as a code, or for a term still being typed, a word or stem starting with it."""

    def __init__(self, query: ParsedQuery) -> None:
        self.language = query.language
        self.stems = {term.stem for term in query.terms} | {alt for term in query.terms for alt in term.alternatives}
        self.prefixes = tuple(dict.fromkeys(p for term in query.terms if term.prefix for p in (term.word, term.stem)))
        self.code = query.code
        self.key = "\x1f".join([*sorted(self.stems), "", *self.prefixes, "", self.code])
        """What the matches depend on, as one string (its hash is computed once)."""

    def positions(self, text: IndexedText) -> list[int]:
        """The positions (in `text.spans`) of the matching words, in order."""
        found: set[int] = set()
        by_stem, by_word = text.by_stem, text.by_word
        for wanted in self.stems:
            found.update(by_stem.get(wanted, ()))
        found.update(by_word.get(self.code, ()))
        words = text.words
        for prefix in self.prefixes:
            index = bisect_left(words, prefix)
            while index < len(words) and words[index].startswith(prefix):
                found.update(by_word[words[index]])
                index += 1
        return sorted(found)


def snippet(text: str, matcher: Matcher, mode: str) -> str | None:
    """The text around its first match with every match marked, or None when nothing matches: remembered
    with the text's words for the last queries (a popular query shows the same results again and again;
    building the snippets of ten results' fields cost ~0.3 ms a search, looking them up a few µs)."""
    if not text:
        return None
    indexed = indexed_text(text, matcher.language)
    remembered = indexed.snippets
    key = (matcher.key, mode)
    if key in remembered:
        return remembered[key]
    marked = _snippet(text, indexed, matcher, mode)
    if len(remembered) >= SNIPPETS_KEPT:
        remembered.clear()
    remembered[key] = marked
    _indexed_characters[0] += len(marked or "")
    return marked


def _snippet(text: str, indexed: IndexedText, matcher: Matcher, mode: str) -> str | None:
    positions = matcher.positions(indexed)
    if not positions:
        return None
    spans = indexed.spans
    start = _word_start(text, max(0, spans[positions[0]][0] - SNIPPET_LENGTH // 4))
    end = _word_end(text, start + SNIPPET_LENGTH)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for position in positions:
        word_start, word_end = spans[position]
        if word_start < start or word_end > end:
            continue
        parts += [_plain(text[cursor:word_start], mode), _marked(text[word_start:word_end], mode)]
        cursor = word_end
    parts.append(_plain(text[cursor:end], mode))
    parts.append("…" if end < len(text) else "")
    return "".join(parts).strip()


def _word_start(text: str, index: int) -> int:
    """Back to the start of the word `index` falls in."""
    while 0 < index < len(text) and not text[index - 1].isspace():
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not text[index].isspace():
        index += 1
    return min(index, len(text))


def _plain(text: str, mode: str) -> str:
    return html.escape(text, quote=False) if mode == "html" else text


def _marked(word: str, mode: str) -> str:
    return f"<mark>{html.escape(word, quote=False)}</mark>" if mode == "html" else f"«{word}»"
