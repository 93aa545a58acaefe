"""Snippets of a field's text around the words a query matched, marked for the channel's text mode.

HTML channels get `<mark>word</mark>` (the rest escaped); plain-text channels (kiosk, social, assistant)
get `«word»`, which a screen shows and a speech synthesizer reads as nothing.
"""

from __future__ import annotations

import html
import re

from cms.search.query import ParsedQuery
from cms.search.text import fold, stem

SNIPPET_LENGTH = 160
"""Characters of text around the first match (whole words: a little more or less)."""
_WORD = re.compile(r"[^\W_]+")


class Matcher:
    """Tells whether a word of a document matches one of the query's terms."""

    def __init__(self, query: ParsedQuery) -> None:
        self.language = query.language
        self.stems = {term.stem for term in query.terms} | {alt for term in query.terms for alt in term.alternatives}
        self.prefixes = tuple(p for term in query.terms if term.prefix for p in (term.word, term.stem))
        self.code = query.code
        self.seen: dict[str, bool] = {}
        """Words already judged (a description repeats its words; folding and stemming cost ~4 µs a word)."""

    def matches(self, word: str) -> bool:
        seen = self.seen.get(word)
        if seen is None:
            folded = fold(word)
            seen = folded == self.code or stem(folded, self.language) in self.stems
            seen = seen or (bool(self.prefixes) and folded.startswith(self.prefixes))
            self.seen[word] = seen
        return seen


def snippet(text: str, matcher: Matcher, mode: str) -> str | None:
    """The text around its first match with every match marked, or None when nothing matches."""
    found = [match for match in _WORD.finditer(text) if matcher.matches(match.group())]
    if not found:
        return None
    start = _word_start(text, max(0, found[0].start() - SNIPPET_LENGTH // 4))
    end = _word_end(text, start + SNIPPET_LENGTH)
    parts = ["…" if start > 0 else ""]
    position = start
    for match in found:
        if match.start() < start or match.end() > end:
            continue
        parts += [_plain(text[position : match.start()], mode), _marked(match.group(), mode)]
        position = match.end()
    parts.append(_plain(text[position:end], mode))
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
