"""The media pipeline: image uploads checked and sanitized, stored content-addressed (local or S3), with
metadata (size, blurhash, dominant colour, focal point, alt per locale) and renditions per channel preset.

Python API (for GraphQL and delivery):

- `store_upload(data, filename, declared_type, alt, principal) -> dict`: the asset document, or UploadRefused;
- `get_asset(asset_id) -> dict` (AssetNotFound), `get_assets(ids) -> {id: dict}` (one query, for loaders);
- `MediaLibrary.delete(asset_id, principal)`: AssetInUse (409) while an entry's current or published version uses it;
- `channel_renditions(document, channel) -> {preset: {channel, width, height, urls: {format: url}}}`;
- `MediaLibrary`: the same operations on explicit settings/model/storage (the app keeps one in `state.media`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from cms.auth.principal import Principal
from cms.media.document import channel_renditions
from cms.media.errors import AssetInUse, AssetNotFound, InvalidAssetChange, MediaError, UploadRefused
from cms.media.library import MediaLibrary, Uploaded
from cms.model import load_model
from cms.settings import get_settings

__all__ = [
    "AssetInUse",
    "AssetNotFound",
    "InvalidAssetChange",
    "MediaError",
    "MediaLibrary",
    "UploadRefused",
    "Uploaded",
    "channel_renditions",
    "default_library",
    "get_asset",
    "get_assets",
    "store_upload",
]


@functools.cache
def default_library() -> MediaLibrary:
    """The library of this process's settings and model (same storage, hence same boto3 client, as the app's)."""
    settings = get_settings()
    return MediaLibrary(settings, load_model(settings.model_dir))


async def store_upload(
    data: bytes, filename: str, declared_type: str | None, alt: Mapping[str, str], principal: Principal
) -> dict[str, Any]:
    """Check, sanitize and store an uploaded image; its asset document. Raises UploadRefused(reason, status)."""
    return await default_library().store_upload(data, filename, declared_type, alt, principal)


async def get_asset(asset_id: str) -> dict[str, Any]:
    return await default_library().asset(asset_id)


async def get_assets(asset_ids: list[str]) -> dict[str, dict[str, Any]]:
    return await default_library().assets(asset_ids)
