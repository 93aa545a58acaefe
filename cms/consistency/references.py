"""Which offers a text refers to: by token, by promo code (whole word, case-sensitive) or by title (any case)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from cms.consistency.offers import OfferFacts
from cms.consistency.terms import term_pattern
from cms.consistency.text_spans import OFFER_TOKEN, Span


def referenced_offers(text: str, offers: Iterable[OfferFacts]) -> list[OfferFacts]:
    """The offers `text` refers to, by token, code or title, in the order given."""
    offers = list(offers)
    slugs = {slug for _, slug in reference_spans(text, offers)}
    return [offer for offer in offers if offer.slug in slugs]


def reference_spans(text: str, offers: Iterable[OfferFacts]) -> list[tuple[Span, str]]:
    """Where `text` names one of `offers`: its token, code or title, with the offer's slug."""
    found = []
    for offer in offers:
        found += [(m.span(), offer.slug) for m in OFFER_TOKEN.finditer(text) if m["slug"] == offer.slug]
        if offer.code:
            found += [(m.span(), offer.slug) for m in _code_pattern(offer.code).finditer(text)]
        if offer.title:
            found += [(m.span(), offer.slug) for m in _title_pattern(tuple(offer.title.values())).finditer(text)]
    return sorted(found)


@lru_cache(maxsize=1024)
def _code_pattern(code: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?<!\w){regex.escape(code)}(?!\w)")


@lru_cache(maxsize=1024)
def _title_pattern(titles: tuple[str, ...]) -> regex.Pattern[str]:
    return term_pattern(titles)
