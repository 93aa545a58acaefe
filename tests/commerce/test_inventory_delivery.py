"""Delivery's `inventory`: availability computed from stock at request time, per channel and per store."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from cms.delivery import stock_field
from cms.delivery.operations import operation_id
from cms.model import ContentModel
from tests.commerce.helpers import T1, T2, line, products_with_skus, put_stock
from tests.conftest import ROOT
from tests.factories import gtin13
from tests.management_client import token_for

SHELF = """
query Shelf($slug: String!, $store: Store) {
  product(by: {slug: $slug}) { sku inventory(store: $store) { status quantity } }
}
"""
LIST = "{ products(first: 20) { edges { node { sku inventory { status quantity } } } } }"


@pytest.fixture
async def oms(model: ContentModel, clean_db: None) -> str:
    await products_with_skus(model, "KET-01", "LMP-02", "THR-03")  # slugs product-000, -001, -002
    return await token_for(model, "inventory:write", name="oms")


async def ask(client: httpx.AsyncClient, channel: str, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post(f"/graphql/{channel}", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def shelf(client: httpx.AsyncClient, store: str | None, slug: str = "product-000") -> dict[str, Any]:
    data = await ask(client, "kiosk", SHELF, slug=slug, store=store)
    return data["product"]["inventory"]  # type: ignore[no-any-return]


async def test_the_kiosks_of_two_stores_show_their_own_shelf_without_a_republish(client, oms) -> None:  # type: ignore[no-untyped-def]
    # Given the kettle in stock in Paris, two left in Lyon (the threshold is 3), none at the warehouse
    await put_stock(
        client,
        oms,
        [line("KET-01", "paris_store", 12), line("KET-01", "lyon_store", 2), line("KET-01", "central_warehouse", 0)],
    )

    # Then each store's kiosk shows its shelf, and the kiosk without a store sums its stores
    assert await shelf(client, "PARIS_STORE") == {"status": "IN_STOCK", "quantity": 12}
    assert await shelf(client, "LYON_STORE") == {"status": "LOW", "quantity": 2}
    assert await shelf(client, None) == {"status": "IN_STOCK", "quantity": 14}

    # When Paris sells out
    await put_stock(client, oms, [line("KET-01", "paris_store", 0, T2)])

    # Then Paris shows it out while Lyon is unchanged, with nothing published in between
    assert await shelf(client, "PARIS_STORE") == {"status": "OUT", "quantity": 0}
    assert await shelf(client, "LYON_STORE") == {"status": "LOW", "quantity": 2}


async def test_a_channel_sums_only_the_locations_it_sells_from(client, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("LMP-02", "paris_store", 40), line("LMP-02", "central_warehouse", 3)])

    web = await ask(client, "web", LIST)
    kiosk = await ask(client, "kiosk", LIST)

    assert {edge["node"]["sku"]: edge["node"]["inventory"] for edge in web["products"]["edges"]} == {
        "KET-01": {"status": "OUT", "quantity": 0},  # no stock line at all: none in stock
        "LMP-02": {"status": "LOW", "quantity": 3},  # the web sells from the warehouse only
        "THR-03": {"status": "OUT", "quantity": 0},
    }
    assert {edge["node"]["sku"]: edge["node"]["inventory"] for edge in kiosk["products"]["edges"]}["LMP-02"] == {
        "status": "IN_STOCK",
        "quantity": 40,
    }


async def test_a_cached_answer_changes_after_a_stock_batch(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    cache = app.state.delivery.cache
    await put_stock(client, oms, [line("THR-03", "lyon_store", 9, T1)])
    assert await shelf(client, "LYON_STORE", "product-002") == {"status": "IN_STOCK", "quantity": 9}
    hits = cache.hits
    assert await shelf(client, "LYON_STORE", "product-002") == {"status": "IN_STOCK", "quantity": 9}
    assert cache.hits == hits + 1  # the second answer came from the response cache

    await put_stock(client, oms, [line("THR-03", "lyon_store", 1, T2)])

    assert await shelf(client, "LYON_STORE", "product-002") == {"status": "LOW", "quantity": 1}


async def test_a_batch_that_changes_nothing_keeps_the_cached_answers(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    batch = [line("THR-03", "lyon_store", 9, T1)]
    await put_stock(client, oms, batch)
    await shelf(client, "LYON_STORE", "product-002")
    hits = app.state.delivery.cache.hits

    await put_stock(client, oms, batch)  # sent again: already applied
    await shelf(client, "LYON_STORE", "product-002")

    assert app.state.delivery.cache.hits == hits + 1


async def test_stock_of_a_page_is_read_in_one_query_whatever_its_size(client, oms, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "central_warehouse", 5), line("LMP-02", "central_warehouse", 6)])
    query = "query($n: Int!) { products(first: $n) { edges { node { sku inventory { quantity } } } } }"
    stock_reads: list[tuple[Any, ...]] = []
    read_rows = stock_field.read_rows

    async def counted(sql: str, *params: Any) -> Any:
        stock_reads.append(params)
        return await read_rows(sql, *params)

    monkeypatch.setattr(stock_field, "read_rows", counted)

    one = await ask(client, "web", query, n=1)
    three = await ask(client, "web", query, n=3)

    assert len(one["products"]["edges"]) == 1 and len(three["products"]["edges"]) == 3
    assert len(stock_reads) == 2  # one query per answer
    assert sorted(stock_reads[1][:3]) == ["KET-01", "LMP-02", "THR-03"]


async def test_a_store_the_channel_does_not_sell_from_is_refused_naming_the_argument(client, oms) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/graphql/kiosk", json={"query": SHELF, "variables": {"slug": "product-000", "store": "MOON_BASE"}}
    )

    [error] = response.json()["errors"]
    assert "$store" in error["message"] and "MOON_BASE" in error["message"]


async def test_channels_without_locations_show_no_inventory(client, oms) -> None:  # type: ignore[no-untyped-def]
    response = await client.post(
        "/graphql/social", json={"query": "{ products { edges { node { inventory { quantity } } } } }"}
    )

    [error] = response.json()["errors"]
    assert "Cannot query field 'inventory'" in error["message"]


async def test_the_kiosks_persisted_store_shelf_runs_by_id_over_get(client, model, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "lyon_store", 2)])
    text = (ROOT / "graphql" / "operations" / "kiosk" / "StoreShelf.graphql").read_text(encoding="utf-8")
    variables = json.dumps({"gtin": gtin13(0), "store": "LYON_STORE"})

    response = await client.get("/graphql/kiosk", params={"id": operation_id(text), "variables": variables})

    assert response.status_code == 200, response.text
    assert response.json()["data"]["product"]["inventory"] == {"status": "LOW", "quantity": 2}
