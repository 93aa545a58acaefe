"""The management schema: reads for any principal with `read`, writes through the workflow Editor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig

from cms.api import types
from cms.api.campaigns import CampaignMutations, CampaignQueries
from cms.api.errors import coded, found_or_none, guarded
from cms.api.media import MediaMutations
from cms.api.multipart import UploadedFile
from cms.api.webhooks import WebhookMutations, WebhookQueries
from cms.auth.principal import READ, Principal
from cms.delivery.scalars import SCALAR_MAP, CursorScalar
from cms.lib.cursors import decode_cursor, encode_cursor, page_size
from cms.lib.graphql_schema import QuietSchema, standard_extensions
from cms.lib.query_limits import Limits
from cms.media.errors import MediaError
from cms.media.library import MediaLibrary
from cms.model.definitions import ContentModel
from cms.settings import get_settings
from cms.store import entries as store
from cms.store.tables import AuditEvent, Entry, Release, Schedule
from cms.workflow import releases, schedules
from cms.workflow.audit import visible_to
from cms.workflow.diff import diff_versions
from cms.workflow.entries import Editor, entry_data_from, entry_row
from cms.workflow.errors import WorkflowError
from cms.workflow.lint import live_fact_mismatches
from graphql import GraphQLError

MAX_PAGE = 200


@dataclass
class ManagementContext:
    model: ContentModel
    principal: Principal
    media: MediaLibrary | None = None

    @property
    def editor(self) -> Editor:
        return Editor(self.model, self.principal)


def _editor(info: strawberry.Info) -> Editor:
    editor: Editor = info.context.editor
    try:
        editor.require(READ, "read content")
    except WorkflowError as error:
        raise coded(error) from None
    return editor


def _page(first: int, after: str | None) -> tuple[int, int]:
    return page_size(first, MAX_PAGE), decode_cursor(after) + 1 if after else 0


@strawberry.type
class Query(WebhookQueries, CampaignQueries):
    @strawberry.field(description="Who is asking, and what they may do.")
    def me(self, info: strawberry.Info) -> types.Me:
        principal: Principal = info.context.principal
        return types.Me(
            kind=principal.kind, name=principal.name, role=principal.role, permissions=sorted(principal.permissions)
        )

    @strawberry.field(description="One entry, drafts included; null when there is none with this id.")
    async def entry(self, info: strawberry.Info, id: strawberry.ID) -> types.Entry | None:
        _editor(info)
        row = await found_or_none(entry_row(str(id)))
        return None if row is None else types.Entry.from_row(row)

    @strawberry.field(description="Entries, newest change first, filtered by type, status and slug.")
    async def entries(
        self,
        info: strawberry.Info,
        type: str | None = None,
        status: str | None = None,
        search: str | None = None,
        first: int = 50,
        after: CursorScalar | None = None,
    ) -> types.EntryPage:
        _editor(info)
        limit, offset = _page(first, after)
        where: Any = Entry.id.is_not_null()
        if type is not None:
            where &= Entry.content_type == type
        if status is not None:
            where &= Entry.status == status
        if search:
            where &= Entry.slug.ilike(f"%{search}%")
        total = await Entry.count().where(where)
        rows = (
            await Entry.select()
            .where(where)
            .order_by(Entry.updated_at, ascending=False)
            .order_by(Entry.id)
            .limit(limit)
            .offset(offset)
        )
        return types.EntryPage(**_page_fields(total, [types.Entry.from_row(row) for row in rows], offset))

    @strawberry.field(description="What changed between two versions of an entry; null when either does not exist.")
    async def diff(
        self, info: strawberry.Info, entry_id: strawberry.ID, from_version: int, to_version: int
    ) -> list[types.FieldChange] | None:
        _editor(info)
        before = await found_or_none(store.load_version(str(entry_id), from_version))
        after = await found_or_none(store.load_version(str(entry_id), to_version))
        if before is None or after is None:
            return None
        return [
            types.FieldChange(path=c.path, before=c.before, after=c.after)
            for c in diff_versions(before.data, after.data)
        ]

    @strawberry.field(
        description=(
            "The consistency linter's report on a version (the current one by default); null when there is none."
        )
    )
    async def lint(
        self, info: strawberry.Info, entry_id: strawberry.ID, version: int | None = None
    ) -> types.LintReport | None:
        _editor(info)
        return await found_or_none(types.lint_report(info, str(entry_id), version))

    @strawberry.field(
        description="What live copy says that stock or prices contradict now, by type, slug and field: published"
        ' products saying "in stock" while sold out on a channel, or quoting a price it no longer charges.'
    )
    async def live_fact_mismatches(
        self, info: strawberry.Info, channel: str | None = None
    ) -> list[types.LiveFactMismatch]:
        _editor(info)
        # A channel the model does not have has no mismatches: schema-valid input finds nothing, as a filter on an
        # unknown option value does, rather than an error inside a 200 (tests/conformance).
        model: ContentModel = info.context.model
        found = await live_fact_mismatches(model, channel)
        return [types.LiveFactMismatch.from_finding(row, finding) for row, finding in found]

    @strawberry.field(description="Scheduled jobs, soonest first.")
    async def schedules(self, info: strawberry.Info, status: str | None = "pending") -> list[types.ScheduledJob]:
        _editor(info)
        query = Schedule.select().order_by(Schedule.run_at)
        rows = await (query.where(Schedule.status == status) if status else query)
        return [types.ScheduledJob.from_row(row) for row in rows]

    @strawberry.field
    async def releases(self, info: strawberry.Info) -> list[types.Release]:
        _editor(info)
        return [
            types.Release.from_row(await releases.release_row(r["id"]))
            for r in await Release.select(Release.id).order_by(Release.id)
        ]

    @strawberry.field(description="The audit log, newest first, filtered: all of it for admins, else your own actions.")
    async def audit_events(
        self,
        info: strawberry.Info,
        actor: str | None = None,
        action: str | None = None,
        entry_id: strawberry.ID | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        first: int = 50,
        after: CursorScalar | None = None,
    ) -> types.AuditPage:
        _editor(info)
        limit, offset = _page(first, after)
        where: Any = visible_to(info.context.principal)
        for column, value in ((AuditEvent.actor, actor), (AuditEvent.action, action), (AuditEvent.entry, entry_id)):
            if value is not None:
                where &= column == str(value)
        if since is not None:
            where &= AuditEvent.at >= since
        if until is not None:
            where &= AuditEvent.at < until
        total = await AuditEvent.count().where(where)
        rows = (
            await AuditEvent.select().where(where).order_by(AuditEvent.id, ascending=False).limit(limit).offset(offset)
        )
        return types.AuditPage(**_page_fields(total, [types.AuditEvent.from_row(row) for row in rows], offset))


def _page_fields(total: int, nodes: list[Any], offset: int) -> dict[str, Any]:
    """The fields every page type of this API shares."""
    return {
        "total_count": total,
        "nodes": nodes,
        "end_cursor": encode_cursor(offset + len(nodes) - 1) if nodes else None,
        "has_next_page": offset + len(nodes) < total,
    }


def _entry(row: dict[str, Any]) -> types.Entry:
    return types.Entry.from_row(row)


@strawberry.type
class Mutation(WebhookMutations, MediaMutations, CampaignMutations):
    @strawberry.mutation(description="Create an entry (version 1, a draft).")
    async def create_entry(self, info: strawberry.Info, type: str, data: JSON, message: str = "") -> types.Entry:
        return _entry(await guarded(_with_data(data, lambda d: info.context.editor.create(type, d, message))))

    @strawberry.mutation(description="Save a new version; `base_version` is the version the edit started from.")
    async def update_entry(
        self, info: strawberry.Info, id: strawberry.ID, base_version: int, data: JSON, message: str = ""
    ) -> types.Entry:
        return _entry(
            await guarded(_with_data(data, lambda d: info.context.editor.update(str(id), base_version, d, message)))
        )

    @strawberry.mutation(description="Save an old version's data as a new version.")
    async def rollback_entry(
        self, info: strawberry.Info, id: strawberry.ID, to_version: int, base_version: int
    ) -> types.Entry:
        return _entry(await guarded(info.context.editor.rollback(str(id), to_version, base_version)))

    @strawberry.mutation
    async def archive_entry(self, info: strawberry.Info, id: strawberry.ID) -> types.Entry:
        return _entry(await guarded(info.context.editor.archive(str(id))))

    @strawberry.mutation
    async def submit_for_review(self, info: strawberry.Info, id: strawberry.ID) -> types.Entry:
        return _entry(await guarded(info.context.editor.submit(str(id))))

    @strawberry.mutation(
        description="Approve the current version. On types that require review its author may not (four eyes);"
        " an admin may with `override: true`, recorded in the audit log."
    )
    async def approve_entry(self, info: strawberry.Info, id: strawberry.ID, override: bool = False) -> types.Entry:
        return _entry(await guarded(info.context.editor.approve(str(id), override=override)))

    @strawberry.mutation
    async def reject_entry(self, info: strawberry.Info, id: strawberry.ID, comment: str = "") -> types.Entry:
        return _entry(await guarded(info.context.editor.reject(str(id), comment)))

    @strawberry.mutation(description="Publish a version (the current one by default) on every channel.")
    async def publish_entry(self, info: strawberry.Info, id: strawberry.ID, version: int | None = None) -> types.Entry:
        return _entry(await guarded(info.context.editor.publish(str(id), version)))

    @strawberry.mutation
    async def unpublish_entry(self, info: strawberry.Info, id: strawberry.ID) -> types.Entry:
        return _entry(await guarded(info.context.editor.unpublish(str(id))))

    @strawberry.mutation
    async def schedule_publish(
        self, info: strawberry.Info, id: strawberry.ID, at: dt.datetime, version: int | None = None
    ) -> types.ScheduledJob:
        row = await guarded(schedules.schedule(info.context.editor, "publish", at, entry=str(id), version=version))
        return types.ScheduledJob.from_row(row)

    @strawberry.mutation
    async def schedule_unpublish(self, info: strawberry.Info, id: strawberry.ID, at: dt.datetime) -> types.ScheduledJob:
        return types.ScheduledJob.from_row(
            await guarded(schedules.schedule(info.context.editor, "unpublish", at, entry=str(id)))
        )

    @strawberry.mutation
    async def cancel_schedule(self, info: strawberry.Info, id: int) -> types.ScheduledJob:
        return types.ScheduledJob.from_row(await guarded(schedules.cancel(info.context.editor, id)))

    @strawberry.mutation
    async def create_release(self, info: strawberry.Info, name: str) -> types.Release:
        return types.Release.from_row(await guarded(releases.create_release(info.context.editor, name)))

    @strawberry.mutation(description="Add an entry at a version (the current one by default) to a release.")
    async def add_to_release(
        self, info: strawberry.Info, release_id: int, entry_id: strawberry.ID, version: int | None = None
    ) -> types.Release:
        return types.Release.from_row(
            await guarded(releases.add_to_release(info.context.editor, release_id, str(entry_id), version))
        )

    @strawberry.mutation
    async def remove_from_release(
        self, info: strawberry.Info, release_id: int, entry_id: strawberry.ID
    ) -> types.Release:
        return types.Release.from_row(
            await guarded(releases.remove_from_release(info.context.editor, release_id, str(entry_id)))
        )

    @strawberry.mutation(description="Publish every entry of the release at its version, atomically.")
    async def publish_release(self, info: strawberry.Info, id: int) -> types.Release:
        return types.Release.from_row(await guarded(releases.publish_release(info.context.editor, id)))

    @strawberry.mutation(description="Upload an image (GraphQL multipart request spec); returns its asset document.")
    async def upload_asset(self, info: strawberry.Info, file: Upload, alt: JSON | None = None) -> JSON:
        context: ManagementContext = info.context
        if not isinstance(file, UploadedFile):
            raise GraphQLError("`file` must be sent as a multipart file part", extensions={"code": "BAD_REQUEST"})
        library = context.media or MediaLibrary(get_settings(), context.model)
        if alt is not None and not isinstance(alt, dict):
            raise GraphQLError('`alt` must be an object such as {en: "…", fr: "…"}', extensions={"code": "BAD_REQUEST"})
        alt_texts: Any = alt or {}
        try:
            asset: Any = await library.store_upload(
                file.data, file.filename, file.content_type, alt_texts, context.principal
            )
            return asset
        except MediaError as error:
            code = {401: "UNAUTHENTICATED", 403: "FORBIDDEN"}.get(error.status, "UPLOAD_REFUSED")
            raise GraphQLError(error.reason, extensions={"code": code, "status": error.status}) from None

    @strawberry.mutation
    async def schedule_release(self, info: strawberry.Info, id: int, at: dt.datetime) -> types.ScheduledJob:
        return types.ScheduledJob.from_row(await guarded(releases.schedule_release(info.context.editor, id, at)))


async def _with_data(data: Any, operation: Any) -> Any:
    return await operation(entry_data_from(data))


MANAGEMENT_LIMITS = Limits(max_depth=10, max_fields=2000, max_aliases=30, max_tokens=20000)
"""Depth, fields and aliases (validation) and cost (the endpoint's admission) of management operations."""


def build_management_schema() -> strawberry.Schema:
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map={CursorScalar: SCALAR_MAP[CursorScalar]}),
        extensions=standard_extensions(MANAGEMENT_LIMITS, MANAGEMENT_LIMITS.max_tokens),
    )
