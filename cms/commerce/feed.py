"""The price feed of a channel: every variant's price as the channel serves it now, read from its live
documents (built with cms.commerce.prices), so a checkout charges what every page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.model.names import camel_case
from cms.store.tables import Projection

LIVE = "live"


class PriceLine(msgspec.Struct, frozen=True):
    """One variant's price: what to charge (`amount`, `currency`), before the offer (`compareAt`)."""

    sku: str
    gtin: str
    entry: str
    amount: str | None
    currency: str | None
    compareAt: str | None  # the JSON names delivery uses
    offer: str | None
    validUntil: str | None
    """When this price stops being served (an offer's end); null when no change is known."""


class PriceFeed(msgspec.Struct, frozen=True):
    channel: str
    at: str
    items: list[PriceLine]


async def price_feed(model: ContentModel, channel_name: str) -> PriceFeed:
    """Every variant the channel serves now, ordered by SKU."""
    channel = model.channels[channel_name]
    priced = {
        name: t.variants_field
        for name, t in model.types.items()
        if t.variants_field is not None and channel.exposes(name) and t.variants_field.visible_on(channel_name)
    }
    instant = now()
    lines: list[PriceLine] = []
    if priced:
        rows = (
            await Projection.select(
                Projection.entry, Projection.content_type, Projection.doc, Projection.valid_from, Projection.valid_until
            )
            .where(
                (Projection.stage == LIVE)
                & (Projection.channel == channel_name)
                & (Projection.locale == channel.default_locale)
                & Projection.content_type.is_in(list(priced))
            )
            .output(load_json=True)
        )
        for row in rows:
            if _served(row, instant):
                field = priced[row["content_type"]]
                lines += _lines(str(row["entry"]), row["doc"].get(camel_case(field.name)) or [], row["valid_until"])
    lines.sort(key=lambda line: line.sku)
    return PriceFeed(channel_name, _iso(instant), lines)


def _served(row: dict[str, Any], instant: dt.datetime) -> bool:
    start, end = row["valid_from"], row["valid_until"]
    return (start is None or _aware(start) <= instant) and (end is None or instant < _aware(end))


def _lines(entry: str, variants: list[dict[str, Any]], until: dt.datetime | None) -> list[PriceLine]:
    return [
        PriceLine(
            sku=variant["sku"],
            gtin=variant["gtin"],
            entry=entry,
            amount=(variant.get("price") or {}).get("amount"),
            currency=(variant.get("price") or {}).get("currency"),
            compareAt=(variant.get("compareAtPrice") or {}).get("amount"),
            offer=variant.get("appliedOffer"),
            validUntil=None if until is None else _iso(_aware(until)),
        )
        for variant in variants
    ]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
