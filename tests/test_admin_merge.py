"""A save based on an older version over HTTP: what only one side changed merges, a field both changed is
offered as a three-way choice, and nothing another editor saved is lost."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from cms.auth.users import create_user
from cms.model import ContentModel
from cms.store import entries as store
from cms.store.tables import Entry
from tests.test_admin_entries import ADMIN_EMAIL, _category, _create_product, _editor, _product_form
from tests.test_admin_http import PASSWORD, _sign_in


@pytest.fixture
async def admin(client: httpx.AsyncClient, clean_db: None) -> str:
    """A signed-in admin; returns the session's CSRF token."""
    await create_user(ADMIN_EMAIL, "Ada", "admin", PASSWORD)
    assert (await _sign_in(client, ADMIN_EMAIL)).status_code == 303
    found = re.search(r'data-csrf="([^"]+)"', (await client.get("/admin/")).text)
    assert found is not None
    return found.group(1)


async def _their_edit(model: ContentModel, entry_id: str, **values: Any) -> None:
    """Another editor saves version 2 through the workflow: `base.fr.name="…"`-style paths."""
    data = (await store.load_version(entry_id)).data
    for path, value in values.items():
        parts = path.split(".")
        target = data.base if parts[0] == "base" else data.overrides.setdefault(parts[1], {})
        target.setdefault(parts[-2], {})[parts[-1]] = value
    await _editor(model).update(entry_id, 1, data, "their edit")


async def _current_version(entry_id: str) -> int:
    row = await Entry.select(Entry.current_version).where(Entry.id == entry_id).first()
    assert row is not None
    return int(row["current_version"])


async def test_a_stale_save_merges_what_only_one_side_changed_and_says_which_fields(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    # Given my form loaded at version 1, and their version 2 changing the French name and the social override
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    await _their_edit(
        model, entry_id, **{"base.fr.name": "Couteau de chef", "overrides.social.en.social_text": "Sharp."}
    )

    # When I save a new English name and summary from my version-1 form
    mine = _product_form(category_id, **{"base.en.name": "Chef's knife", "base.en.summary": "Forged steel."})
    response = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"}
    )

    # Then it saves version 3 with both sides' changes, and the page names their merged fields
    assert response.status_code == 303, response.text
    saved = await store.load_version(entry_id)
    assert saved.number == 3
    assert saved.data.base["en"]["name"] == "Chef's knife"
    assert saved.data.base["en"]["summary"] == "Forged steel."
    assert saved.data.base["fr"] == {"name": "Couteau de chef"}
    assert saved.data.overrides == {"social": {"en": {"social_text": "Sharp."}}}
    page = await client.get(response.headers["location"])
    notice = html.unescape(page.text)
    assert "Version 2 was saved while you were editing; its changes to" in notice
    name, social = model.types["product"].field("name"), model.types["product"].field("social_text")
    assert name is not None and social is not None
    assert f"{name.label['en']} (fr)" in notice and f"{social.label['en']} (social, en)" in notice

    client.cookies.set("cms_admin_lang", "fr")
    french = html.unescape((await client.get(response.headers["location"])).text)
    assert "La version 2 a été enregistrée pendant que vous modifiiez" in french
    assert f"{name.label['fr']} (fr)" in french


async def test_a_field_both_changed_saves_nothing_until_the_editor_chooses_per_field(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    # Given their version 2 renaming the product and adding a French name
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    await _their_edit(model, entry_id, **{"base.en.name": "Their knife", "base.fr.name": "Couteau de chef"})

    # When I save another name and a summary from my version-1 form
    mine = _product_form(category_id, **{"base.en.name": "My knife", "base.en.summary": "Forged steel."})
    response = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"}
    )

    # Then nothing is saved; the page shows theirs, mine and the base, and a choice, on top of version 2
    assert response.status_code == 409
    assert await _current_version(entry_id) == 2
    page = response.text
    row = re.search(r'<tr data-conflict="base.en.name">.*?</tr>', page, re.S)
    assert row is not None
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[0], re.S)
    ]
    assert cells[:3] == ["Their knife", "My knife", "Chef knife"]
    assert 'name="resolve.base.en.name" value="mine"' in page and 'name="resolve.base.en.name" value="theirs"' in page
    assert 'name="base_version" value="2"' in page and 'name="merge_base" value="1"' in page
    assert 'name="conflict" value="base.en.name"' in page
    assert 'value="Couteau de chef"' in page  # their French name is already in the form
    assert 'value="My knife"' in page and "Forged steel." in page  # and my text is still there
    assert 'data-unsaved="1"' in page  # leaving now warns

    # When I save again without choosing
    resent = mine | {"base.fr.name": "Couteau de chef", "_csrf": admin, "base_version": "2"}
    resent |= {"merge_base": "1", "conflict": "base.en.name"}
    again = await client.post(f"/admin/entries/product/{entry_id}", data=resent)

    # Then still nothing is saved, and the page asks for a choice
    assert again.status_code == 409
    assert await _current_version(entry_id) == 2
    assert "Choose “Keep mine” or “Take theirs” for every field below before saving." in html.unescape(again.text)

    # When I take theirs for the name
    chosen = await client.post(f"/admin/entries/product/{entry_id}", data=resent | {"resolve.base.en.name": "theirs"})

    # Then version 3 has their name, their French name and my summary
    assert chosen.status_code == 303, chosen.text
    saved = await store.load_version(entry_id)
    assert saved.number == 3
    assert saved.data.base["en"]["name"] == "Their knife"
    assert saved.data.base["en"]["summary"] == "Forged steel."
    assert saved.data.base["fr"] == {"name": "Couteau de chef"}


async def test_keeping_mine_saves_my_value_over_theirs_and_nothing_else_of_theirs_is_lost(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    await _their_edit(model, entry_id, **{"base.en.name": "Their knife", "overrides.social.en.social_text": "Sharp."})
    mine = _product_form(category_id, **{"base.en.name": "My knife"})
    first = await client.post(f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"})
    assert first.status_code == 409
    assert 'name="overrides.social.en.social_text"' in first.text and "Sharp." in first.text

    resent = mine | {"overrides.social.en.social_text": "Sharp.", "_csrf": admin, "base_version": "2"}
    resent |= {"merge_base": "1", "conflict": "base.en.name", "resolve.base.en.name": "mine"}
    response = await client.post(f"/admin/entries/product/{entry_id}", data=resent)

    assert response.status_code == 303, response.text
    saved = await store.load_version(entry_id)
    assert saved.data.base["en"]["name"] == "My knife"
    assert saved.data.overrides == {"social": {"en": {"social_text": "Sharp."}}}
    assert (await store.load_version(entry_id, 2)).data.base["en"]["name"] == "Their knife"


async def test_the_three_way_choice_speaks_french(client: httpx.AsyncClient, admin: str, model: ContentModel) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    await _their_edit(model, entry_id, **{"base.en.name": "Their knife"})
    client.cookies.set("cms_admin_lang", "fr")

    mine = _product_form(category_id, **{"base.en.name": "My knife"})
    response = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"}
    )

    page = html.unescape(response.text)
    assert response.status_code == 409
    for words in (
        "a enregistré la version 2 pendant que vous modifiiez",
        "La leur (version 2)",
        "Garder la mienne",
        "Prendre la leur",
        "Avant vous deux (version 1)",
        "Enregistrer avec ces choix",
    ):
        assert words in page


async def test_a_base_version_that_does_not_exist_is_refused_naming_the_field(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    await _their_edit(model, entry_id, **{"base.en.name": "Their knife"})

    mine = _product_form(category_id, **{"base.en.name": "My knife"})
    response = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "7"}
    )

    assert response.status_code == 422
    assert "base_version" in response.text and "7 is not a version of this entry" in response.text
    assert await _current_version(entry_id) == 2
