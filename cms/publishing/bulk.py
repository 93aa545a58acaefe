"""Project many versions at once, for `cms import`: the rows `project_preview` then `publish_versions` write,
with each document built once for both stages and the rows sent in one executemany (cms.store.bulk).

Not for offers: publishing an offer projects other entries again (the copy naming it, the products it prices),
which `publish_versions` does and this does not. Runs in the caller's transaction, after the caller wrote the
entries' final state (status, published version): `publish_versions` writes it first for the same reason, to
hold the entries' rows while their projections change.
"""

from __future__ import annotations

from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.publishing.documents import Inputs
from cms.publishing.events import live_rows, record_published, rows_served
from cms.publishing.offers import OFFER_TYPE, offers_in_force
from cms.publishing.publish import LIVE, PREVIEW, assets_of, described, projection_values, restaged
from cms.search.index import replace_in_index
from cms.store.bulk import PROJECTION_COLUMNS, ProjectionRow, insert_many
from cms.store.content_version import bump_content_version
from cms.store.entries import SavedVersion
from cms.store.tables import Projection


async def project_in_bulk(
    model: ContentModel, previews: list[SavedVersion], published: list[SavedVersion], without_preview: list[str]
) -> None:
    """Replace the preview rows of `previews` and the live rows of `published` (with the search index, the content
    version and an `entry.published` event each, as `publish_versions`); delete the preview rows of
    `without_preview` (archived entries)."""
    if any(saved.content_type == OFFER_TYPE for saved in [*previews, *published]):
        raise ValueError("offers are published by publish_versions: it projects what names them again")
    inputs = Inputs(
        assets=await assets_of(model, [*previews, *published]), offers=await offers_in_force(model), at=now()
    )
    built: dict[tuple[str, int], list[ProjectionRow]] = {}

    def rows_of(saved: SavedVersion) -> list[ProjectionRow]:
        key = (saved.entry_id, saved.number)
        if key not in built:
            built[key] = projection_values(model, saved, LIVE, inputs)
        return built[key]

    live = [row for saved in published for row in rows_of(saved)]
    preview = [row for saved in previews for row in restaged(rows_of(saved), PREVIEW)]
    await _replace(preview, [*(saved.entry_id for saved in previews), *without_preview], PREVIEW)
    if not published:
        return
    entry_ids = [saved.entry_id for saved in published]
    before = await live_rows(entry_ids)
    await _replace(live, entry_ids, LIVE)
    await replace_in_index(model, entry_ids, live)
    await bump_content_version()  # before the events: it orders them (see cms.events.log)
    await record_published(described(model, published), [], before, rows_served(live))


async def _replace(rows: list[ProjectionRow], entry_ids: list[str], stage: str) -> None:
    if entry_ids:
        await Projection.delete().where(Projection.entry.is_in(entry_ids) & (Projection.stage == stage))
    moment = now()
    await insert_many("cms_projection", PROJECTION_COLUMNS, [row.values(moment) for row in rows])
