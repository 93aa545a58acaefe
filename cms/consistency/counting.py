"""Count text the way each target platform counts it: graphemes, UTF-16 code units, or X's weighted length.

`x_weighted` follows twitter-text (v3 configuration): code points in U+0000–U+10FF, U+2000–U+200D,
U+2010–U+201F and U+2032–U+2037 weigh 1, all others 2; any URL weighs 23; an emoji sequence (ZWJ
family, flag, skin tone, keycap) weighs 2 in all; text is compared in NFC, so `e` + U+0301 weighs 1.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Literal, NamedTuple

import regex

CountMethod = Literal["graphemes", "utf16", "x_weighted"]
COUNT_METHODS: tuple[str, ...] = CountMethod.__args__  # type: ignore[attr-defined]
URL_WEIGHT = 23
EMOJI_WEIGHT = 2
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

_GRAPHEME = regex.compile(r"\X")
_TLDS = "com|org|net|fr|eu|io|co|uk|de|be|ch|app|dev|shop|store|info|example"
URL = regex.compile(
    rf"(?<![@\w.])(?:https?://[^\s<>\"]+|www\.[^\s<>\"]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?)",
    regex.IGNORECASE,
)
_URL_TRAILING = regex.compile(r"[.,;:!?)\]»\"'’]+$")
_PICTOGRAPH = regex.compile(r"\p{Extended_Pictographic}")
_EMOJI_CANDIDATE = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")
_EMOJI_MARKERS = regex.compile(r"\p{Emoji_Presentation}|\p{Regional_Indicator}|\u20e3|[\U0001f000-\U0001faff]")


class Unit(NamedTuple):
    """The smallest piece a platform counts as a whole: a grapheme cluster, or a URL for `x_weighted`."""

    start: int
    end: int
    weight: int


@functools.lru_cache(maxsize=4096)  # publishing counts one text for each channel and stage with a budget on it
def count_length(text: str, method: CountMethod = "graphemes") -> int:
    """The length of `text` as a platform counting by `method` sees it."""
    if method == "utf16":
        return len(text.encode("utf-16-le")) // 2
    return sum(unit.weight for unit in units(text, method))


def graphemes(text: str) -> list[str]:
    """User-perceived characters: `👨‍👩‍👧‍👦`, `🇫🇷` and `e` + U+0301 are one each."""
    return _GRAPHEME.findall(text)


def units(text: str, method: CountMethod) -> list[Unit]:
    """`text` cut into counted units whose weights add up to its length, for truncation at unit boundaries."""
    url_spans = find_urls(text) if method == "x_weighted" else []
    result: list[Unit] = []
    for match in _GRAPHEME.finditer(text):
        start, end = match.span()
        span = next((span for span in url_spans if span[0] <= start < span[1]), None)
        if span is not None:
            if start == span[0]:
                result.append(Unit(span[0], span[1], URL_WEIGHT))
            continue
        result.append(Unit(start, end, _cluster_weight(match.group(), method)))
    return result


def find_urls(text: str) -> list[tuple[int, int]]:
    """Spans of URLs (with a scheme, `www.`, or a bare domain), trailing punctuation left out."""
    spans = []
    for match in URL.finditer(text):
        trailing = _URL_TRAILING.search(match.group())
        spans.append((match.start(), match.end() - (len(trailing.group()) if trailing else 0)))
    return spans


def is_emoji(cluster: str) -> bool:
    """A grapheme cluster shown as an emoji: pictographs (not © ® ™ on their own), flags, keycaps."""
    if _EMOJI_MARKERS.search(cluster):
        return True
    return "\ufe0f" in cluster and _PICTOGRAPH.search(cluster) is not None


def find_emoji(text: str) -> list[tuple[int, int]]:
    if _EMOJI_CANDIDATE.search(text) is None:
        return []
    return [match.span() for match in _GRAPHEME.finditer(text) if is_emoji(match.group())]


def _cluster_weight(cluster: str, method: CountMethod) -> int:
    if method == "graphemes":
        return 1
    if method == "utf16":
        return len(cluster.encode("utf-16-le")) // 2
    if is_emoji(cluster):
        return EMOJI_WEIGHT
    return sum(_code_point_weight(ord(char)) for char in unicodedata.normalize("NFC", cluster))


def _code_point_weight(code_point: int) -> int:
    return 1 if any(low <= code_point <= high for low, high in _LIGHT_RANGES) else 2
