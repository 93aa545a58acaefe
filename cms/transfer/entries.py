"""Importing entry records: checked against the model, compared with what is stored, written, then projected.

Projections, the search index and the change log are made by the publishing code (`project_preview`,
`publish_versions`, `unpublish`), never copied: the imported site delivers what this CMS builds from the
versions, exactly as the original's did from the same versions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import msgspec

from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.publishing.offers import OFFER_TYPE
from cms.publishing.publish import project_preview, publish_versions, remove_preview, unpublish
from cms.store.entries import SavedVersion, claim_unique_values, unique_claims
from cms.store.tables import Entry, EntryVersion, UniqueValue
from cms.transfer.export import stored_entries
from cms.transfer.reading import Refusal
from cms.transfer.records import EntryRecord, ReleaseRecord, encoder
from cms.workflow.states import ARCHIVED, STATES

_encode_data = msgspec.json.Encoder().encode


class Reference(msgspec.Struct, frozen=True):
    line: int
    path: str
    entry_id: str
    target: str
    """The content type the field refers to; empty for a release item (any type)."""

    def resolved_by(self, types: dict[str, str]) -> bool:
        found = types.get(self.entry_id)
        return found is not None and (found == self.target or not self.target)


class EntryChecks:
    """What the whole file's entries must agree on, gathered over the first pass: ids, references, unique values."""

    def __init__(self, model: ContentModel) -> None:
        self.model = model
        self.types: dict[str, str] = {}
        """Entry id -> content type, of every entry in the file."""
        self.claims: dict[int, str] = {}
        """Hash of a unique value's key -> the entry in the file claiming it. Hashes, not keys: a 100,000-product
        file claims 200,000 values, and the keys would be most of the check's memory (a 64-bit collision, which
        would refuse a record wrongly, is a one in 10^9 event at that size)."""
        self.pending: list[Reference] = []
        """References to entries not seen yet in the file: checked at the end against the file and the database."""
        self.pending_lines: set[int] = set()

    def check(self, line: int, record: EntryRecord) -> list[Refusal]:
        """The record's problems on its own (model, numbering, states), and its references and claims noted."""
        content_type = self.model.types.get(record.content_type)
        if content_type is None:
            known = ", ".join(self.model.types)
            return [Refusal(line, "content_type", f"unknown content type {record.content_type!r} (known: {known})")]
        problems = _numbering_problems(line, record)
        if record.status not in STATES:
            problems.append(Refusal(line, "status", f"unknown status {record.status!r} (known: {', '.join(STATES)})"))
        if problems:
            return problems
        for number in sorted({record.current_version, record.published_version or record.current_version}):
            index = number - 1
            try:
                validate_entry_data(self.model, content_type, record.versions[index].data)
            except InvalidEntryError as error:
                problems += [Refusal(line, f"versions[{index}].data.{e.path}", e.reason) for e in error.errors]
            else:
                self._note_references(line, index, content_type, record.versions[index].data)
        if not problems:
            self.types[record.id] = record.content_type
            problems += self._note_claims(line, record, content_type)
        return problems

    def _note_references(self, line: int, index: int, content_type: ContentType, data: EntryData) -> None:
        for path, target, entry_id in references_of(content_type, data):
            if not Reference(line, path, entry_id, target).resolved_by(self.types):
                self.pending.append(Reference(line, f"versions[{index}].data.{path}", entry_id, target))
                self.pending_lines.add(line)

    def _note_claims(self, line: int, record: EntryRecord, content_type: ContentType) -> list[Refusal]:
        problems = []
        current = record.versions[record.current_version - 1].data
        for key, claimed in unique_claims(self.model, content_type, current).items():
            owner = self.claims.setdefault(hash(key), record.id)
            if owner != record.id:
                path = f"versions[{record.current_version - 1}].data.{claimed}"
                problems.append(
                    Refusal(line, path, f"the same value as entry {owner} of this file (it must be unique)")
                )
        return problems

    async def unresolved(self) -> list[Refusal]:
        """References to an entry neither in the file nor in the database (or not of the field's type)."""
        missing = [ref for ref in self.pending if not ref.resolved_by(self.types)]
        stored: dict[str, str] = {}
        for start in range(0, len(missing), 500):
            wanted = list({ref.entry_id for ref in missing[start : start + 500]})
            rows = await Entry.select(Entry.id, Entry.content_type).where(Entry.id.is_in(wanted))
            stored.update({row["id"]: row["content_type"] for row in rows})
        return [
            Refusal(
                ref.line,
                ref.path,
                f"no {ref.target or 'entry'}{' entry' if ref.target else ''} with id {ref.entry_id!r}"
                " in the file nor in the database",
            )
            for ref in missing
            if not ref.resolved_by(stored)
        ]

    def note_release_items(self, line: int, record: ReleaseRecord) -> None:
        for index, item in enumerate(record.items):
            reference = Reference(line, f"items[{index}].entry", item.entry, "")
            if not reference.resolved_by(self.types):
                self.pending.append(reference)
                self.pending_lines.add(line)

    async def claims_taken(self, batch: list[tuple[int, EntryRecord]]) -> list[Refusal]:
        """Unique values of the batch already claimed in the database by another entry."""
        wanted: dict[str, tuple[int, EntryRecord, str]] = {}
        for line, record in batch:
            content_type = self.model.types[record.content_type]
            current = record.versions[record.current_version - 1].data
            for key, claimed in unique_claims(self.model, content_type, current).items():
                wanted[key] = (line, record, claimed)
        if not wanted:
            return []
        rows = await UniqueValue.select(UniqueValue.key, UniqueValue.entry).where(UniqueValue.key.is_in(list(wanted)))
        refusals = []
        for row in rows:
            line, record, claimed = wanted[row["key"]]
            if row["entry"] != record.id:
                path = f"versions[{record.current_version - 1}].data.{claimed}"
                refusals.append(Refusal(line, path, f"already used by entry {row['entry']} in the database"))
        return refusals


def _numbering_problems(line: int, record: EntryRecord) -> list[Refusal]:
    problems = [
        Refusal(line, f"versions[{index}].number", f"is {version.number}, expected {index + 1}")
        for index, version in enumerate(record.versions)
        if version.number != index + 1
    ]
    count = len(record.versions)
    if record.current_version != count or count == 0:
        problems.append(Refusal(line, "current_version", f"is {record.current_version}, the file has {count} versions"))
    for name in ("published_version", "approved_version"):
        number = getattr(record, name)
        if number is not None and not 1 <= number <= count:
            problems.append(Refusal(line, name, f"is {number}, the file has versions 1 to {count}"))
    return problems


def references_of(content_type: ContentType, data: EntryData) -> Iterator[tuple[str, str, str]]:
    """(path, target type, entry id) of every reference in `data`."""
    layers = [("base", data.base)] + [(f"overrides.{c}", by_locale) for c, by_locale in data.overrides.items()]
    for prefix, by_locale in layers:
        for locale, values in by_locale.items():
            for name, value in values.items():
                field = content_type.field(name)
                if field is None or field.to is None or field.kind not in ("reference", "references"):
                    continue
                ids = value if isinstance(value, list) else [value]
                for index, entry_id in enumerate(ids):
                    suffix = f"[{index}]" if isinstance(value, list) else ""
                    yield f"{prefix}.{locale}.{name}{suffix}", field.to, entry_id


async def compare_entries(batch: list[tuple[int, EntryRecord]]) -> dict[int, tuple[str, list[Refusal]]]:
    """Per line: `create`, `update` or `unchanged`, with refusals when the stored entry cannot take the file's."""
    stored = await stored_entries([record.id for _, record in batch])
    decided: dict[int, tuple[str, list[Refusal]]] = {}
    for line, record in batch:
        ours = stored.get(record.id)
        if ours is None:
            decided[line] = ("create", [])
        elif encoder.encode(ours) == encoder.encode(record):
            decided[line] = ("unchanged", [])
        else:
            decided[line] = ("update", _history_conflicts(line, ours, record))
    return decided


def _history_conflicts(line: int, ours: EntryRecord, theirs: EntryRecord) -> list[Refusal]:
    if ours.content_type != theirs.content_type:
        return [Refusal(line, "content_type", f"is {theirs.content_type}, the stored entry is a {ours.content_type}")]
    if len(ours.versions) > len(theirs.versions):
        return [
            Refusal(
                line,
                "current_version",
                f"is {theirs.current_version}, but this site's entry is at version {ours.current_version}: "
                "the file is older than this site (export it again)",
            )
        ]
    return [
        Refusal(line, f"versions[{index}]", f"differs from the stored version {index + 1}: versions never change")
        for index, version in enumerate(ours.versions)
        if encoder.encode(version) != encoder.encode(theirs.versions[index])
    ]


async def apply_entries(model: ContentModel, batch: list[tuple[EntryRecord, str]]) -> None:
    """Write created and updated entries of one batch, then project them as the original did; inside the caller's
    transaction."""
    stored = await stored_entries([record.id for record, action in batch if action == "update"])
    for record, action in batch:
        known = len(stored[record.id].versions) if action == "update" else 0
        if action == "create":
            await Entry.insert(Entry(**entry_values(record), id=record.id, content_type=record.content_type))
        else:
            await Entry.update(dict[Any, Any](entry_values(record))).where(Entry.id == record.id)
        new_versions = record.versions[known:]
        if new_versions:
            await EntryVersion.insert(*[_version_row(record.id, version) for version in new_versions])
        content_type = model.types[record.content_type]
        await claim_unique_values(model, content_type, record.id, record.versions[-1].data, fresh=action == "create")
    await _project(model, [record for record, _ in batch], stored)
    await _restore_states([record for record, _ in batch])


async def _project(model: ContentModel, records: list[EntryRecord], stored: dict[str, EntryRecord]) -> None:
    def saved(record: EntryRecord, number: int) -> SavedVersion:
        return SavedVersion(record.id, record.content_type, number, record.versions[number - 1].data)

    previews = [saved(record, record.current_version) for record in records if record.status != ARCHIVED]
    if previews:
        await project_preview(model, previews)
    for record in records:
        if record.status == ARCHIVED and record.id in stored:
            await remove_preview(record.id)
    published = [
        saved(record, record.published_version)
        for record in records
        if record.published_version is not None
        and (record.id not in stored or stored[record.id].published_version != record.published_version)
    ]
    if published:
        await publish_versions(model, published)
    for record in records:
        ours = stored.get(record.id)
        if record.published_version is None and ours is not None and ours.published_version is not None:
            await unpublish(record.id, status=record.status, model=model)


async def _restore_states(records: list[EntryRecord]) -> None:
    """Publishing moved the entries to `published`: put back the file's states, one query per distinct state."""
    groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for record in records:
        key = (record.status, record.published_version, record.approved_version, record.updated_at)
        groups[key].append(record.id)
    for (status, published, approved, updated_at), ids in groups.items():
        await Entry.update(
            {
                Entry.status: status,
                Entry.published_version: published,
                Entry.approved_version: approved,
                Entry.updated_at: updated_at,
            }
        ).where(Entry.id.is_in(ids))


def entry_values(record: EntryRecord) -> dict[str, Any]:
    """The record's `cms_entry` columns but its id and type, by name."""
    return {
        "slug": record.slug,
        "status": record.status,
        "current_version": record.current_version,
        "published_version": record.published_version,
        "approved_version": record.approved_version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _version_row(entry_id: str, version: Any) -> EntryVersion:
    return EntryVersion(**version_values(entry_id, version))


def version_values(entry_id: str, version: Any) -> dict[str, Any]:
    """A version's `cms_entry_version` row (but its id), by column name."""
    return {
        "key": f"{entry_id}:{version.number}",
        "entry": entry_id,
        "number": version.number,
        "data": _encode_data(version.data).decode(),
        "author": version.author,
        "message": version.message,
        "created_at": version.created_at,
        "lint": None if version.lint is None else _encode_data(version.lint).decode(),
    }


def offers_first(record: EntryRecord) -> bool:
    """Offers are imported in the first sweep: copy naming them is projected with their facts."""
    return record.content_type == OFFER_TYPE
