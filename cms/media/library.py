"""The media library: uploads, asset metadata and its changes, deletion, over one storage and the model's presets."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from anyio import to_thread

from cms.auth.principal import READ, WRITE, Principal
from cms.media import assets
from cms.media.changes import check_alt, parse_change
from cms.media.document import asset_document, source_of
from cms.media.errors import AssetInUse, AssetNotFound, MediaError, UploadRefused
from cms.media.presets import original_key, presets_of
from cms.media.recent import RecentRenditions
from cms.media.storage import MediaStorage, storage_for
from cms.media.upload import clean_upload
from cms.media.usage import asset_uses, describe_use, use_document
from cms.model.definitions import ContentModel
from cms.settings import Settings

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Uploaded:
    asset: dict[str, Any]
    created: bool
    """False when the same image was already in the library (its asset is returned)."""


class MediaLibrary:
    def __init__(self, settings: Settings, model: ContentModel, storage: MediaStorage | None = None) -> None:
        self.settings, self.model = settings, model
        self.storage = storage or storage_for(settings)
        self.presets = presets_of(model)
        self.builds: dict[str, asyncio.Lock] = {}
        """One build per rendition key at a time in this process (see renditions.py)."""
        self.recent = RecentRenditions(settings.media_recent_bytes)
        """Renditions served lately, served from memory while the storage is unreachable (see renditions.py)."""

    async def store_upload(
        self, data: bytes, filename: str, declared_type: str | None, alt: Mapping[str, str], principal: Principal
    ) -> dict[str, Any]:
        """Check, sanitize and store an image; its asset document. UploadRefused says why not (nothing stored)."""
        return (await self.upload(data, filename, declared_type, alt, principal)).asset

    async def upload(
        self, data: bytes, filename: str, declared_type: str | None, alt: Mapping[str, str], principal: Principal
    ) -> Uploaded:
        require(principal, WRITE, "uploading", UploadRefused)
        problems: list[tuple[str, str]] = []
        checked_alt = check_alt(alt, self.model.locales, problems)
        if problems:
            raise UploadRefused("; ".join(f"{field}: {message}" for field, message in problems), 400)
        limits = {"max_bytes": self.settings.upload_max_bytes, "max_pixels": self.settings.image_max_pixels}
        image = await to_thread.run_sync(functools.partial(clean_upload, data, filename, declared_type, **limits))
        key = original_key(image.sha256, image.kind.name)
        written = await self.storage.put(key, image.data, image.kind.mime)
        try:
            row, created = await assets.save_upload(image, safe_filename(filename), checked_alt, principal)
        except BaseException:
            if written and not await assets.sha_in_use(image.sha256):
                await self.storage.delete(key)  # no object without its asset row
            raise
        return Uploaded(self.document(row), created)

    async def asset(self, asset_id: str) -> dict[str, Any]:
        row = await assets.find_asset(asset_id)
        if row is None:
            raise AssetNotFound(asset_id)
        return self.document(row)

    async def assets(self, asset_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Documents of the existing assets among `asset_ids`, by id, in one query (for batch loaders)."""
        return {row["id"]: self.document(row) for row in await assets.find_assets(asset_ids)}

    async def change(self, asset_id: str, body: bytes, principal: Principal) -> dict[str, Any]:
        """Apply a JSON change `{focalPoint: {x, y}, alt: {locale: text | null}}`; InvalidAssetChange names fields."""
        require(principal, WRITE, "changing an asset", MediaError)
        change = parse_change(body, self.model.locales)
        row = await assets.change_asset(asset_id, change, principal)
        if row is None:
            raise AssetNotFound(asset_id)
        return self.document(row)

    async def delete(self, asset_id: str, principal: Principal) -> None:
        """Delete an asset no entry uses (AssetInUse lists the entries whose current or published version names
        it), then its original and renditions from storage. The row, the audit event and `asset.deleted` commit
        together; files that cannot be removed after that are logged and left for `cms media gc`."""
        require(principal, WRITE, "deleting an asset", MediaError)
        row = await assets.delete_asset(asset_id, principal, self._refuse_if_used)
        if row is None:
            raise AssetNotFound(asset_id)
        await self._remove_files(row)

    async def _refuse_if_used(self, asset_id: str) -> None:
        uses = sorted(await asset_uses(self.model, asset_id), key=lambda use: (use.content_type, use.entry_id))
        if uses:
            described = [describe_use(self.model, use) for use in uses]
            raise AssetInUse(asset_id, described, [use_document(self.model, use) for use in uses])

    async def _remove_files(self, row: dict[str, Any]) -> None:
        source = source_of(row)
        try:
            if await assets.sha_in_use(source.sha256):
                return  # the same image was uploaded again meanwhile: the files are the new asset's
            keys = [*await self.storage.keys(f"renditions/{source.sha256}/"), original_key(source.sha256, source.kind)]
            for key in keys:
                await self.storage.delete(key)
        except Exception:
            logger.exception("asset %s is deleted, but not all its files are; `cms media gc` finds them", row["id"])

    def document(self, row: dict[str, Any]) -> dict[str, Any]:
        return asset_document(row, self.presets, self.settings.media_base_url)


def require(principal: Principal, permission: str, action: str, error: type[MediaError]) -> None:
    if principal.kind == "anonymous":
        raise error(f"{action} needs a signed-in user or a management token (Authorization: Bearer cms_…)", 401)
    if not principal.can(permission):
        raise error(f"{action} needs the {permission!r} permission, which {principal.name!r} does not have", 403)


def require_read(principal: Principal) -> None:
    require(principal, READ, "reading asset metadata", MediaError)


def safe_filename(filename: str) -> str:
    """The name only (no directories), printable, at most 255 characters: kept for editors, never used as a path."""
    return _UNPRINTABLE.sub("", PureWindowsPath(filename).name)[:255]
