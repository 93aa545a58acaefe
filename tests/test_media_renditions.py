"""Renditions per channel preset: sizes and formats, built once and reused, cache headers, focal-point crops."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from cms.media import renditions
from tests.test_media_kit import MediaWorld, encoded, media, picture

__all__ = ["media"]
Asset = dict[str, Any]

# A 3000×2000 source: (preset, format, expected size, the Pillow format of the bytes)
EXPECTED = [
    ("web_400", "webp", (400, 267), "WEBP"),
    ("web_400", "avif", (400, 267), "AVIF"),
    ("web_800", "webp", (800, 533), "WEBP"),
    ("web_1600", "avif", (1600, 1067), "AVIF"),
    ("app_640", "webp", (640, 427), "WEBP"),
    ("app_1280", "webp", (1280, 853), "WEBP"),
    ("kiosk_hd", "webp", (1620, 1080), "WEBP"),
    ("kiosk_hd", "jpeg", (1620, 1080), "JPEG"),
    ("email_600", "jpeg", (600, 400), "JPEG"),
    ("social_card", "jpeg", (1200, 630), "JPEG"),
    ("social_card", "webp", (1200, 630), "WEBP"),
    ("social_square", "jpeg", (1080, 1080), "JPEG"),
]


@pytest.fixture
async def landscape(media: MediaWorld) -> Asset:
    response = await media.upload(encoded(picture((3000, 2000), (90, 140, 60)), "JPEG"), "field.jpg")
    assert response.status_code == 201, response.text
    return response.json()


async def test_each_preset_gives_its_size_and_format(media: MediaWorld, landscape: Asset) -> None:
    for preset, image_format, size, pillow_format in EXPECTED:
        rendition = landscape["renditions"][preset]
        assert (rendition["width"], rendition["height"]) == size, preset
        response = await media.http.get(rendition["urls"][image_format])
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == f"image/{image_format}"
        image = Image.open(io.BytesIO(response.content))
        assert (image.format, image.size) == (pillow_format, size), (preset, image_format)


async def test_the_presets_say_which_channel_they_belong_to(landscape: Asset) -> None:
    from cms.media import channel_renditions

    assert set(channel_renditions(landscape, "web")) == {"web_400", "web_800", "web_1600"}
    assert set(channel_renditions(landscape, "social")) == {"social_card", "social_square"}
    assert landscape["renditions"]["email_600"]["urls"].keys() == {"jpeg"}


async def test_the_default_format_is_the_presets_first(media: MediaWorld, landscape: Asset) -> None:
    response = await media.http.get(f"/media/{landscape['id']}/web_400")
    assert response.headers["content-type"] == "image/webp"


async def test_renditions_never_upscale(media: MediaWorld) -> None:
    asset = (await media.upload(png_bytes := encoded(picture((300, 200)), "PNG"), "small.png")).json()
    assert png_bytes
    sizes = {name: (r["width"], r["height"]) for name, r in asset["renditions"].items()}
    assert sizes["web_1600"] == sizes["kiosk_hd"] == (300, 200)
    assert sizes["social_card"] == (300, 158)  # the 1200:630 shape, as big as the source allows
    response = await media.http.get(asset["renditions"]["social_card"]["urls"]["jpeg"])
    assert Image.open(io.BytesIO(response.content)).size == (300, 158)


async def test_a_rendition_is_built_once_then_served_from_storage(
    media: MediaWorld,
    landscape: Asset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = landscape["renditions"]["web_800"]["urls"]["webp"]
    first = await media.http.get(url)
    keys = await media.library.storage.keys("renditions/")
    assert len(keys) == 1 and keys[0].startswith(f"renditions/{landscape['sha256']}/web_800-")

    def no_second_build(*args: object) -> bytes:
        raise AssertionError("a stored rendition was built again")

    monkeypatch.setattr(renditions, "render", no_second_build)
    second = await media.http.get(url)
    assert second.content == first.content
    assert await media.library.storage.keys("renditions/") == keys


async def test_versioned_urls_are_immutable_and_etags_give_304(media: MediaWorld, landscape: Asset) -> None:
    url = landscape["renditions"]["email_600"]["urls"]["jpeg"]
    response = await media.http.get(url)
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    for sent in (etag, f'"other", {etag}', f"W/{etag}"):
        again = await media.http.get(url, headers={"If-None-Match": sent})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    changed = await media.http.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


async def test_unversioned_or_stale_urls_are_revalidated(media: MediaWorld, landscape: Asset) -> None:
    for url in (f"/media/{landscape['id']}/email_600", f"/media/{landscape['id']}/email_600?v=stale"):
        response = await media.http.get(url)
        assert (response.status_code, response.headers["cache-control"]) == (200, "public, no-cache")


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/media/{id}/poster", 404, "no image preset 'poster' (presets: app_1280, app_640, email_600"),
        ("/media/{id}/email_600?format=webp", 400, "offered as jpeg, not 'webp'"),
        ("/media/00000000-0000-4000-8000-000000000000/email_600", 404, "no asset"),
        ("/media/not-an-asset-id/email_600", 404, "no asset 'not-an-asset-id'"),
    ],
)
async def test_wrong_rendition_requests_say_what_is_wrong(
    media: MediaWorld,
    landscape: Asset,
    path: str,
    status: int,
    reason: str,
) -> None:
    response = await media.http.get(path.replace("{id}", landscape["id"]))
    assert response.status_code == status
    assert reason in response.json()["errors"][0]["message"]


# A red 40×40 square on a grey 1200×400 strip: (focal point, where the square is, presets to check)
FOCAL_CASES = [
    ((0.9, 0.5), (1060, 180), "social_square"),
    ((0.05, 0.5), (20, 180), "social_square"),
    ((0.5, 0.5), (580, 180), "social_square"),
    ((0.97, 0.1), (1144, 20), "social_square"),
]


@pytest.mark.parametrize(("focal", "square", "preset"), FOCAL_CASES)
async def test_a_cover_crop_keeps_the_focal_point(
    media: MediaWorld, focal: tuple[float, float], square: tuple[int, int], preset: str
) -> None:
    strip = picture((1200, 400), (128, 128, 128))
    strip.paste((255, 0, 0), (square[0], square[1], square[0] + 40, square[1] + 40))
    asset = (await media.upload(encoded(strip, "PNG"), "strip.png")).json()
    before = asset["renditions"][preset]["urls"]["jpeg"]
    changed = await media.http.patch(
        f"/media/{asset['id']}", json={"focalPoint": {"x": focal[0], "y": focal[1]}}, headers=media.writer
    )
    after = changed.json()["renditions"][preset]["urls"]["jpeg"]
    assert (after != before) == (focal != (0.5, 0.5))  # a moved crop has a new versioned URL
    image = Image.open(io.BytesIO((await media.http.get(after)).content)).convert("RGB")
    assert image.size == (400, 400)
    reds = [pixel for pixel in image.get_flattened_data() if pixel[0] > 200 and pixel[1] < 60]
    assert len(reds) > 1000  # most of the 40×40 square is in the crop


async def test_width_presets_do_not_depend_on_the_focal_point(media: MediaWorld, landscape: Asset) -> None:
    changed = await media.http.patch(
        f"/media/{landscape['id']}", json={"focalPoint": {"x": 0.1, "y": 0.9}}, headers=media.writer
    )
    renditions_after = changed.json()["renditions"]
    assert renditions_after["web_800"] == landscape["renditions"]["web_800"]
    assert renditions_after["social_card"] != landscape["renditions"]["social_card"]
