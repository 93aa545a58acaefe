"""Sign-in throttling: too many failures for an account (5) or from an address (20) within 15 minutes get 429 with
Retry-After, unchecked and audited, on `POST /auth/login` and the admin's form alike."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar

from cms.auth.users import create_user
from cms.lib.clock import TestClock, use_clock
from cms.store.tables import AuditEvent
from tests.admin_sign_in import PASSWORD

START = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[TestClock]:
    test_clock = TestClock(START)
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


@pytest.fixture
async def users(clean_db: None) -> list[str]:
    emails = ["ada@example.test", "bob@example.test"]
    for email in emails:
        await create_user(email, "", "editor", PASSWORD)
    return emails


@pytest.fixture
async def from_address(app: Litestar) -> AsyncIterator[Any]:
    """Clients of the app seen from a given IP address."""
    clients: list[httpx.AsyncClient] = []

    def client_at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://cms.test"))
        return clients[-1]

    yield client_at
    for client in clients:
        await client.aclose()


async def login(client: httpx.AsyncClient, email: str, password: str = "wrong password!") -> httpx.Response:
    return await client.post("/auth/login", json={"email": email, "password": password})


async def test_an_account_is_held_after_five_failures_until_the_oldest_leaves_the_window(
    users: list[str], clock: TestClock, from_address: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = from_address("203.0.113.5")
    # Given five wrong passwords for Ada, a second apart
    for _ in range(5):
        assert (await login(client, "ada@example.test")).status_code == 401
        clock.advance(seconds=1)
    # When she then types the right one (with a different case), 10 seconds after the first failure
    clock.advance(seconds=5)
    checked: list[str] = []
    monkeypatch.setattr("cms.auth.sign_in.authenticate", lambda email, password: checked.append(email))
    held = await login(client, "ADA@example.test", PASSWORD)
    # Then it is refused without checking the password, saying when to try again
    assert held.status_code == 429
    assert held.headers["retry-after"] == "890"
    assert held.json()["errors"][0]["message"] == (
        "too many failed sign-ins for this account: try again in 890 seconds; or ask an admin to reset the password"
    )
    assert checked == []
    # And the refusal is audited with where it came from
    [event] = await AuditEvent.select().where(AuditEvent.action == "sign_in_throttled").output(load_json=True)
    assert (event["actor"], event["actor_kind"]) == ("ada@example.test", "anonymous")
    assert event["details"]["ip"] == "203.0.113.5" and event["details"]["throttled"] == "account"
    assert await AuditEvent.count().where(AuditEvent.action == "sign_in_failed") == 5


async def test_after_the_window_the_right_password_works_and_the_account_starts_afresh(
    users: list[str], clock: TestClock, from_address: Any
) -> None:
    client = from_address("203.0.113.5")
    for _ in range(5):
        await login(client, "ada@example.test")
    assert (await login(client, "ada@example.test", PASSWORD)).status_code == 429
    clock.advance(seconds=900)
    assert (await login(client, "ada@example.test", PASSWORD)).status_code == 200
    # Four new failures after a success are not five
    for _ in range(4):
        assert (await login(client, "ada@example.test")).status_code == 401
    assert (await login(client, "ada@example.test", PASSWORD)).status_code == 200


async def test_an_address_is_held_after_twenty_failures_on_any_accounts(
    users: list[str], clock: TestClock, from_address: Any
) -> None:
    guesser, elsewhere = from_address("198.51.100.7"), from_address("192.0.2.44")
    for number in range(20):  # four tries on each of five accounts: no account reaches its own limit
        assert (await login(guesser, f"user{number % 5}@example.test")).status_code == 401
    held = await login(guesser, "bob@example.test", PASSWORD)
    assert held.status_code == 429 and held.headers["retry-after"] == "900"
    assert "for this address" in held.json()["errors"][0]["message"]
    # Bob himself, from his own address, is not held
    assert (await login(elsewhere, "bob@example.test", PASSWORD)).status_code == 200


async def test_a_success_does_not_reset_the_address_counter_of_other_accounts(
    users: list[str], clock: TestClock, from_address: Any
) -> None:
    shared = from_address("198.51.100.8")  # an office behind one address
    for number in range(19):
        await login(shared, f"user{number % 4}@example.test")
    assert (await login(shared, "ada@example.test", PASSWORD)).status_code == 200
    await login(shared, "user9@example.test")  # the twentieth failure from this address
    assert (await login(shared, "bob@example.test", PASSWORD)).status_code == 429


async def test_the_admin_form_is_throttled_too_in_its_language(
    users: list[str], clock: TestClock, from_address: Any
) -> None:
    browser = from_address("203.0.113.9")
    browser.cookies.set("cms_admin_lang", "fr")

    async def submit(password: str) -> httpx.Response:
        form = await browser.get("/admin/login")
        token = re.search(r'name="_csrf" value="([^"]+)"', form.text)
        assert token is not None
        fields = {"_csrf": token.group(1), "email": "bob@example.test", "password": password}
        return await browser.post("/admin/login", data=fields)

    for _ in range(5):
        assert (await submit("wrong password!")).status_code == 401
    held = await submit(PASSWORD)
    assert held.status_code == 429
    assert held.headers["retry-after"] == "900"
    assert "Trop d&#39;échecs de connexion : réessayez dans 900 secondes" in held.text
    [event] = await AuditEvent.select().where(AuditEvent.action == "sign_in_throttled").output(load_json=True)
    assert event["details"]["via"] == "admin"
