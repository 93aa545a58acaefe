"""An asset as JSON: what `GET /media/<asset>` and the Python API return (camelCase, like the GraphQL API)."""

from __future__ import annotations

from typing import Any

from cms.media.presets import NamedPreset, Source, plan_for, rendition_url


def source_of(row: dict[str, Any]) -> Source:
    kind = row["mime"].removeprefix("image/")
    return Source(row["sha256"], kind, row["width"], row["height"], (row["focal_x"], row["focal_y"]))


def asset_document(row: dict[str, Any], presets: dict[str, NamedPreset], base_url: str = "") -> dict[str, Any]:
    return {
        "id": row["id"],
        "sha256": row["sha256"],
        "mime": row["mime"],
        "bytes": row["byte_size"],
        "width": row["width"],
        "height": row["height"],
        "blurhash": row["blurhash"],
        "dominantColor": row["dominant_color"],
        "focalPoint": {"x": row["focal_x"], "y": row["focal_y"]},
        "alt": dict(row["alt"]),
        "filename": row["filename"],
        "createdBy": row["created_by"],
        "createdAt": row["created_at"].isoformat(),
        "updatedAt": row["updated_at"].isoformat(),
        "renditions": renditions_of(row, presets, base_url),
    }


def renditions_of(row: dict[str, Any], presets: dict[str, NamedPreset], base_url: str = "") -> dict[str, Any]:
    """Per preset: its channel, the rendition's size, and a versioned (immutable) URL per format."""
    source = source_of(row)
    renditions = {}
    for name, named in presets.items():
        width, height = plan_for(source, named.preset).size
        renditions[name] = {
            "channel": named.channel,
            "width": width,
            "height": height,
            "urls": {
                image_format: rendition_url(base_url, row["id"], source, named, image_format)
                for image_format in named.preset.formats
            },
        }
    return renditions


def channel_renditions(document: dict[str, Any], channel: str) -> dict[str, Any]:
    """The renditions of an asset document that belong to `channel` (what delivery exposes there)."""
    return {name: rendition for name, rendition in document["renditions"].items() if rendition["channel"] == channel}
