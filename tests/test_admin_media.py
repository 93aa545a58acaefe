"""The media library in the admin over HTTP: grid, search, upload through the media pipeline, focal point, alt text,
and where an asset is used."""

from __future__ import annotations

import io
import re

import httpx
import msgspec
import pytest
from PIL import Image

from cms.auth.principal import user_principal
from cms.media.usage import assets_of_entry
from cms.model.definitions import ContentModel, FieldDef
from cms.model.entry_data import EntryData
from cms.store.tables import Asset, AuditEvent
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as


def png(color: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


async def upload(
    client: httpx.AsyncClient, csrf: str, name: str, data: bytes, mime: str = "image/png"
) -> httpx.Response:
    return await client.post("/admin/media/upload", files={"file": (name, data, mime)}, headers={"X-CSRF-Token": csrf})


@pytest.fixture
async def editor_csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "editor")


async def test_an_upload_lands_in_the_grid_with_its_placeholder(client: httpx.AsyncClient, editor_csrf: str) -> None:
    uploaded = await upload(client, editor_csrf, "red-chair.png", png((200, 30, 30)))
    assert uploaded.status_code == 201
    asset_id = uploaded.json()["id"]
    assert uploaded.json()["url"] == f"/admin/media/{asset_id}"

    again = await upload(client, editor_csrf, "copy.png", png((200, 30, 30)))
    assert (again.status_code, again.json()["id"]) == (200, asset_id)  # the same image is one asset

    grid = await client.get("/admin/media")
    assert grid.status_code == 200
    assert f'href="/admin/media/{asset_id}"' in grid.text
    assert "red-chair.png" in grid.text
    assert "background-image: url('data:image/png;base64," in grid.text  # the blurhash, decoded
    assert re.search(rf'<img src="/media/{asset_id}/web_400\?format=webp&amp;v=\w+"[^>]* loading="lazy"', grid.text)
    assert await AuditEvent.count().where(AuditEvent.action == "asset_uploaded") == 2


@pytest.mark.parametrize(
    ("name", "data", "mime", "status", "reason"),
    [
        ("empty.png", b"", "image/png", 400, "empty"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            415,
            "SVG",
        ),
        ("notes.png", b"just some text, not an image at all", "image/png", 415, "JPEG"),
    ],
)
async def test_a_refused_upload_says_why_and_stores_nothing(
    client: httpx.AsyncClient, editor_csrf: str, name: str, data: bytes, mime: str, status: int, reason: str
) -> None:
    refused = await upload(client, editor_csrf, name, data, mime)
    assert refused.status_code == status
    assert reason in refused.json()["error"]
    assert await Asset.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "asset_uploaded") == 0


@pytest.mark.parametrize(
    ("name", "data", "mime", "french"),
    [
        ("empty.png", b"", "image/png", "le fichier est vide (0 octet) : choisissez à nouveau l’image"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml", "le SVG n’est pas accepté"),
        ("notes.png", b"just some text", "image/png", "n’est pas une image JPEG, PNG, WebP ou AVIF"),
    ],
)
async def test_a_refused_upload_says_why_in_french(
    client: httpx.AsyncClient, editor_csrf: str, name: str, data: bytes, mime: str, french: str
) -> None:
    client.cookies.set("cms_admin_lang", "fr")
    refused = await upload(client, editor_csrf, name, data, mime)
    assert french in refused.json()["error"]
    assert await Asset.count() == 0


async def test_an_upload_needs_the_csrf_token(client: httpx.AsyncClient, editor_csrf: str) -> None:
    forged = await client.post("/admin/media/upload", files={"file": ("a.png", png((1, 2, 3)), "image/png")})
    assert forged.status_code == 403
    assert await Asset.count() == 0


async def test_a_viewer_cannot_upload(client: httpx.AsyncClient, clean_db: None) -> None:
    csrf = await sign_in_as(client, "viewer")
    refused = await upload(client, csrf, "a.png", png((1, 2, 3)))
    assert refused.status_code == 403
    assert "write" in refused.json()["error"]
    assert await Asset.count() == 0


async def test_search_finds_by_file_name_and_alt_text(client: httpx.AsyncClient, editor_csrf: str) -> None:
    chair = (await upload(client, editor_csrf, "chair.png", png((10, 200, 10)))).json()["id"]
    lamp = (await upload(client, editor_csrf, "lamp.png", png((10, 10, 200)))).json()["id"]
    await client.post(
        f"/admin/media/{lamp}/alt",
        data={"alt.en": "A brass desk lamp", "alt.fr": "Une lampe 100% laiton"},
        headers={"X-CSRF-Token": editor_csrf},
    )

    by_name = await client.get("/admin/media", params={"q": "CHAIR"})
    assert chair in by_name.text and lamp not in by_name.text
    by_alt = await client.get("/admin/media", params={"q": "brass"})
    assert lamp in by_alt.text and chair not in by_alt.text
    by_french = await client.get("/admin/media", params={"q": "100%"})
    assert lamp in by_french.text and chair not in by_french.text
    wildcard = await client.get("/admin/media", params={"q": "%"})
    assert lamp in wildcard.text and chair not in wildcard.text  # % is searched for, not a wildcard


async def test_the_grid_pages_newest_first(client: httpx.AsyncClient, editor_csrf: str) -> None:
    ids = [(await upload(client, editor_csrf, f"n{n}.png", png((n, n, n), (16, 16)))).json()["id"] for n in range(26)]
    first = await client.get("/admin/media")
    second = await client.get("/admin/media", params={"page": 2})
    assert ids[-1] in first.text and ids[0] not in first.text
    assert ids[0] in second.text and ids[-1] not in second.text
    assert "Page 2 of 2" in second.text


async def test_focal_point_is_saved_through_the_media_path(client: httpx.AsyncClient, editor_csrf: str) -> None:
    asset_id = (await upload(client, editor_csrf, "wide.png", png((90, 90, 90), (1600, 900)))).json()["id"]
    before = (await client.get(f"/media/{asset_id}")).json()["renditions"]["social_square"]["urls"]["jpeg"]

    saved = await client.post(
        f"/admin/media/{asset_id}/focal-point",
        data={"x": "0.25", "y": "0.75"},
        headers={"X-CSRF-Token": editor_csrf},
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert "Focal point saved" in saved.text
    document = (await client.get(f"/media/{asset_id}")).json()
    assert document["focalPoint"] == {"x": 0.25, "y": 0.75}
    after = document["renditions"]["social_square"]["urls"]["jpeg"]
    assert after != before and after.replace("&", "&amp;") in saved.text  # the crop preview shows the new crop
    event = await AuditEvent.select().where(AuditEvent.action == "asset_changed").first()
    assert event is not None and event["actor"] == "editor@example.test"


async def test_a_focal_point_off_the_image_is_refused_by_field(client: httpx.AsyncClient, editor_csrf: str) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((1, 2, 3)))).json()["id"]
    refused = await client.post(
        f"/admin/media/{asset_id}/focal-point", data={"x": "1.5", "y": "0.5"}, headers={"X-CSRF-Token": editor_csrf}
    )
    assert refused.status_code == 422
    assert "focalPoint.x" in refused.text
    assert (await client.get(f"/media/{asset_id}")).json()["focalPoint"] == {"x": 0.5, "y": 0.5}


async def test_alt_text_per_locale_is_saved_and_cleared(client: httpx.AsyncClient, editor_csrf: str) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((1, 2, 3)))).json()["id"]
    page = await client.get(f"/admin/media/{asset_id}")
    assert '<label for="alt-fr">' in page.text and 'id="alt-fr" name="alt.fr"' in page.text

    await client.post(
        f"/admin/media/{asset_id}/alt",
        data={"alt.en": "A chair", "alt.fr": "Une chaise"},
        headers={"X-CSRF-Token": editor_csrf},
    )
    assert (await client.get(f"/media/{asset_id}")).json()["alt"] == {"en": "A chair", "fr": "Une chaise"}
    await client.post(
        f"/admin/media/{asset_id}/alt", data={"alt.en": "A chair", "alt.fr": " "}, headers={"X-CSRF-Token": editor_csrf}
    )
    assert (await client.get(f"/media/{asset_id}")).json()["alt"] == {"en": "A chair"}


async def test_the_asset_page_shows_metadata(client: httpx.AsyncClient, editor_csrf: str) -> None:
    asset_id = (await upload(client, editor_csrf, "green.png", png((20, 160, 40), (300, 200)))).json()["id"]
    document = (await client.get(f"/media/{asset_id}")).json()
    page = await client.get(f"/admin/media/{asset_id}")
    for shown in ("image/png", "300 × 200 px", document["dominantColor"], f"{document['bytes']:,}"):
        assert shown in page.text
    assert (await client.get("/admin/media/not-an-asset")).status_code == 404


async def test_where_used_lists_current_and_published_references(
    client: httpx.AsyncClient, editor_csrf: str, model: ContentModel
) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((1, 2, 3)))).json()["id"]
    other_id = (await upload(client, editor_csrf, "b.png", png((3, 2, 1)))).json()["id"]
    editor = Editor(model, user_principal(1, "editor@example.test", "editor"))
    uses = msgspec.convert({"base": {"en": {"name": "Lamps", "slug": "lamps", "image": asset_id}}}, EntryData)
    lamps = await editor.create("category", uses)
    await editor.publish(lamps["id"])
    # The draft moves to another image: the published version still uses the asset.
    moved = msgspec.convert({"base": {"en": {"name": "Lamps", "slug": "lamps", "image": other_id}}}, EntryData)
    await editor.update(lamps["id"], 1, moved)
    override = {"base": {"en": {"name": "Chairs", "slug": "chairs"}}, "overrides": {"web": {"en": {"image": asset_id}}}}
    chairs = await editor.create("category", msgspec.convert(override, EntryData))
    unused = await editor.create(
        "category", msgspec.convert({"base": {"en": {"name": "Desks", "slug": "desks"}}}, EntryData)
    )

    page = await client.get(f"/admin/media/{asset_id}")
    assert f'href="/admin/entries/category/{lamps["id"]}">Lamps</a>' in page.text
    assert f'href="/admin/entries/category/{chairs["id"]}">Chairs</a>' in page.text
    assert unused["id"] not in page.text


SPEC = FieldDef(name="photo", kind="asset")
GALLERY = FieldDef(name="gallery", kind="assets")
STEPS = FieldDef(name="steps", kind="object", repeatable=True, fields=[FieldDef(name="picture", kind="asset")])
HERO = FieldDef(name="hero", kind="object", fields=[FieldDef(name="pictures", kind="assets")])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"base": {"en": {"photo": "a"}}}, {"a"}),
        ({"base": {"en": {"gallery": ["a", "b"]}, "fr": {"gallery": ["c"]}}}, {"a", "b", "c"}),
        ({"base": {"en": {"steps": [{"picture": "a"}, {"picture": "b"}]}}}, {"a", "b"}),
        ({"base": {"en": {"hero": {"pictures": ["a"]}}}}, {"a"}),
        ({"base": {"en": {}}, "overrides": {"social": {"fr": {"photo": "z"}}}}, {"z"}),
        ({"base": {"en": {"photo": None, "gallery": []}}}, set()),
    ],
)
def test_asset_ids_are_found_in_every_place_an_entry_keeps_them(data: dict, expected: set[str]) -> None:
    assert assets_of_entry([SPEC, GALLERY, STEPS, HERO], data) == expected


async def test_one_image_is_one_image_and_alt_labels_name_languages_in_the_admins_language(
    client: httpx.AsyncClient, editor_csrf: str
) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((1, 2, 3)))).json()["id"]

    grid = await client.get("/admin/media")
    english = await client.get(f"/admin/media/{asset_id}")
    client.cookies.set("cms_admin_lang", "fr")
    french = await client.get(f"/admin/media/{asset_id}")

    assert ">1 image</h2>" in grid.text
    assert '<label for="alt-fr">Alt text in French (fr)</label>' in english.text
    assert '<label for="alt-en">Texte alternatif en anglais (en)</label>' in french.text


async def test_an_unused_image_is_deleted_from_its_page_once_confirmed(
    client: httpx.AsyncClient, editor_csrf: str
) -> None:
    asset_id = (await upload(client, editor_csrf, "old-banner.png", png((4, 5, 6)))).json()["id"]
    page = await client.get(f"/admin/media/{asset_id}")
    assert '<details class="confirm-delete">' in page.text
    assert f'<form method="post" action="/admin/media/{asset_id}/delete">' in page.text

    deleted = await client.post(
        f"/admin/media/{asset_id}/delete", headers={"X-CSRF-Token": editor_csrf}, follow_redirects=True
    )

    assert deleted.status_code == 200
    assert "Image old-banner.png deleted." in deleted.text
    assert await Asset.count() == 0
    assert (await client.get(f"/admin/media/{asset_id}")).status_code == 404


async def test_an_image_in_use_shows_where_instead_of_a_delete_button(
    client: httpx.AsyncClient, editor_csrf: str, model: ContentModel
) -> None:
    asset_id = (await upload(client, editor_csrf, "a.png", png((6, 5, 4)))).json()["id"]
    editor = Editor(model, user_principal(1, "editor@example.test", "editor"))
    uses = msgspec.convert({"base": {"en": {"name": "Lamps", "slug": "lamps", "image": asset_id}}}, EntryData)
    lamps = await editor.create("category", uses)

    page = await client.get(f"/admin/media/{asset_id}")
    assert f'action="/admin/media/{asset_id}/delete"' not in page.text
    assert "It cannot be deleted while the entries above use it" in page.text
    refused = await client.post(f"/admin/media/{asset_id}/delete", headers={"X-CSRF-Token": editor_csrf})
    client.cookies.set("cms_admin_lang", "fr")
    in_french = await client.post(f"/admin/media/{asset_id}/delete", headers={"X-CSRF-Token": editor_csrf})

    assert refused.status_code == 409
    assert "Nothing was deleted: entries use this image." in refused.text
    assert f'href="/admin/entries/category/{lamps["id"]}">Lamps</a>' in refused.text
    assert "Rien n&#39;a été supprimé : des contenus utilisent cette image." in in_french.text
    assert await Asset.count() == 1


async def test_a_viewer_gets_no_delete_button_and_cannot_delete(client: httpx.AsyncClient, clean_db: None) -> None:
    editor_csrf = await sign_in_as(client, "editor")
    asset_id = (await upload(client, editor_csrf, "a.png", png((3, 3, 3)))).json()["id"]
    client.cookies.clear()
    viewer_csrf = await sign_in_as(client, "viewer")

    page = await client.get(f"/admin/media/{asset_id}")
    refused = await client.post(f"/admin/media/{asset_id}/delete", headers={"X-CSRF-Token": viewer_csrf})

    assert "delete-heading" not in page.text
    assert refused.status_code == 403
    assert await Asset.count() == 1
