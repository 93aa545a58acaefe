"""A filtered list costs its matches, not the catalogue (issue 7: p50 at 100k ≤ 1.5× the p50 at 1k).

On SQLite the page and its total read the same rows whatever the catalogue's size as long as the
planner keeps one plan: the brand's expression index for both, the total computed once. These tests
pin that plan as the catalogue grows (the statistics refreshed at start, as the app does).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cms.delivery.filters import order_clause, where_conditions
from cms.delivery.indexes import field_indexes, sync_field_indexes
from cms.delivery.queries import page_query
from cms.delivery.sql import Condition, JsonDialect
from cms.model.definitions import ContentModel
from cms.store.tables import Entry, Projection
from tests.test_delivery_indexes import POSTGRES, brand_and_availability, plan_of

pytestmark = pytest.mark.skipif(POSTGRES, reason="SQLite's planner statistics; PostgreSQL's are autovacuum's")

AVAILABILITIES = ["IN_STOCK", "LOW_STOCK", "OUT_OF_STOCK", "PREORDER"]


async def add_products(first: int, count: int) -> None:
    """Live web/en products numbered from `first`: numbers under 20 are Needle and in stock, the others
    spread over 100 brands and 4 availabilities."""
    now = dt.datetime.now(dt.UTC)
    if first == 0:
        await Entry.insert(Entry(id="e" * 36, content_type="product", created_at=now, updated_at=now))
    rows = [
        Projection(
            key=f"p{number}",
            entry="e" * 36,
            content_type="product",
            channel="web",
            locale="en",
            doc=json.dumps(
                {
                    "name": f"Product {number}",
                    "brand": "Needle" if number < 20 else f"Brand {number % 100}",
                    "availability": "IN_STOCK" if number < 20 else AVAILABILITIES[number % 4],
                }
            ),
            version=1,
            published_at=now,
        )
        for number in range(first, first + count)
    ]
    for start in range(0, count, 500):
        await Projection.insert(*rows[start : start + 500])


def filtered_page(model: ContentModel) -> Condition:
    """The bench's filtered list: brand and availability, the default order, 20 items with their total."""
    dialect = JsonDialect(postgres=False)
    product = model.types["product"]
    conditions = where_conditions(dialect, product, brand_and_availability())
    page, _ = page_query("live", "product", "web", "en", conditions, order_clause(dialect, product, []), 20, 0)
    return page


async def test_a_filtered_list_keeps_its_plan_when_the_catalogue_grows_fiftyfold(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await add_products(0, 100)
    await sync_field_indexes(model)
    await Projection.raw("ANALYZE cms_projection")  # whatever statistics earlier tests left: these 100 rows'
    small = await plan_of(filtered_page(model))

    await add_products(100, 4900)
    await sync_field_indexes(model)  # as at the app's start: statistics stale after the growth, analysed again
    large = await plan_of(filtered_page(model))

    brand_index = next(index.name for index in field_indexes(model, JsonDialect(False)) if "filter_brand" in index.name)
    assert large == small
    assert large.count(f"USING INDEX {brand_index} ") == 2, large  # the page and its total
    # Neither the table nor an index read through (the only scan is of the page's own rows, to pack them).
    assert "SCAN cms_projection" not in large, large
    assert "CORRELATED" not in large, large  # the total is counted once per query, not once per row
