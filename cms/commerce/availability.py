"""Availability from units in stock (pure): what delivery shows for a product, per channel or per store."""

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
