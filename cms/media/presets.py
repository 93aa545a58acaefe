"""Image presets of the model's channels, and how a rendition is named: its key in storage, its ETag, its URL.

A rendition's digest covers everything its bytes depend on (original, preset, format, focal point for crops,
RENDER_VERSION), so a key never changes content: it is built once, and its URL with `v=<digest>` is immutable.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cms.media.encode import EXTENSION
from cms.media.geometry import Plan, plan_rendition
from cms.model.definitions import ContentModel, ImagePreset

RENDER_VERSION = 1
"""Bump when rendering code changes what renditions look like: every rendition then gets a new key."""


@dataclass(frozen=True)
class NamedPreset:
    name: str
    channel: str
    preset: ImagePreset


@dataclass(frozen=True)
class Source:
    """What renditions of an asset depend on."""

    sha256: str
    kind: str
    width: int
    height: int
    focal: tuple[float, float]


def presets_of(model: ContentModel) -> dict[str, NamedPreset]:
    """Every preset by name (names are unique across channels: the model checks it)."""
    return {
        name: NamedPreset(name, channel_name, preset)
        for channel_name, channel in model.channels.items()
        for name, preset in channel.images.items()
    }


def plan_for(source: Source, preset: ImagePreset) -> Plan:
    return plan_rendition((source.width, source.height), preset.fit, preset.width, preset.height, source.focal)


def rendition_digest(source: Source, named: NamedPreset, image_format: str) -> str:
    preset = named.preset
    focal = source.focal if preset.fit == "cover" else None
    parts = (RENDER_VERSION, source.sha256, named.name, preset.fit, preset.width, preset.height, preset.quality)
    text = repr((*parts, image_format, focal))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def rendition_key(source: Source, named: NamedPreset, image_format: str) -> str:
    digest = rendition_digest(source, named, image_format)
    return f"renditions/{source.sha256}/{named.name}-{digest}.{EXTENSION[image_format]}"


def original_key(sha256: str, kind: str) -> str:
    return f"originals/{sha256}.{EXTENSION[kind]}"


def rendition_url(base_url: str, asset_id: str, source: Source, named: NamedPreset, image_format: str) -> str:
    digest = rendition_digest(source, named, image_format)
    return f"{base_url.rstrip('/')}/media/{asset_id}/{named.name}?format={image_format}&v={digest}"
