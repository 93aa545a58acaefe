"""Uploads: what is refused (and leaves nothing stored), what is kept of what is accepted, and who may upload."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from PIL import ExifTags, Image

from cms.app import create_app
from cms.auth.principal import ANONYMOUS, Principal, token_principal
from cms.auth.sessions import create_session
from cms.auth.users import create_user
from cms.media import MediaLibrary, UploadRefused, assets, store_upload
from cms.media.form import FORM_ALLOWANCE
from cms.model import ContentModel
from cms.settings import Settings
from cms.store.tables import Asset, AuditEvent
from tests.conftest import build_client
from tests.test_media_kit import (
    SCRIPTED_SVG,
    MediaWorld,
    animated_png,
    encoded,
    jpeg,
    jpeg_with_orientation_and_gps,
    media,
    photo,
    png,
    png_bomb,
    png_with_text,
    with_broken_crc,
    zip_archive,
)

__all__ = ["media"]  # the fixture, imported for pytest

WRITER = token_principal("t1", "writer", ["management:write"])

# (case, file bytes, file name, declared type, status, what the message must say)
REFUSED: list[tuple[str, Callable[[], bytes], str, str | None, int, str]] = [
    ("zero bytes", lambda: b"", "empty.png", "image/png", 400, "empty"),
    ("truncated PNG", lambda: png((300, 200))[:-40], "cut.png", None, 422, "truncated"),
    ("truncated JPEG", lambda: jpeg((300, 200))[:600], "cut.jpg", None, 422, "truncated"),
    ("PNG named .jpg", png, "photo.jpg", None, 415, "named .jpg but its content is a PNG"),
    ("PNG declared as JPEG", png, "photo.png", "image/jpeg", 415, "declared as image/jpeg"),
    ("text named .png", lambda: b"just some notes\n" * 20, "notes.png", "image/png", 415, "not a JPEG, PNG"),
    ("HTML named .png", lambda: b"<html><body>hi</body></html>", "page.png", None, 415, "not a JPEG, PNG"),
    ("PNG with <script> in a text chunk", lambda: png_with_text("<script>alert(1)</script>"), "a.png", None,
     422, "markup ('<script'"),
    ("JPEG with HTML in its comment", lambda: jpeg(comment=b"<html><img src=x onerror=alert(1)>"), "a.jpg",
     None, 422, "polyglots"),
    ("PNG with a ZIP appended", lambda: png() + zip_archive(), "a.png", None, 422,
     "a ZIP archive follows the end of the PNG image"),
    ("JPEG with a PDF appended", lambda: photo() + b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "a.jpg", None,
     422, "a PDF document follows the end of the JPEG image"),
    ("PDF that starts like a PNG", lambda: png()[:8] + b"%PDF-1.4\n" + png()[8:], "a.png", None, 422, "PDF"),
    ("PNG with a broken checksum", lambda: with_broken_crc(png((120, 90))), "a.png", None, 422, "cannot be decoded"),
    ("decompression bomb", png_bomb, "bomb.png", "image/png", 422, "megapixels, over the limit of 50"),
    ("scripted SVG", lambda: SCRIPTED_SVG, "logo.svg", "image/svg+xml", 415, "SVG is not accepted"),
    ("SVG named .png", lambda: SCRIPTED_SVG, "logo.png", "image/png", 415, "scripts and external references"),
    ("animated PNG", animated_png, "anim.png", None, 415, "animated"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "filename", "declared", "status", "reason"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
async def test_a_refused_upload_names_its_reason_and_stores_nothing(
    media: MediaWorld, data: Callable[[], bytes], filename: str, declared: str | None, status: int, reason: str
) -> None:
    before = await media.snapshot()
    response = await media.upload(data(), filename, declared)
    assert response.status_code == status, response.text
    assert reason in response.json()["errors"][0]["message"]
    assert await media.snapshot() == before


@pytest.mark.parametrize(
    ("data", "filename", "declared", "status", "reason"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
async def test_the_python_api_refuses_the_same_files_with_upload_refused(
    media: MediaWorld, data: Callable[[], bytes], filename: str, declared: str | None, status: int, reason: str
) -> None:
    before = await media.snapshot()
    with pytest.raises(UploadRefused) as refused:
        await store_upload(data(), filename, declared, {}, WRITER)
    assert (refused.value.status, reason in refused.value.reason) == (status, True)
    assert await media.snapshot() == before


async def test_a_png_is_stored_with_its_metadata(media: MediaWorld) -> None:
    response = await media.upload(png((300, 200), (10, 120, 200)), "Blue box.png", "image/png", **{"alt.en": "A box"})
    assert response.status_code == 201, response.text
    asset = response.json()
    assert response.headers["location"] == f"/media/{asset['id']}"
    assert {
        key: asset[key] for key in ("mime", "width", "height", "dominantColor", "focalPoint", "alt", "filename")
    } == {
        "mime": "image/png",
        "width": 300,
        "height": 200,
        "dominantColor": "#0a78c8",
        "focalPoint": {"x": 0.5, "y": 0.5},
        "alt": {"en": "A box"},
        "filename": "Blue box.png",
    }
    assert len(asset["blurhash"]) == 28  # 4×3 components
    keys, rows = await media.snapshot()
    assert (keys, rows) == ([f"originals/{asset['sha256']}.png"], 1)
    assert asset["bytes"] == len(await media.library.storage.get(keys[0]) or b"")


async def test_the_same_image_uploaded_twice_is_stored_once(media: MediaWorld) -> None:
    first = await media.upload(png((80, 60)), "a.png", **{"alt.en": "Red"})
    second = await media.upload(png((80, 60)), "copy-of-a.png", **{"alt.en": "Other", "alt.fr": "Rouge"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["alt"] == {"en": "Red", "fr": "Rouge"}  # missing alt texts are added, none replaced
    assert await media.snapshot() == ([f"originals/{first.json()['sha256']}.png"], 1)


async def test_exif_orientation_is_applied_and_no_metadata_is_kept(media: MediaWorld) -> None:
    source = jpeg_with_orientation_and_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry GPS
    response = await media.upload(source, "phone.jpg", "image/jpeg")
    assert response.status_code == 201, response.text
    asset = response.json()
    assert (asset["width"], asset["height"]) == (20, 40)
    stored = await media.library.storage.get(f"originals/{asset['sha256']}.jpg")
    assert stored is not None and b"Camera Maker" not in stored and b"xmpmeta" not in stored
    image = Image.open(io.BytesIO(stored))
    assert (dict(image.getexif()), image.info.get("xmp"), image.info.get("icc_profile")) == ({}, None, None)
    top, bottom = image.convert("RGB").getpixel((10, 5)), image.convert("RGB").getpixel((10, 35))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red (left) turned to the top
    rendition = await media.http.get(asset["renditions"]["email_600"]["urls"]["jpeg"])
    assert dict(Image.open(io.BytesIO(rendition.content)).getexif()) == {}


async def test_the_pixel_limit_is_the_callers_not_pillows(media: MediaWorld, settings: Settings) -> None:
    strict = MediaLibrary(msgspec.structs.replace(settings, image_max_pixels=100), media.library.model)
    with pytest.raises(UploadRefused, match=r"20×20 = 0 megapixels, over the limit"):
        await strict.upload(png((20, 20)), "small.png", None, {}, WRITER)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"alt.de": "Bild"}, "alt.de: unknown locale (known: en, fr)"), ({"alt.en": "x" * 1001}, "alt.en: is 1001")],
)
async def test_alt_texts_are_checked(media: MediaWorld, fields: dict[str, str], reason: str) -> None:
    response = await media.upload(png(), "a.png", **fields)
    assert (response.status_code, reason in response.json()["errors"][0]["message"]) == (400, True)
    assert await media.snapshot() == ([], 0)


async def test_a_file_name_keeps_no_directories(media: MediaWorld) -> None:
    response = await media.upload(png(), "../../etc/passwd.png")
    assert response.json()["filename"] == "passwd.png"
    asset = await store_upload(png((9, 9)), "C:\\Users\\me\\pass\x07wd.png", None, {}, WRITER)
    assert asset["filename"] == "passwd.png"


async def test_an_upload_over_the_size_limit_is_refused_while_streaming(
    database: None, settings: Settings, model: ContentModel
) -> None:
    app = create_app(msgspec.structs.replace(settings, upload_max_bytes=2_000), model)
    token = await _token(model, "management:write")
    async with build_client(app) as http:
        before = await app.state.media.storage.keys(), await Asset.count()
        # Just over the limit: refused once parsed; far over it: refused by Litestar as the body streams in.
        just_over, far_over = (encoded(Image.effect_noise(size, 64), "PNG") for size in ((60, 60), (400, 400)))
        assert 2_000 < len(just_over) < 2_000 + FORM_ALLOWANCE < len(far_over)
        for data in (just_over, far_over):
            response = await http.post("/media", files={"file": ("big.png", data)}, headers=token)
            assert response.status_code == 413, response.text
            assert "larger than the upload limit of 2000 bytes" in response.json()["errors"][0]["message"]
        assert (await app.state.media.storage.keys(), await Asset.count()) == before


async def test_uploading_needs_the_write_permission(media: MediaWorld) -> None:
    anonymous = await media.http.post("/media", files={"file": ("a.png", png())})
    reader = await media.http.post("/media", files={"file": ("a.png", png())}, headers=media.reader)
    assert (anonymous.status_code, reader.status_code) == (401, 403)
    assert "'write' permission" in reader.json()["errors"][0]["message"]
    assert await media.snapshot() == ([], 0)


@pytest.mark.parametrize(("principal", "status"), [(ANONYMOUS, 401), (token_principal("t", "r", ["preview"]), 403)])
async def test_the_python_api_checks_the_principal(media: MediaWorld, principal: Principal, status: int) -> None:
    with pytest.raises(UploadRefused) as refused:
        await store_upload(png(), "a.png", None, {}, principal)
    assert refused.value.status == status


async def test_a_browser_session_must_echo_its_csrf_token(media: MediaWorld) -> None:
    user = await create_user("ed@example.com", "Ed", "editor", "correct horse battery")
    cookie, csrf = await create_session(user)
    session = {"cookie": f"cms_session={cookie}"}
    without = await media.http.post("/media", files={"file": ("a.png", png())}, headers=session)
    assert without.status_code == 403 and "X-CSRF-Token" in without.json()["errors"][0]["message"]
    with_token = await media.http.post(
        "/media", files={"file": ("a.png", png())}, headers={**session, "X-CSRF-Token": csrf}
    )
    assert with_token.status_code == 201, with_token.text
    assert with_token.json()["createdBy"] == "ed@example.com"


async def test_every_upload_is_audited(media: MediaWorld) -> None:
    asset = (await media.upload(png())).json()
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.action == "asset_uploaded")
    assert events == [{"action": "asset_uploaded", "actor": "writer"}]
    assert asset["id"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"files": {"image": ("a.png", b"x")}}, "field named `file`"),
        ({"data": {"file": "not a file"}}, "field named `file`"),
        ({"content": b"raw", "headers": {"content-type": "image/png"}}, "field named `file`"),
    ],
)
async def test_a_request_without_a_file_field_is_a_bad_request(
    media: MediaWorld, body: dict[str, Any], reason: str
) -> None:
    headers = {**media.writer, **body.pop("headers", {})}
    response = await media.http.post("/media", headers=headers, **body)
    assert (response.status_code, reason in response.json()["errors"][0]["message"]) == (400, True)


async def _token(model: ContentModel, scope: str) -> dict[str, str]:
    from tests.management_client import token_for

    return {"Authorization": f"Bearer {await token_for(model, scope)}"}


async def test_a_body_without_length_is_cut_off_once_over_the_limit(
    database: None, settings: Settings, model: ContentModel
) -> None:
    app = create_app(msgspec.structs.replace(settings, upload_max_bytes=2_000), model)
    sent = 0

    async def endless_upload() -> Any:
        nonlocal sent
        yield b'--edge\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
        for _ in range(1_000):  # a megabyte, chunked: no Content-Length to refuse up front
            sent += 1_024
            yield b"\x00" * 1_024

    headers = {**(await _token(model, "management:write")), "content-type": "multipart/form-data; boundary=edge"}
    async with build_client(app) as http:
        response = await http.post("/media", content=endless_upload(), headers=headers)
    assert response.status_code == 413, response.text
    assert sent < 2_000 + FORM_ALLOWANCE + 2 * 1_024


async def test_the_same_image_uploaded_at_once_twice_is_one_asset(media: MediaWorld) -> None:
    data = png((90, 70), (5, 200, 5))
    first, second = await asyncio.gather(*(store_upload(data, "a.png", None, {}, WRITER) for _ in range(2)))
    assert first["id"] == second["id"]
    assert await media.snapshot() == ([f"originals/{first['sha256']}.png"], 1)


async def test_no_object_is_left_when_the_row_cannot_be_written(
    media: MediaWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def database_down(*args: object) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr(assets, "save_upload", database_down)
    with pytest.raises(ConnectionError):
        await store_upload(png((33, 33)), "a.png", None, {}, WRITER)
    assert await media.snapshot() == ([], 0)
