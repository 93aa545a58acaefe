"""Shared by the media tests (no tests here): images made with Pillow in memory, hostile files, and a world
of one app, its media library and tokens. Nothing binary is kept in git."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar import Litestar
from PIL import ExifTags, Image, PngImagePlugin

from cms.media import MediaLibrary
from cms.model import ContentModel
from cms.store.tables import Asset
from tests.conftest import build_client
from tests.management_client import token_for


def picture(size: tuple[int, int] = (64, 48), colour: tuple[int, ...] = (200, 40, 40)) -> Image.Image:
    return Image.new("RGBA" if len(colour) == 4 else "RGB", size, colour)


def encoded(image: Image.Image, image_format: str = "PNG", **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png(size: tuple[int, int] = (64, 48), colour: tuple[int, ...] = (200, 40, 40)) -> bytes:
    return encoded(picture(size, colour))


def jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, ...] = (40, 120, 200), **options: Any) -> bytes:
    return encoded(picture(size, colour), "JPEG", **options)


def photo(size: tuple[int, int] = (320, 240)) -> bytes:
    """A noisy JPEG: several kilobytes, like a photograph and unlike a flat test card."""
    return encoded(Image.merge("RGB", [Image.effect_noise(size, 60)] * 3), "JPEG", quality=90)


def halves(size: tuple[int, int], first: tuple[int, int, int], second: tuple[int, int, int]) -> Image.Image:
    """Left half `first`, right half `second`: shows which way an image was turned."""
    image = picture(size, second)
    image.paste(first, (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_with_orientation_and_gps(orientation: int = 6) -> bytes:
    """A 40×20 JPEG, red left / blue right, whose EXIF says "rotate 90° clockwise" and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Camera Maker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.6)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    return encoded(halves((40, 20), (220, 0, 0), (0, 0, 220)), "JPEG", exif=exif, xmp=xmp, quality=95)


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return encoded(picture(), "PNG", pnginfo=info)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<p>hello</p>")
    return buffer.getvalue()


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real, complete PNG of width × height 1-bit pixels: tens of KB on disk, hundreds of megapixels decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def animated_png() -> bytes:
    frames = [picture(colour=(255, 0, 0)), picture(colour=(0, 255, 0))]
    return encoded(frames[0], "PNG", save_all=True, append_images=frames[1:])


def with_broken_crc(data: bytes) -> bytes:
    """The PNG with one byte of its IDAT chunk changed: lengths intact, checksum wrong."""
    position = data.index(b"IDAT") + 8
    return data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]


SCRIPTED_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
  <script>alert(document.cookie)</script><image href="https://example.com/track.png"/>
</svg>"""


@dataclass
class MediaWorld:
    """A clean store, the app's media library, and headers of principals with various permissions."""

    http: httpx.AsyncClient
    library: MediaLibrary
    writer: dict[str, str]
    reader: dict[str, str]

    async def snapshot(self) -> tuple[list[str], int]:
        """What is stored: every key in storage, and the number of asset rows."""
        return await self.library.storage.keys(), await Asset.count()

    async def upload(
        self, data: bytes, filename: str = "picture.png", content_type: str | None = None, **fields: str
    ) -> httpx.Response:
        files = {"file": (filename, data, content_type or "application/octet-stream")}
        return await self.http.post("/media", files=files, data=fields, headers=self.writer)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def media(clean_db: None, app: Litestar, model: ContentModel) -> AsyncIterator[MediaWorld]:
    writer = bearer(await token_for(model, "management:write", name="writer"))
    reader = bearer(await token_for(model, "management:read", name="reader"))
    library: MediaLibrary = app.state.media
    for key in await library.storage.keys():  # the store is clean: so is the storage
        await library.storage.delete(key)
    async with build_client(app) as http:
        yield MediaWorld(http, library, writer, reader)
