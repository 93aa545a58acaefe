"""`cms import`: check the whole file first (refusals by line and field path), then apply it in batches.

Nothing is written while checking. A file with refusals is applied only with `skip_invalid` (its refused
lines are left out). Applying compares every record with what is stored: an unchanged record writes
nothing, so importing the same file again changes nothing. Each batch commits on its own: an import cut
short is finished by running it again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from cms.media.storage import MediaStorage
from cms.model.definitions import ContentModel
from cms.store.database import write_transaction
from cms.transfer import rows
from cms.transfer.bulk import apply_entries_in_bulk
from cms.transfer.entries import EntryChecks, compare_entries, offers_first
from cms.transfer.reading import Refusal, UnreadableFile, read_header, records
from cms.transfer.records import (
    AssetRecord,
    AuditRecord,
    EntryRecord,
    Line,
    ReleaseRecord,
    ScheduleRecord,
    UserRecord,
    WebhookRecord,
    model_differences,
    model_parts,
)

BATCH = 500
KINDS: dict[type, str] = {
    AssetRecord: "asset",
    UserRecord: "user",
    EntryRecord: "entry",
    ReleaseRecord: "release",
    ScheduleRecord: "schedule",
    WebhookRecord: "webhook",
    AuditRecord: "audit event",
}


class Outcome(msgspec.Struct, frozen=True):
    line: int
    kind: str
    label: str
    action: str
    """`create`, `update`, `unchanged` or `refused`."""


class Report(msgspec.Struct):
    counts: Counter[tuple[str, str]] = msgspec.field(default_factory=Counter)
    """(kind, action) -> records."""
    refusals: list[Refusal] = msgspec.field(default_factory=list)

    @property
    def refused_lines(self) -> set[int]:
        return {refusal.line for refusal in self.refusals}


def label_of(record: Any) -> str:
    """How a record is named in messages."""
    match record:
        case EntryRecord():
            return f"{record.content_type} {record.slug or record.id}"
        case AssetRecord():
            return f"{record.id} ({record.filename})"
        case UserRecord():
            return record.email
        case ReleaseRecord():
            return record.name
        case ScheduleRecord():
            return f"{record.action} at {record.run_at.isoformat()}"
        case WebhookRecord():
            return record.url
        case _:
            return f"{record.action} by {record.actor} at {record.at.isoformat()}"


class Importer:
    def __init__(self, model: ContentModel, storage: MediaStorage, path: Path, *, force_model: bool = False) -> None:
        self.model, self.storage, self.path = model, storage, path
        self.releases = rows.Releases()
        """Which release of this site each release `ref` of the file is (filled as releases are met)."""
        header = read_header(path)
        self.model_differences = model_differences(model_parts(model), header.model_parts)
        if self.model_differences and not force_model:
            raise UnreadableFile(
                f"{path} was exported from another content model ({'; '.join(self.model_differences)}): "
                "import it into a site with the same model, or pass --force-model to check every entry against this one"
            )

    async def check(self, seen: Callable[[Outcome], None] = lambda _: None) -> Report:
        """Decide every record without writing anything; `seen` hears each outcome as it is decided."""
        report, entries, release_refs = Report(), EntryChecks(self.model), set[int]()
        self.releases = rows.Releases()
        waiting: dict[int, tuple[str, str]] = {}
        """(kind, action) of the lines whose references are checked at the end: a late refusal recounts them."""
        for kind, batch in _batches(self.path):
            if kind is Refusal:
                report.refusals += [refusal for _, refusal in batch]
                report.counts[("record", "refused")] += len(batch)
                for line, _ in batch:
                    seen(Outcome(line, "record", "", "refused"))
                continue
            outcomes = await self._decide(kind, batch, entries, release_refs)
            for line, record in batch:
                action, refusals = outcomes[line]
                report.refusals += refusals
                action = "refused" if refusals else action
                report.counts[(KINDS[kind], action)] += 1
                if line in entries.pending_lines and action != "refused":
                    waiting[line] = (KINDS[kind], action)
                seen(Outcome(line, KINDS[kind], label_of(record), action))
        late = await entries.unresolved()
        report.refusals += late
        for line in sorted({refusal.line for refusal in late}):
            if line not in waiting:
                continue  # refused already, and counted so
            kind_name, action = waiting.pop(line)
            report.counts[(kind_name, action)] -= 1
            report.counts[(kind_name, "refused")] += 1
            seen(Outcome(line, kind_name, "", "refused"))
        report.refusals.sort(key=lambda refusal: refusal.line)
        return report

    async def _decide(
        self, kind: type, batch: list[tuple[int, Any]], entries: EntryChecks, release_refs: set[int]
    ) -> dict[int, tuple[str, list[Refusal]]]:
        if kind is EntryRecord:
            problems = {line: entries.check(line, record) for line, record in batch}
            sound = [(line, record) for line, record in batch if not problems[line]]
            for refusal in await entries.claims_taken(sound):
                problems[refusal.line].append(refusal)
            compared = await compare_entries(sound)
            return {
                line: (compared[line][0], compared[line][1] + problems[line])
                if line in compared
                else ("create", problems[line])
                for line, _ in batch
            }
        if kind is ReleaseRecord:
            for line, record in batch:
                release_refs.add(record.ref)
                entries.note_release_items(line, record)
        return await self._compare(kind, batch, release_refs)

    async def _compare(
        self, kind: type, batch: list[tuple[int, Any]], release_refs: set[int]
    ) -> dict[int, tuple[str, list[Refusal]]]:
        match kind:
            case _ if kind is AssetRecord:
                return await rows.compare_assets(batch, self.storage)
            case _ if kind is UserRecord:
                return await rows.compare_users(batch)
            case _ if kind is ReleaseRecord:
                return await self.releases.compare(batch)
            case _ if kind is ScheduleRecord:
                return await rows.Schedules(self.releases).compare(batch, release_refs)
            case _ if kind is WebhookRecord:
                return await rows.compare_webhooks(batch)
            case _:
                return await rows.compare_audit(batch)

    async def apply(self, skip: set[int], advance: Callable[[int], None] = lambda _: None) -> Counter[tuple[str, str]]:
        """Write every record not in `skip` that differs from what is stored; (kind, action) -> records written.

        Two sweeps: assets, users and offers first (copy naming an offer is projected with its facts), then the
        rest in the file's order."""
        written: Counter[tuple[str, str]] = Counter()
        releases = self.releases = rows.Releases()
        for first in (True, False):
            for kind, batch in _batches(self.path):
                if kind is Refusal:
                    continue
                wanted = [
                    (line, record) for line, record in batch if line not in skip and _in_sweep(kind, record, first)
                ]
                if not wanted:
                    continue
                outcomes = await self._compare_for_apply(kind, wanted)
                every = [(record, outcomes[line]) for line, record in wanted]
                changes = [(record, action) for record, action in every if action != "unchanged"]
                async with write_transaction():
                    # Releases hear of unchanged ones too: schedules name them by the file's number.
                    await self._write(kind, every if kind is ReleaseRecord else changes, releases)
                written.update((KINDS[kind], action) for _, action in changes)
                advance(len(wanted))
        return written

    async def _compare_for_apply(self, kind: type, batch: list[tuple[int, Any]]) -> dict[int, str]:
        if kind is EntryRecord:
            compared = await compare_entries(batch)
        else:
            compared = await self._compare(kind, batch, set(self.releases.refs))
        return {line: action for line, (action, _) in compared.items()}

    async def _write(self, kind: type, changes: list[tuple[Any, str]], releases: rows.Releases) -> None:
        if kind is EntryRecord:
            await apply_entries_in_bulk(self.model, changes)
        elif kind is AssetRecord:
            await rows.apply_assets(changes, self.storage)
        elif kind is UserRecord:
            await rows.apply_users(changes)
        elif kind is ReleaseRecord:
            await releases.apply(changes)
        elif kind is ScheduleRecord:
            await rows.Schedules(releases).apply(changes)
        elif kind is WebhookRecord:
            await rows.apply_webhooks(changes)
        else:
            await rows.apply_audit(changes)


def _in_sweep(kind: type, record: Any, first: bool) -> bool:
    early = kind in (AssetRecord, UserRecord) or (kind is EntryRecord and offers_first(record))
    return early == first


def _batches(path: Path) -> Iterator[tuple[type, list[tuple[int, Any]]]]:
    """Consecutive records of one kind, up to BATCH at a time (refusals of unreadable lines as their own kind)."""
    kind: type | None = None
    batch: list[tuple[int, Line | Refusal]] = []
    for line, record in records(path):
        if type(record) is not kind or len(batch) == BATCH:
            if batch and kind is not None:
                yield kind, batch
            kind, batch = type(record), []
        batch.append((line, record))
    if batch and kind is not None:
        yield kind, batch
