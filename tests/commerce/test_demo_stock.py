"""The demo ships stock at its warehouse and two stores, so the two kiosks show different shelves."""

from __future__ import annotations

from cms.store.database import get_engine
from tests.demo_data import demo_entries

LOCATIONS = {"central_warehouse", "paris_store", "lyon_store"}


async def test_every_demo_product_and_variant_has_stock_at_the_warehouse_and_both_stores(demo_db) -> None:  # type: ignore[no-untyped-def]
    products = {entry.base["en"]["sku"] for entry in demo_entries() if "sku" in entry.base["en"]}
    variants = {v["sku"] for entry in demo_entries() for v in entry.base["en"].get("variants") or []}
    skus = products | variants

    rows = await get_engine().run_ddl("SELECT sku, location, quantity FROM cms_stock")

    assert {(row["sku"], row["location"]) for row in rows} == {(sku, where) for sku in skus for where in LOCATIONS}
    assert len(products) > 10
    assert len(variants - products) > 10


async def test_the_paris_and_lyon_kiosks_differ_for_some_demo_product(demo_db, client) -> None:  # type: ignore[no-untyped-def]
    query = "query($s: Store) { products(first: 100) { edges { node { sku inventory(store: $s) { status } } } } }"

    def statuses(body: dict) -> dict[str, str]:  # type: ignore[type-arg]
        return {edge["node"]["sku"]: edge["node"]["inventory"]["status"] for edge in body["data"]["products"]["edges"]}

    paris = statuses(
        (await client.post("/graphql/kiosk", json={"query": query, "variables": {"s": "PARIS_STORE"}})).json()
    )
    lyon = statuses(
        (await client.post("/graphql/kiosk", json={"query": query, "variables": {"s": "LYON_STORE"}})).json()
    )

    assert paris.keys() == lyon.keys()
    assert {sku for sku in paris if paris[sku] == "IN_STOCK" and lyon[sku] == "OUT"}
    assert {sku for sku in paris if paris[sku] == "OUT" and lyon[sku] != "OUT"}
