"""Users, passwords, API tokens and browser sessions: who may sign in, and what the store keeps of it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.datastructures import State

from cms.auth.http import AUTH_ROUTES
from cms.auth.passwords import hash_password, password_problem, verify_password
from cms.auth.sessions import SESSION_COOKIE
from cms.auth.tokens import TokenError, check_token, create_token, list_tokens, revoke_token
from cms.auth.users import UserError, authenticate, create_user, deactivate
from cms.lib.clock import TestClock, use_clock
from cms.settings import Settings
from cms.store.tables import ApiToken, AuditEvent
from tests.conftest import ROOT, build_client

CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant"]
PASSWORD = "correct horse battery"
CMS = Path(sys.executable).with_name("cms")


@pytest.fixture
def clock() -> Iterator[TestClock]:
    """A clock that stands still; the previous clock comes back after the test."""
    test_clock = TestClock(dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC))
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


@pytest.fixture
async def editor(clean_db: None) -> int:
    return await create_user("Ada@Example.com", "Ada", "editor", PASSWORD)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app that has only the auth routes (the database is the tests' own)."""
    async with build_client(Litestar(route_handlers=AUTH_ROUTES)) as client:
        yield client


async def sign_in(http: httpx.AsyncClient, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/auth/login", json={"email": "ada@example.com", "password": password})


def session(cookie_value: str, csrf_token: str | None = None) -> dict[str, str]:
    """Headers of a browser that holds `cookie_value` (and echoes `csrf_token`)."""
    headers = {"cookie": f"{SESSION_COOKIE}={cookie_value}"}
    if csrf_token is not None:
        headers["x-csrf-token"] = csrf_token
    return headers


async def signed_in(http: httpx.AsyncClient) -> tuple[str, str]:
    """(cookie value, CSRF token) of a fresh sign-in; the client's own cookie jar is emptied."""
    response = await sign_in(http)
    http.cookies.clear()
    return response.cookies[SESSION_COOKIE], response.json()["csrfToken"]


# --- passwords ------------------------------------------------------------------------------------


def test_password_is_stored_as_an_argon2id_hash_that_verifies_only_the_right_password() -> None:
    stored = hash_password(PASSWORD)

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, "correct horse battery!")


def test_verifying_against_an_unreadable_hash_is_false_rather_than_an_error() -> None:
    assert not verify_password("not a hash", PASSWORD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 10 characters"), ("aaaaaaaaaaaa", "cannot repeat one character")],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    assert reason in (password_problem(password) or "")


def test_a_long_varied_password_is_accepted() -> None:
    assert password_problem(PASSWORD) is None


# --- users ----------------------------------------------------------------------------------------


async def test_a_second_user_with_the_same_email_in_any_case_is_refused(editor: int) -> None:
    with pytest.raises(UserError, match=re.escape("a user with email ada@example.com exists")):
        await create_user("ADA@example.com", "Ada again", "viewer", PASSWORD)


async def test_creating_a_user_refuses_an_unknown_role_a_bad_email_and_a_weak_password(clean_db: None) -> None:
    with pytest.raises(UserError, match="unknown role 'owner'"):
        await create_user("bo@example.com", "Bo", "owner", PASSWORD)
    with pytest.raises(UserError, match="not an email address"):
        await create_user("bo at example", "Bo", "viewer", PASSWORD)
    with pytest.raises(UserError, match="at least 10 characters"):
        await create_user("bo@example.com", "Bo", "viewer", "short")


async def test_authenticate_returns_the_user_for_the_right_password_only(editor: int) -> None:
    user = await authenticate("ada@example.com", PASSWORD)

    assert user is not None
    assert (user["id"], user["email"], user["role"]) == (editor, "ada@example.com", "editor")
    assert "password_hash" not in user
    assert await authenticate("ada@example.com", "wrong password here") is None


async def test_authenticate_fails_for_an_unknown_email(editor: int) -> None:
    assert await authenticate("nobody@example.com", PASSWORD) is None


async def test_a_deactivated_user_cannot_sign_in(editor: int) -> None:
    await deactivate(editor)

    assert await authenticate("ada@example.com", PASSWORD) is None


# --- API tokens -----------------------------------------------------------------------------------


async def test_a_created_token_signs_in_with_the_permissions_of_its_scopes(clean_db: None) -> None:
    token_id, text = await create_token("build", ["management:read", "delivery:web"], channels=CHANNELS)

    principal = await check_token(text)

    assert text.startswith(f"cms_{token_id}_")
    assert (principal.kind, principal.name, principal.token_id) == ("token", "build", token_id)
    assert principal.can("read") and not principal.can("write")
    assert principal.can_deliver("web") and not principal.can_deliver("app")


async def test_the_database_holds_no_plaintext_of_a_token(clean_db: None) -> None:
    token_id, text = await create_token("build", ["preview"], channels=CHANNELS)
    secret = text.removeprefix(f"cms_{token_id}_")  # the secret itself may hold "_" (URL-safe base64)

    stored = str(await ApiToken.select())

    assert secret not in stored
    assert text not in stored


async def test_an_unknown_scope_is_refused_listing_the_valid_ones(clean_db: None) -> None:
    with pytest.raises(TokenError, match=r"unknown scope 'management:everything'.*management:read.*delivery:web"):
        await create_token("build", ["management:everything"], channels=CHANNELS)


async def test_delivery_for_a_channel_the_model_lacks_is_refused(clean_db: None) -> None:
    with pytest.raises(TokenError, match="unknown scope 'delivery:tv'"):
        await create_token("tv", ["delivery:tv"], channels=CHANNELS)


async def test_a_token_id_never_starts_like_a_command_line_option(  # type: ignore[no-untyped-def]
    clean_db: None, monkeypatch
) -> None:
    """`cms token revoke <id>`: an id starting with `-` was taken for an unknown option."""
    drawn = iter(["-8XiODym75WJ", "a8XiODym75WJ", "s" * 43])  # an id drawn again, then the secret
    monkeypatch.setattr("cms.auth.tokens.secrets.token_urlsafe", lambda size: next(drawn))

    token_id, text = await create_token("build", ["preview"], channels=CHANNELS)

    assert token_id == "a8XiODym75WJ"
    assert (await check_token(text)).token_id == token_id


async def test_a_revoked_token_is_refused(clean_db: None) -> None:
    token_id, text = await create_token("build", ["preview"], channels=CHANNELS)

    await revoke_token(token_id)

    with pytest.raises(TokenError, match=r"^token revoked$"):
        await check_token(text)
    assert [info.revoked_at is not None for info in await list_tokens()] == [True]


async def test_a_token_is_refused_once_its_expiry_has_passed(clean_db: None, clock: TestClock) -> None:
    expires_at = clock.now() + dt.timedelta(hours=1)
    _, text = await create_token("build", ["preview"], channels=CHANNELS, expires_at=expires_at)
    await check_token(text)

    clock.advance(hours=1)

    with pytest.raises(TokenError, match=r"^token expired$"):
        await check_token(text)


@pytest.mark.parametrize(
    "text", ["", "Bearer", "cms_short", "xyz_abcdefghijkl_" + "s" * 43, "cms_abcdefghijkl-" + "s" * 43]
)
async def test_a_malformed_token_is_refused_as_malformed(clean_db: None, text: str) -> None:
    with pytest.raises(TokenError, match=r"^malformed token$"):
        await check_token(text)


async def test_a_well_formed_token_with_a_wrong_secret_is_unknown(clean_db: None) -> None:
    _, text = await create_token("build", ["preview"], channels=CHANNELS)

    with pytest.raises(TokenError, match=r"^unknown token$"):
        await check_token(text[:-4] + "AAAA")


# --- browser sessions over HTTP -------------------------------------------------------------------


async def test_signing_in_sets_an_http_only_same_site_session_cookie(editor: int, http: httpx.AsyncClient) -> None:
    response = await sign_in(http)

    assert response.status_code == 200, response.text
    assert response.json()["user"] == {"email": "ada@example.com", "name": "Ada", "role": "editor"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    attributes = {attribute.strip().lower() for attribute in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert "secure" not in attributes


async def test_the_session_cookie_is_secure_when_the_settings_ask_for_it(editor: int) -> None:
    app = Litestar(route_handlers=AUTH_ROUTES, state=State({"settings": Settings(secure_cookies=True)}))

    async with build_client(app) as secure_http:
        response = await sign_in(secure_http)

    assert "secure" in {attribute.strip().lower() for attribute in response.headers["set-cookie"].split(";")}


async def test_signing_in_with_a_form_works_like_json(editor: int, http: httpx.AsyncClient) -> None:
    response = await http.post("/auth/login", data={"email": "ada@example.com", "password": PASSWORD})

    assert response.status_code == 200, response.text
    assert response.json()["csrfToken"]


async def test_the_session_cookie_identifies_the_user(editor: int, http: httpx.AsyncClient) -> None:
    cookie_value, csrf_token = await signed_in(http)

    response = await http.get("/auth/me", headers=session(cookie_value))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "kind": "user",
        "name": "ada@example.com",
        "role": "editor",
        "permissions": ["preview", "publish", "read", "write"],
        "csrfToken": csrf_token,
    }


async def test_without_credentials_me_is_unauthorized(http: httpx.AsyncClient) -> None:
    response = await http.get("/auth/me")

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("not signed in")


async def test_logout_without_the_csrf_token_is_forbidden_and_the_session_lives_on(
    editor: int, http: httpx.AsyncClient
) -> None:
    cookie_value, _ = await signed_in(http)

    refused = await http.post("/auth/logout", headers=session(cookie_value, csrf_token="guessed"))

    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["errors"][0]["message"]
    assert (await http.get("/auth/me", headers=session(cookie_value))).status_code == 200


async def test_logout_with_the_csrf_token_ends_the_session(editor: int, http: httpx.AsyncClient) -> None:
    cookie_value, csrf_token = await signed_in(http)

    response = await http.post("/auth/logout", headers=session(cookie_value, csrf_token))

    assert response.status_code == 204
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert (await http.get("/auth/me", headers=session(cookie_value))).status_code == 401


async def test_deactivating_a_user_ends_their_sessions(editor: int, http: httpx.AsyncClient) -> None:
    cookie_value, _ = await signed_in(http)

    await deactivate(editor)

    assert (await http.get("/auth/me", headers=session(cookie_value))).status_code == 401


async def test_a_session_ends_after_twelve_hours(editor: int, http: httpx.AsyncClient, clock: TestClock) -> None:
    cookie_value, _ = await signed_in(http)
    clock.advance(hours=11, minutes=59)
    assert (await http.get("/auth/me", headers=session(cookie_value))).status_code == 200

    clock.advance(minutes=1)

    assert (await http.get("/auth/me", headers=session(cookie_value))).status_code == 401


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(editor: int, http: httpx.AsyncClient) -> None:
    wrong_password = await sign_in(http, password="not the password")
    unknown_email = await http.post("/auth/login", json={"email": "eve@example.com", "password": PASSWORD})

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json() == {"errors": [{"message": "wrong email or password"}]}
    assert SESSION_COOKIE not in wrong_password.headers.get("set-cookie", "")


async def test_sign_ins_are_audited_without_the_password(editor: int, http: httpx.AsyncClient) -> None:
    await sign_in(http, password="typo in the password")
    await sign_in(http)

    events = await AuditEvent.select(AuditEvent.actor, AuditEvent.actor_kind, AuditEvent.action).order_by(AuditEvent.at)

    assert events == [
        {"actor": "ada@example.com", "actor_kind": "anonymous", "action": "sign_in_failed"},
        {"actor": "ada@example.com", "actor_kind": "user", "action": "sign_in"},
    ]
    everything = str(await AuditEvent.select())
    assert "typo in the password" not in everything
    assert PASSWORD not in everything


async def test_a_bearer_token_is_the_principal_and_a_bad_one_is_refused(
    clean_db: None, http: httpx.AsyncClient
) -> None:
    token_id, text = await create_token("build", ["management:publish"], channels=CHANNELS)

    accepted = await http.get("/auth/me", headers={"authorization": f"Bearer {text}"})
    await revoke_token(token_id)
    refused = await http.get("/auth/me", headers={"authorization": f"Bearer {text}"})

    assert accepted.json() == {"kind": "token", "name": "build", "role": None, "permissions": ["publish", "read"]}
    assert refused.status_code == 401
    assert refused.json() == {"errors": [{"message": "token revoked"}]}


# --- the cms command ------------------------------------------------------------------------------


def run_cms(work: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CMS_DATABASE_URL": f"sqlite:///{work}/cli.sqlite3",
        "CMS_MODEL_DIR": str(ROOT / "content_types"),
    }
    return subprocess.run(
        [str(CMS), *args], input=stdin, cwd=work, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_cms_user_create_prompts_for_the_password_and_the_user_is_listed(tmp_path: Path) -> None:
    created = run_cms(
        tmp_path, "user", "create", "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    listed = run_cms(tmp_path, "user", "list")

    assert created.returncode == 0, created.stdout + created.stderr
    assert PASSWORD not in created.stdout + created.stderr
    assert listed.returncode == 0, listed.stderr
    assert "ada@example.com" in listed.stdout and "admin" in listed.stdout


def test_cms_user_create_refuses_a_weak_password_with_the_reason(tmp_path: Path) -> None:
    result = run_cms(tmp_path, "user", "create", "--email", "a@example.com", "--role", "viewer", stdin="short\nshort\n")

    assert result.returncode != 0
    assert "at least 10 characters" in result.stderr


def test_cms_token_create_prints_the_token_once(tmp_path: Path) -> None:
    created = run_cms(
        tmp_path, "token", "create", "--name", "build", "--scope", "management:read", "--expires-in", "30d"
    )
    listed = run_cms(tmp_path, "token", "list")

    assert created.returncode == 0, created.stderr
    token_text = created.stdout.strip()
    assert token_text.startswith("cms_")
    assert "will not be shown again" in created.stderr
    assert "build" in listed.stdout and "management:read" in listed.stdout
    assert token_text not in listed.stdout


def test_cms_token_create_refuses_an_unknown_scope_naming_the_valid_ones(tmp_path: Path) -> None:
    result = run_cms(tmp_path, "token", "create", "--name", "build", "--scope", "nope")

    assert result.returncode != 0
    assert "unknown scope 'nope'" in result.stderr
    assert "management:read" in result.stderr and "delivery:web" in result.stderr


def test_cms_token_revoke_makes_the_list_show_the_token_revoked(tmp_path: Path) -> None:
    token_text = run_cms(tmp_path, "token", "create", "--name", "build", "--scope", "preview").stdout.strip()
    token_id = token_text.removeprefix("cms_")[:12]

    revoked = run_cms(tmp_path, "token", "revoke", token_id)
    unknown = run_cms(tmp_path, "token", "revoke", "no-such-token")

    assert revoked.returncode == 0, revoked.stderr
    assert "revoked" in run_cms(tmp_path, "token", "list").stdout
    assert unknown.returncode != 0
    assert "no token with id 'no-such-token'" in unknown.stderr


def test_cms_token_sign_url_prints_a_feed_url_without_the_secret(tmp_path: Path) -> None:
    feed_token = run_cms(tmp_path, "token", "create", "--name", "klaviyo", "--scope", "email:read").stdout.strip()
    broad_token = run_cms(tmp_path, "token", "create", "--name", "b", "--scope", "email:read", "--scope", "preview")
    feed_id, broad_id = (text.removeprefix("cms_")[:12] for text in (feed_token, broad_token.stdout.strip()))
    os.environ["CMS_PUBLIC_BASE_URL"] = "https://cms.example.test"
    try:
        signed = run_cms(tmp_path, "token", "sign-url", feed_id, "/email/campaigns/spring?locale=fr")
    finally:
        del os.environ["CMS_PUBLIC_BASE_URL"]
    broad = run_cms(tmp_path, "token", "sign-url", broad_id, "/email/campaigns/spring")
    not_a_feed = run_cms(tmp_path, "token", "sign-url", feed_id, "/graphql")
    unknown = run_cms(tmp_path, "token", "sign-url", "no-such-token", "/email/campaigns/spring")

    assert signed.returncode == 0, signed.stderr
    url = urlsplit(signed.stdout.strip())
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == ("https", "cms.example.test", "/email/campaigns/spring")
    assert query["locale"] == ["fr"] and query["feed"] == [feed_id] and len(query["signature"][0]) == 43
    assert feed_token.split("_")[-1] not in signed.stdout
    assert broad.returncode != 0 and "only a token whose sole scope is email:read" in broad.stderr
    assert not_a_feed.returncode != 0 and "is not an email feed path" in not_a_feed.stderr
    assert unknown.returncode != 0 and "no token with id 'no-such-token'" in unknown.stderr
    with sqlite3.connect(tmp_path / "cli.sqlite3") as database:
        audited = database.execute("SELECT details FROM cms_audit_event WHERE action = 'sign_feed_url'").fetchall()
    assert [json.loads(row[0]) for row in audited] == [{"token": feed_id, "path": "/email/campaigns/spring"}]
