"""Query limits count fragments once expanded, without expanding them: abuse is refused, tools still work."""

from __future__ import annotations

import pytest

from cms.lib.query_limits import Size, measure
from graphql import get_introspection_query, parse


def doubling_chain(levels: int) -> str:
    """Each fragment spreads the next one twice: 2**levels fields once expanded, a few lines written."""
    fragments = [f"fragment F{i} on Product {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Product {{ name }}")
    return "{ products { nodes { ...F0 } } }\n" + "\n".join(fragments)


def test_a_doubling_fragment_chain_is_measured_without_expanding_it() -> None:
    sizes = measure(parse(doubling_chain(40)))
    assert sizes[""].fields == 2 + 2**40
    assert sizes[""].depth == 3


def test_aliases_inside_fragments_count_at_every_spread() -> None:
    document = parse(
        "query Q { products { nodes { ...A ...A ...A } } } fragment A on Product { a1: name a2: name b: sku }"
    )
    assert measure(document)["Q"] == Size(depth=3, fields=11, aliases=9)


def test_introspection_counts_toward_fields_and_aliases_but_not_depth() -> None:
    """Left out of depth: the standard query nests `ofType` nine levels; its cost bounds it (test_query_cost)."""
    assert measure(parse('{ a: __schema { types { name } } b: __type(name: "Product") { name } }'))[""] == Size(
        depth=0, fields=5, aliases=2
    )
    assert measure(parse(get_introspection_query()))["IntrospectionQuery"].depth == 0
    assert measure(parse("{ a: __typename b: __typename }"))[""] == Size(depth=0, fields=0, aliases=2)


async def test_the_endpoint_refuses_a_fragment_bomb_with_a_clear_message(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/web", json={"query": doubling_chain(30)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        f"the operation selects {2 + 2**30} fields once fragments are expanded, over the limit of 2000"
    )


async def test_the_endpoint_counts_aliases_spread_through_fragments(client) -> None:  # type: ignore[no-untyped-def]
    aliases = " ".join(f"n{i}: name" for i in range(8))
    spreads = " ".join(["...A"] * 4)
    query = f"{{ products {{ nodes {{ {spreads} }} }} }} fragment A on Product {{ {aliases} }}"
    response = await client.post("/graphql/web", json={"query": query})
    assert response.status_code == 400
    assert (
        response.json()["errors"][0]["message"]
        == "the operation uses 32 aliases once fragments are expanded, over the limit of 30"
    )


async def test_graphiql_introspection_still_works(client, database) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/email", json={"query": get_introspection_query(descriptions=True)})
    assert response.status_code == 200
    names = {t["name"] for t in response.json()["data"]["__schema"]["types"]}
    assert {"BrandMessage", "Product", "RichText"} <= names


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"query": "query A { products { totalCount } }", "operationName": "Other"},
            "unknown operation named 'Other' (this document has: A): check `operationName`",
        ),
        (
            {"query": "query A { products { totalCount } } query B { categories { totalCount } }"},
            "the document has several operations (this document has: A, B): say which to run with `operationName`",
        ),
        ({"query": "fragment F on Product { name }"}, "the document has no operation to run: send a query"),
        (
            {"query": "fragment F on Product { name } fragment G on Product { slug }"},
            "the document has no operation to run: send a query",
        ),
    ],
    ids=["unknown name", "several without a name", "no operation", "only fragments"],
)
async def test_an_operation_that_cannot_be_chosen_is_a_clear_400(client, body, message) -> None:  # type: ignore[no-untyped-def]
    for response in (
        await client.post("/graphql/web", json=body),
        await client.get("/graphql/web", params=body),
    ):
        assert response.status_code == 400, response.text
        assert response.json() == {"errors": [{"message": message}]}


async def test_the_operation_named_among_several_runs(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    body = {"query": "query A { products { totalCount } } query B { categories { totalCount } }", "operationName": "B"}
    response = await client.post("/graphql/web", json=body)
    assert response.status_code == 200
    assert list(response.json()["data"]) == ["categories"]


async def test_an_empty_operation_name_means_none(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    """As GET URL builders send it: the document's one operation runs, whatever was asked before."""
    query = "query B { products(first: 2) { totalCount } }"
    for body in ({"query": query, "operationName": ""}, {"query": query}, {"query": query, "operationName": ""}):
        response = await client.post("/graphql/web", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["products"]["totalCount"] > 0
    response = await client.get("/graphql/web", params={"query": query, "operationName": ""})
    assert response.status_code == 200, response.text
