"""The demo's stock: every product's SKU and its variants' at the warehouse and the two stores, written like an
OMS would.

Quantities follow a fixed pattern so the two kiosks differ (a product on the Paris shelf may be out in Lyon,
low in both, …) and the demo is the same on every machine. They go through the inventory API's own path
(cms.commerce.stock.apply_stock), stamped with an instant in the past so that any real batch wins.
"""

from __future__ import annotations

import datetime as dt

from cms.commerce.lines import StockLine
from cms.commerce.stock import SKU_FIELD, StockReport, apply_stock
from cms.demo.content import DemoEntry
from cms.model.definitions import ContentModel

COUNTED_AT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
UNITS = {
    "central_warehouse": (40, 0, 120, 3, 25, 60, 2, 18),
    "paris_store": (12, 0, 2, 5, 1, 8, 0, 20),
    "lyon_store": (0, 6, 2, 15, 0, 3, 9, 1),
}
"""Units per location, taken in turn by the products in demo order."""


def demo_skus(entries: list[DemoEntry]) -> list[str]:
    """Every SKU of the demo in order: a product's, then its variants' (the ones not repeating it)."""
    skus: list[str] = []
    for entry in entries:
        values = entry.base.get("en", {})
        if SKU_FIELD in values:
            skus.append(values[SKU_FIELD])
        skus += [variant[SKU_FIELD] for variant in values.get("variants") or []]
    return list(dict.fromkeys(skus))


def demo_stock(model: ContentModel, entries: list[DemoEntry]) -> list[StockLine]:
    skus = demo_skus(entries)
    lines: list[StockLine] = []
    for index, sku in enumerate(skus):
        for location, units in UNITS.items():
            if location in model.locations:
                lines.append(StockLine(sku, location, units[index % len(units)], COUNTED_AT, len(lines) + 1))
    return lines


async def seed_demo_stock(model: ContentModel, entries: list[DemoEntry]) -> StockReport:
    """Stock for the demo's products (after they were created: unknown SKUs are refused)."""
    return await apply_stock(model, demo_stock(model, entries), [], partial=False)
