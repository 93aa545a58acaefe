"""Fewer dead ends, the keyboard and the phone, in Chromium: a disabled publish says why, the slug follows the
name, the list finds French titles as one types, the 390 px editor has no sideways scroll and a short header
and save bar, Ctrl+S saves, and removing a chip keeps the focus in the picker."""

from __future__ import annotations

import re
from typing import Any

import msgspec
from playwright.async_api import expect

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store import entries as store
from cms.store.tables import Asset, Entry
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in
from tests.test_admin_media import png

BODY = {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Longer days are here."}]}]}
GTINS = ("4006381333931", "5901234123457")
# What sticks out past 390 px (outside the menu, which scrolls inside itself): named when the layout test fails.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.mainnav'))
  .slice(0, 5).map((e) => `${e.tagName}.${e.className} in ${e.parentElement.className}: ${e.outerHTML.slice(0, 80)}`)"""


def _editor(model: ContentModel, email: str) -> Editor:
    return Editor(model, user_principal(1, email, "admin"))


async def _products(model: ContentModel, email: str) -> tuple[str, str]:
    """A category and two products named in English and French; the products' ids."""
    editor = _editor(model, email)
    audio = await editor.create("category", EntryData(base={"en": {"name": "Audio", "slug": "audio"}}))
    ids = []
    for (en, fr, slug), gtin in zip(
        [("Headphones", "Casque audio", "headphones"), ("Lantern", "Lanterne à poser", "lantern")], GTINS, strict=True
    ):
        values = {
            "name": en,
            "slug": slug,
            "gtin": gtin,
            "price": {"amount": "39.90", "currency": "EUR"},
            "category": str(audio["id"]),
            "availability": "in_stock",
        }
        row = await editor.create("product", msgspec.convert({"base": {"en": values, "fr": {"name": fr}}}, EntryData))
        ids.append(str(row["id"]))
    return ids[0], ids[1]


async def test_publishing_an_unapproved_version_is_disabled_with_its_reason(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    values = {"title": "Spring", "slug": "spring", "body": BODY}
    entry = await _editor(model, admin_world["admin"]).create(
        "brand_message", msgspec.convert({"base": {"en": values}}, EntryData)
    )
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])

    await page.goto(f"/admin/entries/brand_message/{entry['id']}")

    publish = page.locator(".workflow").get_by_role("button", name="Publish", exact=True)
    assert await publish.is_disabled()
    reason = page.locator("#why-publish")
    assert await reason.is_visible()
    assert "needs review and approval: no version of this entry is approved yet" in await reason.inner_text()
    assert await publish.get_attribute("aria-describedby") == "why-publish"
    await shots.take(page, "publish-disabled-with-reason")


async def test_the_slug_is_proposed_from_a_french_name_until_the_editor_edits_it(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto("/admin/entries/category/new")
    slug = page.locator("#base-en-slug")

    await page.locator("#base-en-name").press_sequentially("Lampe à poser")
    # (expect, not wait_for_function: the admin's Content-Security-Policy forbids the eval the latter needs)
    await expect(slug).to_have_value("lampe-a-poser")
    await shots.take(page, "slug-proposed")

    # When I write my own slug, typing more of the name leaves it alone
    await slug.fill("lampes")
    name = page.locator("#base-en-name")
    await name.press("End")
    await name.press_sequentially(" en laiton")
    await page.wait_for_timeout(600)  # longer than the proposal's debounce: nothing may come back
    assert await slug.input_value() == "lampes"

    # And emptying it makes it follow the name again
    await slug.fill("")
    await name.press("End")
    await name.press_sequentially(" doré")
    await expect(slug).to_have_value("lampe-a-poser-en-laiton-dore")


async def test_the_list_finds_a_french_title_as_one_types_and_clears_filters(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    await _products(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto("/admin/entries/product")
    rows = page.locator("#entry-results tbody tr")
    assert await rows.count() == 2

    # When I type a French word, with no click
    await page.locator("#filter-q").press_sequentially("casque")

    # Then the list shows the product whose French title holds it, and the search box keeps my focus
    await expect(rows).to_have_count(1)
    assert "Headphones" in await rows.first.inner_text()
    assert "€39.90" in await rows.first.inner_text() and "Audio" in await rows.first.inner_text()
    await expect(page.locator("#filter-q")).to_be_focused()
    assert "q=casque" in page.url
    await shots.take(page, "found-casque")

    # And a status filter applies on change; "Clear filters" brings both products back
    await page.locator("#filter-status").select_option("published")
    await expect(rows).to_have_count(0)
    await page.get_by_role("link", name="Clear filters").click()
    await expect(rows).to_have_count(2)
    assert await page.locator("#filter-q").input_value() == ""


async def test_the_editor_at_390_px_has_no_sideways_scroll_and_keeps_header_and_save_bar_short(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    # Given a product with many versions and long version messages
    headphones, _ = await _products(model, admin_world["admin"])
    editor = _editor(model, admin_world["admin"])
    for number in range(1, 6):
        current = await store.load_version(headphones)
        base = {locale: dict(values) for locale, values in current.data.base.items()}
        base["en"]["name"] = f"Headphones {number}"
        message = "A long message explaining_this_change_in_great_detail_without_spaces_to_break_on " * 2
        await editor.update(headphones, current.number, EntryData(base=base), message)
    page = await new_page(browser, live_server, width=390, height=844)
    await sign_in(page, admin_world["editor"])

    await page.goto(f"/admin/entries/product/{headphones}")

    wide = await page.evaluate(WIDEST)
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    header = await page.locator("header.topbar").bounding_box()
    save_bar = await page.locator(".save-bar").bounding_box()
    assert header is not None and save_bar is not None
    assert header["height"] + save_bar["height"] <= 140, (header, save_bar)
    await shots.take(page, "editor-390")
    await page.screenshot(path=str(shots.folder / "editor-390-viewport.png"))  # what the phone shows at once

    # The consistency panel opens over the form while typing, and closes again
    await page.locator("#base-en-name").fill("Cheap headphones")
    toggle = page.get_by_role("button", name="Checks")
    await toggle.click()
    panel = page.locator("#feedback")
    assert await panel.is_visible() and await toggle.get_attribute("aria-expanded") == "true"
    await panel.locator(".lint-panel").get_by_text("cheap").first.wait_for()  # the finding on what was just typed
    # A sheet over the top of the page (a phone's keyboard takes the bottom), leaving the typed field and Save free
    sheet, typed = await panel.bounding_box(), await page.locator("#base-en-name").bounding_box()
    bar = await page.locator(".save-bar").bounding_box()
    assert sheet is not None and typed is not None and bar is not None
    assert sheet["y"] == 0 and sheet["height"] <= 844 * 0.45 + 1, sheet
    assert typed["y"] >= sheet["height"] and bar["y"] >= sheet["height"], (sheet, typed, bar)
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await page.screenshot(path=str(shots.folder / "lint-sheet-390-viewport.png"))
    await toggle.click()
    assert await panel.is_hidden()

    # The other pages fit too
    for path in ("/admin/entries/product", "/admin/", "/admin/media", "/admin/releases", "/admin/audit"):
        await page.goto(path)
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390, (path, await page.evaluate(WIDEST))


async def test_ctrl_s_saves_the_entry(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    headphones, _ = await _products(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto(f"/admin/entries/product/{headphones}")
    # The first Tab reaches the skip link, which leads past the menu to the page's content
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("main#main")).to_be_focused()
    assert await page.locator("#save-shortcut").inner_text() == "Ctrl+S"
    save = page.get_by_role("button", name="Save", exact=True)
    assert await save.get_attribute("aria-keyshortcuts") == "Control+S Meta+S"

    await page.locator("#base-en-summary").fill("Closed-back, wireless.")
    await page.keyboard.press("Control+s")

    await page.get_by_text("Saved version 2").wait_for()
    row = await Entry.select().where(Entry.id == headphones).first()
    assert row["current_version"] == 2
    assert await page.locator("#base-en-summary").input_value() == "Closed-back, wireless."


async def test_removing_a_chip_moves_the_focus_to_the_next_chip_then_to_the_search_box(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    headphones, lantern = await _products(model, admin_world["admin"])
    values = {"title": "Spring", "slug": "spring", "body": BODY, "products": [headphones, lantern]}
    entry = await _editor(model, admin_world["admin"]).create(
        "brand_message", msgspec.convert({"base": {"en": values}}, EntryData)
    )
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto(f"/admin/entries/brand_message/{entry['id']}")
    picker = page.locator('[data-picker="base.en.products"]')

    await picker.get_by_role("button", name=re.compile(r"Remove: Headphones")).click()
    await expect(picker.get_by_role("button", name="Remove: Lantern")).to_be_focused()

    await page.keyboard.press("Enter")  # removes Lantern, the focused chip
    await expect(picker.locator(".chip")).to_have_count(0)
    await expect(page.locator("#base-en-products-search")).to_be_focused()
    await shots.take(page, "focus-after-removing-chips")


async def test_an_image_uploaded_from_the_entrys_image_field_is_attached_and_saved(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    headphones, _ = await _products(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto(f"/admin/entries/product/{headphones}")
    picker = page.locator('[data-picker="base.en.images"]')

    # When I upload a file that is no image, then an image, from the field itself
    upload = picker.get_by_label("Upload an image")
    await upload.set_input_files(files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just words"}])
    await expect(picker.locator(".upload-status")).to_contain_text("Upload refused: notes.txt")
    await expect(picker.locator(".chip")).to_have_count(0)
    image = {"name": "red-lamp.png", "mimeType": "image/png", "buffer": png((200, 30, 30))}
    await upload.set_input_files(files=[image])

    # Then the new asset is a chip of the field, and saving keeps it
    await expect(picker.locator(".chip")).to_have_count(1)
    await expect(picker.locator(".chip")).to_contain_text("red-lamp.png")
    await expect(picker.locator(".upload-status")).to_have_text("")
    asset = await Asset.select(Asset.id).where(Asset.filename == "red-lamp.png").first()
    assert asset is not None
    await shots.take(page, "uploaded-into-the-field")
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.get_by_text("Saved version 2").wait_for()
    saved = await store.load_version(headphones)
    assert saved.data.base["en"]["images"] == [str(asset["id"])]
