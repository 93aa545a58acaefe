"""The images a Shopify CSV names, read from a local folder: checked while the file is checked, stored through the
media library when the first product naming them is written. Never downloaded."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from anyio import to_thread

from cms.auth.principal import Principal
from cms.media.errors import MediaError
from cms.media.library import MediaLibrary
from cms.media.upload import clean_upload
from cms.model.entry_data import EntryData
from cms.store.tables import Asset
from cms.transfer.shopify.csvfile import ProductRows
from cms.transfer.shopify.products import Lookups, image_file

PENDING = "pending:"
"""Stands for the asset id of an image not in the library yet, until applying uploads it."""


class ShopImages:
    def __init__(self, library: MediaLibrary, folder: Path | None, locale: str) -> None:
        self.library, self.folder, self.locale = library, folder, locale
        self.alts: dict[str, str] = {}
        """File name -> its alt text (the first the file gives; empty when none)."""
        self.uploaded: dict[str, str] = {}
        """File name -> asset id, of the images stored by this import."""

    async def check(self, groups: Iterable[ProductRows], lookups: Lookups) -> None:
        """Each image named by the rows, cleaned as an upload would be: in `lookups` the asset holding it already
        (or PENDING), or why it cannot be stored."""
        for group in groups:
            for row in group.rows:
                for column in ("Image Src", "Variant Image"):
                    if row.get(column):
                        name = image_file(row.get(column))
                        if not self.alts.get(name):
                            self.alts[name] = row.get("Image Alt Text") if column == "Image Src" else ""
        for name in self.alts:
            try:
                lookups.images[name] = await self._asset_of(name)
            except MediaError as error:
                lookups.image_problems[name] = ("image_refused", {"reason": str(error)})
            except FileNotFoundError:
                lookups.image_problems[name] = ("image_missing" if self.folder else "image_needs_folder", {})

    async def _asset_of(self, name: str) -> str:
        settings = self.library.settings
        clean = functools.partial(
            clean_upload, max_bytes=settings.upload_max_bytes, max_pixels=settings.image_max_pixels
        )
        image = await to_thread.run_sync(clean, self._path(name).read_bytes(), name, None)
        existing = await Asset.select(Asset.id).where(Asset.sha256 == image.sha256).first()
        return str(existing["id"]) if existing else PENDING + name

    def _path(self, name: str) -> Path:
        """The file in the folder; FileNotFoundError for a name that could leave it (`..`, a separator)."""
        if self.folder is None or not name or name.startswith(".") or "/" in name or "\\" in name:
            raise FileNotFoundError(name)
        path = self.folder / name
        if not path.is_file():
            raise FileNotFoundError(name)
        return path

    async def stored(self, data: EntryData, principal: Principal) -> EntryData:
        """`data` with each pending image stored through the media library (with its alt text) and named by its
        asset id."""
        base = {locale: await self._replaced(values, principal) for locale, values in data.base.items()}
        return EntryData(base=base, overrides=data.overrides)

    async def _replaced(self, value: Any, principal: Principal) -> Any:
        if isinstance(value, str) and value.startswith(PENDING) and value.removeprefix(PENDING) in self.alts:
            return await self._upload(value.removeprefix(PENDING), principal)
        if isinstance(value, list):
            return [await self._replaced(item, principal) for item in value]
        if isinstance(value, dict):
            return {key: await self._replaced(item, principal) for key, item in value.items()}
        return value

    async def _upload(self, name: str, principal: Principal) -> str:
        if name not in self.uploaded:
            alt = {self.locale: self.alts[name]} if self.alts.get(name) else {}
            result = await self.library.upload(self._path(name).read_bytes(), name, None, alt, principal)
            self.uploaded[name] = str(result.asset["id"])
        return self.uploaded[name]
