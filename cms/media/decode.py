"""Decode an upload with Pillow under this call's pixel limit, verified, oriented, in sRGB, without metadata."""

from __future__ import annotations

import io
import os
import struct
import threading
import zlib

from PIL import Image, ImageCms, ImageOps

from cms.media.errors import UploadRefused
from cms.media.sniff import ImageKind

# What Pillow raises on broken files besides OSError: decoders are not consistent about it.
_BROKEN = (OSError, SyntaxError, ValueError, IndexError, TypeError, EOFError, struct.error, zlib.error)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Pillow releases the GIL while it decodes and encodes: more images at once than cores only queue up in memory.
IMAGE_WORK_SLOTS = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


def open_image(data: bytes, kind: ImageKind) -> Image.Image:
    """Open lazily (header only) through the format's own factory, skipping Pillow's global size check: the
    caller applies its own limit before anything is decoded."""
    Image.init()
    factory, _ = Image.OPEN[kind.name.upper()]
    return factory(io.BytesIO(data), "")


def decode_upload(data: bytes, kind: ImageKind, max_pixels: int) -> Image.Image:
    """The upload's pixels, or UploadRefused saying what is wrong with them."""
    try:
        probe = open_image(data, kind)
        _check_size(probe, max_pixels)
        if getattr(probe, "is_animated", False) and probe.format != "MPO":
            raise UploadRefused(
                "animated images are not accepted: upload a still image (one frame)", 415, code="animated"
            )
        probe.verify()
        image = open_image(data, kind)
        image.load()
        return _normalized(image)
    except UploadRefused:
        raise
    except _BROKEN as error:
        raise UploadRefused(
            f"the {kind.name.upper()} image cannot be decoded ({error}): it is damaged or truncated;"
            " upload the complete file again",
            422,
            code="damaged",
        ) from None


def _check_size(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise UploadRefused(f"the image has no pixels ({width}×{height})", 422, code="no_pixels")
    if width * height > max_pixels:
        raise UploadRefused(
            f"the image is {width}×{height} = {width * height / 1e6:.0f} megapixels, over the limit of"
            f" {max_pixels / 1e6:.0f} (a decompression bomb?): downscale it before uploading",
            422,
            code="too_many_pixels",
            params={"size": f"{width}×{height}", "limit": f"{max_pixels / 1e6:.0f}"},
        )


def _normalized(image: Image.Image) -> Image.Image:
    """Orientation applied, colours in sRGB, mode RGB or RGBA, and no metadata left at all."""
    oriented = ImageOps.exif_transpose(image)
    converted = _to_srgb(oriented, image.info.get("icc_profile"))
    clean = _rgb_or_rgba(converted).copy()
    clean.info = {}
    return clean


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels are taken as sRGB, as browsers do
    assert converted is not None
    return converted


def _rgb_or_rgba(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")
