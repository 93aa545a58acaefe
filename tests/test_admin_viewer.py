"""A viewer reads the admin without being offered changes it may not make; refusals speak the admin's language."""

from __future__ import annotations

import httpx
import pytest

from cms.auth.principal import user_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import EntryVersion
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as


@pytest.fixture
async def viewer(client: httpx.AsyncClient, clean_db: None) -> str:
    """A signed-in viewer; returns the session's CSRF token."""
    return await sign_in_as(client, "viewer")


async def _category(model: ContentModel) -> str:
    editor = Editor(model, user_principal(1, "admin@example.test", "admin"))
    row = await editor.create("category", EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}}))
    return str(row["id"])


async def test_a_viewer_gets_a_read_only_editor_without_save(
    client: httpx.AsyncClient, viewer: str, model: ContentModel
) -> None:
    page = await client.get(f"/admin/entries/category/{await _category(model)}")

    assert page.status_code == 200
    assert "Your role (viewer) can read but not change entries." in page.text
    assert 'data-readonly="1"' in page.text
    assert '<button type="submit" class="primary">Save</button>' not in page.text
    assert 'id="base-en-name" name="base.en.name" value="Kitchen"' in page.text
    name_input = page.text.split('id="base-en-name"')[1].split(">")[0]
    assert "readonly" in name_input
    assert "/new" not in (await client.get("/admin/entries/category")).text.split('id="main"')[1].split("<table")[0]


async def test_a_viewers_refused_save_is_explained_in_french(
    client: httpx.AsyncClient, viewer: str, model: ContentModel
) -> None:
    entry_id = await _category(model)
    client.cookies.set("cms_admin_lang", "fr")

    refused = await client.post(
        f"/admin/entries/category/{entry_id}",
        data={"_csrf": viewer, "base.en.name": "Cuisine", "base.en.slug": "kitchen", "base_version": "1"},
    )

    assert refused.status_code == 403
    alert = refused.text.split('id="refusal"')[1].split("</div>")[0]
    assert "Votre rôle (viewer) ne permet pas cette modification." in alert
    assert "may not" not in alert
    assert await EntryVersion.count() == 1


async def test_a_viewer_is_not_offered_releases_or_uploads(client: httpx.AsyncClient, viewer: str) -> None:
    releases = await client.get("/admin/releases")
    media = await client.get("/admin/media")

    assert 'action="/admin/releases"' not in releases.text
    assert "Your role (viewer) can read but not change releases." in releases.text
    assert 'class="dropzone"' not in media.text
    assert "Your role (viewer) can read but not upload or change media." in media.text
