"""The management API's reads of one thing by id answer null when there is no such thing (as a GraphQL lookup
does), and its `after` arguments are the `Cursor` scalar: input the schema accepts is answered, not refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.management_client import Management, token_for

MISSING = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
async def admin(client: httpx.AsyncClient, model: Any, clean_db: None) -> Management:
    return Management(client, await token_for(model, "management:admin"))


async def category(admin: Management) -> dict[str, Any]:
    return await admin.create("category", {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}}})


@pytest.mark.parametrize(
    "query",
    [
        f'{{ entry(id: "{MISSING}") {{ id }} }}',
        f'{{ diff(entryId: "{MISSING}", fromVersion: 1, toVersion: 2) {{ path }} }}',
        f'{{ lint(entryId: "{MISSING}") {{ errors }} }}',
        "{ webhook(id: 999999) { id } }",
    ],
)
async def test_a_lookup_of_what_does_not_exist_is_null(admin: Management, query: str) -> None:
    body = await admin.call(query)
    assert "errors" not in body
    assert list(body["data"].values()) == [None]


async def test_a_diff_with_a_version_the_entry_lacks_is_null(admin: Management) -> None:
    entry = await category(admin)
    query = "query($id: ID!, $to: Int!) { diff(entryId: $id, fromVersion: 1, toVersion: $to) { path } }"
    assert (await admin.ok(query, id=entry["id"], to=7))["diff"] is None
    assert (await admin.ok(query, id=entry["id"], to=1))["diff"] == []


async def test_entries_pages_with_the_cursor_it_gave(admin: Management) -> None:
    await category(admin)
    await admin.create("category", {"base": {"en": {"name": "Garden", "slug": "garden"}}})
    query = "query($after: Cursor) { entries(first: 1, after: $after) { nodes { slug } endCursor } }"
    first = (await admin.ok(query))["entries"]
    second = (await admin.ok(query, after=first["endCursor"]))["entries"]
    assert sorted(node["slug"] for node in first["nodes"] + second["nodes"]) == ["garden", "kitchen"]


async def test_a_forged_cursor_fails_validation(admin: Management) -> None:
    response = await admin.client.post(
        "/graphql", json={"query": '{ entries(after: "nope") { totalCount } }'}, headers=admin.headers
    )
    assert response.status_code == 400 and "data" not in response.json()
    assert "'nope' is not a cursor returned by this API" in response.json()["errors"][0]["message"]
