"""Where an image's own bytes end: files cut short are refused, and so are files with an archive or a document
appended (ZIP, PDF, RAR, 7z: polyglots). Other bytes after the end, such as the video phones append to
"motion photos", are dropped with the rest of the metadata when the original is re-encoded.

Walks the container only (PNG chunks, JPEG segments, the RIFF header, ISO-BMFF boxes); Pillow decodes later.
"""

from __future__ import annotations

from cms.media.errors import UploadRefused
from cms.media.sniff import ImageKind

# Signatures of what must not ride along after an image; a ZIP is found by its end record, as unzip does.
_APPENDED = {b"PK\x03\x04": "a ZIP archive", b"%PDF-": "a PDF document", b"Rar!\x1a\x07": "a RAR archive"}
_APPENDED[b"7z\xbc\xaf\x27\x1c"] = "a 7z archive"
_ZIP_END_RECORD = b"PK\x05\x06"
_ZIP_END_SEARCH = 65_557  # an end record sits within the last 64 KiB + 22 bytes


def check_structure(kind: ImageKind, data: bytes) -> None:
    """Refuse a truncated file, or one carrying an archive or a document after the image's end."""
    end = {"png": _png_end, "jpeg": _jpeg_sequence_end, "webp": _riff_end, "avif": _boxes_end}[kind.name](data)
    trailing = data[end:]
    found = next((name for signature, name in _APPENDED.items() if signature in trailing), None)
    if found is None and _ZIP_END_RECORD in trailing[-_ZIP_END_SEARCH:]:
        found = "a ZIP archive"
    if found:
        raise UploadRefused(
            f"{found} follows the end of the {kind.name.upper()} image ({len(trailing)} bytes): files that are"
            " also an archive or a document (polyglots) are refused; upload the image alone",
            422,
            code="polyglot",
        )


def _truncated(kind: str) -> UploadRefused:
    return UploadRefused(
        f"the {kind} file is truncated or damaged: upload the complete file again", 422, code="damaged"
    )


def _png_end(data: bytes) -> int:
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        end = position + 12 + length
        if end > len(data):
            break
        if data[position + 4 : position + 8] == b"IEND":
            return end
        position = end
    raise _truncated("PNG")


def _jpeg_sequence_end(data: bytes) -> int:
    """The end of the last of consecutive JPEGs: cameras append MPF images (previews, HDR gain maps)."""
    end = _jpeg_end(data, 0)
    while data.startswith(b"\xff\xd8\xff", end):
        end = _jpeg_end(data, end)
    return end


def _jpeg_end(data: bytes, start: int) -> int:
    position = start + 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:
            return position + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
        else:
            if position + 4 > len(data):
                break
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:
                position = _entropy_end(data, position)
    raise _truncated("JPEG")


def _entropy_end(data: bytes, position: int) -> int:
    """The next marker after entropy-coded data (0xFF00 is a stuffed byte, 0xFFD0-D7 restart markers)."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise _truncated("JPEG")
        follower = data[found + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7 or follower == 0xFF:
            position = found + 1
        else:
            return found


def _riff_end(data: bytes) -> int:
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data) or end < 12:
        raise _truncated("WebP")
    return end


_TOP_LEVEL_BOXES = frozenset({b"ftyp", b"meta", b"mdat", b"moov", b"free", b"skip", b"uuid", b"moof", b"mfra"})


def _boxes_end(data: bytes) -> int:
    """After the last top-level ISO-BMFF box; something that is not a box ends the image."""
    position = 0
    while position + 8 <= len(data):
        if data[position + 4 : position + 8] not in _TOP_LEVEL_BOXES:
            return position
        size = int.from_bytes(data[position : position + 4], "big")
        if size == 0:  # the last box runs to the end of the file
            return len(data)
        if size == 1:
            size = int.from_bytes(data[position + 8 : position + 16], "big")
        if size < 8 or position + size > len(data):
            raise _truncated("AVIF")
        position += size
    return position
