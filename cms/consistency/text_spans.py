"""Where things are in a plain text: sentences, words, and spans that are not prose (URLs, tags, tokens)."""

from __future__ import annotations

import regex

from cms.consistency.counting import find_urls

Span = tuple[int, int]

# A sentence ends at . ! ? … (closing quotes or brackets may follow) before white space, or at a line break.
_SENTENCE_BREAK = regex.compile(
    r"(?<=[.!?…](?:[\u00a0\u202f]?[\"”»’)\]])*)[ \t\u00a0\u202f]+(?![\u00a0\u202f ]*[\"”»’)\]])|[ \t\u00a0\u202f]*\n\s*"
)
WORD = regex.compile(r"[\w#@]+(?:['’\-]\w+)*")
OFFER_TOKEN = regex.compile(r"\{\{\s*offer:(?P<slug>[^{}.\s]*)(?:\.(?P<field>[^{}\s]*))?\s*\}\}")
_NOT_PROSE = regex.compile(r"(?<!\w)[#@]\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def sentence_spans(text: str) -> list[Span]:
    """Each sentence's span, without the white space between sentences; empty sentences left out."""
    spans, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(start, end) for start, end in spans if end > start]


def sentence_at(spans: list[Span], position: int) -> Span:
    return next((span for span in spans if span[0] <= position < span[1]), (position, position))


def protected_spans(text: str) -> list[Span]:
    """URLs, e-mail addresses, #hashtags, @mentions and offer tokens: never read as words of the copy."""
    found = [*find_urls(text), *(m.span() for m in _NOT_PROSE.finditer(text))]
    return sorted([*found, *(m.span() for m in OFFER_TOKEN.finditer(text))])


def inside(spans: list[Span], start: int, end: int) -> bool:
    return any(low <= start and end <= high for low, high in spans)


def mask_offer_tokens(text: str) -> str:
    """Tokens replaced by underscores of the same length, so spans stay valid and no figure is read in them."""
    return OFFER_TOKEN.sub(lambda match: "_" * len(match.group()), text)


def count_words(text: str, span: Span, protected: list[Span]) -> int:
    """Words in `span`, a URL or token counting as one."""
    start, end = span
    words = [m for m in WORD.finditer(text, start, end) if not inside(protected, *m.span())]
    return len(words) + sum(1 for low, _ in protected if start <= low < end)
