"""Search on delivery: what a channel finds is what it serves (published, in its window, its types), facets
that add up, plain text on text channels, clear errors, and the same answers through both execution paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions, unpublish
from cms.search import postgres, sqlite
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.entries import create_entry
from tests import conftest
from tests.factories import build_catalogue, product_values
from tests.search.helpers import post, product_id, search, slugs
from tests.test_offers_delivery import ENDS, MICROSECOND, STARTS, published  # noqa: F401 - a fixture

FACETS = "facets { field values { value label count min max } }"


def facet(result: dict[str, Any], name: str) -> dict[str, int]:
    return next({v["value"]: v["count"] for v in f["values"]} for f in result["facets"] if f["field"] == name)


async def facets_of(client, channel: str, text: str, locale: str, where: dict[str, Any] | None = None) -> Any:  # type: ignore[no-untyped-def]
    query = (
        "query F($q: String!, $l: Locale, $w: SearchWhere) "
        f"{{ search(query: $q, locale: $l, where: $w, first: 50) {{ totalCount {FACETS} }} }}"
    )
    body = await post(client, channel, query, {"q": text, "l": locale, "w": where})
    assert "errors" not in body, body
    return body["data"]["search"]


# -- language -------------------------------------------------------------------------------------


@pytest.fixture
async def shoes(clean_db: None, model: ContentModel) -> None:
    """Two products written for the test: walking shoes (French plural) and an elegant candle (accents)."""
    ids = await build_catalogue(model, 0)
    category = ids["categories"]["kitchen"]
    versions = []
    for index, (english, french) in enumerate(
        [("Cime walking shoes", "Chaussures de marche Cime"), ("Elegant candle", "Bougie élégante Opéra")]
    ):
        base = {"en": {**product_values(900 + index, category), "name": english}, "fr": {"name": french}}
        versions.append(await create_entry(model, model.types["product"], EntryData(base=base)))
    await publish_versions(model, versions)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("chaussure", "Chaussures de marche Cime"),
        ("CHAUSSURES", "Chaussures de marche Cime"),
        ("elegante", "Bougie élégante Opéra"),
        ("opera", "Bougie élégante Opéra"),
        ("bougies", "Bougie élégante Opéra"),
        ("chaus", "Chaussures de marche Cime"),
        ("chausures", "Chaussures de marche Cime"),
    ],
    ids=["singular", "upper-case", "accents", "accents-in-name", "plural", "prefix", "typo"],
)
async def test_french_is_stemmed_accent_folded_prefixed_and_forgives_a_typo(
    client, shoes, typed: str, found: str
) -> None:  # type: ignore[no-untyped-def]
    query = f'{{ search(query: "{typed}", locale: fr) {{ edges {{ node {{ ... on Product {{ name }} }} }} }} }}'
    body = await post(client, "web", query)
    assert [edge["node"]["name"] for edge in body["data"]["search"]["edges"]][:1] == [found]


async def test_a_short_word_is_not_forgiven_a_typo(client, shoes) -> None:  # type: ignore[no-untyped-def]
    body = await post(client, "web", '{ search(query: "cimo", locale: fr) { totalCount } }')
    assert body["data"]["search"]["totalCount"] == 0


# -- what is served -------------------------------------------------------------------------------


async def test_an_unpublished_entry_is_never_found(client, model, demo_to_change) -> None:  # type: ignore[no-untyped-def]
    # Given the Figuier candle, found by name
    assert "figuier-scented-candle" in slugs(await search(client, "web", "figuier", locale="en"))
    # When it is unpublished
    await unpublish(product_id("figuier-scented-candle"), model=model)
    # Then no channel, locale or code finds it
    for channel, text, locale in (
        ("web", "figuier", "en"),
        ("kiosk", "bougie figuier", "fr"),
        ("app", "3760123000284", "en"),
    ):
        assert "figuier-scented-candle" not in slugs(await search(client, channel, text, locale=locale))


async def test_offer_copy_is_found_only_within_the_offer_window(client, published) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    clock = published
    for instant, live in ((STARTS - MICROSECOND, False), (STARTS, True), (ENDS - MICROSECOND, True), (ENDS, False)):
        clock.set(instant)
        # The code is said only by the offer and by the sentence of the message naming it.
        result = await search(client, "web", "SPRING25", locale="en")
        assert sorted(slugs(result)) == (["spring-garden", "spring-sale"] if live else []), instant
        # The message itself is found all along by the words outside that sentence.
        assert slugs(await search(client, "web", "garden tools team", locale="en")) == ["spring-garden"]


async def test_a_channel_finds_only_the_types_it_exposes(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    # Tutorials are served on web, not on social
    assert "repot-a-houseplant-in-terracotta" in slugs(await search(client, "web", "repot houseplant", locale="en"))
    result = await facets_of(client, "social", "repot houseplant terracotta", "en")
    assert "TUTORIAL" not in facet(result, "type")
    body = await post(client, "social", '{ search(query: "x", where: {types: [TUTORIAL]}) { totalCount } }')
    assert "TUTORIAL" in body["errors"][0]["message"]


async def test_the_assistant_answers_in_plain_french_text(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    query = (
        '{ search(query: "plaid en lin", first: 2) { edges { highlights { snippet }'
        " node { ... on Product { name } } } } }"
    )
    body = await post(client, "assistant", query)
    edges = body["data"]["search"]["edges"]
    assert edges and all("Plaid en lin" in edge["node"]["name"] for edge in edges)  # French by default
    snippets = [h["snippet"] for edge in edges for h in edge["highlights"]]
    assert snippets and all("<" not in s and "«" in s for s in snippets)
    assert "«Plaid» en «lin»" in snippets[0]


async def test_html_channels_mark_matches_and_escape_the_rest(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    result = await search(client, "web", "casserole", locale="en", first=1)
    snippets = [h["snippet"] for h in result["edges"][0]["highlights"]]
    assert any("<mark>casserole</mark>" in s for s in snippets)


# -- facets ---------------------------------------------------------------------------------------


async def test_facets_add_up_to_the_total_where_values_exclude_each_other(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    result = await facets_of(client, "web", "lampe", "fr")
    products = facet(result, "type")["PRODUCT"]
    assert sum(facet(result, "type").values()) == result["totalCount"]
    # Every product has one availability, one price bucket, one category and one brand
    for name in ("availability", "price", "category", "brand"):
        assert sum(facet(result, name).values()) == products, name
    category = next(f for f in result["facets"] if f["field"] == "category")["values"][0]
    assert category["label"] == "Luminaires"


async def test_a_facet_filter_narrows_the_results_and_the_other_facets_but_not_its_own(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    everything = await facets_of(client, "web", "lamp", "en")
    in_stock = await facets_of(client, "web", "lamp", "en", {"availability": ["IN_STOCK"]})
    assert in_stock["totalCount"] == facet(everything, "availability")["IN_STOCK"]
    assert facet(in_stock, "availability") == facet(everything, "availability")  # its own values still count
    assert sum(facet(in_stock, "price").values()) == in_stock["totalCount"]
    cheap = await facets_of(client, "web", "lamp", "en", {"price": {"gte": 100, "lt": 150}})
    assert 0 < cheap["totalCount"] < facet(everything, "price")["100-200"]
    body = await post(
        client,
        "web",
        '{ search(query: "lamp", locale: en, first: 50, where: {price: {lt: 150}})'
        " { edges { node { ... on Product { price { amount } } } } } }",
    )
    assert all(float(edge["node"]["price"]["amount"]) < 150 for edge in body["data"]["search"]["edges"])


# -- input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ('query: "%s"' % ("a" * 201), "over the limit of 200"),
    ],
)
async def test_bad_input_gets_a_clear_graphql_error(client, demo_db, arguments: str, message: str) -> None:  # type: ignore[no-untyped-def]
    body = await post(client, "web", f"{{ search({arguments}) {{ totalCount }} }}")
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


async def test_a_forged_cursor_fails_validation(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    body = await post(client, "web", '{ search(query: "lamp", after: "nope") { totalCount } }')
    assert "data" not in body and "'nope' is not a cursor returned by this API" in body["errors"][0]["message"]


@pytest.mark.parametrize("query", ["", " -- "])
async def test_a_query_with_nothing_to_search_finds_nothing(client, demo_db, query: str) -> None:  # type: ignore[no-untyped-def]
    found = await search(client, "web", query)
    assert (found["totalCount"], found["edges"]) == (0, [])


@pytest.mark.parametrize(("first", "served"), [(51, 50), (-1, 0)])
async def test_a_page_size_outside_the_range_is_served_as_the_nearest_bound(  # type: ignore[no-untyped-def]
    client, demo_db, first: int, served: int
) -> None:
    body = await post(client, "web", f'{{ search(query: "a", first: {first}) {{ totalCount edges {{ score }} }} }}')
    found = body["data"]["search"]
    assert found["totalCount"] > 50 and len(found["edges"]) == served


async def test_suggestions_complete_titles(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    body = await post(client, "web", '{ searchSuggest(prefix: "bou", locale: fr) { text type } }')
    texts = [s["text"] for s in body["data"]["searchSuggest"]]
    assert 0 < len(texts) <= 10 and len(set(texts)) == len(texts)
    assert all(text.startswith(("Bougie", "Bouilloire")) for text in texts)
    over = await post(client, "web", '{ searchSuggest(prefix: "bou", locale: fr, first: 11) { text type } }')
    assert over["data"]["searchSuggest"] == body["data"]["searchSuggest"]  # served as the most: 10
    nothing = await post(client, "web", '{ searchSuggest(prefix: " ", locale: fr) { text } }')
    assert nothing == {"data": {"searchSuggest": []}}


# -- paging, caching, both paths ------------------------------------------------------------------


async def test_pages_follow_one_another(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    query = (
        'query P($after: Cursor) { search(query: "teapot", locale: en, first: 2, after: $after,'
        " where: {types: [PRODUCT]}) { totalCount pageInfo { hasNextPage endCursor }"
        " edges { node { ... on Product { slug } } } } }"
    )
    seen: list[str] = []
    after = None
    while True:
        page = (await post(client, "web", query, {"after": after}))["data"]["search"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] >= 4


async def test_answers_are_cached_until_content_changes(client, model, demo_to_change) -> None:  # type: ignore[no-untyped-def]
    query = {"query": '{ search(query: "figuier", locale: en) { totalCount } }'}
    first = await client.post("/graphql/web", json=query)
    again = await client.post("/graphql/web", json=query, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert product_id("figuier-scented-candle") in first.headers["surrogate-key"]
    await unpublish(product_id("figuier-scented-candle"), model=model)
    after = await client.post("/graphql/web", json=query, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.json()["data"]["search"]["totalCount"] == 0


async def test_a_search_ranks_and_counts_its_most_recent_matches_at_most(client, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    query = (
        '{ %s: search(query: "teapot", locale: en, first: 50, where: {types: [PRODUCT]}) { totalCount'
        " pageInfo { hasNextPage } edges { node { ... on Product { slug } } } facets { field values { count } } } }"
    )
    every = (await post(client, "web", query % "every"))["data"]["every"]
    assert every["totalCount"] >= 4
    monkeypatch.setattr(sqlite, "MOST_CANDIDATES", 2)
    monkeypatch.setattr(postgres, "MOST_CANDIDATES", 2)
    capped = (await post(client, "web", query % "capped"))["data"]["capped"]
    assert capped["totalCount"] == len(capped["edges"]) == 2 and not capped["pageInfo"]["hasNextPage"]
    assert {e["node"]["slug"] for e in capped["edges"]} < {e["node"]["slug"] for e in every["edges"]}
    assert sum(v["count"] for f in capped["facets"] if f["field"] == "type" for v in f["values"]) == 2


async def test_a_repeated_search_reads_its_page_and_documents_in_one_round_trip(  # type: ignore[no-untyped-def]
    client, demo_db, round_trips
) -> None:
    selection = '(query: "scented candle", locale: en) { edges { node { ... on Product { slug } } } }'

    def query(alias: str) -> dict[str, str]:  # another alias each time: not answered from the response cache
        return {"query": f"{{ {alias}: search{selection} }}"}

    first = (await client.post("/graphql/web", json=query("first"))).json()["data"]["first"]
    round_trips.count = 0
    again = (await client.post("/graphql/web", json=query("again"))).json()["data"]["again"]
    assert again == first and len(first["edges"]) >= 4
    # The documents come by the hashes read with the page (and on PostgreSQL without the invalidation listener,
    # one round trip for the content version).
    assert round_trips.count == 1 + bool(conftest.POSTGRES_URL)


@pytest.mark.parametrize(
    "query",
    [
        '{ search(query: "bougie", locale: fr, first: 3) { totalCount pageInfo { hasNextPage endCursor }'
        " edges { cursor score highlights { field snippet } } } }",
        '{ searchSuggest(prefix: "lamp", locale: en) { text id type } }',
        '{ search(query: "lamp", locale: en) { totalCount'
        " edges { node { ... on Product { name price { formatted } } } } facets { field values { value count } } } }",
        '{ search(query: "bougie", locale: fr) { totalCount edges { score highlights { snippet } node { __typename'
        " ... on Product { id name price { formatted } category { name } } ... on Tutorial { title } } } } }",
        '{ search(query: "candle") { edges { node { ... on Tutorial { title } } } } }',
    ],
    ids=["edges", "suggestions", "nodes-and-facets", "nodes-of-several-types", "one-member-selected"],
)
async def test_both_execution_paths_give_the_same_answer(model, demo_db, query: str) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")

    def context() -> DeliveryContext:
        return DeliveryContext(model, model.channels["web"], "en", JsonDialect(postgres=is_postgres(get_engine())))

    regular = await schema.execute(query, context_value=context())
    assert regular.errors is None, regular.errors
    fast = await execute_fast(schema, query, None, None, context())
    if fast is not None:  # facets are Strawberry's: the fast path leaves them
        assert fast.errors is None
        assert json.dumps(fast.data, sort_keys=True) == json.dumps(regular.data, sort_keys=True)
    assert (fast is None) == ("facets" in query)
