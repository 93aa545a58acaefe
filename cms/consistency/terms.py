"""Find words and names in copy: whole words, case-insensitive, with simple English and French inflections."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from cms.consistency.text_spans import Span, inside

_VOWELS = "aeiou"
_APOSTROPHE = regex.compile(r"['’]")
# A hyphenated compound is one word: "mail" is not found in "e-mail", nor "cheap" in "cheap-looking".
_BEFORE = r"(?<!\w)(?<!\w-)"
_AFTER = r"(?!\w)(?!-\w)"


def inflections(term: str, languages: Iterable[str] | None = None) -> list[str]:
    """`term` and regular inflections of its last word, English and French, for matching only.

    English: -s, -es, -er, -est, -ed, -ing, -ly (with -e and -y handled); French: -e, -s, -es, -x,
    -al → -aux. `languages` limits which rules apply (both when None). Irregular forms ("pas chère")
    are listed as variants in voice.toml instead.
    """
    wanted = set(languages) if languages is not None else {"en", "fr"}
    head, _, last = term.rpartition(" ")
    if not last.isalpha():
        return [term]
    forms = {last}
    for language, rules in (("en", _english_forms), ("fr", _french_forms)):
        if language in wanted:
            forms |= rules(last)
    prefix = f"{head} " if head else ""
    return sorted(prefix + form for form in forms)


def _english_forms(word: str) -> set[str]:
    if word.endswith("e"):
        return {word + "s", word + "d", word + "r", word + "st", (word if word.endswith("ee") else word[:-1]) + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        stem = word[:-1]
        return {stem + "ies", stem + "ier", stem + "iest", stem + "ied", word + "ing"}
    plural = word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")
    return {plural, word + "er", word + "est", word + "ed", word + "ing", word + "ly"}


def _french_forms(word: str) -> set[str]:
    forms = {word + "s", word + "x"} if word.endswith("e") else {word + "e", word + "s", word + "es"}
    if word.endswith("al"):
        forms.add(word[:-2] + "aux")
    return forms


def term_pattern(spellings: Iterable[str]) -> regex.Pattern[str]:
    """One pattern matching any spelling as a whole word; spaces match any run of white space."""
    alternatives = sorted({_spelling_pattern(spelling) for spelling in spellings if spelling.strip()}, key=len)
    return regex.compile(rf"{_BEFORE}(?:{'|'.join(reversed(alternatives))}){_AFTER}", regex.IGNORECASE)


def name_pattern(canonical: str, variants: Iterable[str] = ()) -> regex.Pattern[str]:
    """`canonical` in any casing, its words joined by spaces, hyphens, underscores or nothing; plus `variants`."""
    words = canonical.split()
    joined = r"[\s\-_]*".join(regex.escape(word) for word in words)
    extra = [_spelling_pattern(variant) for variant in variants]
    return regex.compile(rf"{_BEFORE}(?:{'|'.join([joined, *extra])}){_AFTER}", regex.IGNORECASE)


def find_matches(pattern: regex.Pattern[str], text: str, protected: list[Span]) -> Iterator[regex.Match[str]]:
    """Matches outside URLs, hashtags, mentions, e-mail addresses and offer tokens."""
    for match in pattern.finditer(text):
        if not inside(protected, *match.span()) and not _touches_tag(text, match.start()):
            yield match


def _touches_tag(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in "#@"


def _spelling_pattern(spelling: str) -> str:
    parts = [regex.escape(part) for part in spelling.split()]
    return _APOSTROPHE.sub("['’]", r"\s+".join(parts))
