"""A small client for the management API in tests: tokens per scope, and GraphQL calls that check the answer."""

from __future__ import annotations

from typing import Any

import httpx

from cms.auth.tokens import create_token


async def token_for(model: Any, *scopes: str, name: str = "test") -> str:
    _, text = await create_token(name, list(scopes), channels=list(model.channels))
    return text


class Management:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    async def call(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def ok(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.call(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.call(query, **variables)
        assert body.get("errors"), body
        return body["errors"][0]

    async def create(self, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
        query = "mutation($t: String!, $d: JSON!) { createEntry(type: $t, data: $d) { id status currentVersion } }"
        return (await self.ok(query, t=type_name, d=data))["createEntry"]

    async def update(self, entry_id: str, base: int, data: dict[str, Any]) -> dict[str, Any]:
        query = (
            "mutation($id: ID!, $b: Int!, $d: JSON!) {"
            " updateEntry(id: $id, baseVersion: $b, data: $d) { status currentVersion publishedVersion } }"
        )
        return (await self.ok(query, id=entry_id, b=base, d=data))["updateEntry"]

    async def act(self, mutation: str, entry_id: str, extra: str = "") -> dict[str, Any]:
        fields = "status currentVersion publishedVersion approvedVersion"
        query = f"mutation($id: ID!) {{ {mutation}(id: $id{extra}) {{ {fields} }} }}"
        return (await self.ok(query, id=entry_id))[mutation]


async def delivered(client: httpx.AsyncClient, channel: str, query: str, **headers: str) -> Any:
    response = await client.post(f"/graphql/{channel}", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


SPRING_SALE = {
    "title": "Spring sale",
    "slug": "spring-sale",
    "discount_kind": "percent",
    "discount_percent": "25",
    "starts_at": "2026-03-01T00:00:00Z",
    "ends_at": "2026-04-01T00:00:00Z",
    "legal_terms": "While stocks last.",
}
"""An offer running through March 2026 (its window ends at 2026-04-01T00:00:00Z)."""


async def publish_spring_sale(editor: Management) -> dict[str, Any]:
    """Create SPRING_SALE, have a second principal approve it (four eyes), and publish it; the created entry."""
    entry: dict[str, Any] = await editor.create("offer", {"base": {"en": SPRING_SALE}})
    _, reviewer_token = await create_token("reviewer", ["management:admin"], channels=[])
    await editor.act("submitForReview", entry["id"])
    await Management(editor.client, reviewer_token).act("approveEntry", entry["id"])
    await editor.act("publishEntry", entry["id"])
    return entry
