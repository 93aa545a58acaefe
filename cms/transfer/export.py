"""Write a whole site as an export file, streamed: big tables are read in pages, never all at once."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import IO, Any

import msgspec

from cms.media.document import source_of
from cms.media.presets import original_key
from cms.media.storage import MediaStorage
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import (
    Asset,
    AuditEvent,
    Entry,
    EntryVersion,
    Release,
    ReleaseItem,
    Schedule,
    User,
    WebhookSubscription,
)
from cms.transfer.records import (
    AssetRecord,
    AuditRecord,
    End,
    EntryRecord,
    Record,
    ReleaseItemRecord,
    ReleaseRecord,
    ScheduleRecord,
    UserRecord,
    Version,
    WebhookRecord,
    encode_line,
    header_for,
    utc,
)

PAGE = 500
_decode_data = msgspec.json.Decoder(EntryData).decode
_decode_json = msgspec.json.Decoder().decode


async def export_site(
    model: ContentModel,
    out: IO[bytes],
    storage: MediaStorage | None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write the header, every record and the end line to `out`; the number of records.

    `storage` None writes assets without their files (their keys only)."""
    out.write(encode_line(header_for(model)))
    count = 0
    for records in (
        _assets(storage),
        _users(),
        _entries(),
        _releases_and_schedules(),
        _webhooks(),
        _audit_events(),
    ):
        async for record in records:
            out.write(encode_line(record))
            count += 1
            if progress:
                progress(type(record).__name__)
    out.write(encode_line(End(records=count)))
    return count


async def _pages(table: Any, key: Any, *columns: Any) -> AsyncIterator[list[dict[str, Any]]]:
    """Rows of `table` ordered by `key`, a page at a time (keyset pagination)."""
    last = None
    while True:
        query = table.select(*columns).order_by(key).limit(PAGE)
        if last is not None:
            query = query.where(key > last)
        rows = await query
        if not rows:
            return
        yield rows
        last = rows[-1][key._meta.name]


async def _assets(storage: MediaStorage | None) -> AsyncIterator[Record]:
    async for rows in _pages(Asset, Asset.id):
        for row in rows:
            record = asset_record(row)
            if storage is not None:
                data = await storage.get(record.key)
                if data is None:
                    raise FileNotFoundError(
                        f"asset {row['id']}: its original {record.key} is missing from media storage"
                    )
                record = msgspec.structs.replace(record, file=base64.b64encode(data).decode())
            yield record


def asset_record(row: dict[str, Any]) -> AssetRecord:
    """The record of an asset row, without its file."""
    source = source_of(row)
    return AssetRecord(
        id=row["id"],
        sha256=row["sha256"],
        mime=row["mime"],
        byte_size=row["byte_size"],
        width=row["width"],
        height=row["height"],
        blurhash=row["blurhash"],
        dominant_color=row["dominant_color"],
        focal_x=row["focal_x"],
        focal_y=row["focal_y"],
        alt=_json(row["alt"]),
        filename=row["filename"],
        created_by=row["created_by"],
        created_at=_at(row["created_at"]),
        updated_at=_at(row["updated_at"]),
        key=original_key(source.sha256, source.kind),
    )


async def _users() -> AsyncIterator[Record]:
    async for rows in _pages(User, User.email, User.email, User.name, User.role, User.active, User.created_at):
        for row in rows:
            yield user_record(row)


def user_record(row: dict[str, Any]) -> UserRecord:
    return UserRecord(
        email=row["email"],
        name=row["name"],
        role=row["role"],
        active=bool(row["active"]),
        created_at=_at(row["created_at"]),
    )


async def _entries() -> AsyncIterator[Record]:
    async for rows in _pages(Entry, Entry.id):
        for record in await entry_records(rows):
            yield record


async def stored_entries(entry_ids: list[str]) -> dict[str, EntryRecord]:
    """The stored entries among `entry_ids`, as export records (the import compares them with the file's)."""
    rows = await Entry.select().where(Entry.id.is_in(entry_ids)) if entry_ids else []
    return {record.id: record for record in await entry_records(rows)}


async def entry_records(rows: list[dict[str, Any]]) -> list[EntryRecord]:
    """Records of these entry rows, with their versions read in one query."""
    versions: dict[str, list[Version]] = {row["id"]: [] for row in rows}
    if not rows:
        return []
    stored = (
        await EntryVersion.select(
            EntryVersion.entry,
            EntryVersion.number,
            EntryVersion.data,
            EntryVersion.author,
            EntryVersion.message,
            EntryVersion.created_at,
            EntryVersion.lint,
        )
        .where(EntryVersion.entry.is_in(list(versions)))
        .order_by(EntryVersion.entry)
        .order_by(EntryVersion.number)
    )
    for version in stored:
        versions[version["entry"]].append(
            Version(
                number=version["number"],
                data=_decode_data(version["data"]),
                author=version["author"],
                message=version["message"],
                created_at=_at(version["created_at"]),
                lint=_json(version["lint"]),
            )
        )
    return [entry_record(row, versions[row["id"]]) for row in rows]


def entry_record(row: dict[str, Any], versions: list[Version]) -> EntryRecord:
    return EntryRecord(
        id=row["id"],
        content_type=row["content_type"],
        slug=row["slug"],
        status=row["status"],
        current_version=row["current_version"],
        published_version=row["published_version"],
        approved_version=row["approved_version"],
        created_at=_at(row["created_at"]),
        updated_at=_at(row["updated_at"]),
        versions=versions,
    )


async def _releases_and_schedules() -> AsyncIterator[Record]:
    """Releases get numbers (`ref`) in the order they were made; schedules name a release by it.

    Both tables are small (people make them by hand), so they are read whole."""
    releases, refs = await release_records()
    for release in releases:
        yield release
    schedules = [schedule_record(row, refs) for row in await Schedule.select()]
    for schedule in sorted(schedules, key=_schedule_order):
        yield schedule


async def release_records() -> tuple[list[ReleaseRecord], dict[int, int]]:
    """Every release as a record, and each release id's `ref`."""
    releases = await Release.select().order_by(Release.created_at).order_by(Release.id)
    refs = {row["id"]: number for number, row in enumerate(releases, start=1)}
    items: dict[int, list[ReleaseItemRecord]] = {row["id"]: [] for row in releases}
    for item in await ReleaseItem.select().order_by(ReleaseItem.entry):
        items[item["release"]].append(ReleaseItemRecord(entry=item["entry"], version=item["version"]))
    records = [
        ReleaseRecord(
            ref=refs[row["id"]],
            name=row["name"],
            status=row["status"],
            publish_at=utc(row["publish_at"]),
            published_at=utc(row["published_at"]),
            created_by=row["created_by"],
            created_at=_at(row["created_at"]),
            items=items[row["id"]],
        )
        for row in releases
    ]
    return records, refs


def schedule_record(row: dict[str, Any], refs: dict[int, int]) -> ScheduleRecord:
    return ScheduleRecord(
        action=row["action"],
        entry=row["entry"],
        version=row["version"],
        release=refs.get(row["release"]) if row["release"] is not None else None,
        run_at=_at(row["run_at"]),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_by=row["created_by"],
        created_at=_at(row["created_at"]),
    )


def _schedule_order(record: ScheduleRecord) -> tuple[Any, ...]:
    return (record.run_at, record.created_at, record.action, record.entry or "", record.release or 0)


async def _webhooks() -> AsyncIterator[Record]:
    records = [webhook_record(row) for row in await WebhookSubscription.select()]
    for record in sorted(records, key=lambda record: (record.created_at, record.url)):
        yield record


def webhook_record(row: dict[str, Any]) -> WebhookRecord:
    return WebhookRecord(
        url=row["url"],
        description=row["description"],
        events=_json(row["events"]),
        content_types=_json(row["content_types"]),
        channels=_json(row["channels"]),
        active=bool(row["active"]),
        disabled_reason=row["disabled_reason"],
        created_by=row["created_by"],
        created_at=_at(row["created_at"]),
        updated_at=_at(row["updated_at"]),
    )


async def _audit_events() -> AsyncIterator[Record]:
    """In the order they happened (their ids: an import inserts them in the file's order)."""
    async for rows in _pages(AuditEvent, AuditEvent.id):
        for row in rows:
            yield audit_record(row)


def audit_record(row: dict[str, Any]) -> AuditRecord:
    return AuditRecord(
        at=_at(row["at"]),
        actor=row["actor"],
        actor_kind=row["actor_kind"],
        action=row["action"],
        entry=row["entry"],
        content_type=row["content_type"],
        version_before=row["version_before"],
        version_after=row["version_after"],
        details=_json(row["details"]),
    )


def _json(value: Any) -> Any:
    """A JSON column's value: PostgreSQL gives jsonb as text, SQLite its text; None stays None."""
    return _decode_json(value) if isinstance(value, str | bytes) else value


def _at(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


async def record_count() -> int:
    """How many records an export of the site writes (for its progress bar)."""
    tables = (Asset, User, Entry, Release, Schedule, WebhookSubscription, AuditEvent)
    return sum([await table.count() for table in tables])
