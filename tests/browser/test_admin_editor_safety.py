"""The editor never loses what was typed: an ended session, a reload, Enter in a picker's search box."""

from __future__ import annotations

import re
from typing import Any

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import Entry, EntryVersion
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in


async def _category(model: ContentModel, admin_email: str) -> str:
    editor = Editor(model, user_principal(1, admin_email, "admin"))
    row = await editor.create("category", EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}}))
    return str(row["id"])


async def test_an_ended_session_keeps_the_text_and_saves_it_after_signing_in_elsewhere(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    url = f"/admin/entries/category/{await _category(model, admin_world['admin'])}"
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(url)
    description = page.locator("#base-en-description")
    await description.fill("Everything for cooking")

    # When the session ends and I keep typing
    await page.context.clear_cookies(name="cms_session")
    await description.press_sequentially(", from pans to knives.")

    # Then a banner says so, the page and my text stay
    banner = page.locator("#session-ended")
    await banner.wait_for()
    assert "Your session has ended." in await banner.inner_text()
    assert await banner.get_by_role("link").get_attribute("target") == "_blank"
    assert page.url == f"{live_server}{url}"
    assert await description.input_value() == "Everything for cooking, from pans to knives."
    await shots.take(page, "session-ended-banner")

    # When I sign in again in another tab and save here
    other = await page.context.new_page()
    await sign_in(other, admin_world["admin"])
    await page.bring_to_front()
    await page.get_by_role("button", name="Save", exact=True).click()

    # Then my text is saved
    await page.get_by_text("Saved version 2").wait_for()
    assert await description.input_value() == "Everything for cooking, from pans to knives."
    assert await banner.is_hidden()
    await shots.take(page, "saved-after-signing-in-again")


async def test_unsaved_changes_are_offered_back_after_a_reload_and_forgotten_once_saved(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    url = f"/admin/entries/category/{await _category(model, admin_world['admin'])}"
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(url)
    await page.get_by_role("tab", name=re.compile("^FR")).click()
    await page.locator("#base-fr-name").fill("Cuisine")

    # When the page is reloaded before saving
    await page.reload()
    offer = page.locator("#draft-offer")
    await offer.wait_for()
    assert "Restore your unsaved changes from" in await offer.inner_text()
    assert await page.locator("#base-fr-name").input_value() == ""
    await shots.take(page, "restore-offer")

    # Then restoring brings the text back; saving keeps the French tab open and forgets the copy
    await offer.get_by_role("button", name="Restore").click()
    assert await page.locator("#base-fr-name").input_value() == "Cuisine"
    await page.get_by_role("tab", name=re.compile("^FR")).click()
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.get_by_text("Saved version 2").wait_for()
    assert await page.get_by_role("tab", name=re.compile("^FR")).get_attribute("aria-selected") == "true"
    assert await page.locator("#base-fr-name").is_visible()
    await page.reload()
    await page.locator("#base-fr-name").wait_for()
    assert await offer.is_hidden()
    assert await page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('cms-draft:'))") == []


async def test_enter_in_a_pickers_search_box_picks_and_never_saves(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    await _category(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto("/admin/entries/product/new")
    await page.locator("#base-en-name").fill("Chef knife")

    # When I search a category and press Enter
    search = page.locator("#base-en-category-search")
    await search.fill("Kitch")
    await page.locator("#results-base-en-category").get_by_role("button", name="Kitchen").wait_for()
    await search.press("Enter")

    # Then the first suggestion is picked, and nothing was saved
    await page.locator("#chosen-base-en-category").get_by_text("Kitchen").wait_for()
    await shots.take(page, "picked-with-enter")
    assert page.url.endswith("/admin/entries/product/new")
    assert await page.locator("#base-en-name").input_value() == "Chef knife"
    assert await Entry.count().where(Entry.content_type == "product") == 0
    assert await EntryVersion.count() == 1  # the category only


async def test_a_viewer_reads_an_entry_in_every_tab_but_cannot_change_it(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    from cms.auth.users import create_user
    from tests.browser.conftest import PASSWORD

    url = f"/admin/entries/category/{await _category(model, admin_world['admin'])}"
    await create_user("viewer@example.test", "Vera", "viewer", PASSWORD)
    page = await new_page(browser, live_server)
    await sign_in(page, "viewer@example.test")
    await page.goto(url)

    # The editor says why nothing can be changed, still shows its previews and switches tabs
    await page.get_by_text("Your role (viewer) can read but not change entries.").wait_for()
    await page.locator("#feedback .lint-panel, #feedback .lint-summary").first.wait_for()
    assert await page.get_by_role("button", name="Save", exact=True).count() == 0
    await page.get_by_role("tab", name=re.compile("^FR")).click()
    assert await page.locator("#base-fr-name").is_visible()
    await page.get_by_role("tab", name=re.compile("^EN")).click()
    await page.locator("#base-en-name").press("Enter")  # no implicit submission either
    assert page.url == f"{live_server}{url}"
    assert await page.locator("#base-en-name").get_attribute("readonly") is not None
    await shots.take(page, "viewer-read-only-editor")
