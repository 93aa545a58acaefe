"""Releases, users and tokens, and the audit log in Chromium, as an admin would walk through them."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.auth.principal import user_principal
from cms.model import load_model
from cms.model.entry_data import EntryData
from cms.store.tables import Entry
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in
from tests.conftest import ROOT


async def test_release_walk(live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots) -> None:
    editor = Editor(load_model(ROOT / "content_types"), user_principal(1, admin_world["editor"], "editor"))
    data = msgspec.convert({"base": {"en": {"name": "Garden lamps", "slug": "garden-lamps"}}}, EntryData)
    lamps = await editor.create("category", data)
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])

    await page.get_by_role("link", name="Releases").click()
    await page.get_by_label("Name").fill("Summer launch")
    await page.get_by_role("button", name="Create release").click()
    await page.get_by_role("heading", name="Summer launch").wait_for()
    await page.get_by_label("Entry", exact=True).select_option(lamps["id"])
    await page.get_by_role("button", name="Add to release").click()
    await page.get_by_text("Entry added.").wait_for()
    assert await page.get_by_role("link", name="Garden lamps").is_visible()
    await shots.take(page, "release-with-an-entry")

    await page.get_by_label("Publish at (UTC)").fill("2001-01-01T09:00")
    await page.get_by_role("button", name="Schedule").click()
    assert "in the past" in await page.get_by_role("alert").inner_text()
    await shots.take(page, "schedule-refused")

    await page.get_by_role("button", name="Publish now").click()
    await page.get_by_text("The release is live.").wait_for()
    await shots.take(page, "release-published")
    assert (await Entry.select(Entry.published_version).where(Entry.id == lamps["id"]).first()) == {
        "published_version": 1
    }
    await page.get_by_role("link", name="← Releases").click()
    await shots.take(page, "release-list")


async def test_users_tokens_and_audit_walk(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.get_by_role("link", name="Users & tokens").click()
    await shots.take(page, "users-and-tokens")

    await page.get_by_label("Email", exact=True).fill("nina@example.test")
    await page.get_by_label("Name", exact=True).fill("Nina")
    await page.get_by_label("Initial password").fill("short")
    await page.get_by_role("button", name="Create user").click()
    assert "at least 10 characters" in await page.get_by_role("alert").inner_text()
    await page.get_by_label("Initial password").fill("a long enough passphrase")
    await page.get_by_role("button", name="Create user").click()
    await page.get_by_text("User nina@example.test created.").wait_for()
    await page.get_by_label("Role of nina@example.test", exact=True).select_option("reviewer")
    await page.get_by_role("button", name="Change the role of nina@example.test").click()
    await page.get_by_text("nina@example.test is now reviewer.").wait_for()
    await shots.take(page, "user-created-and-promoted")

    await page.get_by_label("Token name").fill("storefront build")
    await page.get_by_label("management:read").check()
    await page.get_by_label("delivery:web", exact=True).check()
    await page.get_by_role("button", name="Create token").click()
    secret = await page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("cms_")
    await page.get_by_role("button", name="Copy").click()
    await page.get_by_role("button", name="Copied").wait_for()
    await shots.take(page, "token-shown-once")
    answer = await page.request.post(
        "/graphql", data={"query": "{ me { name } }"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert (await answer.json())["data"]["me"]["name"] == "storefront build"

    await page.goto("/admin/users")
    assert secret not in await page.content()
    await page.get_by_role("button", name="Revoke the token storefront build").click()
    await page.get_by_text("revoked.").wait_for()
    await shots.take(page, "token-revoked")

    await page.get_by_role("link", name="Audit log").click()
    await page.get_by_label("Action").select_option("create_token")
    await page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    assert await rows.count() == 1
    await rows.first.get_by_text("Show").click()
    assert "storefront build" in await rows.first.locator("pre").inner_text()
    await shots.take(page, "audit-filtered")


async def test_non_admins_are_refused_users_page(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    assert await page.get_by_role("link", name="Users & tokens").count() == 0
    response = await page.goto("/admin/users")
    assert response is not None and response.status == 403
    assert await page.get_by_role("alert").inner_text() == "Your role does not allow this page."
    await shots.take(page, "users-forbidden")


async def test_pages_load_without_a_failed_request(live_server: str, browser: Any, admin_world: dict[str, str]) -> None:
    page = await new_page(browser, live_server)
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    await sign_in(page, admin_world["admin"])

    for path in ("/admin/", "/admin/media", "/admin/releases", "/admin/entries/product/new"):
        await page.goto(path)
        await page.wait_for_load_state("networkidle")

    assert failed == []  # no /favicon.ico 404 among them: the icon is inline
    assert (await page.locator('link[rel="icon"]').get_attribute("href") or "").startswith("data:image/svg+xml,")


async def test_a_release_warns_about_an_unapproved_brand_message_before_publishing(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    editor = Editor(load_model(ROOT / "content_types"), user_principal(1, admin_world["admin"], "admin"))
    body = {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Longer days are here."}]}]}
    values = {"title": "Spring launch", "slug": "spring-launch", "body": body}
    message = await editor.create("brand_message", msgspec.convert({"base": {"en": values}}, EntryData))
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])

    # When I put the never-approved brand message in a release
    await page.goto("/admin/releases")
    await page.get_by_label("Name").fill("Spring")
    await page.get_by_role("button", name="Create release").click()
    await page.get_by_label("Entry", exact=True).select_option(message["id"])
    await page.get_by_role("button", name="Add to release").click()

    # Then it is added, with a warning, and listed as not publishable yet above the Publish button
    await page.get_by_text("Entry added.").wait_for()
    assert "cannot be published yet" in await page.locator("#added-warning").inner_text()
    not_ready = page.locator(".not-ready")
    assert "Not publishable yet (1)" in await not_ready.inner_text()
    assert "needs review and approval" in await not_ready.inner_text()
    await shots.take(page, "release-with-an-unapproved-entry")

    # And publishing is refused, naming the entry by its title
    await page.get_by_role("button", name="Publish now").click()
    refusal = await page.get_by_role("alert").filter(has_text="Refused").inner_text()
    assert "“Spring launch” needs review" in refusal and message["id"] not in refusal
    await shots.take(page, "release-refused-by-title")
