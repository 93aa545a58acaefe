"""The fast delivery path: what it answers, what it leaves to Strawberry, and that it is wired in."""

from __future__ import annotations

import pytest
import strawberry

import cms.lib.query_limits
from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.store.database import get_engine
from cms.store.engine import is_postgres

LIST = "{ products(first: %d) { totalCount nodes { id name category { name parent { name } } } } }"


def context_for(model, channel: str = "web") -> DeliveryContext:  # type: ignore[no-untyped-def]
    return DeliveryContext(model, model.channels[channel], "en", JsonDialect(postgres=is_postgres(get_engine())))


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { types { name } } }",
        "{ products { nodes { nosuchfield } } }",
        "{ products(first: 1) { totalCount ",
        "query A { products { totalCount } } query B { products { totalCount } }",
        "{ products @defer { totalCount } }",
    ],
    ids=["introspection", "invalid", "syntax error", "operation not named", "unknown directive"],
)
async def test_what_the_fast_path_does_not_answer_is_left_to_strawberry(model, demo_db, query: str) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    assert await execute_fast(schema, query, None, None, context_for(model)) is None


async def test_variables_of_the_wrong_type_are_left_to_strawberry(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    query = "query Page($first: Int!) { products(first: $first) { totalCount } }"
    assert await execute_fast(schema, query, {"first": "many"}, None, context_for(model)) is None
    answered = await execute_fast(schema, query, {"first": 2}, None, context_for(model))
    assert answered is not None and answered.data == {"products": {"totalCount": 64}}


async def test_skip_and_include_follow_their_variables(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    query = "query Q($brief: Boolean!) { products(first: 1) { nodes { id name @skip(if: $brief) } } }"
    brief = await execute_fast(schema, query, {"brief": True}, None, context_for(model))
    full = await execute_fast(schema, query, {"brief": False}, None, context_for(model))
    assert brief is not None and full is not None
    assert list(brief.data["products"]["nodes"][0]) == ["id"]  # type: ignore[index]
    assert list(full.data["products"]["nodes"][0]) == ["id", "name"]  # type: ignore[index]


async def test_round_trips_of_the_fast_path_do_not_grow_with_items(model, demo_db, round_trips) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    counts = []
    for first in (10, 60):
        for _ in ("first sight", "again"):  # the second time, every document is kept: no text is read
            round_trips.count = 0
            result = await execute_fast(schema, LIST % first, None, None, context_for(model))
            assert result is not None and len(result.data["products"]["nodes"]) == first  # type: ignore[index]
        counts.append(round_trips.count)
    assert counts[0] == counts[1] <= 3  # the page with its total, then one batch per level of references


async def test_a_repeated_query_is_validated_once(model, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    measured = []
    original = cms.lib.query_limits.measure
    monkeypatch.setattr(cms.lib.query_limits, "measure", lambda document: measured.append(1) or original(document))
    for _ in range(3):
        await schema.execute("{ products(first: 0) { totalCount } }", context_value=context_for(model))
    assert len(measured) == 1


async def test_the_endpoint_answers_through_the_fast_path(client, demo_db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ran_strawberry = []
    original = strawberry.Schema.execute

    async def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        ran_strawberry.append(args[0])
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(strawberry.Schema, "execute", counting)
    fast = await client.post("/graphql/web", json={"query": LIST % 3})
    assert fast.status_code == 200 and len(fast.json()["data"]["products"]["nodes"]) == 3
    assert ran_strawberry == []
    introspection = await client.post("/graphql/web", json={"query": "{ __typename __schema { queryType { name } } }"})
    assert introspection.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    assert len(ran_strawberry) == 1


async def test_root_arguments_follow_the_variables_of_each_request(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    query = "query Page($first: Int!) { products(first: $first) { nodes { id } } }"
    sizes = []
    for first in (1, 3, 1, 0, 3):
        answered = await execute_fast(schema, query, {"first": first}, None, context_for(model))
        assert answered is not None
        sizes.append(len(answered.data["products"]["nodes"]))  # type: ignore[index]
    assert sizes == [1, 3, 1, 0, 3]
