"""GraphQL types of the management API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import strawberry
from strawberry.scalars import JSON

from cms.consistency import Finding
from cms.consistency import LintReport as Report
from cms.store import entries as store
from cms.store.tables import EntryVersion, Schedule
from cms.workflow.lint import report_from, stored_lint


@strawberry.type(description="One problem the consistency linter found in a field, as a channel shows it in a locale.")
class LintFinding:
    rule: str
    severity: str = strawberry.field(description="`error` blocks publishing; `warning` does not.")
    field: str = strawberry.field(description="The field, or a path into an object field such as `steps[0].title`.")
    locale: str
    channel: str | None = strawberry.field(description="Null when every channel showing the field has the problem.")
    start: int = strawberry.field(description="Where the problem starts in the field's plain text (a string index).")
    end: int = strawberry.field(description="Where it ends (exclusive).")
    message: str
    suggestion: str | None

    @classmethod
    def from_finding(cls, finding: Finding) -> LintFinding:
        values = msgspec.structs.asdict(finding)
        del values["params"]  # the admin's words for other languages; the API keeps the English message
        return cls(**values)


@strawberry.type(description="The consistency linter's report on a version: budgets, brand voice and offers.")
class LintReport:
    version: int
    score: int = strawberry.field(description="100 minus 25 per error and 5 per warning, never below 0.")
    errors: int = strawberry.field(description="How many findings block publishing.")
    warnings: int = strawberry.field(description="How many findings are shown but do not block.")
    findings: list[LintFinding]

    @classmethod
    def from_report(cls, version: int, report: Report) -> LintReport:
        return cls(
            version=version,
            score=report.score,
            errors=len(report.errors),
            warnings=len(report.warnings),
            findings=[LintFinding.from_finding(finding) for finding in report.findings],
        )


@strawberry.type(
    description="Live copy that stock or prices now contradict: a product's published text against its channel's"
    " stock and the price that channel charges (warnings: stock moves and offers end after publishing)."
)
class LiveFactMismatch:
    entry_id: strawberry.ID
    content_type: str
    slug: str | None
    finding: LintFinding = strawberry.field(
        description='`stock_claim` ("in stock" while it is out, or the reverse) or `price_live` (a price the channel'
        " does not charge now); `channel` is always set."
    )
    said: str = strawberry.field(description="The words or amount the copy quotes.")
    actual: str = strawberry.field(description="The live fact: the availability (IN_STOCK, LOW, OUT) or the prices.")

    @classmethod
    def from_finding(cls, row: dict[str, Any], finding: Finding) -> LiveFactMismatch:
        values = dict(finding.params)
        return cls(
            entry_id=strawberry.ID(row["id"]),
            content_type=row["content_type"],
            slug=row["slug"],
            finding=LintFinding.from_finding(finding),
            said=str(values.get("said", "")),
            actual=str(values.get("actual", "")),
        )


async def lint_report(info: strawberry.Info, entry_id: str, version: int | None) -> LintReport:
    """The stored report of a version (the current one by default), computed when it was saved unlinted."""
    number, report = await stored_lint(info.context.model, entry_id, version)
    return LintReport.from_report(number, report)


@strawberry.type(description="A version of an entry: immutable.")
class Version:
    number: int
    author: str
    message: str
    created_at: dt.datetime
    data: JSON
    entry_id: strawberry.Private[str]
    stored_lint: strawberry.Private[Any]

    @strawberry.field(description="The linter's report, as stored when this version was saved.")
    async def lint(self, info: strawberry.Info) -> LintReport:
        if self.stored_lint is None:
            return await lint_report(info, self.entry_id, self.number)
        return LintReport.from_report(self.number, report_from(self.stored_lint))

    @strawberry.field(description="The linter's score of this version, 0 to 100.")
    async def lint_score(self, info: strawberry.Info) -> int:
        return (await self.lint(info)).score


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
                entry_id=str(self.id),
                stored_lint=r["lint"],
            )
            for r in rows
        ]

    @strawberry.field(description="The linter's report on a version (the current one by default).")
    async def lint(self, info: strawberry.Info, version: int | None = None) -> LintReport:
        return await lint_report(info, str(self.id), version)

    @strawberry.field(description="The linter's score of the current version, 0 to 100.")
    async def lint_score(self, info: strawberry.Info) -> int:
        return (await lint_report(info, str(self.id), None)).score

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
