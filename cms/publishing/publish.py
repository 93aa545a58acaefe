"""Publish and unpublish entries: replace their projections for every channel and locale atomically."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.publishing.documents import build_document
from cms.store.database import get_engine
from cms.store.entries import SavedVersion, load_version
from cms.store.tables import Entry, Projection

_encode = msgspec.json.Encoder().encode


async def publish(model: ContentModel, entry_id: str, version: int | None = None) -> SavedVersion:
    """Make `version` (the current one by default) what every channel serves."""
    saved = await load_version(entry_id, version)
    await publish_versions(model, [saved])
    return saved


async def publish_versions(model: ContentModel, versions: Iterable[SavedVersion]) -> None:
    """Project every version for every channel × locale and switch them all in one transaction."""
    versions = list(versions)
    rows = [row for saved in versions for row in projection_rows(model, saved)]
    moment = now()
    async with get_engine().transaction():
        ids = [saved.entry_id for saved in versions]
        await Projection.delete().where(Projection.entry.is_in(ids))
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            for row in batch:
                row.published_at = moment
            await Projection.insert(*batch)
        for saved in versions:
            await Entry.update({Entry.status: "published", Entry.published_version: saved.number}).where(
                Entry.id == saved.entry_id
            )


async def unpublish(entry_id: str) -> None:
    """Remove the entry from every channel."""
    async with get_engine().transaction():
        await Projection.delete().where(Projection.entry == entry_id)
        await Entry.update({Entry.status: "unpublished", Entry.published_version: None}).where(Entry.id == entry_id)


def projection_rows(model: ContentModel, saved: SavedVersion) -> list[Projection]:
    content_type = model.types[saved.content_type]
    slug_field = content_type.slug_field
    slug = saved.data.base.get(model.default_locale, {}).get(slug_field.name) if slug_field else None
    rows = []
    for channel in model.channels.values():
        if not channel.exposes(content_type.name):
            continue
        for locale in channel.locales:
            document = build_document(model, content_type, saved.entry_id, saved.data, channel, locale)
            rows.append(
                Projection(
                    key=f"{saved.entry_id}:{channel.name}:{locale}",
                    entry=saved.entry_id,
                    content_type=content_type.name,
                    channel=channel.name,
                    locale=locale,
                    slug=slug,
                    doc=_encode(document).decode(),
                    version=saved.number,
                )
            )
    return rows
