"""What an upload is, from its bytes: never from its name. Names and declared types must then agree with it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from cms.media.errors import UploadRefused

SUPPORTED = "JPEG, PNG, WebP or AVIF"


@dataclass(frozen=True)
class ImageKind:
    name: str
    """Also the Pillow format name, lower-cased: jpeg, png, webp, avif."""
    mime: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


JPEG = ImageKind("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif"))
PNG = ImageKind("png", "image/png", ("png",))
WEBP = ImageKind("webp", "image/webp", ("webp",))
AVIF = ImageKind("avif", "image/avif", ("avif",))
KINDS = {kind.name: kind for kind in (JPEG, PNG, WEBP, AVIF)}
_MIME_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png"}
_UNDECLARED = frozenset({"", "application/octet-stream", "binary/octet-stream"})

# Markup a browser or a document reader would act on: a file carrying it is a polyglot, refused.
_MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg|!doctype\s+html)\b|<\?php|javascript:", re.IGNORECASE
)


def sniff(data: bytes) -> ImageKind | None:
    """The image kind the leading bytes announce, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return AVIF
    return None


def refuse_svg(data: bytes, filename: str, declared_type: str | None) -> None:
    named_svg = PurePosixPath(filename.lower()).suffix in (".svg", ".svgz")
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    svg_content = head.startswith(b"<") and b"<svg" in head
    if named_svg or svg_content or (declared_type or "").lower().startswith("image/svg"):
        raise UploadRefused(
            "SVG is not accepted: an SVG can carry scripts and external references, which cannot be removed"
            " reliably; export the image as PNG or WebP instead",
            415,
            code="svg",
        )


def check_declared(kind: ImageKind, filename: str, declared_type: str | None) -> None:
    """Refuse a file whose name or declared type says something else than its content."""
    suffix = PurePosixPath(filename.lower()).suffix.lstrip(".")
    if suffix and suffix not in kind.extensions:
        raise UploadRefused(
            f"the file is named .{suffix} but its content is a {kind.name.upper()} image:"
            f" rename it to .{kind.extension} (or upload the file you meant)",
            415,
            code="wrong_extension",
            params={"suffix": suffix, "kind": kind.name.upper(), "extension": kind.extension},
        )
    declared = (declared_type or "").split(";")[0].strip().lower()
    declared = _MIME_ALIASES.get(declared, declared)
    if declared not in _UNDECLARED and declared != kind.mime:
        raise UploadRefused(
            f"the file is declared as {declared} but its content is a {kind.name.upper()} image ({kind.mime})",
            415,
            code="wrong_type",
            params={"declared": declared, "kind": kind.name.upper()},
        )


def refuse_markup(data: bytes) -> None:
    """Refuse images carrying HTML or script: defused by re-encoding anyway, but no reason to accept them."""
    found = _MARKUP.search(data)
    if found:
        raise UploadRefused(
            f"the file carries markup ({found.group(0).decode('latin-1')!r}) besides the image: files that are"
            " also HTML or script (polyglots) are refused; export the image again from an image editor",
            422,
            code="polyglot",
        )
    if b"%PDF-" in data[:1024]:
        raise UploadRefused("the file is also a PDF document (polyglot): upload the image alone", 422, code="polyglot")
