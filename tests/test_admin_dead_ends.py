"""Fewer dead ends over plain HTTP: disabled actions with their reason, the list's search and columns,
uniqueness errors that link to the other entry; in English and in French."""

from __future__ import annotations

import re
from typing import Any

import httpx
import msgspec
import pytest

from cms.auth.principal import user_principal
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as

BODY = {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Longer days are here."}]}]}


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")


def _editor(model: ContentModel, email: str = "someone@example.test") -> Editor:
    return Editor(model, user_principal(7, email, "admin"))


async def _create(model: ContentModel, type_name: str, base: dict[str, Any]) -> dict[str, Any]:
    return await _editor(model).create(type_name, msgspec.convert({"base": base}, EntryData))


def _workflow_panel(page: str) -> str:
    return page.split('id="workflow-title"')[1].split("</section>")[0]


def _button(panel: str, action: str) -> str:
    found = re.search(rf'class="inline action-{action}">.*?</form>', panel, re.S)
    assert found is not None, f"no {action} form in the panel"
    return found.group(0)


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("en", "Version 1 needs review and approval: no version of this entry is approved yet."),
        ("fr", "La version 1 doit être relue et approuvée : aucune version de ce contenu n&#39;est encore approuvée."),
    ],
)
async def test_publishing_an_unapproved_version_is_disabled_with_the_reason_beside_it(
    client: httpx.AsyncClient, csrf: str, model: ContentModel, language: str, reason: str
) -> None:
    # Given a brand message (its type requires review) nobody approved
    entry = await _create(model, "brand_message", {"en": {"title": "Spring", "slug": "spring", "body": BODY}})
    client.cookies.set("cms_admin_lang", language)

    page = await client.get(f"/admin/entries/brand_message/{entry['id']}")

    publish = _button(_workflow_panel(page.text), "publish")
    assert re.search(r"<button[^>]*disabled[^>]*aria-describedby=\"why-publish\"", publish)
    assert f'<span class="why-disabled" id="why-publish">{reason}</span>' in publish


async def test_publishing_copy_with_lint_errors_is_disabled_and_says_how_many(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    copy = {"name": "Desks", "slug": "desks", "description": "Our cheap desks."}
    desks = await _create(model, "category", {"en": copy})
    client.cookies.set("cms_admin_lang", "fr")

    page = await client.get(f"/admin/entries/category/{desks['id']}")

    publish = _button(_workflow_panel(page.text), "publish")
    assert "disabled" in publish
    assert "1 erreur de relecture à corriger." in publish


async def test_clean_copy_can_be_published_and_then_there_is_nothing_to_submit(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    garden = await _create(model, "category", {"en": {"name": "Garden", "slug": "garden"}})
    url = f"/admin/entries/category/{garden['id']}"
    publish = _button(_workflow_panel((await client.get(url)).text), "publish")
    assert "disabled" not in publish and "why-disabled" not in publish

    published = await client.post(f"{url}/workflow/publish", data={"_csrf": csrf})
    assert published.status_code == 303
    panel = _workflow_panel((await client.get(url)).text)

    assert "disabled" in _button(panel, "publish")
    assert "Version 1 is already live: save a change to publish again." in panel
    assert "Nothing to submit: version 1 is the live one. Save a change first." in _button(panel, "submit")


async def test_the_author_of_a_version_sees_approve_disabled_in_french(
    client: httpx.AsyncClient, clean_db: None, model: ContentModel
) -> None:
    # Given a reviewer who wrote the version under review
    await sign_in_as(client, "reviewer")
    author = Editor(model, user_principal(3, "reviewer@example.test", "reviewer"))
    values = {"title": "Spring", "slug": "spring", "body": BODY}
    entry = await author.create("brand_message", msgspec.convert({"base": {"en": values}}, EntryData))
    await author.submit(entry["id"])
    client.cookies.set("cms_admin_lang", "fr")

    panel = _workflow_panel((await client.get(f"/admin/entries/brand_message/{entry['id']}")).text)

    approve = _button(panel, "approve")
    assert "disabled" in approve
    assert "Vous avez écrit la version 1 : un autre relecteur doit l&#39;approuver." in approve


GTINS = {"headphones": "4006381333931", "lantern": "5901234123457"}


async def _product(model: ContentModel, category: str, en: str, fr: str, slug: str, amount: str) -> dict[str, Any]:
    values = {
        "name": en,
        "slug": slug,
        "gtin": GTINS[slug],
        "price": {"amount": amount, "currency": "EUR"},
        "category": category,
        "availability": "in_stock",
    }
    return await _create(model, "product", {"en": values, "fr": {"name": fr}})


async def test_the_list_search_finds_french_titles_and_shows_price_and_category(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    # Given products named in English and in French
    audio = await _create(model, "category", {"en": {"name": "Audio", "slug": "audio"}, "fr": {"name": "Son"}})
    await _product(model, audio["id"], "Headphones", "Casque audio", "headphones", "39.90")
    await _product(model, audio["id"], "Lantern", "Lanterne à poser", "lantern", "1250.00")

    # When an English-speaking editor searches with the French words (any case, without accents)
    casque = await client.get("/admin/entries/product?q=casque")
    lanterne = await client.get("/admin/entries/product?q=LANTERNE A POSER")

    # Then each finds its product, listed by its English title with price and category
    assert "Headphones" in casque.text and "Lantern" not in casque.text
    assert 'id="entry-count">(1)' in casque.text
    assert "Lantern" in lanterne.text and "Headphones" not in lanterne.text
    assert '<td class="price">€39.90</td>' in casque.text
    assert '<td class="category">Audio</td>' in casque.text


async def test_the_french_list_writes_prices_the_french_way_and_offers_to_clear_filters(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    audio = await _create(model, "category", {"en": {"name": "Audio", "slug": "audio"}, "fr": {"name": "Son"}})
    await _product(model, audio["id"], "Lantern", "Lanterne", "lantern", "1250.00")
    client.cookies.set("cms_admin_lang", "fr")

    unfiltered = await client.get("/admin/entries/product")
    filtered = await client.get("/admin/entries/product?q=lanterne&status=draft")

    assert "Lanterne" in filtered.text
    assert '<td class="price">1\u202f250,00\xa0€</td>' in filtered.text
    assert '<td class="category">Son</td>' in filtered.text
    assert "Effacer les filtres" in filtered.text and "data-clear-filters" in filtered.text
    assert 'href="/admin/entries/product" data-clear-filters' in filtered.text
    assert "data-clear-filters" not in unfiltered.text


async def test_the_list_filters_apply_as_they_change(client: httpx.AsyncClient, csrf: str) -> None:
    page = await client.get("/admin/entries/product")

    form = page.text.split('role="search"')[1].split("</form>")[0]
    assert 'hx-trigger="change, input from:#filter-q delay:300ms, submit"' in form
    assert 'hx-select="#entry-results"' in form
    assert "<noscript>" in form  # the Filter button only where nothing applies them at once


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Lampe à poser", "lampe-a-poser"),
        ("Œuf & crème brûlée", "oeuf-creme-brulee"),
        ("  L'été   à Noël!  ", "l-ete-a-noel"),
        ("", ""),
    ],
)
async def test_the_slug_proposed_from_a_name_drops_accents_and_punctuation(
    client: httpx.AsyncClient, csrf: str, name: str, slug: str
) -> None:
    answer = await client.get("/admin/slug", params={"text": name})

    assert answer.status_code == 200
    assert answer.json() == {"slug": slug}


async def test_a_proposed_slug_is_never_longer_than_a_slug_may_be(client: httpx.AsyncClient, csrf: str) -> None:
    answer = await client.get("/admin/slug", params={"text": "très long nom " * 40})

    proposed = answer.json()["slug"]
    assert 0 < len(proposed) <= 200
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", proposed)


@pytest.mark.parametrize(
    ("language", "sentence", "link"),
    [
        ("en", "is already used by another entry, “headphones”: change it here or there", "Open the entry that has it"),
        (
            "fr",
            "est déjà utilisé par un autre contenu, « headphones » : changez-le ici ou là-bas",
            "Ouvrir le contenu qui l&#39;utilise",
        ),
    ],
)
async def test_a_duplicate_gtin_names_and_links_the_entry_that_has_it(
    client: httpx.AsyncClient, csrf: str, model: ContentModel, language: str, sentence: str, link: str
) -> None:
    # Given a product holding a GTIN
    audio = await _create(model, "category", {"en": {"name": "Audio", "slug": "audio"}})
    holder = await _product(model, audio["id"], "Headphones", "Casque", "headphones", "39.90")
    client.cookies.set("cms_admin_lang", language)

    # When another product is created with the same GTIN
    refused = await client.post(
        "/admin/entries/product/new",
        data={
            "_csrf": csrf,
            "base.en.name": "Speaker",
            "base.en.slug": "speaker",
            "base.en.gtin": GTINS["headphones"],
            "base.en.price.amount": "59.00",
            "base.en.price.currency": "EUR",
            "base.en.category": audio["id"],
            "base.en.availability": "in_stock",
        },
    )

    # Then the form comes back with what was typed, the error worded in the interface's language and a link
    assert refused.status_code == 422
    assert 'value="Speaker"' in refused.text
    field_error = refused.text.split('id="error-base-en-gtin"')[1].split("</p>")[0]
    assert sentence in field_error
    assert (
        f'<a href="/admin/entries/product/{holder["id"]}" target="_blank" rel="noopener" class="holder-link">{link}</a>'
        in field_error
    )
    summary = refused.text.split('id="error-summary"')[1].split("</div>")[0]
    assert f'href="/admin/entries/product/{holder["id"]}"' in summary


async def test_the_release_picker_searches_titles_in_every_language_and_leaves_out_what_is_in_it(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    # Given two products, one already in the release
    audio = await _create(model, "category", {"en": {"name": "Audio", "slug": "audio"}})
    headphones = await _product(model, audio["id"], "Headphones", "Casque audio", "headphones", "39.90")
    lantern = await _product(model, audio["id"], "Lantern", "Lanterne", "lantern", "19.90")
    created = await client.post("/admin/releases", data={"_csrf": csrf, "name": "Printemps"})
    release = created.headers["location"]
    await client.post(f"{release}/items", data={"_csrf": csrf, "entry": lantern["id"]})
    client.cookies.set("cms_admin_lang", "fr")

    page = await client.get(release)
    casque = await client.get(f"{release}/candidates", params={"q": "casque"})
    lanterne = await client.get(f"{release}/candidates", params={"q": "lanterne"})

    # Then the page has a search box driving the list, which finds by the French title
    assert 'id="release-entry-search"' in page.text and f'hx-get="{release}/candidates"' in page.text
    assert "Rechercher des contenus à ajouter" in page.text
    assert f'<option value="{headphones["id"]}" selected>Casque audio · Produit · v1</option>' in casque.text
    assert audio["id"] not in casque.text
    assert lantern["id"] not in lanterne.text and "Aucun résultat." in lanterne.text


@pytest.mark.parametrize(("language", "label"), [("en", "Upload an image"), ("fr", "Téléverser une image")])
async def test_an_image_field_offers_an_upload_beside_its_picker(
    client: httpx.AsyncClient, csrf: str, language: str, label: str
) -> None:
    client.cookies.set("cms_admin_lang", language)

    page = await client.get("/admin/entries/product/new")

    picker = page.text.split('data-picker="base.en.images"')[1].split('class="pick-results"')[0]
    assert f'<label class="button secondary small" for="base-en-images-upload">{label}</label>' in picker
    assert 'accept="image/*" data-upload-to="base.en.images" multiple' in picker
    single = page.text.split('data-picker="base.en.category"')[1].split('class="pick-results"')[0]
    assert "data-upload-to" not in single  # a reference field has no upload


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "over the field&#39;s limit by 4: saving is refused"),
        ("fr", "dépasse la limite du champ de 4 : l&#39;enregistrement est refusé"),
    ],
)
async def test_a_counter_over_the_fields_own_limit_says_the_save_is_refused_as_the_save_then_does(
    client: httpx.AsyncClient, csrf: str, model: ContentModel, language: str, said: str
) -> None:
    # Given a social post of 284 characters where the field allows 280
    audio = await _create(model, "category", {"en": {"name": "Audio", "slug": "audio"}})
    client.cookies.set("cms_admin_lang", language)
    form = {
        "base.en.name": "Speaker",
        "base.en.slug": "speaker",
        "base.en.gtin": GTINS["headphones"],
        "base.en.price.amount": "59.00",
        "base.en.price.currency": "EUR",
        "base.en.category": audio["id"],
        "base.en.availability": "in_stock",
        "overrides.social.en.social_text": "a" * 284,
    }

    feedback = await client.post(
        "/admin/entries/product/feedback",
        data=form | {"_locale": "en", "_channel": "social"},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    saved = await client.post("/admin/entries/product/new", data=form | {"_csrf": csrf})

    # Then the counter warns of what the save does: refuse it, naming the field
    counter = feedback.text.split('id="counters-overrides-social-en-social_text"')[1].split("</div>")[0]
    assert "284/280" in counter and said in counter
    assert "publishing is refused" not in counter
    assert saved.status_code == 422
