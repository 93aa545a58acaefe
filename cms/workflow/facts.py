"""What an entry is live on each channel, for the consistency check of its copy (cms.consistency.live_facts):
its availability from stock at the channel's locations, and the prices the channel charges for it and its
variants now, computed as publishing computes them (the channel's price list, then the best offer in force).

Prices come from the version being linted (what will be charged once it is live); stock is read in one query
for all the entry's SKUs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from piccolo.querystring import QueryString

from cms.commerce.availability import aggregate_inventory
from cms.commerce.prices import final_price, in_channel_currency, offers_applying, price_step
from cms.consistency import Money, OfferFacts
from cms.consistency.live_facts import ChannelFacts
from cms.model.definitions import Channel, ContentModel, ContentType
from cms.model.entry_data import EntryData
from cms.publishing.documents import referenced_ids
from cms.publishing.resolve import MISSING, resolve_field
from cms.store.database import get_engine

SKU_FIELD = "sku"
PRICE_FIELD = "price"
SKUS_PER_QUERY = 1000
"""SKUs per stock query (a bound parameter each; the drivers cap them)."""
Units = dict[str, dict[str, int]]
"""SKU -> location -> units."""


def sells(content_type: ContentType) -> bool:
    """Whether entries of the type are products: they have a SKU, so stock and a price to check copy against."""
    return content_type.field(SKU_FIELD) is not None


def entry_skus(model: ContentModel, content_type: ContentType, data: EntryData) -> list[str]:
    """The SKUs an entry sells: its own, then its variants' (once each), from its default-locale values."""
    values = data.base.get(model.default_locale, {})
    variants_field = content_type.variants_field
    skus = [values.get(SKU_FIELD)]
    if variants_field is not None:
        skus += [
            variant.get(SKU_FIELD) for variant in values.get(variants_field.name) or [] if isinstance(variant, dict)
        ]
    return list(dict.fromkeys(sku for sku in skus if isinstance(sku, str) and sku))


async def stock_units(skus: Iterable[str]) -> Units:
    """Units by location of each SKU (a SKU without stock rows has none): one query per 1,000 SKUs, in the current
    transaction."""
    wanted = list(dict.fromkeys(skus))
    units: Units = {sku: {} for sku in wanted}
    for start in range(0, len(wanted), SKUS_PER_QUERY):
        chunk = wanted[start : start + SKUS_PER_QUERY]
        sql = "SELECT sku, location, quantity FROM cms_stock WHERE sku IN ({})".format(", ".join("{}" for _ in chunk))
        for row in await get_engine().run_querystring(QueryString(sql, *chunk)):
            units[row["sku"]][row["location"]] = int(row["quantity"])
    return units


def channel_facts(
    model: ContentModel,
    content_type: ContentType,
    entry_id: str,
    data: EntryData,
    offers: Mapping[str, OfferFacts],
    units: Units,
    at: dt.datetime,
) -> dict[str, ChannelFacts]:
    """Each channel showing the type: its availability (channels selling from locations, types with a SKU) and the
    prices it charges (types with a price or variants)."""
    own = {sku: units.get(sku, {}) for sku in entry_skus(model, content_type, data)}  # `units` may hold others'
    referenced = referenced_ids(model, content_type, data)
    applying = offers_applying(offers, entry_id, referenced)
    facts = {}
    for channel in model.channels.values():
        if not channel.exposes(content_type.name):
            continue
        charged, before = _prices(model, content_type, data, channel, applying, at)
        facts[channel.name] = ChannelFacts(
            prices=(*charged, *before), charged=charged, availability=_availability(model, content_type, channel, own)
        )
    return facts


async def live_facts(
    model: ContentModel,
    content_type: ContentType,
    entry_id: str,
    data: EntryData,
    offers: Mapping[str, OfferFacts],
    at: dt.datetime,
) -> dict[str, ChannelFacts]:
    """`channel_facts` with the entry's stock read now; nothing for a type without a SKU (not a product: an offer's
    own price is the drift rule's business)."""
    if not sells(content_type):
        return {}
    units = await stock_units(entry_skus(model, content_type, data))
    return channel_facts(model, content_type, entry_id, data, offers, units, at)


def _availability(model: ContentModel, content_type: ContentType, channel: Channel, units: Units) -> str | None:
    sku_field = content_type.field(SKU_FIELD)
    if not channel.locations or sku_field is None or not sku_field.visible_on(channel.name):
        return None
    counted = [
        {where: n for where, n in by_location.items() if where in channel.locations} for by_location in units.values()
    ]
    status, _ = aggregate_inventory(counted, None, model.low_stock_threshold)
    return status


def _prices(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    channel: Channel,
    applying: list[OfferFacts],
    at: dt.datetime,
) -> tuple[tuple[Money, ...], tuple[Money, ...]]:
    """(what the channel charges now for the entry and each variant, their prices before the offer)."""
    price_field = content_type.field(PRICE_FIELD)
    entry_price: Any = MISSING
    if price_field is not None and price_field.kind == "money":
        entry_price = resolve_field(model, data, price_field, channel.name, model.default_locale)
    bases: list[Any] = [entry_price]
    variants_field = content_type.variants_field
    if variants_field is not None:
        variants = data.base.get(model.default_locale, {}).get(variants_field.name) or []
        bases += [variant.get(PRICE_FIELD, entry_price) for variant in variants if isinstance(variant, dict)]
    charged: list[Money] = []
    before: list[Money] = []
    step = price_step(channel)
    for base in bases:
        if not isinstance(base, dict) or "amount" not in base or "currency" not in base:
            continue
        price = final_price(in_channel_currency(base, channel), applying, at, step)
        charged.append(Money(Decimal(price.amount), price.currency))
        if price.compare_at is not None:
            before.append(Money(Decimal(price.compare_at), price.currency))
    return tuple(dict.fromkeys(charged)), tuple(dict.fromkeys(before))
