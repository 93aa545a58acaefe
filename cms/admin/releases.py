"""Releases in the admin: the list, creating one, its items (add, remove), publishing now or at a UTC instant.

Every action goes through `cms.workflow.releases` with an `Editor` of the signed-in user, so permissions, lint
refusals and audit events are those of the management API; a refusal is shown on the release's page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from cms.admin.gate import principal
from cms.admin.i18n import admin_language
from cms.admin.readiness import release_blockers
from cms.admin.render import model_of, refusal, render, translator
from cms.admin.summaries import entries_by_ids, summaries
from cms.store.tables import Entry, Release, ReleaseItem, Schedule
from cms.workflow import releases
from cms.workflow.entries import Editor
from cms.workflow.errors import ForbiddenError, LintError, NotFoundError, WorkflowError

CANDIDATES = 200
"""Entries offered in the "add an entry" list (most recently changed first)."""
STATUSES = ("open", "scheduled", "published")
MAX_NAME_LENGTH = 200
"""What the release table holds; checked here with a message, not by the input (which would cut a paste short)."""
STATUS_CODES = {ForbiddenError: 403, NotFoundError: 404, LintError: 409}


def _editor(request: Request[Any, Any, Any]) -> Editor:
    return Editor(model_of(request), principal(request))


@get("/releases", name="admin:releases")
async def release_list(request: Request[Any, Any, Any]) -> Template:
    return await _list_page(request)


@post("/releases", name="admin:release-create")
async def create_release(request: Request[Any, Any, Any]) -> Template | Redirect:
    name = str((await request.form()).get("name") or "")
    if len(name.strip()) > MAX_NAME_LENGTH:
        error = translator(request)("releases.name_too_long", length=len(name.strip()), limit=MAX_NAME_LENGTH)
        return await _list_page(request, error=error, status_code=400, name=name)
    if not name.strip():
        return await _list_page(request, error=translator(request)("releases.name_blank"), status_code=400, name=name)
    try:
        release = await releases.create_release(_editor(request), name)
    except WorkflowError as error:
        return await _list_page(request, error=refusal(request, error), status_code=_status(error), name=name)
    return Redirect(f"/admin/releases/{release['id']}", status_code=HTTP_303_SEE_OTHER)


@get("/releases/{release_id:int}", name="admin:release")
async def release_page(request: Request[Any, Any, Any], release_id: int) -> Template:
    return await _detail_page(request, release_id)


@post("/releases/{release_id:int}/items", name="admin:release-add")
async def add_item(request: Request[Any, Any, Any], release_id: int) -> Template:
    form = await request.form()
    entry_id, version = str(form.get("entry") or ""), str(form.get("version") or "").strip()
    return await _act(
        request,
        release_id,
        lambda editor: releases.add_to_release(
            editor, release_id, entry_id, int(version) if version.isdigit() else None
        ),
        "releases.added",
        added=entry_id,
    )


@post("/releases/{release_id:int}/items/{entry_id:str}/remove", name="admin:release-remove")
async def remove_item(request: Request[Any, Any, Any], release_id: int, entry_id: str) -> Template:
    return await _act(
        request,
        release_id,
        lambda editor: releases.remove_from_release(editor, release_id, entry_id),
        "releases.removed",
    )


@post("/releases/{release_id:int}/publish", name="admin:release-publish")
async def publish(request: Request[Any, Any, Any], release_id: int) -> Template:
    return await _act(
        request, release_id, lambda editor: releases.publish_release(editor, release_id), "releases.published"
    )


@post("/releases/{release_id:int}/schedule", name="admin:release-schedule")
async def schedule(request: Request[Any, Any, Any], release_id: int) -> Template:
    text = str((await request.form()).get("at") or "")
    try:
        at = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    except ValueError:
        error = translator(request)("releases.bad_instant", value=text)
        return await _detail_page(request, release_id, error=error, status_code=400)
    return await _act(
        request, release_id, lambda editor: releases.schedule_release(editor, release_id, at), "releases.scheduled"
    )


async def _act(request: Request[Any, Any, Any], release_id: int, action: Any, done: str, **context: Any) -> Template:
    try:
        await action(_editor(request))
    except WorkflowError as error:
        findings = error.extensions.get("findings", []) if isinstance(error, LintError) else []
        return await _detail_page(
            request, release_id, error=refusal(request, error), findings=findings, status_code=_status(error)
        )
    return await _detail_page(request, release_id, notice=translator(request)(done), **context)


def _status(error: WorkflowError) -> int:
    return next((code for kind, code in STATUS_CODES.items() if isinstance(error, kind)), 400)


async def _list_page(request: Request[Any, Any, Any], *, status_code: int = 200, **context: Any) -> Template:
    rows = await Release.select().order_by(Release.created_at, ascending=False)
    counts = {release["id"]: 0 for release in rows}
    for item in await ReleaseItem.select(ReleaseItem.release):
        counts[item["release"]] = counts.get(item["release"], 0) + 1
    grouped = {status: [r | {"items": counts[r["id"]]} for r in rows if r["status"] == status] for status in STATUSES}
    return render(request, "releases/list.html", status_code=status_code, grouped=grouped, **context)


async def _detail_page(
    request: Request[Any, Any, Any], release_id: int, *, status_code: int = 200, **context: Any
) -> Template:
    model, language = model_of(request), admin_language(request)
    try:
        release = await releases.release_row(release_id)
    except NotFoundError as missing:
        return render(request, "releases/missing.html", status_code=404, reason=missing.message)
    by_id = {
        row["id"]: row
        for row in await summaries(model, await entries_by_ids([i["entry"] for i in release["items"]]), language)
    }
    items = [by_id[item["entry"]] | {"version": item["version"]} for item in release["items"] if item["entry"] in by_id]
    error = context.pop("error", None) or ""
    named = [item for item in items if item["id"] in error]  # a refusal names entries by id: show their titles
    for item in named:
        error = error.replace(item["id"], f"“{item['title']}”")
    unpublished = release["status"] != "published"
    blockers = await release_blockers(model, items, translator(request)) if unpublished else {}
    in_release = {item["id"] for item in items}
    recent = (
        await Entry.select()
        .where(Entry.status != "archived")
        .order_by(Entry.updated_at, ascending=False)
        .limit(CANDIDATES)
    )
    candidates = [row for row in await summaries(model, list(recent), language) if row["id"] not in in_release]
    job = await Schedule.select().where((Schedule.release == release_id) & (Schedule.status == "pending")).first()
    return render(
        request,
        "releases/detail.html",
        status_code=status_code,
        release=release,
        items=items,
        named=named,
        error=error,
        blockers=blockers,
        candidates=candidates,
        job=job,
        **context,
    )


ROUTES: list[Any] = [release_list, create_release, release_page, add_item, remove_item, publish, schedule]
