"""Offer facts: what copy may say about an offer, taken from the offer entry, the single source.

An offer is active from `starts_at` (inclusive) until `ends_at` (exclusive): at `ends_at` exactly,
no channel serves it any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

import msgspec

from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData
from cms.publishing.resolve import MISSING, resolve_field

BASE_ONLY = ""
"""A channel name with no overrides: resolving for it gives base values."""


class Money(msgspec.Struct, frozen=True):
    amount: Decimal
    currency: str

    @classmethod
    def from_value(cls, value: Any) -> Money | None:
        """A stored money value (`{"amount": "12.99", "currency": "EUR"}`), or None for anything else."""
        if isinstance(value, dict) and "amount" in value and "currency" in value:
            return cls(Decimal(str(value["amount"])), str(value["currency"]))
        return None


class OfferFacts(msgspec.Struct, frozen=True, kw_only=True):
    """An offer's resolved values; `title` and `legal_terms` are per locale (fallbacks applied)."""

    slug: str
    discount_kind: Literal["percent", "amount"]
    starts_at: dt.datetime
    ends_at: dt.datetime
    discount_percent: Decimal | None = None
    discount_amount: Money | None = None
    price: Money | None = None
    code: str | None = None
    title: dict[str, str] = {}
    legal_terms: dict[str, str] = {}
    product_ids: tuple[str, ...] = ()
    category_ids: tuple[str, ...] = ()

    def is_active(self, now: dt.datetime) -> bool:
        """True from `starts_at` (inclusive) until `ends_at` (exclusive)."""
        return self.starts_at <= now < self.ends_at

    @property
    def last_instant(self) -> dt.datetime:
        """The last moment the offer is on, for showing its end date ("until 5 April")."""
        return self.ends_at - dt.timedelta(microseconds=1)


def offer_facts_from_entry(
    model: ContentModel, content_type: ContentType, data: EntryData, *, channel: str | None = None
) -> OfferFacts:
    """The facts of an `offer` entry as `channel` resolves them (base values when None).

    Raises ValueError when a required fact (slug, discount kind, dates) is missing or malformed.
    """

    def value(name: str, locale: str = model.default_locale) -> Any:
        field = content_type.field(name)
        found = MISSING if field is None else resolve_field(model, data, field, channel or BASE_ONLY, locale)
        return None if found is MISSING else found

    def per_locale(name: str) -> dict[str, str]:
        found = {locale: value(name, locale) for locale in model.locales}
        return {locale: text for locale, text in found.items() if isinstance(text, str) and text}

    try:
        percent = value("discount_percent")
        return OfferFacts(
            slug=_required_text(value("slug"), "slug"),
            discount_kind=_discount_kind(value("discount_kind")),
            starts_at=_instant(value("starts_at")),
            ends_at=_instant(value("ends_at")),
            discount_percent=None if percent is None else Decimal(str(percent)),
            discount_amount=Money.from_value(value("discount_amount")),
            price=Money.from_value(value("price")),
            code=value("code") or None,
            title=per_locale("title"),
            legal_terms=per_locale("legal_terms"),
            product_ids=tuple(value("products") or ()),
            category_ids=tuple(value("categories") or ()),
        )
    except (TypeError, ValueError, ArithmeticError, msgspec.ValidationError) as error:
        raise ValueError(f"not a complete offer: {error}") from None


def next_offer_change(offers: Iterable[OfferFacts], now: dt.datetime) -> dt.datetime | None:
    """The next instant after `now` when one of `offers` starts or ends: when to re-render copy using them."""
    instants = [instant for offer in offers for instant in (offer.starts_at, offer.ends_at) if instant > now]
    return min(instants, default=None)


def _instant(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date and time, got {value!r}")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def _required_text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} is missing")
    return value


def _discount_kind(value: Any) -> Literal["percent", "amount"]:
    if value not in ("percent", "amount"):
        raise ValueError(f"discount_kind must be percent or amount, got {value!r}")
    return value  # type: ignore[no-any-return]
