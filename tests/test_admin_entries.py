"""The entries list and the entry editor over plain HTTP: filters, create, validation, conflicts, versions, publish."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from cms.auth.principal import user_principal
from cms.auth.users import create_user
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store import entries as store
from cms.store.tables import Entry
from cms.workflow.entries import Editor
from tests.test_admin_http import PASSWORD, _sign_in

ADMIN_EMAIL = "admin@example.test"


@pytest.fixture
async def admin(client: httpx.AsyncClient, clean_db: None) -> str:
    """A signed-in admin; returns the session's CSRF token."""
    await create_user(ADMIN_EMAIL, "Ada", "admin", PASSWORD)
    assert (await _sign_in(client, ADMIN_EMAIL)).status_code == 303
    page = await client.get("/admin/")
    found = re.search(r'data-csrf="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _editor(model: ContentModel) -> Editor:
    return Editor(model, user_principal(1, ADMIN_EMAIL, "admin"))


async def _category(model: ContentModel, slug: str = "kitchen", name: str = "Kitchen") -> str:
    row = await _editor(model).create("category", EntryData(base={"en": {"name": name, "slug": slug}}))
    return str(row["id"])


def _product_form(category_id: str, **changes: str) -> dict[str, Any]:
    form = {
        "base.en.name": "Chef knife",
        "base.en.slug": "chef-knife",
        "base.en.gtin": "4006381333931",
        "base.en.price.amount": "89.00",
        "base.en.price.currency": "EUR",
        "base.en.category": category_id,
        "base.en.availability": "in_stock",
        "base.en.featured": "false",
    }
    return form | changes


async def _create_product(client: httpx.AsyncClient, csrf: str, category_id: str, **changes: str) -> str:
    response = await client.post(
        "/admin/entries/product/new", data=_product_form(category_id, **changes) | {"_csrf": csrf}
    )
    assert response.status_code == 303, response.text
    found = re.search(r"/admin/entries/product/([0-9a-f-]{36})\?saved=1", response.headers["location"])
    assert found is not None
    return found.group(1)


async def test_creating_a_product_saves_version_one_and_says_so(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(
        client, admin, category_id, **{"base.fr.name": "Couteau de chef", "overrides.social.en.social_text": "Sharp."}
    )

    page = await client.get(f"/admin/entries/product/{entry_id}?saved=1")
    assert page.status_code == 200
    assert "Saved version 1" in page.text
    saved = await store.load_version(entry_id)
    assert saved.data.base["fr"] == {"name": "Couteau de chef"}
    assert saved.data.overrides == {"social": {"en": {"social_text": "Sharp."}}}
    assert saved.data.base["en"]["price"] == {"amount": "89.00", "currency": "EUR"}
    assert 'value="Couteau de chef"' in page.text
    assert 'id="counters-base-en-name"' in page.text  # where live counters land
    assert "Kitchen" in page.text  # the chosen category is shown by its title


async def test_the_editor_shows_fallbacks_and_what_channels_inherit(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model))

    page = (await client.get(f"/admin/entries/product/{entry_id}")).text

    french_name = re.search(r'<input type="text" id="base-fr-name"[^>]*>', page)
    assert french_name is not None and 'placeholder="Chef knife"' in french_name.group(0)
    assert "falls back to English" in page
    assert 'name="overrides.social.en.social_text"' in page
    assert 'name="overrides.social.en.aisle"' not in page  # aisle is shown on kiosks only
    assert 'name="overrides.kiosk.en.aisle"' in page
    assert 'name="overrides.web.en.slug"' not in page  # unique values are the same on every channel
    assert "Override for Social media" in page


async def test_an_invalid_save_keeps_what_was_typed_and_points_at_each_field(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    form = _product_form(category_id, **{"base.en.gtin": "123", "base.en.name": "Knife <b>", "base.en.stock": "lots"})

    response = await client.post("/admin/entries/product/new", data=form | {"_csrf": admin})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert await Entry.count() == 1  # only the category
    assert 'value="Knife &lt;b&gt;"' in response.text
    assert 'value="lots"' in response.text
    gtin = re.search(r'<input type="text" id="base-en-gtin"[^>]*>', response.text)
    assert gtin is not None and 'aria-invalid="true"' in gtin.group(0)
    assert 'aria-describedby="error-base-en-gtin' in gtin.group(0)
    assert 'id="error-base-en-gtin"' in response.text
    assert "not a valid GTIN" in response.text
    assert "not a whole number" in response.text
    assert 'href="#base-en-gtin"' in response.text  # the summary links to the field


async def test_a_conflicting_save_keeps_my_text_and_shows_theirs(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model))
    theirs = await store.load_version(entry_id)
    theirs.data.base["en"]["name"] = "Their knife"
    await _editor(model).update(entry_id, 1, theirs.data, "their edit")

    mine = _product_form(await _category(model, "other", "Other"), **{"base.en.name": "My knife"})
    response = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"}
    )

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/html")
    assert "saved version 2 while you were editing" in response.text
    assert 'value="My knife"' in response.text
    assert "Their knife" in response.text
    assert 'name="base_version" value="2"' in response.text
    again = await client.post(f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "2"})
    assert again.status_code == 303
    assert (await store.load_version(entry_id)).data.base["en"]["name"] == "My knife"
    assert (await store.load_version(entry_id, 2)).data.base["en"]["name"] == "Their knife"  # nothing lost


async def test_rollback_restores_an_old_version_as_a_new_one(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model))
    edited = _product_form(
        (await store.load_version(entry_id)).data.base["en"]["category"], **{"base.en.name": "Renamed"}
    )
    await client.post(f"/admin/entries/product/{entry_id}", data=edited | {"_csrf": admin, "base_version": "1"})

    diff = await client.get(f"/admin/entries/product/{entry_id}/versions/1")
    assert diff.status_code == 200
    assert "Chef knife" in diff.text and "Renamed" in diff.text
    response = await client.post(
        f"/admin/entries/product/{entry_id}/rollback", data={"_csrf": admin, "to_version": "1", "base_version": "2"}
    )

    assert response.status_code == 303
    restored = await store.load_version(entry_id)
    assert (restored.number, restored.data.base["en"]["name"]) == (3, "Chef knife")
    page = await client.get(response.headers["location"])
    assert "Rollback to version 1" in page.text


async def test_publishing_is_refused_with_the_lint_error_named(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model), **{"base.en.summary": "A cheap knife."})

    response = await client.post(f"/admin/entries/product/{entry_id}/workflow/publish", data={"_csrf": admin})

    assert response.status_code == 422
    assert "Publishing is refused: 1 consistency error must be fixed first (below)." in response.text
    assert "“cheap” cheapens the brand" in response.text
    assert "LINT" not in response.text and "[forbidden_term]" not in response.text  # no raw codes
    assert (await Entry.select(Entry.status).where(Entry.id == entry_id).first())["status"] == "draft"


async def test_publishing_a_clean_entry_makes_it_live(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model))

    response = await client.post(f"/admin/entries/product/{entry_id}/workflow/publish", data={"_csrf": admin})

    assert response.status_code == 303
    assert "Published." in (await client.get(response.headers["location"])).text
    row = await Entry.select().where(Entry.id == entry_id).first()
    assert (row["status"], row["published_version"]) == ("published", 1)


async def test_the_list_searches_filters_and_paginates(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    editor = _editor(model)
    for number in range(30):
        values: dict[str, Any] = {"name": f"Category {number:02d}", "slug": f"category-{number:02d}"}
        data = EntryData(base={"en": values, **({"fr": {"name": f"Catégorie {number}"}} if number < 3 else {})})
        if number == 7:
            data = EntryData(base=data.base, overrides={"web": {"en": {"name": "Web name"}}})
        await editor.create("category", data)
    await editor.create("category", EntryData(base={"en": {"name": "Cheap stuff", "slug": "cheap"}}))

    first = await client.get("/admin/entries/category")
    assert first.status_code == 200
    assert first.text.count('href="/admin/entries/category/') == 25 + 1  # 25 rows and the New button
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = await client.get("/admin/entries/category?page=2")
    assert second.text.count("<tr>") == 6 + 1  # 6 rows and the header
    searched = await client.get("/admin/entries/category?q=category-1")
    assert searched.text.count("Category 1") == 10
    french = await client.get("/admin/entries/category?locale=fr")
    assert "(3)" in french.text
    web = await client.get("/admin/entries/category?channel=web")
    assert "Category 07" in web.text and "(1)" in web.text
    with_errors = await client.get("/admin/entries/category?errors=1")
    assert "Cheap stuff" in with_errors.text and "(1)" in with_errors.text
    oldest = await client.get("/admin/entries/category?sort=oldest")
    assert oldest.text.index("Category 00") < oldest.text.index("Category 01")


async def test_the_reference_picker_finds_entries_of_the_target_type(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    kitchen = await _category(model)
    await _category(model, "garden", "Garden")

    found = await client.get("/admin/entries/category/pick", params={"q": "kitch", "target": "base.en.category"})

    assert found.status_code == 200
    assert f'data-id="{kitchen}"' in found.text
    assert "Garden" not in found.text
    assert 'data-pick="base.en.category"' in found.text


async def test_live_feedback_answers_with_the_forms_problems(client: httpx.AsyncClient, admin: str) -> None:
    response = await client.post(
        "/admin/entries/product/feedback",
        data={"base.en.name": "Cheap knife", "base.en.stock": "many", "_locale": "en", "_channel": "social"},
        headers={"X-CSRF-Token": admin, "HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "not a whole number" in response.text
    assert "is required" in response.text


async def test_with_problems_in_the_form_the_consistency_panel_does_not_claim_there_are_none(
    client: httpx.AsyncClient, admin: str
) -> None:
    # Given a product form whose only wording is clean, but with a stock that is not a number
    form = {"base.en.name": "Chef knife", "base.en.stock": "many", "_locale": "en", "_channel": ""}

    response = await client.post(
        "/admin/entries/product/feedback", data=form, headers={"X-CSRF-Token": admin, "HX-Request": "true"}
    )

    # Then the panel lists the form's problems and says the check ran on what could be read, never "No problems"
    summary = response.text.split('class="lint-summary')[1].split("</p>")[0]
    assert "problems to fix" in response.text or "problem to fix" in response.text
    assert "(s)" not in response.text
    assert "Fix the form’s problems first; the consistency check ran on the values that could be read." in summary
    assert "No problems." not in summary and "Score" not in summary
    assert summary.startswith(' has-errors"')


async def test_after_a_refused_save_the_heading_shows_the_typed_or_stored_title_never_the_slug(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    url = f"/admin/entries/product/{entry_id}"

    # A save refused for another field shows the name as typed; one with the name emptied, the stored name
    renamed = _product_form(category_id, **{"base.en.name": "Santoku knife", "base.en.stock": "lots"})
    emptied = _product_form(category_id, **{"base.en.name": "", "base.en.stock": "lots"})
    typed = await client.post(url, data=renamed | {"_csrf": admin, "base_version": "1"})
    stored = await client.post(url, data=emptied | {"_csrf": admin, "base_version": "1"})

    assert typed.status_code == stored.status_code == 422
    assert re.search(r'<h1 class="entry-title">\s*Santoku knife\s*<span', typed.text)
    assert re.search(r'<h1 class="entry-title">\s*Chef knife\s*<span', stored.text)
    assert "<title>Chef knife ·" in stored.text


async def test_the_version_diff_breadcrumb_names_the_entry_by_its_title(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, admin, await _category(model))

    diff = await client.get(f"/admin/entries/product/{entry_id}/versions/1")

    assert f'<a href="/admin/entries/product/{entry_id}">Chef knife</a>' in diff.text


async def test_diff_and_conflict_tables_name_fields_in_the_admins_language(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    category_id = await _category(model)
    entry_id = await _create_product(client, admin, category_id)
    theirs = await store.load_version(entry_id)
    theirs.data.base["en"]["name"] = "Their knife"
    await _editor(model).update(entry_id, 1, theirs.data, "their edit")
    client.cookies.set("cms_admin_lang", "fr")

    diff = await client.get(f"/admin/entries/product/{entry_id}/versions/1")
    mine = _product_form(category_id, **{"base.en.name": "My knife"})
    conflict = await client.post(
        f"/admin/entries/product/{entry_id}", data=mine | {"_csrf": admin, "base_version": "1"}
    )

    french_name = model.types["product"].field("name").label["fr"]  # type: ignore[union-attr]
    assert french_name != "Name"
    assert f'<th scope="row">{french_name}</th>' in diff.text
    assert "Texte en anglais" in diff.text
    assert conflict.status_code == 409
    assert f'<th scope="row">{french_name} (en)</th>' in conflict.text


async def test_a_very_long_title_is_cut_with_an_ellipsis_in_the_heading(
    client: httpx.AsyncClient, admin: str, model: ContentModel
) -> None:
    entry_id = await _category(model)
    typed = {"base.en.name": "Kitchen" * 1500, "base.en.slug": "kitchen", "base_version": "1", "_csrf": admin}

    page = await client.post(f"/admin/entries/category/{entry_id}", data=typed)  # refused: over 80 characters

    heading = page.text.split('<h1 class="entry-title">')[1].split("<span")[0].strip()
    title = page.text.split("<title>")[1].split("</title>")[0]
    assert page.status_code == 422
    assert heading.endswith("…") and len(heading) == 160
    assert "Kitchen" * 1500 not in title
    assert 'value="' + "Kitchen" * 1500 + '"' in page.text  # the field itself keeps every character
