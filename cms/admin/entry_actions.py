"""The editor's side panels: versions (diff, rollback) and the workflow (review, publish, schedule, releases)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import MediaType, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from cms.admin.editor_page import editor_page, form_values, load_entry
from cms.admin.forms import form_from_entry_data
from cms.admin.gate import principal
from cms.admin.i18n import Translator, admin_language
from cms.admin.render import entry_refusal, model_of, render
from cms.admin.summaries import entry_title
from cms.admin.time_zone import admin_time_zone, utc_from_local
from cms.admin.version_diff import compare_versions
from cms.lib.clock import now
from cms.store import entries as store
from cms.store.entries import ConflictError
from cms.store.tables import EntryVersion
from cms.workflow.entries import Editor
from cms.workflow.errors import LintError, NotFoundError, WorkflowError
from cms.workflow.releases import add_to_release, create_release
from cms.workflow.schedules import schedule

TRANSITIONS = ("submit", "approve", "reject", "publish", "unpublish", "archive")


@get("/entries/{type_name:str}/{entry_id:str}/versions/{number:int}", name="admin:entry-version")
async def version_diff(
    request: Request[Any, Any, Any], type_name: str, entry_id: str, number: int, against: int | None = None
) -> Template:
    """Version `number` against version `against` (the current one by default), field by field."""
    return await _compare_page(request, type_name, entry_id, number, against)


@get("/entries/{type_name:str}/{entry_id:str}/compare", name="admin:entry-compare")
async def compare(
    request: Request[Any, Any, Any], type_name: str, entry_id: str, number: int, against: int
) -> Template:
    """The two versions picked on the versions page (a plain GET form, so the comparison has its own address)."""
    return await _compare_page(request, type_name, entry_id, number, against)


async def _compare_page(
    request: Request[Any, Any, Any], type_name: str, entry_id: str, number: int, against: int | None
) -> Template:
    model = model_of(request)
    row, current = await load_entry(type_name, entry_id)
    newer = against or row["current_version"]
    try:
        old = await store.load_version(entry_id, number)
        new = current if newer == row["current_version"] else await store.load_version(entry_id, newer)
    except LookupError as missing:
        raise NotFoundError(str(missing)) from None
    t = Translator(admin_language(request))
    numbers = (
        await EntryVersion.select(EntryVersion.number)
        .where(EntryVersion.entry == entry_id)
        .order_by(EntryVersion.number, ascending=False)
    )
    return render(
        request,
        "entries/version.html",
        content_type=model.types[type_name],
        entry=row,
        title=entry_title(model, type_name, msgspec.to_builtins(current.data), t.language),
        number=number,
        against=newer,
        numbers=[version["number"] for version in numbers],
        groups=compare_versions(model, model.types[type_name], old.data, new.data, t),
    )


@post(
    "/entries/{type_name:str}/{entry_id:str}/rollback",
    name="admin:entry-rollback",
    status_code=HTTP_303_SEE_OTHER,
    media_type=MediaType.HTML,
)
async def rollback(request: Request[Any, Any, Any], type_name: str, entry_id: str) -> Any:
    form = await form_values(request)
    row, _ = await load_entry(type_name, entry_id)
    to_version = int(str(form.get("to_version") or 0))
    based_on = int(str(form.get("base_version") or row["current_version"]))
    try:
        saved = await Editor(model_of(request), principal(request)).rollback(entry_id, to_version, based_on)
    except (WorkflowError, ConflictError) as refused:
        return await _refused(request, type_name, entry_id, refused)
    return _back(type_name, entry_id, f"saved={saved['current_version']}")


@post(
    "/entries/{type_name:str}/{entry_id:str}/workflow/{action:str}",
    name="admin:entry-workflow",
    status_code=303,
    media_type=MediaType.HTML,
)
async def transition(request: Request[Any, Any, Any], type_name: str, entry_id: str, action: str) -> Any:
    """Submit, approve, reject, publish, unpublish or archive the entry."""
    if action not in TRANSITIONS:
        raise NotFoundError(f"unknown action {action!r} (known: {', '.join(TRANSITIONS)})")
    form = await form_values(request)
    await load_entry(type_name, entry_id)
    editor = Editor(model_of(request), principal(request))
    try:
        if action == "reject":
            await editor.reject(entry_id, str(form.get("comment") or ""))
        elif action == "approve":  # the override counts for admins only (the Editor checks)
            await editor.approve(entry_id, override=form.get("override") == "1")
        else:
            await getattr(editor, action)(entry_id)
    except (WorkflowError, ConflictError) as refused:
        return await _refused(request, type_name, entry_id, refused)
    return _back(type_name, entry_id, f"done={action}")


@post(
    "/entries/{type_name:str}/{entry_id:str}/schedule",
    name="admin:entry-schedule",
    status_code=HTTP_303_SEE_OTHER,
    media_type=MediaType.HTML,
)
async def schedule_entry(request: Request[Any, Any, Any], type_name: str, entry_id: str) -> Any:
    """Publish or unpublish at an instant typed in the editor's time zone (stored in UTC)."""
    form = await form_values(request)
    await load_entry(type_name, entry_id)
    action = "unpublish" if form.get("action") == "unpublish" else "publish"
    t = Translator(admin_language(request))
    try:
        run_at = utc_from_local(str(form.get("run_at") or ""), admin_time_zone(request))
    except ValueError:
        return await _refused(request, type_name, entry_id, t("entries.schedule_needs_time"))
    if run_at <= now():
        return await _refused(request, type_name, entry_id, t("entries.schedule_in_past"))
    try:
        await schedule(Editor(model_of(request), principal(request)), action, run_at, entry=entry_id)
    except WorkflowError as refused:
        return await _refused(request, type_name, entry_id, refused)
    return _back(type_name, entry_id, f"done=schedule_{action}")


@post(
    "/entries/{type_name:str}/{entry_id:str}/release",
    name="admin:entry-release",
    status_code=HTTP_303_SEE_OTHER,
    media_type=MediaType.HTML,
)
async def add_entry_to_release(request: Request[Any, Any, Any], type_name: str, entry_id: str) -> Any:
    """Add the current version to an open release, or to a new one named in the form."""
    form = await form_values(request)
    await load_entry(type_name, entry_id)
    editor = Editor(model_of(request), principal(request))
    try:
        new_name = str(form.get("new_release") or "").strip()
        release_id = (await create_release(editor, new_name))["id"] if new_name else int(str(form.get("release") or 0))
        await add_to_release(editor, release_id, entry_id, None)
    except (WorkflowError, ValueError) as refused:
        return await _refused(request, type_name, entry_id, refused)
    return _back(type_name, entry_id, "done=release")


async def _refused(request: Request[Any, Any, Any], type_name: str, entry_id: str, refused: Any) -> Template:
    """The editor again, with what was refused and why (a publish refused by lint lists its findings)."""
    model = model_of(request)
    row, current = await load_entry(type_name, entry_id)
    message = entry_refusal(request, refused) if isinstance(refused, WorkflowError) else str(refused)
    # Workflow errors name the entry by id: on its own page, its title reads better.
    title = entry_title(model, type_name, msgspec.to_builtins(current.data), admin_language(request))
    message = message.replace(entry_id, f"“{title}”")
    findings = refused.extensions.get("findings", []) if isinstance(refused, LintError) else []
    status = 409 if isinstance(refused, ConflictError) else 422 if isinstance(refused, LintError) else 400
    if isinstance(refused, WorkflowError) and refused.code == "FORBIDDEN":
        status = 403
    form = form_from_entry_data(model, type_name, current.data, admin_language(request), admin_time_zone(request))
    return await editor_page(
        request, type_name, row, form, current.data, alert=message, findings=findings, status_code=status
    )


def _back(type_name: str, entry_id: str, query: str) -> Redirect:
    return Redirect(f"/admin/entries/{type_name}/{entry_id}?{query}", status_code=HTTP_303_SEE_OTHER)


ROUTES: list[Any] = [version_diff, compare, rollback, transition, schedule_entry, add_entry_to_release]
