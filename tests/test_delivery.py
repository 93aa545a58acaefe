"""Delivery GraphQL per channel: locales, visibility, pagination, filtering, sorting, lookups, round trips."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cms import model as _model_package  # noqa: F401 - imported for its side effect on PICCOLO_CONF
from cms.delivery import queries
from cms.delivery.documents import decoded_documents
from cms.store import database as store_database
from tests import conftest
from tests.factories import AVAILABILITY, CATEGORIES, build_catalogue, gtin13, has_french, product_values

PRODUCT_COUNT = 120


@pytest.fixture(scope="module")
async def catalogue(database: None, model) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    conftest._demo_is_intact = False
    await store_database.delete_all_content()
    return await build_catalogue(model, PRODUCT_COUNT)


async def gql(
    client: httpx.AsyncClient, channel: str, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    response = await client.post(f"/graphql/{channel}", json={"query": query, "variables": variables}, headers=headers)
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"]


async def gql_errors(
    client: httpx.AsyncClient, channel: str, query: str, variables: dict[str, Any] | None = None
) -> list[str]:
    response = await client.post(f"/graphql/{channel}", json={"query": query, "variables": variables})
    return [error["message"] for error in response.json()["errors"]]


def expected_products(predicate) -> set[str]:  # type: ignore[no-untyped-def]
    return {f"Product {index:03d}" for index in range(PRODUCT_COUNT) if predicate(index)}


async def names(client: httpx.AsyncClient, where: str) -> set[str]:
    data = await gql(client, "web", f"{{ products(first: 100, where: {where}) {{ totalCount nodes {{ name }} }} }}")
    found = {node["name"] for node in data["products"]["nodes"]}
    assert data["products"]["totalCount"] == len(found)
    return found


# -- channels and locales -----------------------------------------------------------------------


async def test_web_serves_english_by_default_and_french_on_request(client, catalogue) -> None:
    query = '{ product(by: { slug: "product-001" }) { name price { amount formatted } category { name } } }'
    english = await gql(client, "web", query)
    assert english["product"] == {
        "name": "Product 001",
        "price": {"amount": "6.50", "formatted": "€6.50"},
        "category": {"name": "Garden"},
    }
    french = await gql(client, "web", query.replace('"product-001" })', '"product-001" }, locale: fr)'))
    assert french["product"]["name"] == "Produit 001"
    assert french["product"]["price"]["formatted"] == "6,50\xa0€"
    assert french["product"]["category"] == {"name": "Jardin"}


async def test_kiosk_defaults_to_french_and_serves_its_override_and_kiosk_only_field(client, catalogue) -> None:
    query = '{ product(by: { slug: "product-001" }) { name aisle } }'
    assert (await gql(client, "kiosk", query))["product"] == {"name": "Borne 001", "aisle": "A1"}
    english = await gql(client, "kiosk", '{ product(by: { slug: "product-001" }, locale: en) { name } }')
    assert english["product"]["name"] == "Product 001"
    web_errors = await gql_errors(client, "web", query)
    assert any("aisle" in message for message in web_errors)


async def test_missing_french_falls_back_to_english(client, catalogue) -> None:
    index = next(i for i in range(PRODUCT_COUNT) if not has_french(i))
    data = await gql(
        client,
        "web",
        f'{{ product(by: {{ slug: "product-{index:03d}" }}, locale: fr) {{ name category {{ name }} }} }}',
    )
    assert data["product"]["name"] == f"Product {index:03d}"
    category_fr = {slug: french or english for slug, english, french in CATEGORIES}
    assert data["product"]["category"]["name"] == category_fr[CATEGORIES[index % 3][0]]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "Produit 001"),
        ("de-DE, en;q=0.5", "Product 001"),
        ("de, fr;q=0.2", "Produit 001"),
        ("en;q=0.1, fr;q=0.9", "Produit 001"),
        ("", "Product 001"),
    ],
)
async def test_accept_language_picks_the_locale(client, catalogue, header: str, expected: str) -> None:
    data = await gql(client, "web", '{ product(by: { slug: "product-001" }) { name } }', **{"Accept-Language": header})
    assert data["product"]["name"] == expected


async def test_locale_argument_wins_over_accept_language(client, catalogue) -> None:
    data = await gql(
        client, "web", '{ product(by: { slug: "product-001" }, locale: en) { name } }', **{"Accept-Language": "fr"}
    )
    assert data["product"]["name"] == "Product 001"


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("{ products(locale: de) { totalCount } }", None, "Value 'de' does not exist in 'Locale' enum."),
        ('{ products(locale: "fr") { totalCount } }', None, "Enum 'Locale' cannot represent non-enum value: \"fr\"."),
        (
            "query Q($l: Locale) { products(locale: $l) { totalCount } }",
            {"l": ""},
            "Variable '$l' has invalid value: Value '' does not exist in 'Locale' enum.",
        ),
    ],
    ids=["unknown", "a string", "empty, in a variable"],
)
async def test_a_locale_the_channel_does_not_serve_fails_validation(client, query, variables, message) -> None:  # type: ignore[no-untyped-def]
    """The channel's locales are its `Locale` enum: nothing runs, the schema says which exist (400, no data)."""
    response = await client.post("/graphql/web", json={"query": query, "variables": variables})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)
    assert "data" not in response.json()


async def test_the_locale_enum_lists_only_the_channel_locales(client) -> None:  # type: ignore[no-untyped-def]
    data = await gql(client, "web", '{ __type(name: "Locale") { enumValues { name } } }')
    assert [value["name"] for value in data["__type"]["enumValues"]] == ["en", "fr"]


# -- schema per channel -------------------------------------------------------------------------

FIELDS_OF = '{ __type(name: "%s") { fields { name } } }'


async def type_fields(client: httpx.AsyncClient, channel: str, type_name: str) -> set[str] | None:
    data = await gql(client, channel, FIELDS_OF % type_name)
    return None if data["__type"] is None else {field["name"] for field in data["__type"]["fields"]}


async def test_email_schema_has_subject_line_and_preheader_and_web_has_not(client) -> None:
    email = await type_fields(client, "email", "BrandMessage")
    web = await type_fields(client, "web", "BrandMessage")
    assert email is not None and web is not None
    assert {"subjectLine", "preheader"} <= email
    assert not {"subjectLine", "preheader", "socialText"} & web
    assert "socialText" in (await type_fields(client, "social", "BrandMessage") or set())


async def test_rich_text_shape_follows_the_channel_renderer(client) -> None:
    assert await type_fields(client, "web", "RichText") == {"html", "blocks"}
    assert await type_fields(client, "app", "RichText") == {"html", "blocks"}
    assert await type_fields(client, "email", "RichText") == {"html", "text"}
    assert await type_fields(client, "kiosk", "RichText") == {"text"}
    assert await type_fields(client, "social", "RichText") == {"text"}


async def test_social_channel_exposes_only_its_types(client) -> None:
    query_fields = await type_fields(client, "social", "Query")
    assert query_fields == {
        "product",
        "products",
        "brandMessage",
        "brandMessages",
        "offer",
        "offers",
        "sync",
        "search",
        "searchSuggest",
    }
    assert await type_fields(client, "social", "Tutorial") is None
    # A product on social has no category field: categories are not served there.
    assert "category" not in (await type_fields(client, "social", "Product") or set())


# -- pagination, filtering, sorting -------------------------------------------------------------


async def test_pagination_walks_every_product_once_in_order(client, catalogue) -> None:
    query = """query($after: Cursor) {
      products(first: 25, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name } }
      }
    }"""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await gql(client, "web", query, {"after": after}))["products"]
        pages += 1
        assert page["totalCount"] == PRODUCT_COUNT
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [edge["node"]["name"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 5
    assert seen == sorted(f"Product {index:03d}" for index in range(PRODUCT_COUNT))


async def test_a_page_size_outside_the_range_is_served_as_the_nearest_bound(client, catalogue) -> None:
    # GraphQL's Int cannot say 0..100: a larger page is served as 100 (hasNextPage says there is more), a negative as 0
    query = "query($first: Int!) { products(first: $first) { totalCount nodes { id } pageInfo { hasNextPage } } }"
    over = (await gql(client, "web", query, {"first": 101}))["products"]
    under = (await gql(client, "web", query, {"first": -5}))["products"]
    assert (len(over["nodes"]), over["pageInfo"]["hasNextPage"], over["totalCount"]) == (100, True, PRODUCT_COUNT)
    assert (under["nodes"], under["pageInfo"]["hasNextPage"], under["totalCount"]) == ([], True, PRODUCT_COUNT)


async def test_a_forged_cursor_fails_validation(client, catalogue) -> None:
    forged = '{ products(after: "bm90LWEtY3Vyc29y") { totalCount } }'
    response = await client.post("/graphql/web", json={"query": forged})
    assert response.status_code == 400 and "data" not in response.json()
    assert "is not a cursor returned by this API" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("where", "predicate"),
    [
        ('{price: {gte: "100", lt: "110"}}', lambda i: 100 <= 5 + i + 0.5 < 110),
        ("{availability: {in: [PREORDER, LOW_STOCK]}}", lambda i: AVAILABILITY[i % 4] in ("preorder", "low_stock")),
        ("{availability: {eq: IN_STOCK}}", lambda i: i % 4 == 0),
        ('{name: {contains: "PRODUCT 01"}}', lambda i: f"{i:03d}".startswith("01")),
        ("{featured: {eq: true}}", lambda i: i % 5 == 0),
        ("{featured: {eq: false}, stock: {gte: 5}}", lambda i: i % 5 != 0 and i % 7 >= 5),
        ("{stock: {in: [0, 6]}}", lambda i: i % 7 in (0, 6)),
        ('{rating: {gt: "3"}}', lambda i: i % 3 != 0 and (i % 5) + 0.5 > 3),
        (f'{{gtin: {{eq: "{gtin13(5)}"}}}}', lambda i: i == 5),
    ],
)
async def test_filters_select_exactly_the_matching_products(client, catalogue, where: str, predicate) -> None:  # type: ignore[no-untyped-def]
    assert await names(client, where) == expected_products(predicate)


async def test_filter_on_a_reference_by_id(client, catalogue) -> None:
    garden = catalogue["categories"]["garden"]
    found = await names(client, f'{{category: {{eq: "{garden}"}}}}')
    assert found == expected_products(lambda i: i % 3 == 1)


async def test_sorting_by_price_descending_then_by_stock(client, catalogue) -> None:
    data = await gql(
        client, "web", "{ products(first: 5, orderBy: [{field: PRICE, direction: DESC}]) { nodes { name } } }"
    )
    assert [node["name"] for node in data["products"]["nodes"]] == [f"Product {i:03d}" for i in range(119, 114, -1)]
    data = await gql(
        client,
        "web",
        "{ products(first: 100, orderBy: [{field: STOCK}, {field: PRICE, direction: DESC}])"
        " { nodes { stock price { amount } } } }",
    )
    keys = [(node["stock"], -float(node["price"]["amount"])) for node in data["products"]["nodes"]]
    assert keys == sorted(keys)


async def test_products_without_a_rating_sort_last_either_way(client, catalogue) -> None:
    for direction in ("ASC", "DESC"):
        data = await gql(
            client,
            "web",
            f"{{ products(first: 100, orderBy: [{{field: RATING, direction: {direction}}}])"
            " { nodes { rating } } }",
        )
        ratings = [node["rating"] for node in data["products"]["nodes"]]
        rated = [r for r in ratings if r is not None]
        assert ratings[: len(rated)] == rated
        assert rated == sorted(rated, key=float, reverse=direction == "DESC")


# -- lookups ------------------------------------------------------------------------------------


async def test_a_scanned_gtin_finds_its_product(client, catalogue) -> None:
    gtin = product_values(42, "unused")["gtin"]
    data = await gql(client, "app", f'{{ product(by: {{ gtin: "{gtin}" }}) {{ name slug }} }}')
    assert data["product"] == {"name": "Product 042", "slug": "product-042"}


async def test_lookup_by_id_and_unknown_slug(client, catalogue) -> None:
    product_id = catalogue["products"]["product-007"]
    data = await gql(
        client,
        "web",
        f'{{ product(by: {{ id: "{product_id}" }}) {{ id name }} missing: product(by: {{ slug: "nope" }}) {{ id }} }}',
    )
    assert data == {"product": {"id": product_id, "name": "Product 007"}, "missing": None}


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ('{ slug: "a", gtin: "b" }', "OneOf Input Object 'ProductBy' must specify exactly one key."),
        ("{}", "OneOf Input Object 'ProductBy' must specify exactly one key."),
        ("{ slug: null }", "Field 'ProductBy.slug' must be non-null."),
    ],
    ids=["two keys", "none", "null"],
)
async def test_a_lookup_takes_exactly_one_key_by_validation(client, by: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """`by` is a @oneOf input: a request giving two keys, none or a null one fails validation (400, no data)."""
    response = await client.post("/graphql/web", json={"query": f"{{ product(by: {by}) {{ id }} }}"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message, "locations": response.json()["errors"][0]["locations"]}]}


async def test_a_lookup_by_a_variable_key_runs(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    query = "query Q($by: ProductBy!) { product(by: $by) { name } }"
    assert (await gql(client, "web", query, {"by": {"gtin": product_values(42, "unused")["gtin"]}}))[
        "product"
    ] is not None
    response = await client.post("/graphql/web", json={"query": query, "variables": {"by": {"gtin": "1", "sku": "2"}}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "OneOf Input Object 'ProductBy' must specify exactly one key."


# -- round trips ----------------------------------------------------------------------------------

LIST_WITH_REFERENCES = (
    "query($n: Int!) { products(first: $n) { totalCount nodes { name category { name parent { name } } } } }"
)


async def test_database_round_trips_do_not_grow_with_the_number_of_items(client, app, catalogue, round_trips) -> None:  # type: ignore[no-untyped-def]
    counts: dict[tuple[int, str], int] = {}
    decoded_documents.clear()
    queries._miss_rates.clear()
    for size in (10, 100):
        for seen in ("first", "again"):  # documents seen for the first time have their text read
            app.state.delivery.cache.clear()
            round_trips.count = 0
            data = await gql(client, "web", LIST_WITH_REFERENCES, {"n": size})
            assert len(data["products"]["nodes"]) == size
            assert all(node["category"]["name"] for node in data["products"]["nodes"])
            counts[size, seen] = round_trips.count
    # The first time: the page with its total, then a batch per level (category, parent), and the texts of
    # documents not kept yet (at most one more query each), whatever the number of items.
    assert 3 <= counts[10, "first"] <= 6 and 3 <= counts[100, "first"] <= 6
    # Asked again, the page reads the references the same query loaded last time: one round trip (and on
    # PostgreSQL without the invalidation listener, one for the content version).
    assert counts[10, "again"] == counts[100, "again"] == 1 + bool(conftest.POSTGRES_URL)


async def test_first_zero_and_a_page_past_the_end_still_count(client, catalogue) -> None:
    data = await gql(client, "web", "{ products(first: 0) { totalCount nodes { name } pageInfo { hasNextPage } } }")
    assert data["products"] == {"totalCount": PRODUCT_COUNT, "nodes": [], "pageInfo": {"hasNextPage": True}}
    query = "query($a: Cursor) { products(first: 100, after: $a) { totalCount nodes { name } pageInfo { endCursor } } }"
    after = None
    for expected_size in (100, PRODUCT_COUNT - 100, 0):
        page = (await gql(client, "web", query, {"a": after}))["products"]
        assert (len(page["nodes"]), page["totalCount"]) == (expected_size, PRODUCT_COUNT)
        after = page["pageInfo"]["endCursor"] or after


async def test_an_unexpected_failure_is_masked_and_not_leaked(client, catalogue, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cms.delivery import schema

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("SELECT secret FROM cms_projection")

    monkeypatch.setattr(schema, "fetch_page", broken)
    response = await client.post("/graphql/web", json={"query": "{ products { totalCount } }"})
    assert response.status_code == 200
    assert [error["message"] for error in response.json()["errors"]] == ["Unexpected error."]
    assert "secret" not in response.text
