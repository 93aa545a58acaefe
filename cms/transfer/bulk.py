"""Apply a batch of entry records in bulk: the rows `apply_entries` writes, with far fewer round trips.

`apply_entries` writes each entry, version and unique claim with its own queries, then projects through
`project_preview` and `publish_versions`; here each table gets one executemany per batch, and each version's
documents are built once for its preview and live rows (cms.publishing.bulk). `apply_entries` stays the
reference, tested against this (tests/transfer/test_bulk.py), and takes the batches this does not handle:
offers (publishing one projects other entries again), entries to unpublish, and unique values already
held by another entry (its refusal names the holder).
"""

from __future__ import annotations

from typing import Any

from cms.model.definitions import ContentModel
from cms.publishing.bulk import project_in_bulk
from cms.publishing.offers import OFFER_TYPE
from cms.store.bulk import insert_many
from cms.store.entries import SavedVersion, unique_claims
from cms.store.tables import Entry, UniqueValue
from cms.transfer.entries import apply_entries, entry_values, version_values
from cms.transfer.export import stored_entries
from cms.transfer.records import EntryRecord
from cms.workflow.states import ARCHIVED

ENTRY_COLUMNS = (
    "id",
    "content_type",
    "slug",
    "status",
    "current_version",
    "published_version",
    "approved_version",
    "created_at",
    "updated_at",
)
VERSION_COLUMNS = ("key", "entry", "number", "data", "author", "message", "created_at", "lint")


async def apply_entries_in_bulk(model: ContentModel, batch: list[tuple[EntryRecord, str]]) -> None:
    """What `apply_entries` writes for created and updated entries of one batch, inside the caller's transaction."""
    stored = await stored_entries([record.id for record, action in batch if action == "update"])
    claims = _claims(model, [record for record, _ in batch])
    if not _in_bulk(batch, stored) or not await _claims_free(claims):
        await apply_entries(model, batch)
        return
    records = [record for record, _ in batch]
    await insert_many("cms_entry", ENTRY_COLUMNS, [_entry_row(r) for r, action in batch if action == "create"])
    for record in (r for r, action in batch if action == "update"):
        await Entry.update(dict[Any, Any](entry_values(record))).where(Entry.id == record.id)
    versions = [
        tuple(version_values(record.id, version).values())
        for record in records
        for version in record.versions[len(stored[record.id].versions) if record.id in stored else 0 :]
    ]
    await insert_many("cms_entry_version", VERSION_COLUMNS, versions)
    if stored:
        await UniqueValue.delete().where(UniqueValue.entry.is_in(list(stored)))
    await insert_many("cms_unique_value", ("key", "entry"), [(key, entry) for key, entry in claims])
    await project_in_bulk(
        model,
        [_saved(r, r.current_version) for r in records if r.status != ARCHIVED],
        [
            _saved(r, r.published_version)
            for r in records
            if r.published_version is not None and _newly_published(r, stored)
        ],
        [r.id for r in records if r.status == ARCHIVED and r.id in stored],
    )


def _in_bulk(batch: list[tuple[EntryRecord, str]], stored: dict[str, EntryRecord]) -> bool:
    """Neither offers nor entries to unpublish (see the module's docstring)."""
    for record, _ in batch:
        ours = stored.get(record.id)
        if record.content_type == OFFER_TYPE:
            return False
        if record.published_version is None and ours is not None and ours.published_version is not None:
            return False
    return True


def _claims(model: ContentModel, records: list[EntryRecord]) -> list[tuple[str, str]]:
    """(key, entry) of every unique value the records' current versions claim."""
    return [
        (key, record.id)
        for record in records
        for key in unique_claims(model, model.types[record.content_type], record.versions[-1].data)
    ]


async def _claims_free(claims: list[tuple[str, str]]) -> bool:
    """No value claimed twice in the batch, nor held by another entry in the database."""
    keys = [key for key, _ in claims]
    if len(set(keys)) != len(keys):
        return False
    wanted = dict(claims)
    for start in range(0, len(keys), 500):
        rows = await UniqueValue.select(UniqueValue.key, UniqueValue.entry).where(
            UniqueValue.key.is_in(keys[start : start + 500])
        )
        if any(row["entry"] != wanted[row["key"]] for row in rows):
            return False
    return True


def _newly_published(record: EntryRecord, stored: dict[str, EntryRecord]) -> bool:
    ours = stored.get(record.id)
    return ours is None or ours.published_version != record.published_version


def _saved(record: EntryRecord, number: int) -> SavedVersion:
    return SavedVersion(record.id, record.content_type, number, record.versions[number - 1].data)


def _entry_row(record: EntryRecord) -> tuple[Any, ...]:
    values = entry_values(record)
    return (record.id, record.content_type, *(values[column] for column in ENTRY_COLUMNS[2:]))
