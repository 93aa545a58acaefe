"""Query cost (list sizes multiply, across fragments) and the refusals of abusive queries before any query runs."""

from __future__ import annotations

from typing import Any

import pytest

from cms.delivery.operations import load_operations
from cms.delivery.schema import MAX_PAGE_SIZE, build_channel_schema
from cms.lib.query_cost import operation_cost
from cms.lib.query_limits import Limits
from graphql import GraphQLSchema, parse
from tests.conftest import ROOT
from tests.test_query_limits import doubling_chain

LIMIT = Limits().max_cost


@pytest.fixture(scope="module")
def web(model) -> GraphQLSchema:  # type: ignore[no-untyped-def]
    return build_channel_schema(model, "web")._schema


def cost(schema: GraphQLSchema, query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    result = operation_cost(schema, parse(query), name, variables)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ products { totalCount } }", 2),
        ("{ products(first: 5) { nodes { id name } } }", 1 + 5 * (1 + 2)),
        ("{ products { nodes { id } } }", 1 + 20 * (1 + 1)),  # the argument's default: 20
        ("{ products(first: 5) { edges { cursor node { id } } } }", 1 + 5 * (1 + 1 + 1 * (1 + 1))),
        ("{ product(by: { id: 1 }) { images { url } } }", 1 + 10 * (1 + 1)),  # a list without a size counts 10 items
        (
            "{ tutorials(first: 3) { nodes { products { images { url } } } } }",
            1 + 3 * (1 + 10 * (1 + 10 * (1 + 1))),
        ),
        ("{ __typename products(first: 1) { __typename nodes { id } } }", 1 + 1 * (1 + 1)),
    ],
)
def test_list_sizes_multiply(web: GraphQLSchema, query: str, expected: int) -> None:
    assert cost(web, query) == expected


def test_a_variable_page_size_counts_its_value_else_its_default(web: GraphQLSchema) -> None:
    query = "query Q($n: Int = 7) { products(first: $n) { nodes { id } } }"
    assert [cost(web, query), cost(web, query, {"n": 3})] == [1 + 7 * 2, 1 + 3 * 2]


def test_fragments_count_at_every_spread_with_the_page_size_around_them(web: GraphQLSchema) -> None:
    query = "{ products(first: 10) { ...Page ...Page } } fragment Page on ProductConnection { nodes { id } }"
    assert cost(web, query) == 1 + 2 * 10 * (1 + 1)


def test_a_doubling_fragment_chain_is_priced_without_expanding_it(web: GraphQLSchema) -> None:
    assert cost(web, doubling_chain(60)) == 1 + 20 * (1 + 2**60)


def test_the_shipped_operations_fit_at_the_largest_page(model) -> None:  # type: ignore[no-untyped-def]
    for channel in model.channels:
        schema = build_channel_schema(model, channel)._schema
        for text in load_operations(ROOT / "graphql", channel).values():
            assert cost(schema, text, {"first": MAX_PAGE_SIZE}) <= LIMIT, (channel, text)


# --- the endpoint: abusive queries are refused before anything runs ---------------------------------------


async def refused(client, round_trips, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The error of a request that must be refused with 400 without a single database round trip."""
    round_trips.count = 0
    response = await client.post("/graphql/web", json={"query": document, "variables": variables})
    assert (response.status_code, round_trips.count) == (400, 0), response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert "data" not in body
    assert len(body["errors"]) == 1
    return body["errors"][0]  # type: ignore[no-any-return]


def over_cost(cost: int, name: str | None = None) -> str:
    label = f"operation {name!r}" if name else "the operation"
    return (
        f"{label} costs {cost} (each field counts once per item of every list around it), over the limit of"
        f" {LIMIT}: ask for fewer items with `first`, select fewer fields inside lists, or split the query"
    )


# A `first` over a list's most is served as that most (cms.lib.cursors.page_size), and costs as much: what it asks
# for beyond cannot be served.
NESTED = "nodes { products { images { url srcset } specs { label } } }"
NESTED_COST_AT_100 = 1 + 100 * (1 + 10 * (1 + 10 * 3 + 10 * 2))


async def test_a_huge_first_costs_the_page_it_is_served_as(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    error = await refused(client, round_trips, f"{{ tutorials(first: 1000000) {{ {NESTED} }} }}")
    assert error["message"] == over_cost(NESTED_COST_AT_100)
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": NESTED_COST_AT_100, "limit": LIMIT}


async def test_a_huge_first_in_a_variable_costs_the_page_it_is_served_as(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    query = f"query Page($n: Int!) {{ tutorials(first: $n) {{ {NESTED} }} }}"
    error = await refused(client, round_trips, query, {"n": 50_000})
    assert error["message"] == over_cost(NESTED_COST_AT_100, "Page")


def test_a_huge_first_counts_as_the_most_each_list_serves(web: GraphQLSchema) -> None:
    assert cost(web, "{ products(first: 1000000) { nodes { id } } }") == 1 + 100 * 2
    assert cost(web, '{ search(query: "a", first: 1000000) { edges { cursor } } }') == 1 + 50 * 2
    assert cost(web, "{ products(first: -3) { nodes { id } } }") == 1


async def test_nested_lists_are_refused_by_cost(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    query = "{ tutorials(first: 100) { nodes { products { images { url srcset } specs { label } } } } }"
    error = await refused(client, round_trips, query)
    assert error["message"] == over_cost(1 + 100 * (1 + 10 * (1 + 10 * 3 + 10 * 2)))


async def test_lists_spread_through_fragments_are_refused_by_cost(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    query = (
        "{ a: products(first: 100) { ...Page } b: products(first: 100) { ...Page } }"
        " fragment Page on ProductConnection { nodes { ...Item } edges { node { ...Item } } }"
        " fragment Item on Product { images { url alt } specs { label } }"
    )
    item = 10 * 3 + 10 * 2
    error = await refused(client, round_trips, query)
    assert error["message"] == over_cost(2 * (1 + 100 * (1 + item) + 100 * (1 + 1 + item)))


async def test_wide_aliases_through_fragments_are_refused_without_a_round_trip(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    aliases = " ".join(f"n{i}: name" for i in range(8))
    query = f"{{ products {{ nodes {{ ...A ...A ...A ...A }} }} }} fragment A on Product {{ {aliases} }}"
    error = await refused(client, round_trips, query)
    assert error["message"] == "the operation uses 32 aliases once fragments are expanded, over the limit of 30"


async def test_a_fragment_bomb_is_refused_without_a_round_trip(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    error = await refused(client, round_trips, doubling_chain(30))
    assert (
        error["message"]
        == f"the operation selects {2 + 2**30} fields once fragments are expanded, over the limit of 2000"
    )


async def test_a_document_over_the_size_limit_is_refused_unread(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    document = "{ products { totalCount } }\n# " + "x" * 70_000
    error = await refused(client, round_trips, document)
    size = len(document.encode())
    assert error["message"] == (
        f"the GraphQL document is {size} bytes, over the limit of 65536:"
        " move long values into `variables`, or register the operation (graphql/operations/)"
    )


async def test_a_document_over_the_token_limit_is_refused_unread(client, round_trips) -> None:  # type: ignore[no-untyped-def]
    error = await refused(client, round_trips, "{ products { nodes { " + "id " * 5000 + "} } }")
    assert error["message"] == "Syntax Error: Document contains more than 4000 tokens. Parsing aborted."


async def test_an_affordable_query_still_runs(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "graphql" / "operations" / "web" / "ProductList.graphql").read_text(encoding="utf-8")
    response = await client.post("/graphql/web", json={"query": text, "variables": {"first": MAX_PAGE_SIZE}})
    assert response.status_code == 200
    assert len(response.json()["data"]["products"]["nodes"]) == 64  # every demo product
