"""Where an asset is used, as the admin's asset page lists it: the entries of `cms.media.usage.asset_uses` with
their title in the admin's language (the same list blocks deleting the asset)."""

from __future__ import annotations

from typing import Any

from cms.admin.summaries import entry_title
from cms.media.usage import asset_uses
from cms.model.definitions import ContentModel


async def where_used(model: ContentModel, asset_id: str, language: str) -> list[dict[str, Any]]:
    """Entries (id, type, title, status, which versions) referencing the asset, by title."""
    found = [
        use.entry
        | {
            "versions": sorted(use.versions),
            "title": entry_title(model, use.content_type, use.data, language),
        }
        for use in await asset_uses(model, asset_id)
    ]
    return sorted(found, key=lambda use: use["title"].lower())
