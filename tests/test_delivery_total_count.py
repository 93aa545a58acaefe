"""A list counts all its matches only when its query selects `totalCount` (directly, aliased, through
fragments), on Strawberry's path and on the fast path; otherwise it counts up to one past its page, and its
`pageInfo` stays the same."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cms.delivery import queries
from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.lib.cursors import encode_cursor
from cms.lib.graphql_http import graphql_answer
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from tests.conftest import build_client

WEB_PRODUCTS = 64
"""Products of the demo served on web in English."""
FULL_COUNT = "SELECT count(*) AS total FROM cms_projection WHERE"
CAPPED_COUNT = "SELECT count(*) AS total FROM (SELECT 1 FROM cms_projection WHERE"

COUNTED = {
    "plain": "{ products(first: 5) { totalCount nodes { id } } }",
    "alias": "{ products(first: 5) { nodes { id } all: totalCount } }",
    "named fragment with alias": (
        "{ products(first: 5) { ...Counted nodes { id } } } fragment Counted on ProductConnection { n: totalCount }"
    ),
    "nested fragments": (
        "{ products(first: 5) { ...Outer } } fragment Outer on ProductConnection { nodes { id } ...Inner }"
        " fragment Inner on ProductConnection { ... on ProductConnection { howMany: totalCount } }"
    ),
    "two aliases of the list": "{ a: products(first: 5) { nodes { id } } b: products(first: 5) { totalCount } }",
}


def context_for(model) -> DeliveryContext:  # type: ignore[no-untyped-def]
    return DeliveryContext(model, model.channels["web"], "en", JsonDialect(postgres=is_postgres(get_engine())))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL texts delivery's page reads send."""
    texts: list[str] = []
    for name in ("read_tuples", "read_rows"):
        original = getattr(queries, name)

        async def recording(sql: str, *params: Any, original: Any = original) -> Any:
            texts.append(sql)
            return await original(sql, *params)

        monkeypatch.setattr(queries, name, recording)
    return texts


async def run(model, path: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    if path == "fast":
        result = await execute_fast(schema, query, variables, None, context_for(model))
        assert result is not None, "the fast path answers this query"
    else:
        result = await schema.execute(query, variable_values=variables, context_value=context_for(model))
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def totals(data: Any) -> list[int]:
    """Every integer in the answer outside the nodes: the totals, whatever their aliases."""
    found: list[int] = []
    if isinstance(data, dict):
        for value in data.values():
            found += [value] if isinstance(value, int) and not isinstance(value, bool) else totals(value)
    elif isinstance(data, list):
        for item in data:
            found += totals(item)
    return found


@pytest.mark.parametrize("path", ["strawberry", "fast"])
@pytest.mark.parametrize("name", list(COUNTED))
async def test_a_selected_total_is_counted_whatever_its_spelling(model, demo_db, sent, path: str, name: str) -> None:  # type: ignore[no-untyped-def]
    data = await run(model, path, COUNTED[name])
    assert totals(data) == [WEB_PRODUCTS]
    assert any(FULL_COUNT in text for text in sent)


@pytest.mark.parametrize("path", ["strawberry", "fast"])
async def test_a_list_without_total_counts_only_past_its_page(model, demo_db, sent, round_trips, path: str) -> None:  # type: ignore[no-untyped-def]
    without = "{ products(first: 5) { nodes { id } pageInfo { hasNextPage endCursor } } }"
    with_total = "{ products(first: 5) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }"
    for query in (without, with_total):  # documents seen once are kept: both then read the same way
        await run(model, path, query)
    sent.clear()
    round_trips.count = 0
    lean = await run(model, path, without)
    lean_trips, round_trips.count = round_trips.count, 0
    assert not any(FULL_COUNT in text for text in sent) and any(CAPPED_COUNT in text for text in sent)
    counted = await run(model, path, with_total)
    # The total is read in the page's own query: the same round trips, one count stopping after 6 matches.
    assert round_trips.count == lean_trips
    assert lean["products"] == {key: value for key, value in counted["products"].items() if key != "totalCount"}
    assert counted["products"]["totalCount"] == WEB_PRODUCTS


@pytest.mark.parametrize("path", ["strawberry", "fast"])
@pytest.mark.parametrize(
    ("first", "offset"),
    [(20, 0), (20, 43), (20, 44), (20, 50), (20, 64), (20, 70), (0, 0), (0, 63), (0, 64), (64, 0), (63, 0)],
)
async def test_page_info_is_the_same_without_the_total(model, demo_db, path: str, first: int, offset: int) -> None:  # type: ignore[no-untyped-def]
    query = (
        "query($first: Int!, $after: Cursor) { products(first: $first, after: $after) { %s nodes { id } "
        "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } }"
    )
    variables = {"first": first, "after": encode_cursor(offset - 1) if offset else None}
    lean = (await run(model, path, query % "", variables))["products"]
    counted = (await run(model, path, query % "totalCount", variables))["products"]
    assert counted.pop("totalCount") == WEB_PRODUCTS
    assert lean == counted
    assert lean["pageInfo"]["hasNextPage"] is (offset + first < WEB_PRODUCTS)


async def test_an_empty_page_read_with_texts_needs_no_count_without_the_total(  # type: ignore[no-untyped-def]
    model, demo_db, round_trips, monkeypatch
) -> None:
    class AlwaysMissed(dict[str, float]):
        """Every page query missed its documents lately: it reads its texts at once, as rows."""

        def get(self, key: str, default: Any = None) -> float:  # type: ignore[override]
            return 1.0

    monkeypatch.setattr(queries, "_miss_rates", AlwaysMissed())
    after = encode_cursor(WEB_PRODUCTS + 5)
    query = "query($a: Cursor) { products(first: 10, after: $a) { %s nodes { id } pageInfo { hasNextPage } } }"
    trips = {}
    for selection in ("", "totalCount"):
        round_trips.count = 0
        data = await run(model, "strawberry", query % selection, {"a": after})
        trips[selection] = round_trips.count
        assert data["products"]["nodes"] == [] and data["products"]["pageInfo"] == {"hasNextPage": False}
        assert data["products"].get("totalCount", WEB_PRODUCTS) == WEB_PRODUCTS
    # Past the last page, a page read as rows carries no total: only a selected one is counted apart.
    assert trips[""] == trips["totalCount"] - 1


async def test_a_cached_answer_without_the_total_never_answers_a_query_with_it(app, model, demo_db) -> None:  # type: ignore[no-untyped-def]
    app.state.delivery.cache.clear()
    lean = "{ products(first: 3) { nodes { id } pageInfo { hasNextPage } } }"
    counted = "{ products(first: 3) { ...Page } } fragment Page on ProductConnection { nodes { id } n: totalCount }"
    async with build_client(app) as client:
        for _ in range(2):  # the second answer comes from the cache
            answer = (await client.post("/graphql/web", json={"query": lean})).json()
            assert answer["data"]["products"]["pageInfo"] == {"hasNextPage": True}
            assert "n" not in answer["data"]["products"]
        for _ in range(2):
            answer = (await client.post("/graphql/web", json={"query": counted})).json()
            assert answer["data"]["products"]["n"] == WEB_PRODUCTS


async def test_a_page_read_with_its_references_ahead_is_the_same_without_the_total(  # type: ignore[no-untyped-def]
    model, demo_db, round_trips
) -> None:
    schema = build_channel_schema(model, "web")
    query = (
        "query($n: Int!, $min: Decimal!) { products(first: $n, where: {price: {gte: $min}}) { %s nodes { name "
        "category { name parent { name } } } pageInfo { hasNextPage endCursor } } }"
    )
    variables = {"n": 7, "min": "20"}
    counted = await schema.execute(query % "totalCount", variable_values=variables, context_value=context_for(model))
    assert counted.data is not None and counted.data["products"].pop("totalCount") > 7
    trips = []
    for _ in range(3):  # from the second run on, its categories are read with its page (cms.delivery.fast.run)
        round_trips.count = 0
        lean = await execute_fast(schema, query % "", variables, None, context_for(model))
        trips.append(round_trips.count)
        assert lean is not None and lean.errors is None
        assert json.loads(graphql_answer(lean)[1])["data"] == counted.data  # nodes may be remembered bytes
    assert trips[1:] == [1, 1]
