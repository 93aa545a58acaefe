"""A stock batch changes the cached answers showing stock (documents selecting `inventory`) and no others:
it bumps the stock version, not the content version (cms.store.content_version, cms.delivery.cache)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from cms.delivery.cache import shows_stock
from cms.delivery.operations import operation_id
from cms.model import ContentModel
from cms.store.content_version import Versions, bump_content_version, bump_stock_version, read_versions
from tests.commerce.helpers import T1, T2, line, products_with_skus, put_stock
from tests.conftest import ROOT
from tests.factories import gtin13
from tests.management_client import token_for

NAME = "query Name($slug: String!) { product(by: {slug: $slug}) { sku name } }"
SHELF = "query Shelf($slug: String!) { product(by: {slug: $slug}) { sku inventory(store: LYON_STORE) { quantity } } }"
IN_A_FRAGMENT = """
query Shelf($slug: String!) { product(by: {slug: $slug}) { ...Stock } }
fragment Stock on Product { units: inventory(store: LYON_STORE) { quantity } }
"""


@pytest.fixture
async def oms(model: ContentModel, clean_db: None) -> str:
    await products_with_skus(model, "KET-01")  # slug product-000, GTIN gtin13(0)
    return await token_for(model, "inventory:write", name="oms")


async def post(client: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await client.post(
        "/graphql/kiosk", json={"query": query, "variables": {"slug": "product-000"}}, headers=headers
    )


async def persisted(client: httpx.AsyncClient, name: str, **headers: str) -> httpx.Response:
    """A kiosk persisted operation by id over GET (the hit lane's way), for the product on the Lyon shelf."""
    text = (ROOT / "graphql" / "operations" / "kiosk" / f"{name}.graphql").read_text(encoding="utf-8")
    variables = {"gtin": gtin13(0), **({"store": "LYON_STORE"} if name == "StoreShelf" else {})}
    params = {"id": operation_id(text), "variables": json.dumps(variables)}
    return await client.get("/graphql/kiosk", params=params, headers=headers)


def units(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    product = response.json()["data"]["product"]
    return (product.get("inventory") or product.get("units"))["quantity"]


async def test_an_answer_not_showing_stock_stays_cached_across_a_stock_batch(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    cache = app.state.delivery.cache
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    first = await post(client, NAME)
    misses, hits = cache.misses, cache.hits

    changed = await put_stock(client, oms, [line("KET-01", "lyon_store", 1, T2)])
    again = await post(client, NAME)
    not_modified = await post(client, NAME, **{"If-None-Match": first.headers["etag"]})

    assert changed.json()["changed"] == 1
    assert (cache.misses, cache.hits) == (misses, hits + 2)  # served from the cache, never computed again
    assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    assert not_modified.status_code == 304


async def test_an_answer_showing_stock_changes_after_a_stock_batch_with_a_new_etag(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    before = await post(client, SHELF)
    assert units(await post(client, SHELF)) == 9  # cached now

    await put_stock(client, oms, [line("KET-01", "lyon_store", 1, T2)])
    after = await post(client, SHELF, **{"If-None-Match": before.headers["etag"]})

    assert units(after) == 1  # a 200, not a 304: the old ETag names the old stock
    assert after.headers["etag"] != before.headers["etag"]
    assert (await post(client, SHELF, **{"If-None-Match": after.headers["etag"]})).status_code == 304


async def test_persisted_operations_by_get_follow_stock_only_where_they_show_it(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    cache = app.state.delivery.cache
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    scanned, shelf = await persisted(client, "ProductByGtin"), await persisted(client, "StoreShelf")
    assert units(shelf) == 9
    await persisted(client, "ProductByGtin")  # remembered by the hit lane
    misses = cache.misses

    await put_stock(client, oms, [line("KET-01", "lyon_store", 0, T2)])
    scanned_again = await persisted(client, "ProductByGtin")
    assert cache.misses == misses  # the scan, not showing stock, came from the cache
    shelf_again = await persisted(client, "StoreShelf")

    assert cache.misses == misses + 1  # the shelf, showing stock, was computed again
    assert (scanned_again.content, scanned_again.headers["etag"]) == (scanned.content, scanned.headers["etag"])
    assert units(shelf_again) == 0
    assert shelf_again.headers["etag"] != shelf.headers["etag"]


async def test_stock_selected_in_a_fragment_under_an_alias_changes_too(client, oms) -> None:  # type: ignore[no-untyped-def]
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    assert units(await post(client, IN_A_FRAGMENT)) == 9
    assert units(await post(client, IN_A_FRAGMENT)) == 9

    await put_stock(client, oms, [line("KET-01", "lyon_store", 4, T2)])

    assert units(await post(client, IN_A_FRAGMENT)) == 4


async def test_a_stock_batch_bumps_the_stock_version_and_leaves_the_content_version(client, oms) -> None:  # type: ignore[no-untyped-def]
    before = await read_versions()

    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])  # sent again: changes nothing

    assert await read_versions() == Versions(before.content, before.stock + 1)


async def test_a_content_change_still_changes_answers_not_showing_stock(client, oms) -> None:  # type: ignore[no-untyped-def]
    first = await post(client, NAME)
    await bump_content_version()  # what every publish does in its transaction

    again = await post(client, NAME)

    assert again.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    "document",
    [
        SHELF,
        IN_A_FRAGMENT,
        "{ products { edges { node { selectedVariant { inventory { status } } } } } }",
        '{product(by:{slug:"x"}){inventory{status}}}',
    ],
)
def test_documents_selecting_inventory_show_stock(document: str) -> None:
    assert shows_stock(document)


@pytest.mark.parametrize(
    "document",
    [NAME, '{ product(by: {slug: "x"}) { availability inventoryNote } }', "{ product { _inventory sku } }"],
)
def test_documents_not_selecting_inventory_do_not_show_stock(document: str) -> None:
    assert not shows_stock(document)


async def test_a_stock_batch_drops_only_the_cached_answers_showing_stock(client, app, oms) -> None:  # type: ignore[no-untyped-def]
    cache = app.state.delivery.cache
    await put_stock(client, oms, [line("KET-01", "lyon_store", 9, T1)])
    await post(client, NAME)
    await post(client, SHELF)
    await post(client, IN_A_FRAGMENT)
    assert len(cache) == 3
    misses = cache.misses

    await put_stock(client, oms, [line("KET-01", "lyon_store", 1, T2)])
    for _ in range(100):  # a request reads the versions (SQLite); PostgreSQL's listener is told within a second
        await post(client, NAME)
        if len(cache) == 1:
            break
        await asyncio.sleep(0.01)

    assert len(cache) == 1
    assert cache.misses == misses  # the one kept is the page not showing stock: never computed again


async def test_a_stock_change_gives_a_new_stamp_with_the_same_content_version_and_window(app, clean_db) -> None:  # type: ignore[no-untyped-def]
    freshness = app.state.delivery.freshness
    first = await freshness.stamp()

    await bump_stock_version()
    changed = await freshness.stamp()

    assert changed is not first  # the hit lane hashes an answer key once per stamp object
    assert (changed.version, changed.window_end, changed.stock) == (first.version, first.window_end, first.stock + 1)
    assert await freshness.stamp() is changed
