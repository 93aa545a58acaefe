"""Stock of variants: each variant's own availability per store, and its product's aggregating them (in stock
when any variant is), read from stock by the variants' SKUs at request time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cms.commerce.availability import aggregate_inventory
from cms.delivery import stock_field
from cms.delivery.operations import operation_id
from cms.model import ContentModel
from cms.publishing.publish import publish_versions
from cms.store.entries import create_entry
from tests import conftest
from tests.commerce.helpers import T2, line, put_stock
from tests.commerce.test_inventory_delivery import ask
from tests.commerce.test_variants import LAMP_GTINS, lamp, new_category, throw
from tests.conftest import ROOT
from tests.management_client import token_for

BY_VARIANT = """
query Lamp($store: Store) {
  product(by: {slug: "galet-table-lamp"}) {
    inventory(store: $store) { status quantity }
    variants { sku inventory(store: $store) { status quantity } }
  }
}
"""
WITHOUT_STORES = BY_VARIANT.replace("($store: Store)", "").replace("(store: $store)", "")  # web sells from no store


@pytest.fixture
async def oms(clean_db: None, model: ContentModel) -> str:
    conftest._demo_is_intact = False
    category = await new_category(model)
    saved = [await create_entry(model, model.types["product"], data) for data in (lamp(category), throw(category))]
    await publish_versions(model, saved)
    return await token_for(model, "inventory:write", name="oms")


async def lamp_shelf(client: Any, channel: str, store: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    if channel == "kiosk":
        product = (await ask(client, channel, BY_VARIANT, store=store))["product"]
    else:
        product = (await ask(client, channel, WITHOUT_STORES))["product"]
    return product["inventory"], {variant["sku"]: variant["inventory"] for variant in product["variants"]}


@pytest.mark.parametrize(
    ("quantities", "store", "expected"),
    [
        pytest.param([], None, ("OUT", 0), id="no-sku"),
        pytest.param([{"paris": 0}, {"paris": 0}], None, ("OUT", 0), id="all-out"),
        pytest.param([{"paris": 2}, {"paris": 3}], None, ("LOW", 5), id="each-low-is-low-though-the-sum-is-not"),
        pytest.param([{"paris": 0}, {"paris": 9}], None, ("IN_STOCK", 9), id="one-in-stock-is-in-stock"),
        pytest.param([{"paris": 9, "lyon": 0}, {"lyon": 1}], "lyon", ("LOW", 1), id="one-store"),
        pytest.param([{"paris": 2, "lyon": 2}], None, ("IN_STOCK", 4), id="one-sku-summed-over-locations"),
    ],
)
def test_a_products_availability_is_the_best_of_its_skus_and_its_quantity_their_sum(
    quantities: list[dict[str, int]], store: str | None, expected: tuple[str, int]
) -> None:
    assert aggregate_inventory(quantities, store, 3) == expected


async def test_each_variant_shows_its_own_shelf_per_store_and_the_product_aggregates_them(client, oms) -> None:  # type: ignore[no-untyped-def]
    # Given brass on the Paris shelf, black low in Paris and in Lyon, white nowhere
    await put_stock(
        client,
        oms,
        [
            line("LMP-01-BRASS", "paris_store", 7),
            line("LMP-01-BLACK", "paris_store", 1),
            line("LMP-01-BLACK", "lyon_store", 2),
            line("LMP-01-WHITE", "central_warehouse", 0),
        ],
    )

    # Then each kiosk shows each variant's shelf, and the lamp in stock where any finish is
    paris, paris_variants = await lamp_shelf(client, "kiosk", "PARIS_STORE")
    assert paris == {"status": "IN_STOCK", "quantity": 8}
    assert paris_variants == {
        "LMP-01-BRASS": {"status": "IN_STOCK", "quantity": 7},
        "LMP-01-BLACK": {"status": "LOW", "quantity": 1},
        "LMP-01-WHITE": {"status": "OUT", "quantity": 0},
    }
    lyon, lyon_variants = await lamp_shelf(client, "kiosk", "LYON_STORE")
    assert lyon == {"status": "LOW", "quantity": 2}
    assert lyon_variants["LMP-01-BRASS"] == {"status": "OUT", "quantity": 0}

    # And the web (the warehouse only) has none of them
    web, web_variants = await lamp_shelf(client, "web")
    assert web == {"status": "OUT", "quantity": 0}
    assert {status["status"] for status in web_variants.values()} == {"OUT"}


async def test_a_variant_restocked_makes_its_product_available_without_a_republish(client, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("LMP-01-WHITE", "central_warehouse", 0)])
    assert (await lamp_shelf(client, "web"))[0] == {"status": "OUT", "quantity": 0}

    await put_stock(client, oms, [line("LMP-01-WHITE", "central_warehouse", 30, T2)])

    product, variants = await lamp_shelf(client, "web")
    assert product == {"status": "IN_STOCK", "quantity": 30}
    assert variants["LMP-01-WHITE"] == {"status": "IN_STOCK", "quantity": 30}


async def test_the_products_own_sku_counts_beside_its_variants(client, oms) -> None:  # type: ignore[no-untyped-def]
    # The lamp's own SKU (LMP-01) is none of its variants': stock sent under it still counts for the product
    await put_stock(client, oms, [line("LMP-01", "central_warehouse", 4), line("LMP-01-BLACK", "central_warehouse", 2)])

    product, variants = await lamp_shelf(client, "web")

    assert product == {"status": "IN_STOCK", "quantity": 6}
    assert variants["LMP-01-BLACK"] == {"status": "LOW", "quantity": 2}


async def test_a_scanned_variant_shows_its_own_shelf_in_the_persisted_store_shelf(client, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("LMP-01-BRASS", "lyon_store", 12), line("LMP-01-BLACK", "lyon_store", 0)])
    text = (ROOT / "graphql" / "operations" / "kiosk" / "StoreShelf.graphql").read_text(encoding="utf-8")
    variables = json.dumps({"gtin": LAMP_GTINS[1], "store": "LYON_STORE"})  # the black lamp's barcode

    response = await client.get("/graphql/kiosk", params={"id": operation_id(text), "variables": variables})

    assert response.status_code == 200, response.text
    product = response.json()["data"]["product"]
    assert product["inventory"] == {"status": "IN_STOCK", "quantity": 12}
    assert product["selectedVariant"]["sku"] == "LMP-01-BLACK"
    assert product["selectedVariant"]["inventory"] == {"status": "OUT", "quantity": 0}


async def test_stock_of_a_page_of_variants_is_read_in_one_query(client, oms, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    batch = [line("THR-150", "central_warehouse", 5), line("LMP-01-BRASS", "central_warehouse", 6)]
    await put_stock(client, oms, batch)
    query = "{ products(first: 10) { edges { node { inventory { quantity } variants { inventory { quantity } } } } } }"
    stock_reads: list[tuple[Any, ...]] = []
    read_rows = stock_field.read_rows

    async def counted(sql: str, *params: Any) -> Any:
        stock_reads.append(params)
        return await read_rows(sql, *params)

    monkeypatch.setattr(stock_field, "read_rows", counted)

    data = await ask(client, "web", query)

    totals = sorted(edge["node"]["inventory"]["quantity"] for edge in data["products"]["edges"])
    assert totals == [5, 6]
    assert len(stock_reads) == 1  # every SKU of the page, the products' and their variants', in one query
