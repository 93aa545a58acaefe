"""What is accepted: every supported format and colour mode comes out as plain sRGB pixels without metadata."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageCms

from tests.test_media_kit import MediaWorld, encoded, jpeg, media, photo, picture

__all__ = ["media"]

MOTION_PHOTO_VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def palette_with_transparency() -> bytes:
    image = picture((32, 32), (0, 128, 255)).convert("P")
    return encoded(image, "PNG", transparency=0)


# (case, file, name, stored mime, stored mode)
ACCEPTED: list[tuple[str, Callable[[], bytes], str, str, str]] = [
    ("JPEG", photo, "a.jpg", "image/jpeg", "RGB"),
    ("PNG with alpha", lambda: encoded(picture((40, 30), (255, 0, 0, 128)), "PNG"), "a.png", "image/png", "RGBA"),
    ("palette PNG with transparency", palette_with_transparency, "a.png", "image/png", "RGBA"),
    ("grayscale PNG", lambda: encoded(Image.new("L", (20, 20), 90), "PNG"), "a.png", "image/png", "RGB"),
    ("16-bit PNG", lambda: encoded(Image.new("I;16", (20, 20), 40_000), "PNG"), "a.png", "image/png", "RGB"),
    ("CMYK JPEG", lambda: encoded(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG"), "a.jpeg", "image/jpeg",
     "RGB"),
    ("JPEG with an ICC profile", lambda: encoded(picture(), "JPEG", icc_profile=SRGB_ICC), "a.jpg", "image/jpeg",
     "RGB"),
    ("WebP", lambda: encoded(picture((50, 40)), "WEBP"), "a.webp", "image/webp", "RGB"),
    ("AVIF", lambda: encoded(picture((50, 40)), "AVIF"), "a.avif", "image/avif", "RGB"),
    ("JPEG followed by a second JPEG (MPF camera style)", lambda: jpeg() + jpeg((16, 12)), "a.jpg", "image/jpeg",
     "RGB"),
    ("JPEG with a motion-photo video after it", lambda: photo() + MOTION_PHOTO_VIDEO, "a.jpg", "image/jpeg", "RGB"),
    ("no file name extension", lambda: encoded(picture(), "PNG"), "scan", "image/png", "RGB"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "filename", "mime", "mode"), [pytest.param(*case[1:], id=case[0]) for case in ACCEPTED]
)
async def test_a_supported_image_is_stored_as_plain_pixels(
    media: MediaWorld, data: Callable[[], bytes], filename: str, mime: str, mode: str
) -> None:
    response = await media.upload(data(), filename)
    assert response.status_code == 201, response.text
    asset = response.json()
    assert asset["mime"] == mime
    stored = await media.library.storage.get((await media.library.storage.keys("originals/"))[0])
    image = Image.open(io.BytesIO(stored or b""))
    assert (image.get_format_mimetype(), image.mode) == (mime, mode)
    assert (image.info.get("icc_profile"), image.info.get("exif"), dict(image.getexif())) == (None, None, {})
    assert b"ftypmp42" not in (stored or b"")
    rendition = await media.http.get(asset["renditions"]["web_400"]["urls"]["webp"])
    assert rendition.status_code == 200


async def test_a_16_bit_image_keeps_its_brightness(media: MediaWorld) -> None:
    asset = (await media.upload(encoded(Image.new("I;16", (8, 8), 32_768), "PNG"), "deep.png")).json()
    assert asset["dominantColor"] == "#808080"
