"""The asset page's focal point and alt texts are one form over HTTP: saving one part never drops the other."""

from __future__ import annotations

import html

import httpx
import pytest

from cms.store.tables import AuditEvent
from tests.admin_sign_in import sign_in_as
from tests.test_admin_media import png, upload


@pytest.fixture
async def editor_csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "editor")


async def test_the_asset_page_posts_focal_point_and_alt_texts_in_one_form(
    client: httpx.AsyncClient, editor_csrf: str
) -> None:
    asset_id = (await upload(client, editor_csrf, "wide.png", png((90, 90, 90), (1600, 900)))).json()["id"]
    page = (await client.get(f"/admin/media/{asset_id}")).text
    assert f'action="/admin/media/{asset_id}" class="stack focal-form" id="asset-form"' in page
    assert 'name="alt.fr" form="asset-form"' in page and 'name="x" type="number"' in page
    assert page.count('type="submit" form="asset-form"') == 1  # the alt texts' button sends the same form

    saved = await client.post(
        f"/admin/media/{asset_id}",
        data={"x": "0.2", "y": "0.3", "alt.en": "A grey field", "alt.fr": "Un champ gris"},
        headers={"X-CSRF-Token": editor_csrf},
        follow_redirects=True,
    )

    assert saved.status_code == 200
    assert "Focal point and alt texts saved" in saved.text
    document = (await client.get(f"/media/{asset_id}")).json()
    assert document["focalPoint"] == {"x": 0.2, "y": 0.3}
    assert document["alt"] == {"en": "A grey field", "fr": "Un champ gris"}
    assert await AuditEvent.count().where(AuditEvent.action == "asset_changed") == 1  # one change, both parts


async def test_a_refused_focal_point_keeps_the_typed_alt_texts_and_saves_nothing(
    client: httpx.AsyncClient, editor_csrf: str
) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((1, 2, 3)))).json()["id"]
    client.cookies.set("cms_admin_lang", "fr")

    refused = await client.post(
        f"/admin/media/{asset_id}",
        data={"x": "1.5", "y": "0.5", "alt.fr": "Un carré sombre"},
        headers={"X-CSRF-Token": editor_csrf},
    )

    assert refused.status_code == 422
    assert "focalPoint.x" in refused.text
    assert "Un carré sombre</textarea>" in html.unescape(refused.text)  # still in the form
    assert 'data-unsaved="1"' in refused.text  # and leaving the page warns
    assert "Rien n'a été enregistré" in html.unescape(refused.text)
    document = (await client.get(f"/media/{asset_id}")).json()
    assert document["focalPoint"] == {"x": 0.5, "y": 0.5} and document["alt"] == {}
