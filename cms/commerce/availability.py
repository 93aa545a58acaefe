"""Availability from units in stock (pure): what delivery shows for a product, per channel or per store; a product
with variants aggregates its SKUs (the best status of any, the sum of their units)."""

from __future__ import annotations

from typing import Literal

Availability = Literal["IN_STOCK", "LOW", "OUT"]
AVAILABILITIES: tuple[Availability, ...] = ("IN_STOCK", "LOW", "OUT")


def availability(quantity: int, low_stock_threshold: int) -> Availability:
    """`OUT` at 0, `LOW` from 1 up to the threshold, `IN_STOCK` above it."""
    if quantity <= 0:
        return "OUT"
    if quantity <= low_stock_threshold:
        return "LOW"
    return "IN_STOCK"


def aggregate_inventory(
    units_by_sku: list[dict[str, int]], store: str | None, threshold: int
) -> tuple[Availability, int]:
    """(status, quantity) of several SKUs: the best status of any, the sum of their units (at `store`, or
    everywhere counted); no SKU at all is `OUT` with 0."""
    quantities = [units.get(store, 0) if store is not None else sum(units.values()) for units in units_by_sku]
    statuses = {availability(quantity, threshold) for quantity in quantities}
    best: Availability = next((status for status in AVAILABILITIES if status in statuses), "OUT")
    return best, sum(quantities)
