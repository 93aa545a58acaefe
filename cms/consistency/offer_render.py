"""Render `{{offer:<slug>.<field>}}` tokens per locale and channel, and withhold copy about inactive offers.

Expiry behaviour: a token renders only while its offer is active (`starts_at <= now < ends_at`,
end exclusive). Otherwise, or when the offer, the field or its value is unknown, the *sentence*
holding the token is dropped from plain text, and the *block* holding it (paragraph, heading,
quote or list item) from rich text (`offer_render_rich`), where formatting may cut a sentence into
several pieces; the rest of the field is still served (possibly nothing: an empty text), and
`dropped` says that something was withheld. Raw tokens are
never served. Channels listed in `legal_terms_channels` get the legal terms of each offer the
kept copy refers to appended (as a last paragraph), unless the copy already shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import NamedTuple

import msgspec

from cms.consistency.offer_format import offer_value
from cms.consistency.offers import OfferFacts
from cms.consistency.text_spans import OFFER_TOKEN, sentence_spans


class RenderedText(msgspec.Struct, frozen=True):
    text: str
    dropped: bool
    """Some copy was withheld because an offer it refers to is not active (or cannot be rendered)."""


class Tokens(NamedTuple):
    offers: Mapping[str, OfferFacts]
    locale: str
    now: dt.datetime
    time_zone: str

    def value(self, slug: str, field: str) -> str | None:
        offer = self.offers.get(slug)
        if offer is None or not offer.is_active(self.now):
            return None
        return offer_value(offer, field, self.locale, time_zone=self.time_zone)

    def renderable(self, text: str) -> bool:
        return all(self.value(m["slug"], m["field"] or "") is not None for m in OFFER_TOKEN.finditer(text))

    def fill(self, text: str) -> str:
        return OFFER_TOKEN.sub(lambda m: self.value(m["slug"], m["field"] or "") or "", text)


def render_offer_tokens(
    text: str,
    offers: Mapping[str, OfferFacts],
    locale: str,
    channel: str,
    now: dt.datetime,
    *,
    legal_terms_channels: Collection[str] = (),
    time_zone: str = "UTC",
) -> RenderedText:
    """`text` as `channel` serves it in `locale` at `now` (see the module docstring for expiry)."""
    tokens = Tokens(offers, locale, now, time_zone)
    kept, dropped = _kept_sentences(text, tokens)
    rendered = tokens.fill(kept)
    if channel in legal_terms_channels:
        rendered = "\n\n".join([rendered, *(t for t in active_legal_terms(kept, tokens) if t not in rendered)]).strip()
    return RenderedText(rendered, dropped)


def _kept_sentences(text: str, tokens: Tokens) -> tuple[str, bool]:
    if "{{" not in text:
        return text, False
    kept: list[str] = []
    separator, previous_end, dropped = "", 0, False
    for start, end in sentence_spans(text):
        gap, previous_end = text[previous_end:start], end
        separator = gap if gap.count("\n") > separator.count("\n") or not separator else separator
        if not tokens.renderable(text[start:end]):
            dropped = True
            continue
        kept.append((separator if kept else "") + text[start:end])
        separator = ""
    return "".join(kept), dropped


def active_legal_terms(text: str, tokens: Tokens) -> list[str]:
    slugs = dict.fromkeys(match["slug"] for match in OFFER_TOKEN.finditer(text))
    terms = [tokens.value(slug, "legal_terms") for slug in slugs]
    return [term for term in dict.fromkeys(terms) if term]
