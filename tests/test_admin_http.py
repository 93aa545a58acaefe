"""The admin's gate over plain HTTP: sign-in required, CSRF on every form, no open redirects; its words in EN and FR."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.admin.i18n import LANGUAGES, MESSAGES, Translator
from cms.auth.users import create_user
from cms.store.tables import AuditEvent
from tests.admin_sign_in import sign_in_as

TEMPLATES = Path(__file__).resolve().parents[1] / "cms" / "admin" / "templates"
PASSWORD = "correct horse battery staple"


async def _sign_in(client: httpx.AsyncClient, email: str, next: str = "/admin/") -> httpx.Response:
    form = await client.get("/admin/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text)
    assert token is not None
    return await client.post(
        "/admin/login", data={"_csrf": token.group(1), "email": email, "password": PASSWORD, "next": next}
    )


@pytest.fixture
async def editor(clean_db: None) -> str:
    await create_user("ed@example.test", "Ed", "editor", PASSWORD)
    return "ed@example.test"


async def test_pages_need_a_session(client: httpx.AsyncClient, clean_db: None) -> None:
    response = await client.get("/admin/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=")
    htmx = await client.get("/admin/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert "HX-Redirect" not in htmx.headers  # the page stays, with what was typed; admin.js says why


async def test_htmx_without_a_session_gets_401_and_never_a_redirect(client: httpx.AsyncClient, clean_db: None) -> None:
    response = await client.post(
        "/admin/entries/product/feedback", data={"base.en.name": "Typed"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 401
    assert "HX-Redirect" not in response.headers
    assert "location" not in response.headers


async def test_a_form_posted_without_a_session_comes_back_to_the_page_it_was_posted_from(
    client: httpx.AsyncClient, clean_db: None
) -> None:
    editor_page = "http://cms.test/admin/entries/product/abc?locale=fr"
    from_page = await client.post("/admin/entries/product/abc", data={"x": "1"}, headers={"referer": editor_page})
    no_referer = await client.post("/admin/entries/product/feedback", data={"x": "1"})
    elsewhere = await client.post(
        "/admin/entries/product/abc", data={"x": "1"}, headers={"referer": "https://evil.example/admin/x"}
    )
    assert from_page.headers["location"] == "/admin/login?next=%2Fadmin%2Fentries%2Fproduct%2Fabc%3Flocale%3Dfr"
    assert no_referer.headers["location"] == "/admin/login?next=%2Fadmin%2F"  # never the POST-only URL
    assert elsewhere.headers["location"] == "/admin/login?next=%2Fadmin%2F"


async def test_a_page_left_open_picks_up_the_csrf_token_of_a_new_session(
    client: httpx.AsyncClient, editor: str
) -> None:
    assert (await client.get("/admin/session", headers={"HX-Request": "true"})).status_code == 401
    await _sign_in(client, editor)
    dashboard = await client.get("/admin/")
    token = re.search(r'data-csrf="([^"]+)"', dashboard.text)
    session = await client.get("/admin/session", headers={"HX-Request": "true"})
    assert token is not None and session.json() == {"csrf": token.group(1)}
    assert session.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("language", "heading"), [("en", "Request refused (405)"), ("fr", "Requête refusée (405)")])
async def test_a_post_only_address_opened_directly_gets_the_admins_page(
    client: httpx.AsyncClient, editor: str, language: str, heading: str
) -> None:
    await _sign_in(client, editor)
    client.cookies.set("cms_admin_lang", language)
    response = await client.get("/admin/entries/product/feedback")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert f'<h1 id="error-title">{heading}</h1>' in response.text
    assert 'href="/admin/"' in response.text


def test_a_client_that_hangs_up_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    from litestar import Request
    from litestar.exceptions import InternalServerException

    from cms.admin.errors import CLIENT_DISCONNECTED, unexpected_error_page

    scope: Any = {"type": "http", "method": "POST", "path": "/admin/entries/product/feedback", "headers": []}
    scope |= {"query_string": b"", "app": None, "state": {}}
    with caplog.at_level(logging.DEBUG, logger="cms.admin"):
        response = unexpected_error_page(Request(scope), InternalServerException(CLIENT_DISCONNECTED))
    assert response.status_code == 499
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


async def test_sign_in_needs_the_forms_token(client: httpx.AsyncClient, editor: str) -> None:
    forged = await client.post("/admin/login", data={"email": editor, "password": PASSWORD})
    assert forged.status_code == 400
    assert "cms_session" not in forged.cookies
    assert "expired" in forged.text


async def test_sign_in_never_redirects_off_site(client: httpx.AsyncClient, editor: str) -> None:
    for target in ("https://evil.example/", "//evil.example/admin", "/graphql/web"):
        client.cookies.clear()
        response = await _sign_in(client, editor, next=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/admin/"


async def test_forms_without_the_csrf_token_change_nothing(client: httpx.AsyncClient, editor: str) -> None:
    assert (await _sign_in(client, editor)).status_code == 303
    before = await AuditEvent.count()
    refused = await client.post("/admin/logout", data={})
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    assert await AuditEvent.count() == before
    assert (await client.get("/admin/")).status_code == 200  # still signed in


async def test_wrong_password_is_audited_and_named(client: httpx.AsyncClient, editor: str) -> None:
    form = await client.get("/admin/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text)
    assert token is not None
    response = await client.post(
        "/admin/login", data={"_csrf": token.group(1), "email": editor, "password": "nope nope nope"}
    )
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert await AuditEvent.count().where(AuditEvent.action == "sign_in_failed") == 1


def test_every_message_exists_in_english_and_french() -> None:
    missing = [key for key, texts in MESSAGES.items() for language in LANGUAGES if not texts.get(language)]
    assert missing == []


def test_templates_use_only_known_messages() -> None:
    used = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([\w.]+)["']""", template.read_text())
        if not key.endswith(".")  # a prefix completed at run time, e.g. t("status." ~ row.status)
    }
    assert used, "the templates should translate their words"
    assert sorted(used - MESSAGES.keys()) == []


async def test_the_demo_signs_in_with_its_documented_admin_only_on_a_fresh_install(clean_db: None) -> None:
    from cms.auth.users import authenticate
    from cms.cli import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, _demo_admin
    from cms.store.tables import User

    await _demo_admin()
    await _demo_admin()  # serving the demo again keeps the one admin
    signed_in = await authenticate(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    assert signed_in is not None and signed_in["role"] == "admin"
    assert await User.count() == 1

    await User.delete(force=True)
    await create_user("owner@example.test", "Owner", "admin", PASSWORD)
    await _demo_admin()  # an install with users of its own never gets the demo's password
    assert await authenticate(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD) is None


async def test_missing_things_get_the_admins_not_found_page(client: httpx.AsyncClient, editor: str) -> None:
    await _sign_in(client, editor)
    for path in (
        "/admin/entries/product/00000000-0000-0000-0000-000000000000",
        "/admin/entries/product/00000000-0000-0000-0000-000000000000/versions/99",
        "/admin/entries/nosuchtype/new",
        "/admin/nosuchpage",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert '<h1 id="error-title">Not found</h1>' in response.text, path
        assert 'href="/admin/"' in response.text, path  # a way back
    elsewhere = await client.get("/no-such-thing")
    assert elsewhere.status_code == 404
    assert elsewhere.json()["status_code"] == 404  # outside the admin, 404s stay JSON


def test_no_input_cuts_what_is_typed_with_maxlength() -> None:
    """The server checks lengths and says which field is too long; the browser must not silently drop text."""
    assert [path.name for path in TEMPLATES.rglob("*.html") if "maxlength" in path.read_text()] == []


async def test_overlong_names_are_refused_with_a_message_and_kept_in_the_form(
    client: httpx.AsyncClient, clean_db: None
) -> None:
    csrf = await sign_in_as(client, "admin")
    name = "Spring " * 40  # 280 characters

    release = await client.post("/admin/releases", data={"_csrf": csrf, "name": name})
    token = await client.post("/admin/users/tokens", data={"_csrf": csrf, "name": name, "scopes": "delivery:web"})

    assert release.status_code == 400
    assert "The release name is 279 characters long, over 200: shorten it." in release.text
    assert f'value="{name}"' in release.text
    assert token.status_code == 400
    assert "The token name is 279 characters long, over 200: shorten it." in token.text


async def test_every_admin_page_has_an_inline_icon_so_no_favicon_request_fails(
    client: httpx.AsyncClient, editor: str
) -> None:
    login = await client.get("/admin/login")

    icon = re.search(r'<link rel="icon" href="([^"]+)">', login.text)
    assert icon is not None and icon.group(1).startswith("data:image/svg+xml,")
    assert "<svg" in icon.group(1).replace("%3C", "<")


def test_plural_messages_have_a_form_for_one_and_for_more() -> None:
    used = {
        key
        for template in TEMPLATES.rglob("*.html")
        for key in re.findall(r"""\bt\.plural\(\s*["']([\w.]+)["']""", template.read_text())
    }
    assert "media.count" in used
    assert [key for key in used if not {f"{key}.one", f"{key}.other"} <= MESSAGES.keys()] == []


def test_no_message_counts_with_a_parenthesised_plural() -> None:
    """'1 error(s)' reads badly in any language: counts go through `Translator.plural`."""
    assert [key for key, texts in MESSAGES.items() if any("(s)" in text for text in texts.values())] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0 problems to fix", "1 problem to fix", "2 errors"]),
        ("fr", ["0 problème à corriger", "1 problème à corriger", "2 erreurs"]),
    ],
)
def test_problem_and_error_counts_agree_with_their_number(language: str, expected: list[str]) -> None:
    t = Translator(language)
    assert [
        t.plural("entries.errors_title", 0),
        t.plural("entries.errors_title", 1),
        t.plural("entries.n_errors", 2),
    ] == expected


@pytest.mark.parametrize(
    ("language", "counts"),
    [("en", ["0 images", "1 image", "2 images"]), ("fr", ["0 image", "1 image", "2 images"])],
)
def test_one_thing_is_singular_and_french_zero_too(language: str, counts: list[str]) -> None:
    assert [Translator(language).plural("media.count", count) for count in (0, 1, 2)] == counts


def test_content_locales_are_named_in_the_admins_language() -> None:
    assert [Translator("en").locale_name(code) for code in ("en", "fr", "xx")] == ["English", "French", "XX"]
    assert [Translator("fr").locale_name(code) for code in ("en", "fr")] == ["anglais", "français"]
