"""Calling the management API over HTTP as someone (a token, a browser session or nobody), and entry data."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from cms.auth.sessions import SESSION_COOKIE
from cms.auth.tokens import create_token
from cms.model import ContentModel
from cms.store.tables import (
    AuditEvent,
    Entry,
    EntryVersion,
    Projection,
    Release,
    ReleaseItem,
    Schedule,
    WebhookDelivery,
    WebhookSubscription,
)

ENTRY = "{ id type status currentVersion publishedVersion approvedVersion }"
JOB = "{ action entryId releaseId status }"
RELEASE = "{ name status items { entryId version } }"
LATER = "2030-01-20T09:00:00Z"
"""An instant to schedule jobs at: in the future of the test clocks (January 15th, 2030), never reached."""
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
        document = f"mutation($id: ID!) {{ {mutation}(id: $id) {ENTRY} }}"
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


async def store_state() -> dict[Any, Any]:
    """The store's workflow tables (rows, or counts for the big ones): what a refused call must leave as it was."""
    rows = {
        table: await table.select().order_by(table._meta.primary_key)
        for table in (Entry, Release, ReleaseItem, Schedule)
    }
    rows |= {
        WebhookSubscription: await WebhookSubscription.select().order_by(WebhookSubscription.id),
        WebhookDelivery: await WebhookDelivery.select().order_by(WebhookDelivery.id),
    }
    counts = {table: await table.count() for table in (EntryVersion, Projection, AuditEvent)}
    return rows | counts


# --- preconditions of management calls, set up by an admin: each returns the call's variables -------


async def nothing(admin: Caller) -> dict[str, Any]:
    return {}


async def category_to_create(admin: Caller) -> dict[str, Any]:
    return {"type": "category", "data": category_data(unique_slug("new"))}


async def category(admin: Caller, *then: str) -> dict[str, Any]:
    """A category (`id`), moved on by the entry mutations `then`."""
    entry_id = await admin.create_entry("category", category_data(unique_slug("category")))
    for mutation in then:
        await admin.entry_mutation(mutation, entry_id)
    return {"id": entry_id}


async def published_category(admin: Caller) -> dict[str, Any]:
    return await category(admin, "publishEntry")


async def category_and_its_edit(admin: Caller) -> dict[str, Any]:
    return {**await category(admin), "data": category_data(unique_slug("edited"), name="Edited")}


async def category_with_two_versions(admin: Caller) -> dict[str, Any]:
    """A category at version 2, with the variables to roll it back to version 1."""
    variables = await category_and_its_edit(admin)
    document = "mutation($id: ID!, $data: JSON!) { updateEntry(id: $id, baseVersion: 1, data: $data) { id } }"
    await admin.data(document, **variables)
    return {"id": variables["id"], "toVersion": 1, "baseVersion": 2}


async def offer_in_review(admin: Caller) -> dict[str, Any]:
    entry_id = await admin.create_entry("offer", offer_data(unique_slug("offer")))
    await admin.entry_mutation("submitForReview", entry_id)
    return {"id": entry_id}


async def pending_schedule(admin: Caller) -> dict[str, Any]:
    """A pending scheduled publish (`id`) of a category."""
    document = f'mutation($id: ID!) {{ schedulePublish(id: $id, at: "{LATER}") {{ id }} }}'
    return {"id": (await admin.data(document, **await category(admin)))["schedulePublish"]["id"]}


async def release_and_category(admin: Caller) -> dict[str, Any]:
    """An open, empty release (`id`) and a draft category (`entryId`)."""
    document = "mutation($name: String!) { createRelease(name: $name) { id } }"
    release_id = (await admin.data(document, name=unique_slug("release")))["createRelease"]["id"]
    return {"id": release_id, "entryId": (await category(admin))["id"]}


async def release_with_category(admin: Caller) -> dict[str, Any]:
    """An open release (`id`) holding a draft category (`entryId`) at version 1."""
    variables = await release_and_category(admin)
    document = "mutation($id: Int!, $entryId: ID!) { addToRelease(releaseId: $id, entryId: $entryId) { id } }"
    await admin.data(document, **variables)
    return variables


WEBHOOK_URL = "http://127.0.0.1:9/hook"


async def webhook_to_create(admin: Caller) -> dict[str, Any]:
    return {"input": {"url": "http://127.0.0.1:9/new"}}


async def webhook(admin: Caller) -> dict[str, Any]:
    """An active webhook subscription (`id`) and the input of a change to it."""
    document = "mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { id } } }"
    created = await admin.data(document, input={"url": WEBHOOK_URL})
    return {"id": created["createWebhook"]["webhook"]["id"], "input": {"url": WEBHOOK_URL + "/2"}}


async def disabled_webhook(admin: Caller) -> dict[str, Any]:
    variables = await webhook(admin)
    await admin.data("mutation($id: Int!) { disableWebhook(id: $id) { id } }", id=variables["id"])
    return variables


async def unused_asset(admin: Caller) -> dict[str, Any]:
    """An asset no entry uses (`id`): a picture in a colour of its own, so that each call makes a new asset."""
    number = next(_numbers)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (number % 256, number // 256 % 256, 77)).save(buffer, "PNG")
    files = {"file": (f"unused-{number}.png", buffer.getvalue(), "image/png")}
    response = await admin.client.post("/media", files=files, headers=admin.headers)
    assert response.status_code == 201, response.text
    return {"id": response.json()["id"]}
