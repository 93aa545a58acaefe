"""The admin's variant grid over plain HTTP: rows saved as variants, refusals naming the row and the column, in
English and French, with what was typed kept."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from cms.model import ContentModel
from cms.store import entries as store
from tests.commerce.test_variants import LAMP_GTINS
from tests.test_admin_entries import _category, _product_form, admin  # noqa: F401 - the admin fixture

GRID = {
    "base.en.variants.0.options.finish": "brass",
    "base.en.variants.0.sku": "LMP-01-BRASS",
    "base.en.variants.0.gtin": LAMP_GTINS[0],
    "base.en.variants.0.price.amount": "",
    "base.en.variants.0.price.currency": "EUR",
    # a row removed in the page leaves a gap in the numbers
    "base.en.variants.2.options.finish": "black",
    "base.en.variants.2.sku": "LMP-01-BLACK",
    "base.en.variants.2.gtin": LAMP_GTINS[1],
    "base.en.variants.2.price.amount": "94.5",
    "base.en.variants.2.price.currency": "eur",
    # an untouched new row is no variant
    "base.en.variants.3.options.finish": "",
    "base.en.variants.3.sku": "",
    "base.en.variants.3.gtin": "",
    "base.en.variants.3.price.amount": "",
    "base.en.variants.3.price.currency": "EUR",
}


async def post_product(client: httpx.AsyncClient, csrf: str, category: str, grid: dict[str, str], **headers: str):  # type: ignore[no-untyped-def]
    form: dict[str, Any] = _product_form(category) | grid | {"_csrf": csrf}
    return await client.post("/admin/entries/product/new", data=form, headers=headers)


async def test_the_grid_rows_are_saved_as_variants(client: httpx.AsyncClient, admin: str, model: ContentModel) -> None:  # noqa: F811
    category = await _category(model)
    response = await post_product(client, admin, category, GRID)
    assert response.status_code == 303, response.text
    entry_id = re.search(r"/admin/entries/product/([0-9a-f-]{36})", response.headers["location"])[1]  # type: ignore[index]
    saved = await store.load_version(entry_id)
    assert saved.data.base["en"]["variants"] == [
        {"sku": "LMP-01-BRASS", "gtin": LAMP_GTINS[0], "options": {"finish": "brass"}},
        {
            "sku": "LMP-01-BLACK",
            "gtin": LAMP_GTINS[1],
            "price": {"amount": "94.50", "currency": "EUR"},
            "options": {"finish": "black"},
        },
    ]
    # and the editor shows them again as a grid, one row each, with its columns
    page = await client.get(f"/admin/entries/product/{entry_id}")
    assert 'role="table"' in page.text
    headers = re.findall(r'<span role="columnheader">([^<]+)</span>', page.text)
    assert headers == ["Finish", "Size", "SKU", "GTIN", "Price"]
    assert 'name="base.en.variants.1.sku" value="LMP-01-BLACK"' in page.text


async def test_a_refused_cell_is_named_by_row_and_column_and_the_grid_kept(
    client: httpx.AsyncClient,
    admin: str,  # noqa: F811
    model: ContentModel,
) -> None:
    category = await _category(model)
    grid = GRID | {"base.en.variants.2.gtin": LAMP_GTINS[0]}
    response = await post_product(client, admin, category, grid)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "Variants › row 2 › GTIN (en)</a>: “" + LAMP_GTINS[0] + "” is already the GTIN of row 1" in text
    # the rows as saved (the gap closed): the error is under the cell of the second row
    assert f'name="base.en.variants.1.gtin" value="{LAMP_GTINS[0]}" spellcheck="false"' in text
    assert 'aria-invalid="true" aria-describedby="error-base-en-variants-1-gtin"' in text
    assert '<p class="field-error" id="error-base-en-variants-1-gtin">' in text
    assert await store.Entry.count() == 1  # the category only


async def test_the_grid_speaks_french(client: httpx.AsyncClient, admin: str, model: ContentModel) -> None:  # noqa: F811
    category = await _category(model)
    grid = GRID | {"base.en.variants.2.options.finish": ""}
    response = await post_product(client, admin, category, grid | {"base.en.variants.2.options.finish": ""})
    assert response.status_code == 422
    french = await post_product(client, admin, category, grid, **{"Accept-Language": "fr"})
    text = html.unescape(french.text)
    summary = '<a href="#base-en-variants-1-options" data-jump>Déclinaisons › ligne 2 › Options (en)</a>'
    assert summary + "\xa0: donnez une valeur pour au moins une option (finish, size)" in text
    assert '<div role="cell" class="variant-cell" id="base-en-variants-1-options">' in text
    headers = re.findall(r'<span role="columnheader">([^<]+)</span>', text)
    assert headers == ["Finition", "Taille", "Référence", "GTIN", "Prix"]
    assert "Ajouter une déclinaison" in text
