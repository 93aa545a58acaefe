"""The admin in French, in Chromium: the diff of two chosen versions, and an editing session with no English left."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.richtext import rich_text_from_paragraphs
from cms.store import entries as store
from cms.store.tables import Schedule
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in

OPENING = (
    "Un casque léger et confortable pour les longues journées de travail, avec une réduction de bruit active "
    "et des coussinets en mousse à mémoire de forme."
)
# Markers of an English sentence: none may be left in the French entry page's text.
ENGLISH = re.compile(
    r"\b(is required|is not|characters long|over the budget|over the limit|add an? |override|brand voice|"
    r"Save|Saved|Version \d+ compared|exclamation mark|emoji are|shorten it|Suggestion:|Errors|Warnings|"
    r"In stock|amount)\b"
)


async def _product(model: ContentModel, admin_email: str) -> tuple[str, dict[str, Any]]:
    editor = Editor(model, user_principal(1, admin_email, "admin"))
    category = await editor.create("category", EntryData(base={"en": {"name": "Audio", "slug": "audio"}}))
    base = {
        "name": "Headset",
        "slug": "headset",
        "gtin": "4006381333931",
        "price": {"amount": "89.00", "currency": "EUR"},
        "category": str(category["id"]),
        "availability": "in_stock",
        "featured": False,
    }
    french = {"name": "Casque", "description": rich_text_from_paragraphs(OPENING, "Autonomie de trente heures.")}
    row = await editor.create("product", EntryData(base={"en": base, "fr": french}))
    return str(row["id"]), base


async def _in_french(page: Any, live_server: str) -> None:
    await page.context.add_cookies([{"name": "cms_admin_lang", "value": "fr", "url": live_server}])


async def test_the_diff_of_two_chosen_versions_marks_the_changed_word_of_a_french_description(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    # Given a product whose French description changed one word (v2), then whose name changed (v3)
    entry_id, base = await _product(model, admin_world["admin"])
    editor = Editor(model, user_principal(1, admin_world["admin"], "admin"))
    second = rich_text_from_paragraphs(OPENING, "Autonomie de quarante heures.")
    await editor.update(entry_id, 1, EntryData(base={"en": base, "fr": {"name": "Casque", "description": second}}))
    third = EntryData(base={"en": base | {"name": "Wireless headset"}, "fr": {"name": "Casque", "description": second}})
    await editor.update(entry_id, 2, third)
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await _in_french(page, live_server)

    # When I open version 1 from the versions table and pick version 2 to compare it with
    await page.goto(f"/admin/entries/product/{entry_id}")
    await page.get_by_role("link", name="Comparer 1").click()
    await page.get_by_label("à la version").select_option("2")
    await page.get_by_role("button", name="Comparer", exact=True).click()

    # Then the page compares 1 with 2, in the French text's group, with only the changed word marked
    await page.get_by_role("heading", name="Version 1 comparée à la version 2").wait_for()
    group = page.locator("section.diff-group", has=page.get_by_role("heading", name="Texte en français"))
    assert await group.locator("del").all_inner_texts() == ["trente"]
    assert await group.locator("ins").all_inner_texts() == ["quarante"]
    assert OPENING in await group.locator("td.before").inner_text()  # the whole text, not a cut opening
    assert OPENING in await group.locator("td.after").inner_text()
    assert "Wireless headset" not in await page.locator("main").inner_text()  # only changed in version 3
    await shots.take(page, "diff-1-2-french")


async def test_a_french_editing_session_reads_french_from_error_to_saved_price(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    entry_id, _ = await _product(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await _in_french(page, live_server)
    await page.goto(f"/admin/entries/product/{entry_id}")

    # When I type a French name too long for the app, with a word the brand voice forbids
    await page.get_by_role("tab", name=re.compile("^FR")).click()
    long_name = "Casque pas cher à réduction de bruit active, léger et confortable toute la journée"
    await page.locator("#base-fr-name").fill(long_name)

    # Then the live panel says it in French: a budget finding and a voice finding, with field and channel labels
    panel = page.locator("#feedback .lint-panel")
    budget = f"Nom compte {len(long_name)} caractères, soit {len(long_name) - 60} de plus que le budget de 60"
    await panel.get_by_text(budget).first.wait_for()
    await panel.get_by_text("« pas cher » dévalorise la marque").first.wait_for()
    assert "ajoutez un remplacement pour Application mobile" in await panel.inner_text()
    await shots.take(page, "french-findings")

    # When I save a price that is not a number and no English name
    await page.get_by_role("tab", name=re.compile("^EN")).click()
    await page.locator("#base-en-name").fill("")
    await page.locator("#base-en-price-amount").fill("trente")
    await page.get_by_role("button", name="Enregistrer", exact=True).click()

    # Then the refusal is in French and names the fields; what I typed is still there
    summary = page.locator("#error-summary")
    await summary.wait_for()
    assert "« trente » n’est pas un nombre décimal" in await summary.inner_text()
    assert "est obligatoire" in await summary.inner_text()
    assert await page.locator("#base-fr-name").input_value() == long_name
    await _no_english(page)
    await shots.take(page, "french-refusal")

    # When I write the price with a decimal comma and give the name back
    await page.locator("#base-en-name").fill("Headset")
    await page.locator("#base-en-price-amount").fill("39,90")
    await page.get_by_role("button", name="Enregistrer", exact=True).click()

    # Then it is saved as 39.90 and shown back as 39,90, and nothing on the page is English
    await page.get_by_text("Version 2 enregistrée").wait_for()
    assert await page.locator("#base-en-price-amount").input_value() == "39,90"
    assert (await store.load_version(entry_id)).data.base["en"]["price"]["amount"] == "39.90"
    await page.locator("#feedback .lint-panel").get_by_text(budget).first.wait_for()
    await _no_english(page)
    await shots.take(page, "french-saved")


async def _no_english(page: Any) -> None:
    text = await page.locator("main").inner_text()
    left = sorted({match.group(0) for match in ENGLISH.finditer(text)})
    assert left == [], f"English left on the French page: {left}"


async def test_scheduling_in_french_is_typed_and_shown_in_the_browsers_time_zone(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    entry_id, _ = await _product(model, admin_world["admin"])
    context = await browser.new_context(base_url=live_server, timezone_id="Europe/Paris")
    page = await context.new_page()
    await sign_in(page, admin_world["admin"])  # the first page seen sets the zone's cookie
    await _in_french(page, live_server)

    # When I schedule publishing at 10:00 on 15 January 2099, Paris time
    await page.goto(f"/admin/entries/product/{entry_id}")
    assert "Europe/Paris, UTC+01:00" in await page.locator(".workflow").inner_text()
    await page.locator("#schedule-at").fill("2099-01-15T10:00")
    await page.get_by_role("button", name="Programmer", exact=True).click()

    # Then it is stored at 09:00 UTC and shown back at 10:00 with its offset, in French
    await page.get_by_text("Programmé : publier le 15 janv. 2099, 10:00 (UTC+01:00)").wait_for()
    job = await Schedule.select(Schedule.run_at).where(Schedule.entry == entry_id).first()
    assert job["run_at"].astimezone(dt.UTC) == dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC)
    await shots.take(page, "scheduled-in-paris")
