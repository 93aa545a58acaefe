"""The one price computation: what a variant costs at an instant, after the offers in force that apply to its
entry, and what it cost before (the compare-at price: before the offer, else a former price entered). Pure:
publishing calls it to build documents, so delivery and the price feed (`GET /prices/<channel>`, read from
those documents) show the same figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import msgspec
from babel.numbers import get_currency_precision

from cms.consistency import OfferFacts
from cms.model.definitions import Channel

COMPARE_AT_FIELD = "compare_at_price"
"""The entry's field holding its former price (its variants without a price of their own show it too)."""


class FinalPrice(msgspec.Struct, frozen=True):
    """A price to charge: `amount` in `currency`; `compare_at` the price before the offer `offer` (slug)."""

    amount: str
    currency: str
    compare_at: str | None = None
    offer: str | None = None


def offers_applying(offers: Mapping[str, OfferFacts], entry_id: str, referenced: Iterable[str]) -> list[OfferFacts]:
    """Offers naming the entry among their products, or one of the entries it refers to (its category)
    among their categories; in force or not."""
    referenced = set(referenced)
    return [
        offer
        for offer in offers.values()
        if entry_id in offer.product_ids or referenced.intersection(offer.category_ids)
    ]


def final_price(
    base: Mapping[str, str],
    offers: Iterable[OfferFacts],
    at: dt.datetime | None,
    step: Decimal | None = None,
    compare_at: Mapping[str, str] | None = None,
) -> FinalPrice:
    """`base` (`{amount, currency}`) after the best offer in force at `at` (the lowest price; ties by slug),
    a percentage rounded half up to the currency's places, or to a multiple of `step` (a channel's price
    list: 0.05 for Swiss francs). An offer in another currency than the price's does not apply (a
    percentage applies to any). Its `compare_at` is the price before the offer; with no offer in force, the
    entered `compare_at` (a former price, Shopify's compare-at price) when it is above `base` in its currency."""
    currency = base["currency"]
    amount = Decimal(base["amount"])
    best: tuple[Decimal, str] | None = None
    for offer in sorted(offers, key=lambda o: o.slug):
        if at is None or not offer.is_active(at):
            continue
        price = _discounted(amount, currency, offer, step)
        if price is not None and price < amount and (best is None or price < best[0]):
            best = (price, offer.slug)
    if best is None:
        return FinalPrice(_plain(amount, currency), currency, compare_at=_former(compare_at, amount, currency))
    return FinalPrice(_plain(best[0], currency), currency, compare_at=_plain(amount, currency), offer=best[1])


def _former(compare_at: Mapping[str, str] | None, amount: Decimal, currency: str) -> str | None:
    """An entered compare-at price worth showing: in the price's currency and above it (else none, as a shop
    shows no sale)."""
    if compare_at is None or compare_at.get("currency") != currency or Decimal(compare_at["amount"]) <= amount:
        return None
    return _plain(Decimal(compare_at["amount"]), currency)


def price_step(channel: Channel) -> Decimal | None:
    """The multiple a channel's prices are rounded to (its price list's `round_to`); None: the currency's."""
    return Decimal(channel.price_list.round_to) if channel.price_list is not None else None


def _discounted(amount: Decimal, currency: str, offer: OfferFacts, step: Decimal | None) -> Decimal | None:
    if offer.price is not None:
        return Decimal(offer.price.amount) if offer.price.currency == currency else None
    if offer.discount_kind == "percent" and offer.discount_percent is not None:
        discounted = amount * (100 - offer.discount_percent) / 100
        if step is not None:
            return (discounted / step).quantize(Decimal(1), ROUND_HALF_UP) * step
        return _rounded(discounted, currency)
    if offer.discount_kind == "amount" and offer.discount_amount is not None:
        if offer.discount_amount.currency != currency:
            return None
        return max(Decimal(0), amount - Decimal(offer.discount_amount.amount))
    return None


def in_channel_currency(base: Mapping[str, str], channel: Channel) -> dict[str, str]:
    """`base` as the channel sells it: converted by its price list when the price is in the list's currency
    (`amount × rate`, rounded half up to a multiple of `round_to`), else as it is."""
    prices = channel.price_list
    if prices is None or base["currency"] != prices.from_currency:
        return dict(base)
    step = Decimal(prices.round_to)
    converted = (Decimal(base["amount"]) * Decimal(prices.rate) / step).quantize(Decimal(1), ROUND_HALF_UP) * step
    return {"amount": _plain(converted, channel.currency), "currency": channel.currency}


def _rounded(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_UP)


def _plain(amount: Decimal, currency: str) -> str:
    return format(_rounded(amount, currency), "f")
