"""How an offer's facts read in copy, per locale (Babel): `25 %` / `25%`, `12,99 €` / `€12.99`, dates.

Token fields (`{{offer:<slug>.<field>}}`):

| field | renders as |
|---|---|
| `title` | the offer's title in the locale |
| `discount` | the percentage (`25 %` in French, `25%` in English), or the amount (`€10.00`) |
| `price` | the offer price as money |
| `code` | the promo code, as written |
| `starts_at` | the first day, as a long date in the offer time zone (`20 mars 2026`, `March 20, 2026`) |
| `ends_at` | the last day the offer is on (the day of `ends_at` minus 1 µs, since `ends_at` is exclusive) |
| `legal_terms` | the legal terms in the locale |
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_percent

from cms.consistency.offers import Money, OfferFacts

OFFER_FIELDS = ("title", "discount", "price", "code", "starts_at", "ends_at", "legal_terms")


def offer_value(offer: OfferFacts, field: str, locale: str, *, time_zone: str = "UTC") -> str | None:
    """The text a token shows, or None when the offer has no such value (or the field is unknown)."""
    match field:
        case "title":
            return offer.title.get(locale)
        case "discount":
            return _discount(offer, locale)
        case "price":
            return None if offer.price is None else format_money(offer.price, locale)
        case "code":
            return offer.code
        case "starts_at":
            return format_day(local_date(offer.starts_at, time_zone), locale)
        case "ends_at":
            return format_day(local_date(offer.last_instant, time_zone), locale)
        case "legal_terms":
            return offer.legal_terms.get(locale)
    return None


def format_percent_value(percent: Decimal, locale: str) -> str:
    return format_percent(percent / 100, locale=locale, decimal_quantization=False)


def format_money(money: Money, locale: str) -> str:
    return format_currency(money.amount, money.currency, locale=locale)


def format_day(day: dt.date, locale: str, *, with_year: bool = True) -> str:
    """`31 mars 2026` / `March 31, 2026`, or without the year `31 mars` / `March 31`."""
    return format_date(day, "long", locale=locale) if with_year else format_skeleton("MMMMd", day, locale=locale)


def local_date(instant: dt.datetime, time_zone: str) -> dt.date:
    return instant.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def _discount(offer: OfferFacts, locale: str) -> str | None:
    if offer.discount_kind == "percent":
        return None if offer.discount_percent is None else format_percent_value(offer.discount_percent, locale)
    return None if offer.discount_amount is None else format_money(offer.discount_amount, locale)
