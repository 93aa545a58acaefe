"""GraphQL types of the management API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import strawberry
from strawberry.scalars import JSON

from cms.store import entries as store
from cms.store.tables import EntryVersion, Schedule


@strawberry.type(description="A version of an entry: immutable.")
class Version:
    number: int
    author: str
    message: str
    created_at: dt.datetime
    data: JSON


@strawberry.type(description="A scheduled publish, unpublish or release.")
class ScheduledJob:
    id: int
    action: str
    entry_id: str | None
    version: int | None
    release_id: int | None
    run_at: dt.datetime
    status: str
    attempts: int
    last_error: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ScheduledJob:
        return cls(
            id=row["id"],
            action=row["action"],
            entry_id=row["entry"],
            version=row["version"],
            release_id=row["release"],
            run_at=row["run_at"],
            status=row["status"],
            attempts=row["attempts"],
            last_error=row["last_error"],
        )


@strawberry.type(description="An entry of the store, with its workflow state.")
class Entry:
    id: strawberry.ID
    type: str
    slug: str | None
    status: str
    current_version: int
    published_version: int | None
    approved_version: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Entry:
        return cls(
            id=strawberry.ID(row["id"]),
            type=row["content_type"],
            slug=row["slug"],
            status=row["status"],
            current_version=row["current_version"],
            published_version=row["published_version"],
            approved_version=row["approved_version"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    @strawberry.field(description="The data of a version (the current one by default).")
    async def data(self, version: int | None = None) -> JSON:
        return msgspec.to_builtins((await store.load_version(str(self.id), version)).data)

    @strawberry.field(description="Every version, newest first.")
    async def versions(self) -> list[Version]:
        rows = (
            await EntryVersion.select()
            .where(EntryVersion.entry == str(self.id))
            .order_by(EntryVersion.number, ascending=False)
        )
        return [
            Version(
                number=r["number"],
                author=r["author"],
                message=r["message"],
                created_at=r["created_at"],
                data=msgspec.json.decode(r["data"]) if isinstance(r["data"], str) else r["data"],
            )
            for r in rows
        ]

    @strawberry.field(description="Pending and past schedules of this entry.")
    async def schedules(self) -> list[ScheduledJob]:
        rows = await Schedule.select().where(Schedule.entry == str(self.id)).order_by(Schedule.run_at)
        return [ScheduledJob.from_row(row) for row in rows]


@strawberry.type
class EntryPage:
    total_count: int
    nodes: list[Entry]
    end_cursor: str | None
    has_next_page: bool


@strawberry.type(description="One field that differs between two versions.")
class FieldChange:
    path: str
    before: JSON | None
    after: JSON | None


@strawberry.type
class ReleaseItem:
    entry_id: str
    version: int


@strawberry.type(description="Entries at chosen versions, published together.")
class Release:
    id: int
    name: str
    status: str
    publish_at: dt.datetime | None
    published_at: dt.datetime | None
    items: list[ReleaseItem]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Release:
        return cls(
            id=row["id"],
            name=row["name"],
            status=row["status"],
            publish_at=row["publish_at"],
            published_at=row["published_at"],
            items=[ReleaseItem(entry_id=item["entry"], version=item["version"]) for item in row["items"]],
        )


@strawberry.type(description="Who did what, when.")
class AuditEvent:
    id: int
    at: dt.datetime
    actor: str
    actor_kind: str
    action: str
    entry_id: str | None
    content_type: str | None
    version_before: int | None
    version_after: int | None
    details: JSON

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AuditEvent:
        details = row["details"]
        return cls(
            id=row["id"],
            at=row["at"],
            actor=row["actor"],
            actor_kind=row["actor_kind"],
            action=row["action"],
            entry_id=row["entry"],
            content_type=row["content_type"],
            version_before=row["version_before"],
            version_after=row["version_after"],
            details=msgspec.json.decode(details) if isinstance(details, str) else details,
        )


@strawberry.type
class AuditPage:
    total_count: int
    nodes: list[AuditEvent]
    end_cursor: str | None
    has_next_page: bool


@strawberry.type(description="Who is asking.")
class Me:
    kind: str
    name: str
    role: str | None
    permissions: list[str]
