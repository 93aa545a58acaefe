"""Words as the index holds them: lower-cased, accents folded, stemmed by the locale's language.

Both backends fold before stemming (PostgreSQL: `unaccent` inside `to_tsvector`), so "élégant" and
"elegant" give the same stem, and the same Snowball algorithms stem on both (PostgreSQL's own on
PostgreSQL, the `snowballstemmer` package's on SQLite).
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

from cms.lib.folding import fold

WORD = re.compile(r"[^\W_]+")
LANGUAGES = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
"""Snowball languages by locale: the same names as PostgreSQL's text search configurations."""
SIMPLE = "simple"
"""No stemming: a locale without a Snowball language."""


def language_of(locale: str) -> str:
    """`french` for `fr` or `fr-CA`; `simple` for a language Snowball does not stem."""
    return LANGUAGES.get(locale.split("-")[0].lower(), SIMPLE)


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return WORD.findall(fold(text))


@functools.cache
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    return None if language == SIMPLE else snowballstemmer.stemmer(language)


def stem(word: str, language: str) -> str:
    """The stem of a folded word ("bougies" -> "boug" in French); a number is its own stem."""
    return word if word.isdigit() else _stem(word, language)


@functools.lru_cache(maxsize=16384)
def _stem(word: str, language: str) -> str:
    """Cached, as a catalogue's words repeat. Numbers never come here: GTINs and model numbers are mostly unique,
    so caching them filled the cache with entries never asked again (13 MiB at 65,536 entries), whose churn
    kept a long `cms import`'s memory growing."""
    stemmer = _stemmer(language)
    return word if stemmer is None else stemmer.stemWord(word)


def stems(text: str, language: str) -> list[str]:
    return [stem(word, language) for word in words(text)]


def compact_code(text: str) -> str:
    """A code as compared whole: folded, letters and digits only ("ML-CDL-01" -> "mlcdl01")."""
    return "".join(words(text))
