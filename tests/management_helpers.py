"""Calling the management API over HTTP as someone (a token, a browser session or nobody), and entry data."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

from cms.auth.sessions import SESSION_COOKIE
from cms.auth.tokens import create_token
from cms.model import ContentModel

ENTRY_FIELDS = "id type status currentVersion publishedVersion approvedVersion"
_numbers = itertools.count(1)


def bearer(token_text: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token_text}"}


def browser_session(cookie_value: str, csrf_token: str | None) -> dict[str, str]:
    """Headers of a browser holding the session cookie (and echoing `csrf_token` when given)."""
    headers = {"cookie": f"{SESSION_COOKIE}={cookie_value}"}
    if csrf_token is not None:
        headers["x-csrf-token"] = csrf_token
    return headers


@dataclass
class Caller:
    """One principal's side of POST /graphql."""

    client: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)

    async def post(self, document: str, **variables: Any) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": document, "variables": variables}, headers=self.headers
        )

    async def data(self, document: str, **variables: Any) -> dict[str, Any]:
        """The `data` of a call that must succeed; the assertion shows the errors otherwise."""
        response = await self.post(document, **variables)
        body = response.json()
        assert (response.status_code, body.get("errors")) == (200, None), body
        return body["data"]

    async def create_entry(self, type_name: str, data: dict[str, Any]) -> str:
        created = await self.data(
            "mutation($type: String!, $data: JSON!) { createEntry(type: $type, data: $data) { id } }",
            type=type_name,
            data=data,
        )
        return created["createEntry"]["id"]

    async def entry_mutation(self, mutation: str, entry_id: str) -> dict[str, Any]:
        """Run `mutation(id: …)` (publishEntry, submitForReview, …) on an entry that must accept it."""
        document = f"mutation($id: ID!) {{ {mutation}(id: $id) {{ {ENTRY_FIELDS} }} }}"
        return (await self.data(document, id=entry_id))[mutation]


async def admin_caller(client: httpx.AsyncClient, model: ContentModel) -> Caller:
    _, token_text = await create_token("setup", ["management:admin"], channels=list(model.channels))
    return Caller(client, bearer(token_text))


def unique_slug(prefix: str) -> str:
    return f"{prefix}-{next(_numbers)}"


def category_data(slug: str, name: str = "Kitchen") -> dict[str, Any]:
    """A valid category (a type that publishes without review)."""
    return {"base": {"en": {"name": name, "slug": slug}}}


def offer_data(slug: str) -> dict[str, Any]:
    """A valid offer (a type that requires review)."""
    return {
        "base": {
            "en": {
                "title": "Ten percent off",
                "slug": slug,
                "discount_kind": "percent",
                "discount_percent": "10",
                "starts_at": "2030-01-01T00:00:00Z",
                "ends_at": "2030-02-01T00:00:00Z",
            }
        }
    }
