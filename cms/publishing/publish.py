"""Publish and unpublish entries: replace their projections for every channel and locale atomically.

Two stages of projections exist: `live` (what delivery serves) and `preview` (every entry's current
version, served to preview tokens), built by the same code so a preview is exactly what publishing
would serve. Every change to live projections bumps the content version in the same transaction
(delivery's caches are keyed by it); preview changes do not, since previews are never cached. The
search index (cms.search) is rewritten from the live rows in the same transaction too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from cms.events.log import ENTRY_UNPUBLISHED
from cms.lib.clock import now
from cms.media.library import MediaLibrary
from cms.model.definitions import Channel, ContentModel
from cms.model.facts import facts_of
from cms.publishing.documents import Document, Inputs, asset_ids_of, build_document
from cms.publishing.events import entry_change, live_rows, record_entry_event, record_published, rows_served
from cms.publishing.offers import (
    OFFER_TYPE,
    Window,
    entries_naming,
    entries_priced_by,
    offers_from,
    offers_in_force,
    representative_instant,
    windows,
)
from cms.search.index import replace_in_index
from cms.settings import get_settings
from cms.store.bulk import ProjectionRow
from cms.store.content_version import bump_content_version
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.entries import SavedVersion, load_version
from cms.store.tables import Entry, Projection, document_hash

LIVE, PREVIEW = "live", "preview"
_encode = msgspec.json.Encoder().encode


async def publish(model: ContentModel, entry_id: str, version: int | None = None) -> SavedVersion:
    """Make `version` (the current one by default) what every channel serves."""
    saved = await load_version(entry_id, version)
    await publish_versions(model, [saved])
    return saved


async def publish_versions(model: ContentModel, versions: Iterable[SavedVersion]) -> None:
    """Project every version for every channel × locale and switch them all in one transaction.

    Every document is built before the transaction starts: a version that cannot be projected
    fails the whole call and nothing changes.
    """
    versions = list(versions)
    published_offers = offers_from(model, [v.data for v in versions if v.content_type == OFFER_TYPE])
    live_offers = await offers_in_force(model)
    offers = {**live_offers, **published_offers}
    # Copy already live that names a republished offer is projected again with the offer's new facts.
    affected = await entries_naming(published_offers)
    # Products priced by a republished offer, as it is now and as it was (a product it no longer lists).
    as_was = [live_offers[slug] for slug in published_offers if slug in live_offers]
    affected += await entries_priced_by(model, [*published_offers.values(), *as_was])
    named = [
        v
        for v in await _live_versions(list(dict.fromkeys(affected)))
        if v.entry_id not in {s.entry_id for s in versions}
    ]
    everything = versions + named
    inputs = Inputs(assets=await assets_of(model, everything), offers=offers, at=now())
    rows = [row for saved in everything for row in projection_rows(model, saved, LIVE, inputs)]
    async with write_transaction():
        # Updating the entries first locks their rows: concurrent publishes of one entry queue up
        # here instead of racing on the projections' unique keys.
        for saved in versions:
            await Entry.update({Entry.status: "published", Entry.published_version: saved.number}).where(
                Entry.id == saved.entry_id
            )
        before = await live_rows(saved.entry_id for saved in everything)
        await _replace(rows, [saved.entry_id for saved in everything], LIVE)
        await replace_in_index(model, [saved.entry_id for saved in everything], rows)
        await bump_content_version()  # before the events: it orders them (see cms.events.log)
        await record_published(described(model, versions), described(model, named), before, rows_served(rows))


async def project_preview(model: ContentModel, versions: Iterable[SavedVersion]) -> None:
    """Replace the preview documents of these entries (called on every save)."""
    versions = list(versions)
    inputs = Inputs(assets=await assets_of(model, versions), offers=await offers_in_force(model), at=now())
    rows = [row for saved in versions for row in projection_rows(model, saved, PREVIEW, inputs)]
    async with write_transaction():
        await _replace(rows, [saved.entry_id for saved in versions], PREVIEW)


async def unpublish(
    entry_id: str, *, status: str = "unpublished", model: ContentModel | None = None, event: str = ENTRY_UNPUBLISHED
) -> None:
    """Remove the entry from every channel; live copy naming an unpublished offer is projected again without it.

    `event` is what the change log records (`entry.unpublished`, or `entry.archived`)."""
    async with write_transaction():
        # First: the bump locks the content version's row until commit, so events get ids in commit order.
        await bump_content_version()
        previous = await Entry.select(Entry.published_version).where(Entry.id == entry_id).first()
        # The offer as it was live: the products it priced are projected again without it (below).
        was_live = (
            await _live_versions([(entry_id, previous["published_version"])])
            if previous and previous["published_version"]
            else []
        )
        rows = (
            await Entry.update({Entry.status: status, Entry.published_version: None})
            .where(Entry.id == entry_id)
            .returning(Entry.content_type, Entry.slug)
        )
        removed = await live_rows([entry_id])
        await Projection.delete().where((Projection.entry == entry_id) & (Projection.stage == LIVE))
        await replace_in_index(model, [entry_id], [])
        if rows:
            version = previous["published_version"] if previous else None
            change = entry_change(entry_id, rows[0]["content_type"], rows[0]["slug"], version, removed[entry_id], set())
            await record_entry_event(event, change)
        if model is not None and rows and rows[0]["content_type"] == OFFER_TYPE and rows[0]["slug"]:
            priced = await entries_priced_by(model, offers_from(model, [v.data for v in was_live]).values())
            naming = await _live_versions(list(dict.fromkeys([*await entries_naming([rows[0]["slug"]]), *priced])))
            if naming:
                inputs = Inputs(assets=await assets_of(model, naming), offers=await offers_in_force(model), at=now())
                fresh = [row for saved in naming for row in projection_rows(model, saved, LIVE, inputs)]
                before = await live_rows(saved.entry_id for saved in naming)
                await _replace(fresh, [saved.entry_id for saved in naming], LIVE)
                await replace_in_index(model, [saved.entry_id for saved in naming], fresh)
                await record_published([], described(model, naming), before, rows_served(fresh))


async def remove_preview(entry_id: str) -> None:
    await Projection.delete().where((Projection.entry == entry_id) & (Projection.stage == PREVIEW))


async def _replace(rows: list[Projection], entry_ids: list[str], stage: str) -> None:
    moment = now()
    await Projection.delete().where(Projection.entry.is_in(entry_ids) & (Projection.stage == stage))
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        for row in batch:
            row.published_at = moment
        await Projection.insert(*batch)


async def assets_of(model: ContentModel, versions: list[SavedVersion]) -> dict[str, dict[str, Any]]:
    """The asset documents every version refers to, in one query."""
    ids = set().union(*(asset_ids_of(model.types[saved.content_type], saved.data) for saved in versions))
    return await MediaLibrary(get_settings(), model).assets(sorted(ids)) if ids else {}


async def _live_versions(named: list[tuple[str, int]]) -> list[SavedVersion]:
    return [await load_version(entry_id, number) for entry_id, number in named]


def described(model: ContentModel, versions: list[SavedVersion]) -> list[tuple[str, str, str | None, int]]:
    """(entry, type, slug, version) of each version, as its events name it."""
    return [(saved.entry_id, saved.content_type, slug_of(model, saved), saved.number) for saved in versions]


def slug_of(model: ContentModel, saved: SavedVersion) -> str | None:
    """The version's slug (in the default locale), or None for a type without a slug field."""
    slug_field = model.types[saved.content_type].slug_field
    return saved.data.base.get(model.default_locale, {}).get(slug_field.name) if slug_field else None


def projection_rows(
    model: ContentModel, saved: SavedVersion, stage: str = LIVE, inputs: Inputs | None = None
) -> list[Projection]:
    """One row per channel × locale × validity window (see cms.publishing.offers)."""
    return [_as_projection(row) for row in projection_values(model, saved, stage, inputs)]


def projection_values(
    model: ContentModel, saved: SavedVersion, stage: str = LIVE, inputs: Inputs | None = None
) -> list[ProjectionRow]:
    """The rows of `projection_rows` as plain values, for the bulk writer of `cms import` (cms.store.bulk)."""
    inputs = inputs or Inputs(at=now())
    content_type = model.types[saved.content_type]
    slug = slug_of(model, saved)
    with_facts = not is_postgres(get_engine())
    rows = []
    for number, window, channel, locale, document in served_documents(model, saved, inputs):
        text = _encode(document).decode()
        rows.append(
            ProjectionRow(
                key=projection_key(saved.entry_id, channel.name, locale, stage, number),
                entry=saved.entry_id,
                content_type=content_type.name,
                channel=channel.name,
                locale=locale,
                slug=slug,
                doc=text,
                doc_hash=document_hash(text),
                version=saved.number,
                stage=stage,
                valid_from=window[0],
                valid_until=window[1],
                facts=facts_of(content_type, document) if with_facts else None,
                window=number,
            )
        )
    return rows


def restaged(rows: list[ProjectionRow], stage: str) -> list[ProjectionRow]:
    """The same documents as rows of another stage: a version's live and preview documents are the same."""
    return [
        msgspec.structs.replace(
            row, stage=stage, key=projection_key(row.entry, row.channel, row.locale, stage, row.window)
        )
        for row in rows
    ]


def _as_projection(row: ProjectionRow) -> Projection:
    return Projection(
        key=row.key,
        entry=row.entry,
        content_type=row.content_type,
        channel=row.channel,
        locale=row.locale,
        slug=row.slug,
        doc=row.doc,
        doc_hash=row.doc_hash,
        version=row.version,
        stage=row.stage,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        facts=row.facts,
    )


def served_documents(
    model: ContentModel, saved: SavedVersion, inputs: Inputs
) -> Iterator[tuple[int, Window, Channel, str, Document]]:
    """Every document of the version: (window number, window, channel, locale, document), per validity window
    (cms.publishing.offers), channel exposing its type and locale of the channel."""
    content_type = model.types[saved.content_type]
    at = inputs.at or now()
    for number, window in enumerate(windows(content_type.name, saved.data, inputs.offers, model, at, saved.entry_id)):
        window_inputs = msgspec.structs.replace(inputs, at=representative_instant(window, at))
        for channel in model.channels.values():
            if not channel.exposes(content_type.name):
                continue
            for locale in channel.locales:
                data = saved.data
                yield (
                    number,
                    window,
                    channel,
                    locale,
                    build_document(model, content_type, saved.entry_id, data, channel, locale, window_inputs),
                )


def projection_key(entry_id: str, channel: str, locale: str, stage: str, window_number: int) -> str:
    """`<entry>:<channel>:<locale>`, then `:preview` for a preview and `@<n>` for a window after the first."""
    return (
        f"{entry_id}:{channel}:{locale}"
        + ("" if stage == LIVE else f":{stage}")
        + (f"@{window_number}" if window_number else "")
    )
