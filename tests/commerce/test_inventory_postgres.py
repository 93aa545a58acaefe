"""On PostgreSQL a stock batch sent to one worker changes the cached answers showing stock of another within
a second, and leaves its other cached answers in place: the batch bumps the stock version, whose NOTIFY
(`stock:<version>`) every worker's listener hears."""

from __future__ import annotations

import pytest

from cms.model import ContentModel
from cms.store.content_version import read_versions
from tests.commerce.helpers import T1, T2, line, products_with_skus, put_stock
from tests.commerce.test_inventory_delivery import SHELF
from tests.management_client import token_for
from tests.test_delivery_cache_postgres import Instance, instance, until

pytestmark = pytest.mark.postgres

NAME = "query Name($slug: String!) { product(by: {slug: $slug}) { sku name } }"


async def stock_caught_up(worker: Instance) -> None:
    """Wait until this worker's listener has been told of the last stock batch (fails after a second)."""
    latest = (await read_versions()).stock
    await until(lambda: worker.service.freshness.latest_stock == latest)


async def test_a_batch_on_one_worker_changes_the_cached_shelf_of_another(
    settings, model: ContentModel, clean_db
) -> None:  # type: ignore[no-untyped-def]
    await products_with_skus(model, "KET-01")
    oms = await token_for(model, "inventory:write", name="oms")
    variables = {"slug": "product-000", "store": "PARIS_STORE"}
    async with instance(settings, model) as first, instance(settings, model) as second:
        await put_stock(first.client, oms, [line("KET-01", "paris_store", 8, T1)])
        await second.caught_up()
        await stock_caught_up(second)

        async def shelf() -> dict:  # type: ignore[type-arg]
            response = await second.client.post("/graphql/kiosk", json={"query": SHELF, "variables": variables})
            return response.json()["data"]["product"]["inventory"]  # type: ignore[no-any-return]

        assert await shelf() == {"status": "IN_STOCK", "quantity": 8}
        hits = second.service.cache.hits
        assert await shelf() == {"status": "IN_STOCK", "quantity": 8}
        assert second.service.cache.hits == hits + 1  # cached on the second worker

        await put_stock(first.client, oms, [line("KET-01", "paris_store", 1, T2)])
        await stock_caught_up(second)  # within a second (fails otherwise)

        assert await shelf() == {"status": "LOW", "quantity": 1}


async def test_a_batch_on_one_worker_leaves_the_other_workers_answers_not_showing_stock_cached(
    settings, model: ContentModel, clean_db, round_trips
) -> None:  # type: ignore[no-untyped-def]
    await products_with_skus(model, "KET-01")
    oms = await token_for(model, "inventory:write", name="oms")
    async with instance(settings, model) as first, instance(settings, model) as second:
        await second.caught_up()

        async def name() -> bytes:
            body = {"query": NAME, "variables": {"slug": "product-000"}}
            return (await second.client.post("/graphql/kiosk", json=body)).content

        before = await name()
        misses, hits = second.service.cache.misses, second.service.cache.hits
        await put_stock(first.client, oms, [line("KET-01", "paris_store", 1, T2)])
        await stock_caught_up(second)

        round_trips.count = 0
        after = await name()

        assert after == before
        assert round_trips.count == 0  # no database round trip: the listener told the versions
        assert (second.service.cache.misses, second.service.cache.hits) == (misses, hits + 1)
