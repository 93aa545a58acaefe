"""An editor's day in Chromium: create a product, translate it, override it for social, fix a lint error,
publish it and read it back from /graphql/social. Two people saving the same entry: test_admin_no_lost_work."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in


async def _kitchen_category(model: ContentModel, admin_email: str) -> str:
    editor = Editor(model, user_principal(1, admin_email, "admin"))
    row = await editor.create("category", EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}}))
    return str(row["id"])


def _graphql(url: str, query: str) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps({"query": query}).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body: dict[str, Any] = json.load(response)
    assert "errors" not in body, body
    return body


async def _save(page: Any) -> None:
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.wait_for_load_state("domcontentloaded")


async def test_create_translate_override_lint_publish_and_deliver(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots, model: ContentModel
) -> None:
    await _kitchen_category(model, admin_world["admin"])
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])

    # Given an empty product list, when I create a product with its required fields
    await page.goto("/admin/entries/product")
    await shots.take(page, "product-list-empty")
    await page.get_by_role("link", name="New", exact=True).click()
    await page.locator("#base-en-name").fill("Chef knife")
    await page.locator("#base-en-slug").fill("chef-knife")
    await page.locator("#base-en-gtin").fill("4006381333931")
    await page.locator("#base-en-price-amount").fill("89.00")
    await page.locator("#base-en-availability").select_option("in_stock")
    await page.locator("#base-en-category-search").fill("Kitch")
    await page.get_by_role("button", name=re.compile("^Kitchen")).click()
    await shots.take(page, "new-product-filled")
    await _save(page)
    await page.get_by_text("Saved version 1").wait_for()
    await shots.take(page, "product-saved")
    entry_id = re.search(r"/admin/entries/product/([0-9a-f-]{36})", page.url).group(1)  # type: ignore[union-attr]

    # When I add a French name: the empty French summary shows it falls back to English
    await page.locator("#base-en-summary").fill("A knife for every day.")
    await page.get_by_role("tab", name=re.compile("^FR")).click()
    await page.locator("#base-fr-name").fill("Couteau de chef")
    await page.locator("#base-fr-summary").wait_for()
    await shots.take(page, "french-tab")

    # And a social override of a field the social channel shows
    await page.get_by_role("tab", name=re.compile("^EN")).click()
    await page.get_by_role("tab", name="Social media").click()
    assert await page.locator("#overrides-social-en-aisle").count() == 0  # kiosk-only field: not on social
    await page.locator('[data-override-toggle="overrides-social-en-social_text"]').check()
    await page.locator("#overrides-social-en-social_text").fill("Our cheap chef knife is here.")
    await page.locator("#feedback .lint-panel").get_by_text("cheap").first.wait_for()
    await shots.take(page, "lint-error-in-panel")

    # Then fixing the forbidden term clears the error, and publishing works
    await page.locator("#overrides-social-en-social_text").fill("Our chef knife is here, at a fair price.")
    await page.locator("#feedback .lint-summary.is-clean, #feedback .lint-summary.has-warnings").wait_for()
    await _save(page)
    await page.get_by_text("Saved version 2").wait_for()
    await page.get_by_role("button", name="Publish", exact=True).click()
    await page.get_by_text("Published.").wait_for()
    await shots.take(page, "published")

    # And delivery on social serves the override, in French the French name
    query = (
        f'{{ en: product(by: {{ id: "{entry_id}" }}) {{ name socialText }}'
        f' fr: product(by: {{ id: "{entry_id}" }}, locale: fr) {{ name }} }}'
    )
    served = _graphql(f"{live_server}/graphql/social", query)["data"]
    assert served["en"] == {"name": "Chef knife", "socialText": "Our chef knife is here, at a fair price."}
    assert served["fr"]["name"] == "Couteau de chef"

    # At tablet width the editor still fits
    tablet = await new_page(browser, live_server, width=768, height=1024)
    await sign_in(tablet, admin_world["admin"])
    await tablet.goto(f"/admin/entries/product/{entry_id}")
    await shots.take(tablet, "editor-at-768px")
    assert await tablet.evaluate("document.documentElement.scrollWidth") <= 768
