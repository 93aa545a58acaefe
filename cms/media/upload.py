"""The checks an upload goes through, in order, and what is kept of it: a sanitized original and its metadata.

Refused (UploadRefused, nothing stored): empty or oversized files; SVG; anything that is not a JPEG, PNG, WebP
or AVIF by its bytes; a name or declared type contradicting the bytes; polyglots (HTML/script markup anywhere,
a PDF header in the first KiB, a ZIP/PDF/RAR/7z after the image's end); truncated or undecodable images;
animations; images over the pixel limit (read from the header, before decoding). What is stored is re-encoded
from the decoded pixels, EXIF orientation applied and colours converted to sRGB, so no EXIF (GPS included),
XMP, ICC profile, comment or trailing payload survives, and no uploaded byte is ever served as is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cms.media.decode import IMAGE_WORK_SLOTS, decode_upload
from cms.media.describe import describe
from cms.media.encode import encode_original
from cms.media.errors import UploadRefused
from cms.media.sniff import SUPPORTED, ImageKind, check_declared, refuse_markup, refuse_svg, sniff
from cms.media.structure import check_structure


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    """The sanitized original, as stored."""
    sha256: str
    kind: ImageKind
    width: int
    height: int
    blurhash: str
    dominant_color: str


def clean_upload(
    data: bytes, filename: str, declared_type: str | None, *, max_bytes: int, max_pixels: int
) -> CleanImage:
    """Check an upload and sanitize it (blocking: run it in a thread); UploadRefused names what is wrong."""
    if not data:
        raise UploadRefused("the file is empty (0 bytes): choose the image again", 400, code="empty")
    if len(data) > max_bytes:
        raise too_large_refusal(max_bytes)
    refuse_svg(data, filename, declared_type)
    kind = sniff(data)
    if kind is None:
        raise UploadRefused(
            f"the file is not a {SUPPORTED} image (judged by its content, not its name)", 415, code="not_image"
        )
    check_declared(kind, filename, declared_type)
    refuse_markup(data)
    check_structure(kind, data)
    with IMAGE_WORK_SLOTS:
        image = decode_upload(data, kind, max_pixels)
        original = encode_original(image, kind.name)
        blurhash, dominant_color = describe(image)
    return CleanImage(
        data=original,
        sha256=hashlib.sha256(original).hexdigest(),
        kind=kind,
        width=image.width,
        height=image.height,
        blurhash=blurhash,
        dominant_color=dominant_color,
    )


def too_large(max_bytes: int) -> str:
    return f"the file is larger than the upload limit of {_limit(max_bytes)}: make it smaller"


def too_large_refusal(max_bytes: int) -> UploadRefused:
    return UploadRefused(too_large(max_bytes), 413, code="too_large", params={"limit": _limit(max_bytes)})


def _limit(max_bytes: int) -> str:
    return f"{max_bytes / 1024 / 1024:.3g} MiB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
