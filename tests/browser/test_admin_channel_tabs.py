"""Channel tabs and previews of a brand message in Chromium: what the email channel inherits follows the base
subject as it is typed, and the inbox row shows the subject cut where an inbox cuts it."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in

BODY = {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Longer days are here."}]}]}


async def _brand_message(model: ContentModel, admin_email: str) -> str:
    values = {"title": "Spring launch", "slug": "spring-launch", "body": BODY, "subject_line": "Spring is here"}
    row = await Editor(model, user_principal(1, admin_email, "admin")).create(
        "brand_message", EntryData(base={"en": values})
    )
    return str(row["id"])


async def test_the_email_tab_inherits_the_base_subject_as_it_is_typed(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    entry_id = await _brand_message(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(f"/admin/entries/brand_message/{entry_id}")
    inherits = page.locator("#inherited-overrides-email-en-subject_line q")
    assert await inherits.inner_text() == "Spring is here"

    # When I change the base subject and, without saving, open the Email tab
    await page.locator("#base-en-subject_line").fill("Our spring collection has landed")
    await page.get_by_role("tab", name="Email").click()

    # Then the Email tab says it inherits the subject as typed, and an empty override shows it as placeholder
    # (expect, not wait_for_function: the admin's Content-Security-Policy forbids the eval the latter needs)
    inherited = page.locator("#inherited-overrides-email-en-subject_line q")
    await expect(inherited).to_have_text("Our spring collection has landed")
    await page.locator('[data-override-toggle="overrides-email-en-subject_line"]').check()
    override = page.locator("#overrides-email-en-subject_line")
    assert await override.get_attribute("placeholder") == "Our spring collection has landed"
    await shots.take(page, "email-tab-inherits-typed-subject")
    assert re.search(r"/admin/entries/brand_message/", page.url)


async def test_the_inbox_row_cuts_the_subject_at_the_soft_budget_not_at_the_panels_width(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    entry_id = await _brand_message(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(f"/admin/entries/brand_message/{entry_id}")

    # When the subject is longer than the 50 characters an inbox shows
    subject = "Our spring collection is here, with rattan, linen and terracotta"
    await page.locator("#base-en-subject_line").fill(subject)
    row = page.locator("#feedback .preview-inbox .inbox-subject")
    await expect(row).to_have_attribute("title", subject)
    await row.scroll_into_view_if_needed()
    await shots.take(page, "inbox-row-subject-cut-at-soft-budget")
    # (the feedback panel scrolls on its own: the row itself too, as the full page cannot show it)
    await page.locator("#feedback .preview-inbox").screenshot(path=str(shots.folder / "02-inbox-row.png"))

    # Then the row shows it cut there, with "…", all of it visible (no second cut by CSS), the full text on hover
    assert await row.inner_text() == "Our spring collection is here, with rattan, linen…"
    assert await row.evaluate("element => getComputedStyle(element).textOverflow") != "ellipsis"
    assert await row.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert await row.evaluate("element => element.getBoundingClientRect().height < 30")  # one line at desktop width
