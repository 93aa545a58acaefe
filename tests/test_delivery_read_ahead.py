"""A repeated query reads the documents its last run loaded by reference along with its page, in the same
round trip: what it shows is still read from the database on every request, and what was read ahead but
is not shown any more is neither in the answer nor in its surrogate keys."""

from __future__ import annotations

import json
from typing import Any

from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.lib.graphql_http import graphql_answer
from cms.publishing.publish import unpublish
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from tests.test_delivery_fast_memo import context_for, edit_and_publish


def context_in(model, locale: str) -> DeliveryContext:  # type: ignore[no-untyped-def]
    """A web request whose Accept-Language chose `locale`."""
    return DeliveryContext(model, model.channels["web"], locale, JsonDialect(postgres=is_postgres(get_engine())))


ONE = (
    "query One($name: String!) { products(first: 1, where: {name: {eq: $name}}) "
    "{ nodes { id name category { id name } } } }"
)
KETTLE = {"name": "Alba electric kettle"}


async def fast_and_regular(schema, model, query: str, variables: dict[str, Any], round_trips, locale: str = "en"):  # type: ignore[no-untyped-def]
    """(fast answer, its round trips, its context's served entries, regular execution's answer)."""
    regular = await schema.execute(query, variable_values=variables, context_value=context_in(model, locale))
    context = context_in(model, locale)
    round_trips.count = 0
    fast = await execute_fast(schema, query, variables, None, context)
    assert fast is not None
    return graphql_answer(fast)[1], round_trips.count, context.served, graphql_answer(regular)[1]


async def test_a_repeated_query_reads_its_references_with_its_page(model, demo_db, round_trips) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    query = "query List($n: Int!) { products(first: $n) { nodes { name category { name parent { name } } } } }"
    trips = []
    for _ in range(3):
        answer, count, _, regular = await fast_and_regular(schema, model, query, {"n": 20}, round_trips)
        assert answer == regular
        trips.append(count)
    assert trips[0] >= 2  # the page, then the categories (and parents not among them, texts not kept yet)
    assert trips[1:] == [1, 1]

    answer, count, _, regular = await fast_and_regular(schema, model, query, {"n": 21}, round_trips)
    assert answer == regular and count > 1, "other variables: nothing is expected of them yet"


async def test_a_document_read_ahead_but_no_longer_shown_is_not_served(model, demo_to_change, round_trips) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    for _ in range(2):
        answer, _, served, regular = await fast_and_regular(schema, model, ONE, KETTLE, round_trips)
        assert answer == regular
    (kettle,) = json.loads(answer)["data"]["products"]["nodes"]
    before = kettle["category"]["id"]
    assert served == {kettle["id"], before}
    categories = await schema.execute("{ categories(first: 50) { nodes { id } } }", context_value=context_for(model))
    other = next(node["id"] for node in categories.data["categories"]["nodes"] if node["id"] != before)  # type: ignore[index]
    await edit_and_publish(model, kettle["id"], category=other)

    answer, count, served, regular = await fast_and_regular(schema, model, ONE, KETTLE, round_trips)

    assert answer == regular
    assert json.loads(answer)["data"]["products"]["nodes"][0]["category"]["id"] == other
    assert served == {kettle["id"], other}  # the old category was read with the page, never shown
    assert count >= 2  # the page (reading the old category ahead), then the new one


async def test_a_reference_unpublished_meanwhile_reads_as_regular_execution_reads_it(  # type: ignore[no-untyped-def]
    model, demo_to_change, round_trips
) -> None:
    schema = build_channel_schema(model, "web")
    for _ in range(2):
        answer, _, served, regular = await fast_and_regular(schema, model, ONE, KETTLE, round_trips)
    (kettle,) = json.loads(answer)["data"]["products"]["nodes"]
    await unpublish(kettle["category"]["id"], model=model)

    answer, count, served, regular = await fast_and_regular(schema, model, ONE, KETTLE, round_trips)

    assert answer == regular
    assert json.loads(answer)["data"]["products"]["nodes"][0]["category"] is None
    assert served == {kettle["id"]}
    assert count == 1  # the page read the category's absence with it


async def test_what_is_read_ahead_is_remembered_per_locale(model, demo_db, round_trips) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    query = "{ products(first: 10) { nodes { name category { name } } } }"
    for locale in ("en", "en", "fr", "fr"):
        answer, count, _, regular = await fast_and_regular(schema, model, query, {}, round_trips, locale)
        assert answer == regular
    assert b"name" in answer and count == 1
    answer, count, _, regular = await fast_and_regular(schema, model, query, {}, round_trips, "en")
    assert answer == regular and count == 1  # English's expectation was not replaced by French's
