"""Encode pixels: the stored original (same format, high quality, no metadata) and renditions per format."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
EXTENSION = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}
AVIF_SPEED = 8  # ~4× faster than the default for a barely larger file (see shared/NOTES.md)
ORIGINAL_QUALITY = {"jpeg": 95, "webp": 95, "avif": 90}


def encode(image: Image.Image, image_format: str, quality: int, *, progressive: bool = True) -> bytes:
    """`image` as `image_format` bytes; only pixels are written: no EXIF, XMP, ICC profile or text.
    Progressive JPEGs show early on slow networks, but decode ~1.5× slower: stored originals are baseline."""
    if image_format == "jpeg" and image.mode != "RGB":
        image = _flatten(image)
    options: dict[str, Any] = {"png": {"compress_level": 6}}.get(image_format, {"quality": quality})
    if image_format == "jpeg":
        options.update(optimize=True, progressive=progressive)
    elif image_format == "avif":
        options.update(speed=AVIF_SPEED)
    elif image_format == "webp":
        options.update(method=4)
    stripped = image.copy()
    stripped.info = {}
    buffer = io.BytesIO()
    stripped.save(buffer, format=image_format.upper(), **options)
    return buffer.getvalue()


def encode_original(image: Image.Image, image_format: str) -> bytes:
    """The stored original: the upload's own format, re-encoded so nothing but its pixels survives."""
    return encode(image, image_format, ORIGINAL_QUALITY.get(image_format, 95), progressive=False)


def _flatten(image: Image.Image) -> Image.Image:
    """On white: JPEG has no transparency (email clients would show black)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")
