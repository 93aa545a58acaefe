"""Who reads the audit log: admins all of it, anyone else their own actions; CLI token and user changes are in it."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.admin_sign_in import PASSWORD, sign_in_as
from tests.management_client import Management, token_for
from tests.test_auth import run_cms

EVENTS = "{ auditEvents { totalCount nodes { actor actorKind action details } } }"


@pytest.fixture
async def world(client: httpx.AsyncClient, model: Any, clean_db: None) -> dict[str, Any]:
    """A viewer and an editor who signed in (each sign-in audited with address and user agent), a token that
    created an entry, and an admin token."""
    await sign_in_as(client, "viewer")
    client.cookies.clear()
    await sign_in_as(client, "editor")
    client.cookies.clear()
    bot = Management(client, await token_for(model, "management:write", name="import-bot"))
    await bot.create("category", {"base": {"en": {"name": "Lamps", "slug": "lamps"}}})
    return {"bot": bot, "admin": Management(client, await token_for(model, "management:admin", name="root-bot"))}


async def _session(client: httpx.AsyncClient, email: str) -> Management:
    """The management API as the signed-in user `email` (a fresh session through /auth/login)."""
    client.cookies.clear()
    signed_in = await client.post("/auth/login", json={"email": email, "password": PASSWORD})
    session = Management(client, "")
    session.headers = {"X-CSRF-Token": signed_in.json()["csrfToken"]}
    return session


async def test_an_admin_reads_every_event(world: dict[str, Any]) -> None:
    page = (await world["admin"].ok(EVENTS))["auditEvents"]
    actors = {(node["actor"], node["action"]) for node in page["nodes"]}
    assert {
        ("viewer@example.test", "sign_in"),
        ("editor@example.test", "sign_in"),
        ("import-bot", "create_entry"),
    } <= actors


async def test_a_viewer_reads_only_their_own_actions(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    viewer = await _session(client, "viewer@example.test")
    nodes = (await viewer.ok(EVENTS))["auditEvents"]["nodes"]
    assert {(node["actor"], node["actorKind"]) for node in nodes} == {("viewer@example.test", "user")}
    # Not even by asking for someone else by name
    others = await viewer.ok('{ auditEvents(actor: "editor@example.test") { totalCount } }')
    assert others["auditEvents"]["totalCount"] == 0


async def test_a_token_reads_only_its_own_actions(world: dict[str, Any]) -> None:
    nodes = (await world["bot"].ok(EVENTS))["auditEvents"]["nodes"]
    assert [(node["actor"], node["actorKind"], node["action"]) for node in nodes] == [
        ("import-bot", "token", "create_entry")
    ]


async def test_the_admin_audit_page_shows_a_viewer_only_their_own_events(
    client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    client.cookies.clear()
    await sign_in_as(client, "reviewer")
    page = (await client.get("/admin/audit")).text
    assert "You see your own actions only" in page
    assert "reviewer@example.test" in page
    assert "editor@example.test" not in page and "import-bot" not in page
    assert "create_entry" not in page  # not even among the actions to filter by


async def test_the_admin_audit_page_shows_an_admin_everything(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    client.cookies.clear()
    await sign_in_as(client, "admin")
    page = (await client.get("/admin/audit")).text
    assert "You see your own actions only" not in page
    assert "editor@example.test" in page and "import-bot" in page


def test_cli_user_and_token_changes_are_audited_as_the_system_user(tmp_path: Path) -> None:
    # When an operator creates a user, creates a token and revokes it from the command line
    run_cms(tmp_path, "user", "create", "--email", "ada@example.com", "--role", "editor", stdin=f"{PASSWORD}\n" * 2)
    token_text = run_cms(tmp_path, "token", "create", "--name", "build", "--scope", "preview").stdout.strip()
    token_id = token_text.removeprefix("cms_")[:12]
    run_cms(tmp_path, "token", "revoke", token_id)
    # Then each is an audit event by cli:<operating-system user>, of kind system
    with sqlite3.connect(tmp_path / "cli.sqlite3") as database:
        rows = database.execute("SELECT actor, actor_kind, action, details FROM cms_audit_event ORDER BY id").fetchall()
    actor = f"cli:{getpass.getuser()}"
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (actor, "system", "create_user"),
        (actor, "system", "create_token"),
        (actor, "system", "revoke_token"),
    ]
    assert json.loads(rows[0][3]) == {"user": 1, "email": "ada@example.com", "role": "editor"}
    assert json.loads(rows[1][3]) == {"token": token_id, "name": "build", "scopes": ["preview"], "expires": None}
    assert json.loads(rows[2][3]) == {"token": token_id}
