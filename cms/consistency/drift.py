"""Drift: figures written by hand that contradict the offer the copy refers to, or the product's own price.

Copy refers to an offer by token, by its code (whole word, case-sensitive) or by its title in any
locale (whole words, any case): see `references.referenced_offers`. Then, as errors:

- `offer_drift`, percentages in a sentence about the offer or about a discount (off, save,
  remise, réduction…, or written `-25 %`) that match none of the referenced percent offers;
- `offer_drift`, amounts in a sentence about the offer that match none of its price, discount
  amount or the product's own price; `price_drift`, any other amount in copy with an own price;
  reference amounts (after "instead of", "was", "over", "from", "au lieu de", "dès", "plus de"…) are left alone,
  and so are amounts in another currency than the own price (the live check compares those per channel);
- `offer_drift`, dates in a sentence about the offer other than its first or last day;
- `offer_drift`, a promo code ("code XYZ") other than the referenced offers' codes.

Copy that promises *less* than the offer gives is a warning, `offer_understated`, not an error: a
date strictly inside the offer's window (it ends later, or started earlier, than the copy says), or a
percentage below every referenced percent offer's. Copy that promises more stays an error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import regex

from cms.consistency.figures import Day, Figure, find_figures
from cms.consistency.findings import Finding, Params, Severity, params
from cms.consistency.offer_format import format_day, format_money, format_percent_value, local_date
from cms.consistency.offers import Money, OfferFacts
from cms.consistency.references import reference_spans
from cms.consistency.text_spans import Span, mask_offer_tokens, sentence_at, sentence_spans

_DISCOUNT_WORDS = regex.compile(
    r"(?<!\w)(?:off|save|saving|savings|discount|discounts|discounted|sale|reduction|promo|promotion|offer|"
    r"remise|réduction|rabais|économisez|économie|économies|soldes|offre)(?!\w)|(?<!\w)[-−]\s?\d",
    regex.IGNORECASE,
)
REFERENCE_AMOUNT = regex.compile(  # what comes before an amount that is not the price (a former price, a bound)
    r"(?:instead\s+of|rather\s+than|was|were|originally|regular(?:\s+price)?|usually|over|above|under|below|"
    r"more\s+than|less\s+than|from|au\s+lieu\s+de|initialement|prix\s+normal|au-delà\s+de|plus\s+de|"
    r"moins\s+de|dès|à\s+partir\s+de)[\s\u00a0\u202f:]*$",
    regex.IGNORECASE,
)
Problem = tuple[str, str, str | None, Params]
"""rule, message, suggestion, params."""
UNDERSTATED = "offer_understated"
"""The rule of copy promising less than the offer gives: a warning, where every other drift is an error."""


class _Copy(NamedTuple):
    text: str
    locale: str
    offers: list[OfferFacts]
    own_price: Money | None
    time_zone: str
    about_offer: list[Span]
    """Sentences that name a referenced offer."""


def find_drift(
    text: str,
    locale: str,
    offers_referenced: list[OfferFacts],
    own_price: Money | None,
    *,
    time_zone: str = "UTC",
    field: str = "",
    channel: str | None = None,
) -> list[Finding]:
    """Every figure in `text` that contradicts `offers_referenced` or `own_price` (see the module docstring)."""
    sentences = sentence_spans(text)
    about = [span for span, _ in reference_spans(text, offers_referenced)]
    copy = _Copy(
        text,
        locale,
        offers_referenced,
        own_price,
        time_zone,
        [sentence for sentence in sentences if any(sentence[0] <= start < sentence[1] for start, _ in about)],
    )
    findings = []
    for figure in find_figures(mask_offer_tokens(text), locale):
        problem = _CHECKS[figure.kind](figure, copy, sentence_at(sentences, figure.start))
        if problem is not None:
            rule, message, suggestion, values = problem
            severity: Severity = "warning" if rule == UNDERSTATED else "error"
            findings.append(
                Finding(
                    rule=rule,
                    severity=severity,
                    field=field,
                    locale=locale,
                    channel=channel,
                    start=figure.start,
                    end=figure.end,
                    message=message,
                    suggestion=suggestion,
                    params=values,
                )
            )
    return findings


def _percent(figure: Figure, copy: _Copy, sentence: Span) -> Problem | None:
    offers = [offer for offer in copy.offers if offer.discount_kind == "percent" and offer.discount_percent]
    if not offers or not _about_discount(copy, sentence) or any(o.discount_percent == figure.value for o in offers):
        return None
    offer = offers[0]
    assert offer.discount_percent is not None
    actual = format_percent_value(offer.discount_percent, copy.locale)
    problem = _offer_problem(_said(copy, figure), offer, f"is {actual}", "discount", fact="is", actual=actual)
    said = figure.value
    promises_less = isinstance(said, Decimal) and all(said < (o.discount_percent or 0) for o in offers)
    return _understated(problem) if promises_less else problem


def _money(figure: Figure, copy: _Copy, sentence: Span) -> Problem | None:
    if REFERENCE_AMOUNT.search(copy.text[sentence[0] : figure.start]):
        return None
    amounts = [(offer, money) for offer in copy.offers for money in (offer.price, offer.discount_amount) if money]
    if figure.value == copy.own_price or any(money == figure.value for _, money in amounts):
        return None
    if amounts and sentence in copy.about_offer:
        offer, money = amounts[0]
        what = "price" if money == offer.price else "discount"
        actual = format_money(money, copy.locale)
        return _offer_problem(_said(copy, figure), offer, f"is {actual}", what, fact="is", actual=actual)
    # An amount in another currency is not this price misquoted: the live check (cms.consistency.live_facts)
    # compares it with what each channel's price list charges (francs on the Swiss site).
    if (
        copy.own_price is not None
        and isinstance(figure.value, Money)
        and figure.value.currency == copy.own_price.currency
    ):
        said, actual = _said(copy, figure), format_money(copy.own_price, copy.locale)
        values = params(said=said, actual=actual)
        return "price_drift", f"says {said} but the price is {actual}", f"write {actual}, or remove the figure", values
    return None


def _date(figure: Figure, copy: _Copy, sentence: Span) -> Problem | None:
    if sentence not in copy.about_offer or not isinstance(figure.value, Day):
        return None
    said = figure.value
    for offer in copy.offers:
        for instant in (offer.starts_at, offer.last_instant):
            day = local_date(instant, copy.time_zone)
            if (said.day, said.month) == (day.day, day.month) and said.year in (None, day.year):
                return None
    inside = next((offer for offer in copy.offers if _strictly_inside(said, offer, copy.time_zone)), None)
    offer = inside or copy.offers[0]
    start, end = (format_day(local_date(i, copy.time_zone), copy.locale) for i in (offer.starts_at, offer.last_instant))
    runs = f"runs from {start} to {end}"
    problem = _offer_problem(_said(copy, figure), offer, runs, "ends_at", fact="runs", start=start, end=end)
    return _understated(problem) if inside else problem


def _strictly_inside(said: Day, offer: OfferFacts, time_zone: str) -> bool:
    """`said` falls after the offer's first day and before its last: the offer runs longer than the copy says."""
    first, last = local_date(offer.starts_at, time_zone), local_date(offer.last_instant, time_zone)
    for year in [said.year] if said.year is not None else range(first.year, last.year + 1):
        try:
            day = dt.date(year, said.month, said.day)
        except ValueError:  # 29 February of a year that has none
            continue
        if first < day < last:
            return True
    return False


def _understated(problem: Problem) -> Problem:
    """`problem` as a warning: the copy promises less than the offer gives, which misleads nobody to their cost."""
    _, message, suggestion, values = problem
    return UNDERSTATED, f"{message}: the copy promises less than the offer gives", suggestion, values


def _code(figure: Figure, copy: _Copy, sentence: Span) -> Problem | None:
    if not copy.offers or any(offer.code == figure.value for offer in copy.offers):
        return None
    offer = next((offer for offer in copy.offers if offer.code), copy.offers[0])
    has = f"has code {offer.code}" if offer.code else "has no code"
    fact = "has_code" if offer.code else "has_no_code"
    return _offer_problem(f"code {figure.value}", offer, has, "code", fact=fact, actual=offer.code)


def _about_discount(copy: _Copy, sentence: Span) -> bool:
    return sentence in copy.about_offer or _DISCOUNT_WORDS.search(copy.text, *sentence) is not None


def _offer_problem(said: str, offer: OfferFacts, fact_text: str, token_field: str, **facts: str | None) -> Problem:
    message = f"says {said} but offer {offer.slug} {fact_text}"
    token = f"{{{{offer:{offer.slug}.{token_field}}}}}"
    return "offer_drift", message, f"write {token} instead", params(said=said, offer=offer.slug, token=token, **facts)


def _said(copy: _Copy, figure: Figure) -> str:
    return copy.text[figure.start : figure.end]


_CHECKS = {"percent": _percent, "money": _money, "date": _date, "code": _code}
