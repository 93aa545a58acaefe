"""Copy against live facts: "in stock" / "épuisé" against the channel's stock now, a quoted price against what
the channel charges now (its price list and the offers in force, computed by cms.commerce.prices).

Pure: the caller gives each channel's facts (`ChannelFacts`, built by cms.commerce.facts). Both rules are
warnings, never blocking a publish: stock moves and offers start and end after publishing, so copy true when
it went out may be false an hour later; what matters is to see it, which `cms lint --live` and the management
query `liveFactMismatches` do over the live versions.

- `stock_claim`: a phrase of `[stock] in_stock` (voice.toml, else the defaults below) while the channel has none
  of the product left at its locations (`OUT`), or one of `out_of_stock` while it has some. An in-stock phrase
  inside an out-of-stock one ("not in stock", "plus disponible") counts as the latter only.
- `price_live`: an amount of money that is none of the prices the channel charges for the entry or its
  variants now, nor their prices before the offer (compare-at), nor an amount of a referenced offer. Reference
  amounts ("instead of €19.99", "over €50", "dès 30 €") are left alone, as drift leaves them.
"""

from __future__ import annotations

from functools import lru_cache

import msgspec
import regex

from cms.consistency.drift import REFERENCE_AMOUNT
from cms.consistency.figures import find_figures
from cms.consistency.findings import Finding, params
from cms.consistency.offer_format import format_money
from cms.consistency.offers import Money, OfferFacts
from cms.consistency.text_spans import mask_offer_tokens, sentence_at, sentence_spans
from cms.consistency.voice_config import StockPhrases

STOCK_RULE = "stock_claim"
PRICE_RULE = "price_live"


class ChannelFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What an entry is, live, on one channel."""

    prices: tuple[Money, ...] = ()
    """What the channel charges now for the entry and each variant, and those prices before the offer."""
    charged: tuple[Money, ...] = ()
    """The prices charged now (no compare-at), the ones a finding names."""
    availability: str | None = None
    """IN_STOCK, LOW or OUT over the channel's locations (the best of the entry's SKUs); None where the channel
    sells from no location (no stock to compare)."""


def check_live_facts(
    text: str,
    locale: str,
    facts: ChannelFacts,
    phrases: StockPhrases,
    offers: list[OfferFacts],
    *,
    field: str,
    channel: str,
) -> list[Finding]:
    """Warnings for stock phrases and prices in `text` that the channel's live `facts` contradict."""
    masked = mask_offer_tokens(text)
    found = [
        *_stock_claims(masked, locale, facts, phrases, channel),
        *_prices(masked, locale, facts, offers, channel),
    ]
    return [
        Finding(
            rule=rule,
            severity="warning",
            field=field,
            locale=locale,
            channel=channel,
            start=start,
            end=end,
            message=message,
            suggestion=suggestion,
            params=values,
        )
        for rule, start, end, message, suggestion, values in found
    ]


_Found = tuple[str, int, int, str, str, tuple[tuple[str, str | int], ...]]


def _stock_claims(text: str, locale: str, facts: ChannelFacts, phrases: StockPhrases, channel: str) -> list[_Found]:
    if facts.availability is None:
        return []
    out_spans = [match.span() for match in _phrases(tuple(phrases.denying_stock(locale))).finditer(text)]
    claims = [(span, "out") for span in out_spans]
    claims += [
        (match.span(), "in")
        for match in _phrases(tuple(phrases.claiming_stock(locale))).finditer(text)
        if not any(start <= match.start() < end for start, end in out_spans)
    ]
    found = []
    for (start, end), claim in sorted(claims):
        if (claim == "in") == (facts.availability != "OUT"):
            continue
        said, actual = text[start:end], facts.availability
        state = "has none left at its locations" if claim == "in" else "has some in stock"
        message = f"says “{said}” but {channel} {state} now ({actual})"
        suggestion = "remove the phrase: the channel shows the live availability itself"
        fact = "none" if claim == "in" else "some"
        values = params(said=said, actual=actual, fact=fact)
        found.append((STOCK_RULE, start, end, message, suggestion, values))
    return found


@lru_cache(maxsize=64)
def _phrases(listed: tuple[str, ...]) -> regex.Pattern[str]:
    """The phrases whole and in any case, the longest first, a space matching any space (non-breaking ones)."""
    if not listed:
        return regex.compile(r"(?!)")
    alternatives = sorted((regex.escape(phrase).replace(r"\ ", r"[\s\u00a0\u202f]+") for phrase in listed), key=len)
    return regex.compile(rf"(?<!\w)(?:{'|'.join(reversed(alternatives))})(?!\w)", regex.IGNORECASE)


def _prices(text: str, locale: str, facts: ChannelFacts, offers: list[OfferFacts], channel: str) -> list[_Found]:
    if not facts.charged:
        return []
    known = {*facts.prices, *(money for offer in offers for money in (offer.price, offer.discount_amount) if money)}
    sentences = sentence_spans(text)
    found = []
    for figure in find_figures(text, locale):
        if figure.kind != "money" or figure.value in known:
            continue
        sentence = sentence_at(sentences, figure.start)
        if REFERENCE_AMOUNT.search(text[sentence[0] : figure.start]):
            continue
        said = text[figure.start : figure.end]
        actual = " / ".join(format_money(money, locale) for money in _distinct(facts.charged))
        message = f"says {said} but {channel} charges {actual} now"
        suggestion = f"write the price {channel} charges, or remove the figure"
        found.append((PRICE_RULE, figure.start, figure.end, message, suggestion, params(said=said, actual=actual)))
    return found


def _distinct(prices: tuple[Money, ...]) -> list[Money]:
    return sorted(set(prices), key=lambda money: (money.currency, money.amount))
