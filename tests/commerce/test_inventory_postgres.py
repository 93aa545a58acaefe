"""On PostgreSQL a stock batch sent to one worker changes the cached answers of another within a second:
the batch bumps the content version, whose NOTIFY every worker's listener hears."""

from __future__ import annotations

import pytest

from cms.model import ContentModel
from tests.commerce.helpers import T1, T2, line, products_with_skus, put_stock
from tests.commerce.test_inventory_delivery import SHELF
from tests.management_client import token_for
from tests.test_delivery_cache_postgres import instance

pytestmark = pytest.mark.postgres


async def test_a_batch_on_one_worker_changes_the_cached_shelf_of_another(
    settings, model: ContentModel, clean_db
) -> None:  # type: ignore[no-untyped-def]
    await products_with_skus(model, "KET-01")
    oms = await token_for(model, "inventory:write", name="oms")
    variables = {"slug": "product-000", "store": "PARIS_STORE"}
    async with instance(settings, model) as first, instance(settings, model) as second:
        await put_stock(first.client, oms, [line("KET-01", "paris_store", 8, T1)])
        await second.caught_up()

        async def shelf() -> dict:  # type: ignore[type-arg]
            response = await second.client.post("/graphql/kiosk", json={"query": SHELF, "variables": variables})
            return response.json()["data"]["product"]["inventory"]  # type: ignore[no-any-return]

        assert await shelf() == {"status": "IN_STOCK", "quantity": 8}
        hits = second.service.cache.hits
        assert await shelf() == {"status": "IN_STOCK", "quantity": 8}
        assert second.service.cache.hits == hits + 1  # cached on the second worker

        await put_stock(first.client, oms, [line("KET-01", "paris_store", 1, T2)])
        await second.caught_up()  # within a second (fails otherwise)

        assert await shelf() == {"status": "LOW", "quantity": 1}
