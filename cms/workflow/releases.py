"""Releases: entries at chosen versions, published atomically at one instant."""

from __future__ import annotations

from typing import Any

from cms.auth.principal import PUBLISH
from cms.events.log import RELEASE_PUBLISHED, cause, record_event
from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.publishing.offers import OFFER_TYPE, offers_from, offers_in_force
from cms.publishing.publish import publish_versions
from cms.store import entries as store
from cms.store.database import write_transaction
from cms.store.entries import SavedVersion
from cms.store.tables import Release, ReleaseItem
from cms.workflow import states
from cms.workflow.audit import record
from cms.workflow.entries import Editor, entry_row
from cms.workflow.errors import InvalidInputError, InvalidStateError, NotFoundError
from cms.workflow.lint import lint_version, refuse_errors


async def create_release(editor: Editor, name: str) -> dict[str, Any]:
    editor.require(PUBLISH, "create releases")
    if not name.strip():
        raise InvalidInputError("name", "a release needs a name (it is blank)")
    async with write_transaction():
        rows = await Release.insert(
            Release(name=name.strip(), created_by=editor.principal.name, created_at=now())
        ).returning(Release.id)
        await record(editor.principal, "create_release", details={"release": rows[0]["id"], "name": name})
    return await release_row(rows[0]["id"])


async def add_to_release(editor: Editor, release_id: int, entry_id: str, version: int | None) -> dict[str, Any]:
    editor.require(PUBLISH, "change releases")
    release = await _open_release(release_id)
    row = await entry_row(entry_id)
    version = version or row["current_version"]
    if not 1 <= version <= row["current_version"]:
        raise NotFoundError(f"entry {entry_id} has no version {version}")
    async with write_transaction():
        await ReleaseItem.delete().where(ReleaseItem.key == f"{release_id}:{entry_id}")
        await ReleaseItem.insert(
            ReleaseItem(key=f"{release_id}:{entry_id}", release=release_id, entry=entry_id, version=version)
        )
        await record(
            editor.principal,
            "add_to_release",
            entry=entry_id,
            version_after=version,
            details={"release": release["id"]},
        )
    return await release_row(release_id)


async def remove_from_release(editor: Editor, release_id: int, entry_id: str) -> dict[str, Any]:
    editor.require(PUBLISH, "change releases")
    await _open_release(release_id)
    async with write_transaction():
        await ReleaseItem.delete().where(ReleaseItem.key == f"{release_id}:{entry_id}")
        await record(editor.principal, "remove_from_release", entry=entry_id, details={"release": release_id})
    return await release_row(release_id)


async def publish_release(editor: Editor, release_id: int) -> dict[str, Any]:
    """Every item at its version goes live in one transaction, or none does."""
    editor.require(PUBLISH, "publish releases")
    release = await _open_release(release_id, allow_scheduled=True)
    items = await ReleaseItem.select().where(ReleaseItem.release == release_id)
    if not items:
        raise InvalidStateError(f"release {release['name']!r} is empty")
    versions = []
    for item in items:
        row = await entry_row(item["entry"])
        states.check_transition("publish", row["status"], item["entry"])
        states.check_publishable(
            editor.model.types[row["content_type"]].requires_review,
            row["approved_version"],
            item["version"],
            item["entry"],
        )
        versions.append(await store.load_version(item["entry"], item["version"]))
    # Offers of the release go live with it: copy in the same release may refer to them.
    released_offers = offers_from(editor.model, [v.data for v in versions if v.content_type == OFFER_TYPE])
    offers = {**await offers_in_force(editor.model), **released_offers}
    for saved in versions:
        refuse_errors(lint_version(editor.model, saved, offers), saved.entry_id)
    async with write_transaction():
        with cause(release=release_id):
            await publish_versions(editor.model, versions)
        await Release.update({Release.status: "published", Release.published_at: now()}).where(Release.id == release_id)
        await _record_release_event(editor.model, release, versions)
        await record(
            editor.principal,
            "publish_release",
            details={"release": release_id, "entries": {v.entry_id: v.number for v in versions}},
        )
    return await release_row(release_id)


async def _record_release_event(model: ContentModel, release: dict[str, Any], versions: list[SavedVersion]) -> None:
    types = sorted({saved.content_type for saved in versions})
    channels = sorted(name for name, channel in model.channels.items() if any(channel.exposes(t) for t in types))
    entries = [{"entryId": v.entry_id, "contentType": v.content_type, "version": v.number} for v in versions]
    await record_event(
        RELEASE_PUBLISHED,
        {
            "releaseId": release["id"],
            "name": release["name"],
            "entries": entries,
            "channels": channels,
            "surrogateKeys": [f"entry-{v.entry_id}" for v in versions],
        },
        content_types=types,
        channels=channels,
    )


async def release_row(release_id: int) -> dict[str, Any]:
    row = await Release.select().where(Release.id == release_id).first()
    if row is None:
        raise NotFoundError(f"no release with id {release_id}")
    row["items"] = await ReleaseItem.select(ReleaseItem.entry, ReleaseItem.version).where(
        ReleaseItem.release == release_id
    )
    return row


async def _open_release(release_id: int, *, allow_scheduled: bool = False) -> dict[str, Any]:
    release = await release_row(release_id)
    if release["status"] == "published":
        raise InvalidStateError(f"release {release['name']!r} is already published")
    return release


async def schedule_release(editor: Editor, release_id: int, at: Any) -> dict[str, Any]:
    from cms.workflow.schedules import schedule

    editor.require(PUBLISH, "schedule releases")
    await _open_release(release_id)
    job = await schedule(editor, "release", at, release=release_id)
    await Release.update({Release.status: "scheduled", Release.publish_at: at}).where(Release.id == release_id)
    return job
