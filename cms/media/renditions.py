"""Renditions: named and versioned without touching storage (so a 304 costs one row read), built on first
request from the stored original, stored next to it, and served from storage ever after."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from anyio import to_thread

from cms.media import assets
from cms.media.document import source_of
from cms.media.encode import MIME
from cms.media.errors import AssetNotFound, MediaError
from cms.media.library import MediaLibrary
from cms.media.presets import NamedPreset, Source, original_key, plan_for, rendition_digest, rendition_key
from cms.media.render import render
from cms.media.storage import StorageUnavailableError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenditionRef:
    """A rendition, named: enough to answer a conditional request; its bytes may not exist yet."""

    source: Source
    preset: NamedPreset
    image_format: str
    digest: str
    key: str

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'

    @property
    def media_type(self) -> str:
        return MIME[self.image_format]


async def find_rendition(library: MediaLibrary, asset_id: str, preset: str, image_format: str | None) -> RenditionRef:
    """The rendition `preset` of an asset in `image_format` (the preset's first format when None)."""
    named = library.presets.get(preset)
    if named is None:
        known = ", ".join(sorted(library.presets)) or "none"
        raise MediaError(f"no image preset {preset!r} (presets: {known}); presets live in channels.toml", 404)
    formats = named.preset.formats
    image_format = image_format or formats[0]
    if image_format not in formats:
        raise MediaError(f"preset {preset!r} is offered as {', '.join(formats)}, not {image_format!r}", 400)
    row = await assets.find_asset(asset_id)
    if row is None:
        raise AssetNotFound(asset_id)
    source = source_of(row)
    digest = rendition_digest(source, named, image_format)
    return RenditionRef(source, named, image_format, digest, rendition_key(source, named, image_format))


async def rendition_bytes(library: MediaLibrary, ref: RenditionRef) -> bytes:
    """The stored rendition, built and stored first if this is the first request for it.

    While the storage cannot be reached, a rendition this worker served lately comes from memory (its key is
    content-addressed: never stale); any other raises StorageUnavailableError (503)."""
    try:
        data = await library.storage.get(ref.key)
        if data is None:
            data = await _build_once(library, ref)
    except StorageUnavailableError as error:
        kept = library.recent.get(ref.key)
        if kept is None:
            raise
        logger.warning("media storage unavailable (%s): served rendition %s from memory", error, ref.key)
        return kept
    library.recent.put(ref.key, data)
    return data


async def rendition_redirect(library: MediaLibrary, ref: RenditionRef) -> str | None:
    """A presigned URL of the (built) rendition, when the storage has such URLs."""
    if not await library.storage.exists(ref.key):
        await _build_once(library, ref)
    return await library.storage.presigned_url(ref.key, library.settings.media_redirect_ttl)


async def _build_once(library: MediaLibrary, ref: RenditionRef) -> bytes:
    lock = library.builds.setdefault(ref.key, asyncio.Lock())
    try:
        async with lock:
            # Whoever waited on the lock finds what the first builder stored.
            stored = await library.storage.get(ref.key)
            if stored is not None:
                return stored
            data = await _build(library, ref)
            await library.storage.put(ref.key, data, ref.media_type)
            return data
    finally:
        if not lock.locked():
            library.builds.pop(ref.key, None)


async def _build(library: MediaLibrary, ref: RenditionRef) -> bytes:
    original = await library.storage.get(original_key(ref.source.sha256, ref.source.kind))
    if original is None:
        raise MediaError(f"the original of asset image {ref.source.sha256} is missing from storage", 500)
    plan = plan_for(ref.source, ref.preset.preset)
    preset = ref.preset.preset
    return await to_thread.run_sync(render, original, ref.source.kind, plan, ref.image_format, preset.quality)
