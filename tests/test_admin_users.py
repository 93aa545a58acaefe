"""Users and API tokens in the admin over HTTP: admins only, every change audited, a token's secret shown once."""

from __future__ import annotations

import re

import httpx
import pytest

from cms.auth.users import authenticate, list_users
from cms.store.tables import ApiToken, AuditEvent, User
from tests.admin_sign_in import PASSWORD, sign_in_as

ME = "query { me { name } }"


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")


async def user_id(email: str) -> int:
    return next(user.id for user in await list_users() if user.email == email)


@pytest.mark.parametrize("role", ["editor", "reviewer", "viewer"])
async def test_only_admins_see_users_and_tokens(client: httpx.AsyncClient, clean_db: None, role: str) -> None:
    csrf = await sign_in_as(client, role)
    page = await client.get("/admin/users")
    assert page.status_code == 403
    assert "Your role does not allow this page." in page.text
    assert 'href="/admin/users"' not in page.text  # nor the navigation link
    refused = await client.post("/admin/users/tokens", data={"_csrf": csrf, "name": "x", "scopes": "preview"})
    assert refused.status_code == 403
    assert await ApiToken.count() == 0
    client.cookies.set("cms_admin_lang", "fr")
    french = await client.get("/admin/users")
    assert "Votre rôle ne permet pas" in french.text


async def test_an_admin_creates_a_user_who_can_sign_in(client: httpx.AsyncClient, csrf: str) -> None:
    form = {"_csrf": csrf, "email": "Nina@Example.test", "name": "Nina", "role": "reviewer", "password": PASSWORD}
    created = await client.post("/admin/users", data=form)
    assert created.status_code == 200 and "User nina@example.test created." in created.text
    assert (await authenticate("nina@example.test", PASSWORD) or {}).get("role") == "reviewer"
    event = await AuditEvent.select().where(AuditEvent.action == "create_user").first()
    assert event is not None and event["actor"] == "admin@example.test"
    assert PASSWORD not in str(event["details"])


async def test_a_weak_password_is_refused_with_the_rule(client: httpx.AsyncClient, csrf: str) -> None:
    form = {"_csrf": csrf, "email": "nina@example.test", "name": "Nina", "role": "editor", "password": "short"}
    refused = await client.post("/admin/users", data=form)
    assert refused.status_code == 400
    assert "a password needs at least 10 characters, this one has 5" in refused.text
    assert 'value="nina@example.test"' in refused.text  # the form keeps what was typed
    assert await User.count() == 1


async def test_roles_change_and_users_are_deactivated(client: httpx.AsyncClient, csrf: str) -> None:
    await client.post(
        "/admin/users",
        data={"_csrf": csrf, "email": "ed@example.test", "name": "Ed", "role": "editor", "password": PASSWORD},
    )
    ed = await user_id("ed@example.test")
    changed = await client.post(f"/admin/users/{ed}/role", data={"_csrf": csrf, "role": "viewer"})
    assert "ed@example.test is now viewer." in changed.text
    bad_role = await client.post(f"/admin/users/{ed}/role", data={"_csrf": csrf, "role": "owner"})
    assert bad_role.status_code == 400 and "unknown role" in bad_role.text

    deactivated = await client.post(f"/admin/users/{ed}/deactivate", data={"_csrf": csrf})
    assert "ed@example.test is deactivated" in deactivated.text
    assert await authenticate("ed@example.test", PASSWORD) is None
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-3:] == ["create_user", "change_role", "deactivate_user"]


async def test_an_admin_cannot_lock_themselves_out(client: httpx.AsyncClient, csrf: str) -> None:
    me = await user_id("admin@example.test")
    assert (await client.post(f"/admin/users/{me}/deactivate", data={"_csrf": csrf})).status_code == 403
    assert (await client.post(f"/admin/users/{me}/role", data={"_csrf": csrf, "role": "viewer"})).status_code == 403
    assert (await client.get("/admin/users")).status_code == 200  # still an admin, still signed in


async def test_a_token_secret_is_shown_once_and_works_until_revoked(client: httpx.AsyncClient, csrf: str) -> None:
    form = {"_csrf": csrf, "name": "storefront build", "scopes": ["management:read", "delivery:web"]}
    created = await client.post("/admin/users/tokens", data=form)
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    found = re.search(r'id="token-secret"[^>]* value="(cms_[^"]+)"', created.text)
    assert found is not None
    secret = found.group(1)
    assert secret not in (await client.get("/admin/users")).text  # never again

    api = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    answer = await api.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and answer.json()["data"]["me"]["name"] == "storefront build"

    token_id = (await ApiToken.select(ApiToken.token_id).first() or {})["token_id"]
    revoked = await client.post(f"/admin/users/tokens/{token_id}/revoke", data={"_csrf": csrf})
    assert f"Token {token_id} revoked." in revoked.text
    refused = await api.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and "revoked" in refused.text
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-2:] == ["create_token", "revoke_token"]


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"name": "no scopes"}, "a token needs at least one scope"),
        ({"name": "odd", "scopes": "root"}, "unknown scope &#39;root&#39;"),
        ({"name": "old", "scopes": "preview", "expires": "2001-01-01"}, "The expiry date is in the past"),
        ({"scopes": "preview"}, "A token needs a name"),
    ],
)
async def test_a_token_form_with_a_problem_creates_nothing(
    client: httpx.AsyncClient, csrf: str, form: dict[str, str], reason: str
) -> None:
    refused = await client.post("/admin/users/tokens", data={"_csrf": csrf, **form})
    assert refused.status_code == 400
    assert reason in refused.text
    assert await ApiToken.count() == 0


async def test_a_token_can_expire_on_a_date(client: httpx.AsyncClient, csrf: str) -> None:
    form = {"_csrf": csrf, "name": "campaign", "scopes": "preview", "expires": "2099-06-30"}
    await client.post("/admin/users/tokens", data=form)
    row = await ApiToken.select(ApiToken.expires_at).first()
    assert row is not None and row["expires_at"].isoformat() == "2099-06-30T00:00:00+00:00"
