"""No lost work in Chromium: two people saving the same entry (merge, then a three-way choice), the warning
before leaving unsaved edits, the local copy restored after closing the tab, and the asset page's one form."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store import entries as store
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in
from tests.browser.test_admin_media import landscape_png


async def _category(model: ContentModel, admin_email: str) -> str:
    editor = Editor(model, user_principal(1, admin_email, "admin"))
    row = await editor.create("category", EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}}))
    return str(row["id"])


async def _save(page: Any) -> None:
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.wait_for_load_state("domcontentloaded")


async def test_two_people_editing_one_entry_merge_or_choose_and_lose_nothing(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    entry_id = await _category(model, admin_world["admin"])
    url = f"/admin/entries/category/{entry_id}"
    alice, bob = await new_page(browser, live_server), await new_page(browser, live_server)
    await sign_in(alice, admin_world["admin"])
    await sign_in(bob, admin_world["editor"])
    await alice.goto(url)
    await bob.goto(url)

    # When Alice renames it and Bob, on the same version, writes a description
    await alice.locator("#base-en-name").fill("Kitchen & dining")
    await _save(alice)
    await alice.get_by_text("Saved version 2").wait_for()
    await bob.locator("#base-en-description").fill("Everything for cooking.")
    await _save(bob)

    # Then Bob's save merges: version 3 holds both, and Bob is told which of Alice's fields were kept
    await bob.get_by_text("Saved version 3").wait_for()
    assert "its change to Name (en) was merged with yours" in await bob.locator("main").inner_text()
    assert await bob.locator("#base-en-name").input_value() == "Kitchen & dining"
    await shots.take(bob, "merged-save")

    # When both change the name again from version 3
    await alice.goto(url)
    await alice.locator("#base-en-name").fill("Cookware")
    await bob.locator("#base-en-name").fill("Kitchen & table")
    await _save(alice)
    await alice.get_by_text("Saved version 4").wait_for()
    await _save(bob)

    # Then Bob's save stops at a three-way choice; nothing is saved yet
    conflict = bob.locator("#conflict")
    await conflict.wait_for()
    row = conflict.locator('tr[data-conflict="base.en.name"]')
    assert [await row.locator(f"td.{side}").inner_text() for side in ("theirs", "mine", "base")] == [
        "Cookware",
        "Kitchen & table",
        "Kitchen & dining",
    ]
    assert (await store.load_version(entry_id)).number == 4
    await shots.take(bob, "three-way-choice")

    # When Bob saves without choosing, he is asked to; then he takes theirs
    await conflict.get_by_role("button", name="Save with these choices").click()
    await bob.locator("#conflict-unresolved").wait_for()
    await bob.locator("#conflict").get_by_label("Take theirs").check()
    await bob.locator("#conflict").get_by_role("button", name="Save with these choices").click()
    await bob.get_by_text("Saved version 5").wait_for()

    saved = await store.load_version(entry_id)
    assert saved.data.base["en"] == {
        "name": "Cookware",
        "slug": "kitchen",
        "description": "Everything for cooking.",
    }


async def test_leaving_unsaved_edits_asks_and_a_closed_tab_gives_them_back(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    url = f"/admin/entries/category/{await _category(model, admin_world['admin'])}"
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(url)
    dialogs: list[str] = []
    asked: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        await dialog.dismiss()  # "stay on this page"
        if not asked.done():
            asked.set_result(None)

    page.on("dialog", on_dialog)
    description = page.locator("#base-en-description")
    await description.click()
    await description.press_sequentially("Pans and knives")

    # When I follow a link away, the browser asks first; staying keeps my text
    await page.get_by_role("link", name="Category").first.click()
    await asyncio.wait_for(asked, 10)
    assert dialogs == ["beforeunload"]
    assert page.url == f"{live_server}{url}"
    assert await description.input_value() == "Pans and knives"

    # When the tab is closed anyway and the entry opened again, the copy is offered back
    context = page.context
    await page.close()
    page = await context.new_page()
    await page.goto(url)
    offer = page.locator("#draft-offer")
    await offer.wait_for()
    assert "Restore your unsaved changes from" in await offer.inner_text()
    await shots.take(page, "draft-offered-after-closing-the-tab")
    await offer.get_by_role("button", name="Restore").click()
    assert await page.locator("#base-en-description").input_value() == "Pans and knives"

    # And saving it (its own submit) leaves without asking, and forgets the copy
    page.on("dialog", on_dialog)
    await _save(page)
    await page.get_by_text("Saved version 2").wait_for()
    assert dialogs == ["beforeunload"]
    assert await page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('cms-draft:'))") == []
    await page.get_by_role("link", name="Category").first.click()
    await page.wait_for_url(re.compile(r"/admin/entries/category$"))
    assert dialogs == ["beforeunload"]


async def test_a_copy_discarded_is_gone(
    live_server: str, browser: Any, admin_world: dict[str, str], model: ContentModel
) -> None:
    url = f"/admin/entries/category/{await _category(model, admin_world['admin'])}"
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(url)
    await page.locator("#base-en-description").fill("Typed, then thrown away")
    context = page.context
    await page.close()
    page = await context.new_page()
    await page.goto(url)

    await page.locator("#draft-offer").get_by_role("button", name="Discard them").click()

    assert await page.locator("#draft-offer").is_hidden()
    assert await page.locator("#base-en-description").input_value() == ""
    assert await page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('cms-draft:'))") == []


async def test_saving_alt_texts_keeps_the_focal_point_just_clicked(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.goto("/admin/media")
    await page.get_by_label("Choose files…").set_input_files(
        files=[{"name": "field.png", "mimeType": "image/png", "buffer": landscape_png()}]
    )
    await page.locator(".asset-card a").first.click()
    await page.get_by_role("heading", name="field.png").wait_for()
    asset_id = page.url.rstrip("/").rsplit("/", 1)[1]

    # When I click a focal point, then write a French alt text and save under the alt texts
    picker = page.locator(".focal-picker")
    box = await picker.bounding_box()
    assert box is not None
    await picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    await page.get_by_label("Alt text in French (fr)").fill("Un ballon rouge dans un champ")
    await page.locator("#alt-heading + div").get_by_role("button", name="Save focal point and alt texts").click()

    # Then both are saved
    await page.get_by_text("Focal point and alt texts saved").wait_for()
    document = await (await page.request.get(f"/media/{asset_id}")).json()
    assert document["focalPoint"]["x"] == 0.25
    assert document["alt"] == {"fr": "Un ballon rouge dans un champ"}
    await shots.take(page, "focal-point-and-alt-saved-together")


async def test_a_copy_made_before_someone_elses_save_is_restored_and_merged(
    live_server: str, browser: Any, admin_world: dict[str, str], model: ContentModel
) -> None:
    entry_id = await _category(model, admin_world["admin"])
    url = f"/admin/entries/category/{entry_id}"
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto(url)
    await page.locator("#base-en-description").fill("Pans and knives")
    context = page.context
    await page.close()

    # Given another editor saved version 2 while my tab was closed
    theirs = await store.load_version(entry_id)
    theirs.data.base["en"]["name"] = "Kitchen & dining"
    await Editor(model, user_principal(2, admin_world["editor"], "editor")).update(entry_id, 1, theirs.data)

    # When I open the entry again, restore my copy (made on version 1) and save
    page = await context.new_page()
    await page.goto(url)
    offer = page.locator("#draft-offer")
    await offer.wait_for()
    assert "They were made on version 1" in await offer.inner_text()
    await offer.get_by_role("button", name="Restore").click()
    await _save(page)

    # Then my copy merges with their save: nothing of theirs is overwritten by the old name
    await page.get_by_text("Saved version 3").wait_for()
    saved = await store.load_version(entry_id)
    assert saved.data.base["en"]["name"] == "Kitchen & dining"
    assert saved.data.base["en"]["description"] == "Pans and knives"
