"""The versions page: any two versions, grouped by locale and channel override, words marked, texts whole."""

from __future__ import annotations

import re

import httpx
import pytest

from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.richtext.document import rich_text_from_paragraphs
from cms.store import entries as store
from tests.test_admin_entries import _category, _editor, admin  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("admin")  # a signed-in admin

OPENING = "Un casque léger et confortable pour les longues journées de travail, avec une réduction de bruit active."


async def _product_with_three_versions(model: ContentModel) -> str:
    """v1: French description; v2: one word changed in its second paragraph; v3: a social override added."""
    category = await _category(model)
    base = {
        "name": "Headset",
        "slug": "headset",
        "gtin": "4006381333931",
        "price": {"amount": "89.00", "currency": "EUR"},
        "category": category,
        "availability": "in_stock",
        "featured": False,
    }
    first = rich_text_from_paragraphs(OPENING, "Autonomie de trente heures.")
    created = await _editor(model).create(
        "product", EntryData(base={"en": base, "fr": {"name": "Casque", "description": first}})
    )
    entry_id = str(created["id"])
    second = rich_text_from_paragraphs(OPENING, "Autonomie de quarante heures.")
    await _editor(model).update(
        entry_id, 1, EntryData(base={"en": base, "fr": {"name": "Casque", "description": second}}), "v2"
    )
    third = EntryData(
        base={"en": base, "fr": {"name": "Casque", "description": second}},
        overrides={"social": {"fr": {"name": "Casque sans fil"}}},
    )
    await _editor(model).update(entry_id, 2, third, "v3")
    return entry_id


async def test_a_changed_word_in_a_french_rich_text_is_marked_and_both_texts_are_whole(
    client: httpx.AsyncClient,
    model: ContentModel,
) -> None:
    entry_id = await _product_with_three_versions(model)
    client.cookies.set("cms_admin_lang", "fr")

    page = await client.get(f"/admin/entries/product/{entry_id}/compare", params={"number": 1, "against": 2})

    assert page.status_code == 200
    assert "<del>trente</del>" in page.text and "<ins>quarante</ins>" in page.text
    assert page.text.count(OPENING) == 2  # the whole opening, on both sides, not cut
    assert "Texte en français" in page.text
    assert "Version 1 comparée à la version 2" in page.text


async def test_two_older_versions_can_be_compared_and_overrides_are_grouped_by_channel_and_locale(
    client: httpx.AsyncClient,
    model: ContentModel,
) -> None:
    entry_id = await _product_with_three_versions(model)

    page = await client.get(f"/admin/entries/product/{entry_id}/compare", params={"number": 2, "against": 3})

    social = model.channels["social"].label.get("en") or "social"
    assert f"{social} override in French" in page.text
    assert "<ins>Casque sans fil</ins>" in page.text
    assert "overrides" not in re.sub(r"<[^>]+>", "", page.text).lower()  # no internal row
    assert "quarante" not in page.text  # unchanged between 2 and 3: not shown


async def test_the_versions_link_preselects_the_version_and_the_current_one(
    client: httpx.AsyncClient,
    model: ContentModel,
) -> None:
    entry_id = await _product_with_three_versions(model)

    page = await client.get(f"/admin/entries/product/{entry_id}/versions/1")

    assert re.search(r'<select id="compare-from" name="number">.*?<option value="1" selected>', page.text, re.S)
    assert re.search(r'<select id="compare-against" name="against">\s*<option value="3" selected>', page.text)
    assert (await store.load_version(entry_id)).number == 3


async def test_an_unknown_version_to_compare_is_a_404(
    client: httpx.AsyncClient,
    model: ContentModel,
) -> None:
    entry_id = await _product_with_three_versions(model)

    page = await client.get(f"/admin/entries/product/{entry_id}/compare", params={"number": 1, "against": 9})

    assert page.status_code == 404
