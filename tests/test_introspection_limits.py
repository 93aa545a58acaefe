"""Introspection counts toward the alias and cost limits (delivery and management), and a channel may switch it off."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.api.schema import MANAGEMENT_LIMITS, build_management_schema
from cms.app import create_app
from cms.delivery.schema import build_channel_schema
from cms.lib.query_cost import operation_cost
from cms.lib.query_limits import Limits
from cms.model import load_model, read_model
from cms.settings import Settings
from graphql import get_introspection_query, graphql_sync, parse
from tests.conftest import build_client
from tests.management_client import token_for
from tests.model_copies import break_file, copy_shipped_model

SCHEMA_BOMB_PART = "__schema { types { fields { name } } }"


def values_in(answer: Any) -> int:
    """What the cost estimates: one per field of the answer, list items each counted."""
    if isinstance(answer, dict):
        return sum(1 + values_in(value) for value in answer.values())
    if isinstance(answer, list):
        return sum(values_in(item) for item in answer)
    return 0


def test_the_standard_introspection_query_costs_about_what_it_returns_and_fits_every_limit(model) -> None:  # type: ignore[no-untyped-def]
    query = get_introspection_query(descriptions=True)
    schemas = [(build_channel_schema(model, name)._schema, Limits().max_cost) for name in model.channels]
    schemas.append((build_management_schema()._schema, MANAGEMENT_LIMITS.max_cost))
    for schema, limit in schemas:
        returned = values_in(graphql_sync(schema, query).data)
        cost = operation_cost(schema, parse(query), None, None)
        assert cost is not None and returned <= cost <= 2 * returned <= limit, (cost, returned)


def test_aliased_copies_of_introspection_multiply_its_cost(model) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")._schema
    once = operation_cost(schema, parse(f"{{ {SCHEMA_BOMB_PART} }}"), None, None)
    copies = " ".join(f"a{i}: {SCHEMA_BOMB_PART}" for i in range(25))
    assert once is not None and once > 100
    assert operation_cost(schema, parse(f"{{ {copies} }}"), None, None) == pytest.approx(25 * once, abs=25)


async def test_a_delivery_channel_refuses_aliased_introspection_before_anything_runs(
    client: httpx.AsyncClient, round_trips, database: None
) -> None:  # type: ignore[no-untyped-def]
    """The issue's anonymous 8 KB request: under the alias limit, each copy selecting the whole schema."""
    part = "__schema { types { name fields { name args { name } type { name } } } }"
    query = "{ " + " ".join(f"a{i}: {part}" for i in range(29)) + " }"
    round_trips.count = 0
    response = await client.post("/graphql/web", json={"query": query})
    assert (response.status_code, round_trips.count) == (400, 0), response.text[:300]
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["message"].startswith("the operation costs ") and "over the limit of 20000" in error["message"]
    assert len(response.content) < 1000


async def test_a_delivery_channel_counts_introspection_aliases(client: httpx.AsyncClient, database: None) -> None:
    query = "{ " + " ".join(f'a{i}: __type(name: "Product") {{ name }}' for i in range(31)) + " }"
    response = await client.post("/graphql/web", json={"query": query})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"message": "the operation uses 31 aliases once fragments are expanded, over the limit of 30"}
    ]


async def management_post(client: httpx.AsyncClient, model: Any, query: str) -> httpx.Response:
    token = await token_for(model, "management:read")
    return await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})


async def test_the_management_api_refuses_a_thousand_aliases_of_introspection(
    client: httpx.AsyncClient, clean_db: None, model: Any
) -> None:
    query = "{ " + " ".join(f"a{i}: {SCHEMA_BOMB_PART}" for i in range(1000)) + " }"
    response = await management_post(client, model, query)
    assert response.status_code == 400
    assert [error["message"] for error in response.json()["errors"]] == [
        "the operation selects 4000 fields once fragments are expanded, over the limit of 2000",
        "the operation uses 1000 aliases once fragments are expanded, over the limit of 30",
    ]


async def test_the_management_api_refuses_costly_introspection_under_the_alias_limit(
    client: httpx.AsyncClient, clean_db: None, model: Any
) -> None:
    part = "__schema { types { name fields { name args { name type { name } } type { name fields { name } } } } }"
    query = "{ " + " ".join(f"a{i}: {part}" for i in range(20)) + " }"
    response = await management_post(client, model, query)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_the_management_api_still_answers_the_standard_introspection_query(
    client: httpx.AsyncClient, clean_db: None, model: Any
) -> None:
    response = await management_post(client, model, get_introspection_query(descriptions=True))
    assert response.status_code == 200, response.text[:300]
    assert "Query" in {t["name"] for t in response.json()["data"]["__schema"]["types"]}


# --- introspection switched off per channel ---------------------------------------------------------------


@pytest.fixture
async def kiosk_without_introspection(tmp_path: Path, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    directory = copy_shipped_model(tmp_path)
    kiosk = 'default_locale = "fr"\ncurrency = "EUR"\nrich_text = "text"'
    break_file(directory, "channels.toml", kiosk, kiosk + "\nintrospection = false")
    async with build_client(create_app(settings, load_model(directory))) as client:
        yield client


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("{ __schema { queryType { name } } }", "`__schema`"),
        ('query Q { products { nodes { ...F } } } fragment F on Product { __type(name: "X") { name } }', "`__type`"),
        ('{ __type(name: "Product") { name } ... on Query { __schema { types { name } } } }', "`__type`, `__schema`"),
    ],
    ids=["schema", "type in a fragment", "both"],
)
async def test_a_channel_with_introspection_off_refuses_it_with_a_clear_message(
    kiosk_without_introspection: httpx.AsyncClient, round_trips, database: None, query: str, fields: str
) -> None:  # type: ignore[no-untyped-def]
    round_trips.count = 0
    for response in (
        await kiosk_without_introspection.post("/graphql/kiosk", json={"query": query}),
        await kiosk_without_introspection.get("/graphql/kiosk", params={"query": query}),
    ):
        assert (response.status_code, round_trips.count) == (400, 0), response.text
        assert response.json()["errors"] == [
            {
                "message": f"introspection ({fields}) is switched off on the kiosk channel (`introspection = false`"
                " in channels.toml): read its schema from graphql/kiosk.graphql instead (`__typename` is allowed)",
                "extensions": {"code": "INTROSPECTION_DISABLED"},
            }
        ]


async def test_a_channel_with_introspection_off_still_answers_typename_and_other_channels_introspect(
    kiosk_without_introspection: httpx.AsyncClient, database: None
) -> None:
    kiosk = await kiosk_without_introspection.post("/graphql/kiosk", json={"query": "{ __typename }"})
    assert (kiosk.status_code, kiosk.json()) == (200, {"data": {"__typename": "Query"}})
    web = await kiosk_without_introspection.post("/graphql/web", json={"query": "{ __schema { queryType { name } } }"})
    assert web.status_code == 200 and json.loads(web.content)["data"]["__schema"]["queryType"]["name"] == "Query"


def test_the_introspection_setting_must_be_true_or_false(tmp_path: Path) -> None:
    directory = copy_shipped_model(tmp_path)
    kiosk = 'default_locale = "fr"\ncurrency = "EUR"\nrich_text = "text"'
    break_file(directory, "channels.toml", kiosk, kiosk + '\nintrospection = "no"')
    _, found = read_model(directory)
    assert [(problem.file, problem.key) for problem in found] == [("channels.toml", "channels.kiosk.introspection")]
    assert "bool" in found[0].reason
