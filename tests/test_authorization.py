"""Who may call which management mutation, and who may read which delivery channel.

The matrix is every principal × every mutation of the schema, each cell asserted: an allowed call
has its effect; a refused one gets the exact code and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar import Litestar
from PIL import Image as PILImage

import tests.conftest
from cms.app import create_app
from cms.auth.sessions import create_session
from cms.auth.tokens import create_token, revoke_token
from cms.auth.users import create_user
from cms.lib.clock import TestClock, use_clock
from cms.model import ContentModel, load_model
from cms.settings import Settings
from cms.store.database import delete_all_content
from cms.store.tables import Asset
from tests import management_helpers as given
from tests.conftest import build_client
from tests.management_helpers import (
    ENTRY,
    JOB,
    LATER,
    RELEASE,
    Caller,
    bearer,
    browser_session,
    category_data,
    store_state,
)
from tests.model_copies import break_file, copy_shipped_model

ROLES = ("viewer", "editor", "reviewer", "admin")
PRINCIPALS = ("anonymous", *ROLES, "wrong_channel_token", "expired_token", "revoked_token")
# The specification, written out here rather than read from cms.auth.principal.
PERMISSIONS = {
    "viewer": set(),
    "editor": {"write", "publish"},
    "reviewer": {"write", "review", "publish"},
    "admin": {"write", "review", "publish", "admin"},
    "wrong_channel_token": set(),
}
UNAUTHENTICATED = {
    "anonymous": "sign in or send a management token (Authorization: Bearer cms_…)",
    "expired_token": "token expired",
    "revoked_token": "token revoked",
}
START = dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC)  # the clock stands at START + 2 hours in this module
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
async def callers(database: None, app: Litestar, model: ContentModel) -> AsyncIterator[dict[str, Caller]]:
    """Each principal of the matrix (users with a session, tokens, nobody) and an admin `setup` token."""
    tests.conftest._demo_is_intact = False  # the store is emptied here: demo_db has to seed it again
    await delete_all_content()
    clock = TestClock(START)
    previous = use_clock(clock)
    channels = list(model.channels)
    async with build_client(app) as client:
        principals = {"anonymous": Caller(client)}
        for role in ROLES:
            cookie, csrf_token = await create_session(await create_user(f"{role}@example.com", role, role, PASSWORD))
            principals[role] = Caller(client, browser_session(cookie, csrf_token))
        expires_at = START + dt.timedelta(hours=1)
        tokens = {
            "wrong_channel_token": await create_token("kiosk reader", ["delivery:kiosk"], channels=channels),
            "expired_token": await create_token("old", ["management:admin"], channels=channels, expires_at=expires_at),
            "revoked_token": await create_token("leaked", ["management:admin"], channels=channels),
            "setup": await create_token("setup", ["management:admin"], channels=channels),
        }
        await revoke_token(tokens["revoked_token"][0])
        principals |= {name: Caller(client, bearer(text)) for name, (_, text) in tokens.items()}
        clock.advance(hours=2)
        yield principals
    use_clock(previous)


async def approved_campaign(admin: Caller) -> dict[str, Any]:
    """An approved campaign (`id`) with a window after LATER (the setup admin approves its own: override)."""
    values = {"title": "Spring", "slug": given.unique_slug("campaign")}
    values |= {"launch_at": "2030-02-01T09:00:00Z", "end_at": "2030-02-28T09:00:00Z"}
    entry_id = await admin.create_entry("campaign", {"base": {"en": values}})
    await admin.entry_mutation("submitForReview", entry_id)
    await admin.data("mutation($id: ID!) { approveEntry(id: $id, override: true) { id } }", id=entry_id)
    return {"id": entry_id}


async def launched_campaign(admin: Caller) -> dict[str, Any]:
    variables = await approved_campaign(admin)
    await admin.data("mutation($id: ID!) { launchCampaign(id: $id) { id } }", **variables)
    return variables


@dataclass(frozen=True)
class Row:
    permission: str
    document: str
    prepare: Callable[[Caller], Awaitable[dict[str, Any]]]
    effect: Callable[[dict[str, Any]], dict[str, Any]]
    """Given the call's variables, the part of the answer that shows the mutation happened."""


MUTATIONS: dict[str, Row] = {
    "createEntry": Row(
        "write",
        f"mutation($type: String!, $data: JSON!) {{ createEntry(type: $type, data: $data) {ENTRY} }}",
        given.category_to_create,
        lambda v: {"type": "category", "status": "draft", "currentVersion": 1},
    ),
    "updateEntry": Row(
        "write",
        f"mutation($id: ID!, $data: JSON!) {{ updateEntry(id: $id, baseVersion: 1, data: $data) {ENTRY} }}",
        given.category_and_its_edit,
        lambda v: {"id": v["id"], "status": "draft", "currentVersion": 2},
    ),
    "rollbackEntry": Row(
        "write",
        f"mutation($id: ID!, $toVersion: Int!, $baseVersion: Int!) {{"
        f" rollbackEntry(id: $id, toVersion: $toVersion, baseVersion: $baseVersion) {ENTRY} }}",
        given.category_with_two_versions,
        lambda v: {"id": v["id"], "currentVersion": 3},
    ),
    "archiveEntry": Row(
        "write",
        f"mutation($id: ID!) {{ archiveEntry(id: $id) {ENTRY} }}",
        given.category,
        lambda v: {"id": v["id"], "status": "archived"},
    ),
    "submitForReview": Row(
        "write",
        f"mutation($id: ID!) {{ submitForReview(id: $id) {ENTRY} }}",
        given.category,
        lambda v: {"id": v["id"], "status": "in_review"},
    ),
    "approveEntry": Row(
        "review",
        f"mutation($id: ID!) {{ approveEntry(id: $id) {ENTRY} }}",
        given.offer_in_review,
        lambda v: {"id": v["id"], "status": "approved", "approvedVersion": 1},
    ),
    "rejectEntry": Row(
        "review",
        f'mutation($id: ID!) {{ rejectEntry(id: $id, comment: "Name the products") {ENTRY} }}',
        given.offer_in_review,
        lambda v: {"id": v["id"], "status": "draft", "approvedVersion": None},
    ),
    "publishEntry": Row(
        "publish",
        f"mutation($id: ID!) {{ publishEntry(id: $id) {ENTRY} }}",
        given.category,
        lambda v: {"id": v["id"], "status": "published", "publishedVersion": 1},
    ),
    "unpublishEntry": Row(
        "publish",
        f"mutation($id: ID!) {{ unpublishEntry(id: $id) {ENTRY} }}",
        given.published_category,
        lambda v: {"id": v["id"], "status": "unpublished", "publishedVersion": None},
    ),
    "schedulePublish": Row(
        "publish",
        f'mutation($id: ID!) {{ schedulePublish(id: $id, at: "{LATER}") {JOB} }}',
        given.category,
        lambda v: {"action": "publish", "entryId": v["id"], "status": "pending"},
    ),
    "scheduleUnpublish": Row(
        "publish",
        f'mutation($id: ID!) {{ scheduleUnpublish(id: $id, at: "{LATER}") {JOB} }}',
        given.published_category,
        lambda v: {"action": "unpublish", "entryId": v["id"], "status": "pending"},
    ),
    "cancelSchedule": Row(
        "publish",
        f"mutation($id: Int!) {{ cancelSchedule(id: $id) {JOB} }}",
        given.pending_schedule,
        lambda v: {"action": "publish", "status": "cancelled"},
    ),
    "createRelease": Row(
        "publish",
        f'mutation {{ createRelease(name: "Spring sale") {RELEASE} }}',
        given.nothing,
        lambda v: {"name": "Spring sale", "status": "open", "items": []},
    ),
    "addToRelease": Row(
        "publish",
        f"mutation($id: Int!, $entryId: ID!) {{ addToRelease(releaseId: $id, entryId: $entryId) {RELEASE} }}",
        given.release_and_category,
        lambda v: {"status": "open", "items": [{"entryId": v["entryId"], "version": 1}]},
    ),
    "removeFromRelease": Row(
        "publish",
        f"mutation($id: Int!, $entryId: ID!) {{ removeFromRelease(releaseId: $id, entryId: $entryId) {RELEASE} }}",
        given.release_with_category,
        lambda v: {"status": "open", "items": []},
    ),
    "publishRelease": Row(
        "publish",
        f"mutation($id: Int!) {{ publishRelease(id: $id) {RELEASE} }}",
        given.release_with_category,
        lambda v: {"status": "published", "items": [{"entryId": v["entryId"], "version": 1}]},
    ),
    "createWebhook": Row(
        "admin",
        "mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { url active } } }",
        given.webhook_to_create,
        lambda v: {"webhook": {"url": "http://127.0.0.1:9/new", "active": True}},
    ),
    "updateWebhook": Row(
        "admin",
        "mutation($id: Int!, $input: WebhookInput!) { updateWebhook(id: $id, input: $input) { url } }",
        given.webhook,
        lambda v: {"url": v["input"]["url"]},
    ),
    "disableWebhook": Row(
        "admin",
        "mutation($id: Int!) { disableWebhook(id: $id) { id active } }",
        given.webhook,
        lambda v: {"id": v["id"], "active": False},
    ),
    "enableWebhook": Row(
        "admin",
        "mutation($id: Int!) { enableWebhook(id: $id) { id active } }",
        given.disabled_webhook,
        lambda v: {"id": v["id"], "active": True},
    ),
    "deleteWebhook": Row("admin", "mutation($id: Int!) { deleteWebhook(id: $id) }", given.webhook, lambda v: {}),
    "rotateWebhookSecret": Row(
        "admin", "mutation($id: Int!) { rotateWebhookSecret(id: $id) }", given.webhook, lambda v: {}
    ),
    "redeliverWebhooks": Row(
        "admin", "mutation($id: Int) { redeliverWebhooks(failedOf: $id) }", given.webhook, lambda v: {}
    ),
    "deleteAsset": Row("write", "mutation($id: ID!) { deleteAsset(id: $id) }", given.unused_asset, lambda v: {}),
    "launchCampaign": Row(
        "publish",
        "mutation($id: ID!) { launchCampaign(id: $id) { campaignId status } }",
        approved_campaign,
        lambda v: {"campaignId": v["id"], "status": "scheduled"},
    ),
    "cancelCampaignLaunch": Row(
        "publish",
        "mutation($id: ID!) { cancelCampaignLaunch(id: $id) { campaignId status } }",
        launched_campaign,
        lambda v: {"campaignId": v["id"], "status": "cancelled"},
    ),
    "scheduleRelease": Row(
        "publish",
        f'mutation($id: Int!) {{ scheduleRelease(id: $id, at: "{LATER}") {JOB} }}',
        given.release_with_category,
        lambda v: {"action": "release", "releaseId": v["id"], "status": "pending"},
    ),
}


# --- the matrix -------------------------------------------------------------------------------------


async def test_the_matrix_has_a_row_for_every_mutation_of_the_schema(callers: dict[str, Caller]) -> None:
    introspection = await callers["viewer"].data('{ __type(name: "Mutation") { fields { name } } }')

    assert sorted([*MUTATIONS, "uploadAsset"]) == sorted(field["name"] for field in introspection["__type"]["fields"])


@pytest.mark.parametrize("principal", PRINCIPALS)
async def test_upload_asset_needs_the_write_permission(callers: dict[str, Caller], principal: str) -> None:
    """uploadAsset travels as a multipart request, so it has its own row of the matrix."""
    caller = callers[principal]
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (20, 120, 60)).save(buffer, "PNG")
    operations = {"query": "mutation($f: Upload!) { uploadAsset(file: $f) }", "variables": {"f": None}}
    before = await Asset.count()

    response = await caller.client.post(
        "/graphql",
        headers=caller.headers,
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("green.png", buffer.getvalue(), "image/png")},
    )

    body = response.json()
    if principal in UNAUTHENTICATED:
        assert response.status_code == 401
        assert body["errors"][0]["message"] == UNAUTHENTICATED[principal]
    elif "write" in PERMISSIONS[principal]:
        assert (response.status_code, body.get("errors")) == (200, None)
        assert body["data"]["uploadAsset"]["width"] == 64
        return
    else:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Asset.count() == before


@pytest.fixture(scope="module")
def untouched() -> dict[str, dict[str, Any]]:
    """Per mutation, the variables of a call that was refused: its preconditions still hold, so they are reused."""
    return {}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("mutation", MUTATIONS)
async def test_a_principal_may_call_a_mutation_exactly_when_it_has_the_permission(
    callers: dict[str, Caller], untouched: dict[str, dict[str, Any]], mutation: str, principal: str
) -> None:
    row, admin = MUTATIONS[mutation], callers["setup"]
    allowed = principal not in UNAUTHENTICATED and row.permission in PERMISSIONS[principal]
    variables = untouched[mutation] if not allowed and mutation in untouched else await row.prepare(admin)
    before = await store_state()

    response = await callers[principal].post(row.document, **variables)

    body = response.json()
    if allowed:
        assert (response.status_code, body.get("errors")) == (200, None)
        expected = row.effect(variables)
        assert {key: body["data"][mutation][key] for key in expected} == expected
        return
    if principal in UNAUTHENTICATED:
        assert (response.status_code, body) == (
            401,
            {"errors": [{"message": UNAUTHENTICATED[principal], "extensions": {"code": "UNAUTHENTICATED"}}]},
        )
    else:
        assert (response.status_code, body["data"]) == (200, None)
        [error] = body["errors"]
        assert (error["extensions"], error["path"]) == ({"code": "FORBIDDEN"}, [mutation])
        assert error["message"].endswith(f"(needs the {row.permission} permission)")
    assert await store_state() == before
    untouched[mutation] = variables


@pytest.mark.parametrize("csrf", [None, "made-up", "reviewer"], ids=["no header", "made-up", "another session's"])
async def test_a_session_mutation_without_its_own_csrf_token_is_refused(
    callers: dict[str, Caller], csrf: str | None
) -> None:
    editor, admin = callers["editor"], callers["setup"]
    variables = await given.category(admin)
    before = await store_state()
    cookie = editor.headers["cookie"].partition("=")[2]
    sent = callers["reviewer"].headers["x-csrf-token"] if csrf == "reviewer" else csrf
    forged = Caller(editor.client, browser_session(cookie, sent))

    response = await forged.post(MUTATIONS["archiveEntry"].document, **variables)

    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert error["message"].startswith("missing or wrong X-CSRF-Token header")
    assert await store_state() == before


@pytest.mark.parametrize(("principal", "codes"), [("viewer", []), ("wrong_channel_token", ["FORBIDDEN"])])
async def test_reading_management_content_needs_the_read_permission(
    callers: dict[str, Caller], principal: str, codes: list[str]
) -> None:
    response = await callers[principal].post("{ entries(first: 1) { totalCount } }")

    errors = response.json().get("errors", [])
    assert [error.get("extensions", {}).get("code") for error in errors] == codes, errors


# --- delivery: channels behind a token --------------------------------------------------------------


@pytest.fixture(scope="module")
async def protected_delivery(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, callers: dict[str, Caller]
) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose kiosk and social channels are token-protected, and a published `kiosk-kettle` category."""
    directory = copy_shipped_model(tmp_path_factory.mktemp("protected"))
    for channel in ("kiosk", "social"):
        break_file(directory, "channels.toml", f"[channels.{channel}]\n", f"[channels.{channel}]\npublic = false\n")
    admin = callers["setup"]
    await admin.entry_mutation("publishEntry", await admin.create_entry("category", category_data("kiosk-kettle")))
    async with build_client(create_app(settings, load_model(directory))) as client:
        yield client


@pytest.mark.parametrize(
    ("principal", "channel", "status", "message"),
    [
        ("wrong_channel_token", "kiosk", 200, None),
        ("wrong_channel_token", "web", 200, None),
        ("wrong_channel_token", "social", 403, "this token may not read the social channel (needs `delivery:social`)"),
        ("anonymous", "web", 200, None),
        ("anonymous", "kiosk", 401, "the kiosk channel needs a token with the `delivery:kiosk` scope"),
        ("anonymous", "social", 401, "the social channel needs a token with the `delivery:social` scope"),
        ("expired_token", "web", 401, "token expired"),
        ("revoked_token", "kiosk", 401, "token revoked"),
    ],
)
async def test_a_protected_channel_is_read_only_with_its_delivery_scope(
    protected_delivery: httpx.AsyncClient,
    callers: dict[str, Caller],
    principal: str,
    channel: str,
    status: int,
    message: str | None,
) -> None:
    response = await protected_delivery.post(
        f"/graphql/{channel}",
        json={"query": '{ category(by: { slug: "kiosk-kettle" }) { slug } }'},
        headers=callers[principal].headers,
    )

    expected = (
        {"data": {"category": {"slug": "kiosk-kettle"}}} if message is None else {"errors": [{"message": message}]}
    )
    assert (response.status_code, response.json()) == (status, expected)
