"""The variant grid in Chromium: add rows, pick options, remove a row, see a refused cell named by row and column,
fix it and save."""

from __future__ import annotations

import re
from typing import Any

from cms.model import ContentModel
from cms.store import entries as store
from tests.browser.conftest import Shots, new_page, sign_in
from tests.browser.test_admin_editor import _kitchen_category, _save
from tests.factories import gtin13


async def test_an_editor_builds_the_variant_grid_of_a_lamp(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    await _kitchen_category(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.goto("/admin/entries/product/new")
    await page.locator("#base-en-name").fill("Galet table lamp")
    await page.locator("#base-en-slug").fill("galet-table-lamp")
    await page.locator("#base-en-gtin").fill(gtin13(9001))
    await page.locator("#base-en-price-amount").fill("89.00")
    await page.locator("#base-en-availability").select_option("in_stock")
    await page.locator("#base-en-category-search").fill("Kitch")
    await page.get_by_role("button", name=re.compile("^Kitchen")).click()

    # Given a grid with one column per option, then SKU, GTIN and price
    grid = page.get_by_role("table", name="Variants")
    headers = await grid.get_by_role("columnheader").all_inner_texts()
    assert [header.strip() for header in headers][:5] == ["Finish", "Size", "SKU", "GTIN", "Price"]

    # When I add three rows, fill them (the second with a GTIN the first already has), and remove the third
    add = page.get_by_role("button", name="Add a variant")
    for _ in range(3):
        await add.click()
    rows = grid.get_by_role("row")
    assert await rows.count() == 4  # the header and three variants
    for number, (finish, sku, gtin) in enumerate(
        [("brass", "LMP-01-BRASS", gtin13(9001)), ("black", "LMP-01-BLACK", gtin13(9001)), ("white", "X", "1")]
    ):
        await page.locator(f"#base-en-variants-{number}-options-finish").select_option(finish)
        await page.locator(f"#base-en-variants-{number}-sku").fill(sku)
        await page.locator(f"#base-en-variants-{number}-gtin").fill(gtin)
    await page.locator("#base-en-variants-1-price-amount").fill("94.50")
    await rows.nth(3).get_by_role("button", name=re.compile("^Remove variant")).click()
    assert await rows.count() == 3
    await shots.take(page, "grid-filled")
    await _save(page)

    # Then the save is refused, naming the row and the column, with the grid as typed
    summary = page.locator("#error-summary")
    await summary.get_by_text("Variants › row 2 › GTIN (en)").wait_for()
    assert "is already the GTIN of row 1" in await summary.inner_text()
    assert await page.locator("#base-en-variants-1-gtin").get_attribute("aria-invalid") == "true"
    await shots.take(page, "grid-refused")

    # And once fixed, the variants are saved in the grid's order
    await page.locator("#base-en-variants-1-gtin").fill(gtin13(9002))
    await _save(page)
    await page.get_by_text("Saved version 1").wait_for()
    entry_id = re.search(r"/admin/entries/product/([0-9a-f-]{36})", page.url).group(1)  # type: ignore[union-attr]
    saved = await store.load_version(entry_id)
    assert saved.data.base["en"]["variants"] == [
        {"sku": "LMP-01-BRASS", "gtin": gtin13(9001), "options": {"finish": "brass"}},
        {
            "sku": "LMP-01-BLACK",
            "gtin": gtin13(9002),
            "price": {"amount": "94.50", "currency": "EUR"},
            "options": {"finish": "black"},
        },
    ]
    await shots.take(page, "grid-saved")
