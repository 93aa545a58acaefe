"""What a channel tab says a field inherits: read as a person reads it (titles, file names and thumbnails, value
words, UTC instants, Yes/No), and kept up to date by the live feedback as the base values change."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
import pytest
from PIL import Image

from cms.auth.principal import user_principal
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")


def _editor(model: ContentModel) -> Editor:
    return Editor(model, user_principal(1, "admin@example.test", "admin"))


async def _image(client: httpx.AsyncClient, csrf: str) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(buffer, format="PNG")
    files = {"file": ("blue-lamp.png", buffer.getvalue(), "image/png")}
    uploaded = await client.post("/admin/media/upload", files=files, headers={"X-CSRF-Token": csrf})
    assert uploaded.status_code == 201
    return str(uploaded.json()["id"])


async def _product(model: ContentModel, image_id: str) -> dict[str, Any]:
    kitchen = await _editor(model).create("category", EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}}))
    values = {
        "name": "Chef knife",
        "slug": "chef-knife",
        "gtin": "4006381333931",
        "price": {"amount": "89.00", "currency": "EUR"},
        "category": kitchen["id"],
        "availability": "in_stock",
        "featured": False,
        "released_at": "2026-03-16T08:00:00Z",
        "images": [image_id],
    }
    return await _editor(model).create("product", EntryData(base={"en": values}))


def inherited(page: str, channel: str, field: str, locale: str = "en") -> str:
    """The text of the "Inherits: …" line of a field on a channel tab."""
    found = re.search(
        rf'<p class="inherited" id="inherited-overrides-{channel}-{locale}-{field}"[^>]*>(.*?)</p>', page, re.S
    )
    assert found is not None, f"no inherited value for {channel}/{field}"
    return found.group(1)


async def test_inherited_values_are_shown_readably_on_channel_tabs(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    image_id = await _image(client, csrf)
    product = await _product(model, image_id)

    page = (await client.get(f"/admin/entries/product/{product['id']}")).text

    assert "<q>In stock</q>" in inherited(page, "social", "availability")
    assert "<q>No</q>" in inherited(page, "social", "featured")
    assert "<q>2026-03-16 08:00 UTC</q>" in inherited(page, "social", "released_at")
    assert "<q>89.00 EUR</q>" in inherited(page, "social", "price")
    assert "<q>Kitchen</q>" in inherited(page, "social", "category")
    images = inherited(page, "social", "images")
    assert f'<img src="/media/{image_id}/web_400"' in images and "blue-lamp.png" in images
    assert image_id not in images.replace(f"/media/{image_id}/", "")
    assert '<option value="in_stock" selected>In stock</option>' in page


async def test_booleans_are_inherited_in_the_admins_language(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    product = await _product(model, await _image(client, csrf))
    client.cookies.set("cms_admin_lang", "fr")

    page = (await client.get(f"/admin/entries/product/{product['id']}")).text

    assert "<q>Non</q>" in inherited(page, "social", "featured")


async def test_the_live_feedback_redraws_inherited_values_of_the_edited_locale(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    form = {
        "_csrf": csrf,
        "_locale": "en",
        "_channel": "",
        "base.en.title": "Spring launch",
        "base.en.slug": "spring-launch",
        "base.en.body": "Longer days.",
        "base.en.subject_line": "A brand new subject",
        "base.en.audience": "new_customers",
        "base.fr.subject_line": "Un objet",
    }

    answer = await client.post("/admin/entries/brand_message/feedback", data=form)

    assert answer.status_code == 200
    line = inherited(answer.text, "email", "subject_line")
    assert "<q>A brand new subject</q>" in line
    assert re.search(r'id="inherited-overrides-email-en-subject_line" hx-swap-oob="true"', answer.text)
    assert "<q>New customers</q>" in inherited(answer.text, "social", "audience")
    assert 'id="inherited-overrides-email-fr-subject_line"' not in answer.text  # not the locale being edited
