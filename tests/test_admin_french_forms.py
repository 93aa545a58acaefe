"""The French interface: numbers typed with a decimal comma, and refusals worded in French."""

from __future__ import annotations

import httpx
import pytest

from cms.admin.forms import decimal_input
from cms.admin.readable import humanize
from cms.model import ContentModel
from cms.store import entries as store
from tests.test_admin_entries import _category, _create_product, _product_form, admin  # noqa: F401


@pytest.mark.parametrize(
    ("typed", "language", "read"),
    [
        ("39,90", "fr", "39.90"),
        ("1 234,5", "fr", "1234.5"),
        ("1\u202f234,50", "fr", "1234.50"),
        ("39.90", "fr", "39.90"),
        ("39,90", "en", "39,90"),  # English writes no decimal comma: left for validation to refuse
        ("abc", "fr", "abc"),
    ],
)
def test_decimal_input_reads_the_languages_decimal_comma(typed: str, language: str, read: str) -> None:
    assert decimal_input(typed, language) == read


async def test_a_price_typed_with_a_decimal_comma_in_french_is_saved_and_shown_back_with_it(
    client: httpx.AsyncClient, model: ContentModel, csrf: str
) -> None:
    category = await _category(model)
    entry_id = await _create_product(client, csrf, category)
    client.cookies.set("cms_admin_lang", "fr")

    form = _product_form(category, **{"base.en.price.amount": "39,90"})
    saved = await client.post(f"/admin/entries/product/{entry_id}", data=form | {"_csrf": csrf, "base_version": "1"})
    page = await client.get(f"/admin/entries/product/{entry_id}")

    assert saved.status_code == 303, saved.text
    assert (await store.load_version(entry_id)).data.base["en"]["price"] == {"amount": "39.90", "currency": "EUR"}
    assert 'name="base.en.price.amount" value="39,90"' in page.text


async def test_a_price_that_is_not_a_number_is_refused_in_french_naming_the_field(
    client: httpx.AsyncClient, model: ContentModel, csrf: str
) -> None:
    category = await _category(model)
    entry_id = await _create_product(client, csrf, category)
    client.cookies.set("cms_admin_lang", "fr")

    form = _product_form(category, **{"base.en.price.amount": "trente", "base.en.name": ""})
    refused = await client.post(f"/admin/entries/product/{entry_id}", data=form | {"_csrf": csrf, "base_version": "1"})

    assert refused.status_code == 422
    assert "« trente » n’est pas un nombre décimal" in refused.text
    assert "est obligatoire" in refused.text
    assert "is not a decimal number" not in refused.text and "is required" not in refused.text
    assert 'value="trente"' in refused.text  # what was typed is kept
    assert (await store.load_version(entry_id)).number == 1


@pytest.fixture
def csrf(admin: str) -> str:  # noqa: F811
    """The signed-in admin's CSRF token."""
    return admin


def test_enum_values_read_in_the_admins_language_from_the_model(model: ContentModel) -> None:
    availability = model.types["product"].field("availability")

    assert humanize("in_stock", availability, "fr") == "En stock"
    assert humanize("in_stock", availability, "en") == "In stock"
    assert humanize("on_the_way", None, "fr") == "On the way"  # no label in the model: the value in words
