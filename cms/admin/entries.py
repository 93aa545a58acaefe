"""Admin pages: the entries of a type and the entry editor (create, edit, live feedback, pickers)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from cms.admin import entry_actions
from cms.admin.editor_page import editor_page, field_path_label, form_values, load_entry
from cms.admin.entry_list import ListFilters, list_columns, list_entries
from cms.admin.entry_merge import ConflictView, save_merging, settle_choices
from cms.admin.forms import FormValues, decode_form, form_from_entry_data
from cms.admin.gate import principal
from cms.admin.i18n import Translator, admin_language
from cms.admin.problems import ProblemWords
from cms.admin.readable import inherited_context
from cms.admin.render import model_of, refusal, render, translator
from cms.admin.time_zone import admin_time_zone
from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.store.entries import ConflictError
from cms.store.tables import Asset
from cms.workflow.entries import Editor
from cms.workflow.errors import WorkflowError

PICK_LIMIT = 20
MERGED_SHOWN = 20
"""At most this many merged fields are named after a merged save (the URL carries them)."""
DONE_NOTICES = frozenset(
    {
        "submit",
        "approve",
        "reject",
        "publish",
        "unpublish",
        "archive",
        "schedule_publish",
        "schedule_unpublish",
        "release",
    }
)


def content_type_of(model: ContentModel, type_name: str) -> ContentType:
    content_type = model.types.get(type_name)
    if content_type is None:
        raise NotFoundException(f"no content type {type_name!r}")
    return content_type


@get("/entries/{type_name:str}", name="admin:entries")
async def entry_list(
    request: Request[Any, Any, Any],
    type_name: str,
    q: str = "",
    status: str = "",
    locale: str = "",
    channel: str = "",
    errors: str = "",
    sort: str = "newest",
    page: int = 1,
) -> Template:
    model = model_of(request)
    content_type = content_type_of(model, type_name)
    filters = ListFilters(
        q=q[:200],
        status=status,
        locale=locale if locale in model.locales else "",
        channel=channel if channel in model.channels else "",
        errors=errors == "1",
        oldest_first=sort == "oldest",
        page=page,
    )
    listed = await list_entries(model, type_name, filters, admin_language(request))
    channels = {name: channel for name, channel in model.channels.items() if channel.exposes(type_name)}
    return render(
        request,
        "entries/list.html",
        content_type=content_type,
        listed=listed,
        filters=filters,
        locales=list(model.locales),
        channels=channels,
        columns=list_columns(model, type_name),
    )


@get("/entries/{type_name:str}/new", name="admin:entry-new")
async def new_entry(request: Request[Any, Any, Any], type_name: str) -> Template:
    model = model_of(request)
    content_type_of(model, type_name)
    return await editor_page(request, type_name, None, {}, EntryData())


@post(
    "/entries/{type_name:str}/new", name="admin:entry-create", status_code=HTTP_303_SEE_OTHER, media_type=MediaType.HTML
)
async def create_entry(request: Request[Any, Any, Any], type_name: str) -> Any:
    model = model_of(request)
    content_type_of(model, type_name)
    form = await form_values(request)
    data, problems = decode_form(model, type_name, form, admin_language(request), admin_time_zone(request))
    try:
        if problems:
            raise InvalidEntryError(problems + _validation_errors(model, type_name, data))
        row = await Editor(model, principal(request)).create(type_name, data, str(form.get("_message") or ""))
    except InvalidEntryError as invalid:
        return await editor_page(request, type_name, None, form, data, errors=invalid.errors, status_code=422)
    except WorkflowError as refused:
        return await editor_page(request, type_name, None, form, data, alert=refusal(request, refused), status_code=403)
    return Redirect(_saved_url(type_name, str(row["id"]), 1, form), status_code=HTTP_303_SEE_OTHER)


@get("/entries/{type_name:str}/{entry_id:str}", name="admin:entry")
async def edit_entry(
    request: Request[Any, Any, Any],
    type_name: str,
    entry_id: str,
    saved: int = 0,
    done: str = "",
    locale: str = "",
    channel: str = "",
    merged_from: int = 0,
    merged: list[str] | None = None,
) -> Template:
    model = model_of(request)
    content_type_of(model, type_name)
    row, current = await load_entry(type_name, entry_id)
    language = admin_language(request)
    shown = form_from_entry_data(model, type_name, current.data, language, admin_time_zone(request))
    form = shown | {"_locale": locale, "_channel": channel}
    notice = translator(request)(f"entries.done.{done}") if done in DONE_NOTICES else None
    if merged_from and merged:
        labels = [field_path_label(model, type_name, path, language) for path in merged[:MERGED_SHOWN]]
        fields = ", ".join(labels)
        notice = translator(request).plural("merge.merged_notice", len(labels), number=merged_from, fields=fields)
    return await editor_page(request, type_name, row, form, current.data, saved=saved, notice=notice)


@post(
    "/entries/{type_name:str}/{entry_id:str}",
    name="admin:entry-save",
    status_code=HTTP_303_SEE_OTHER,
    media_type=MediaType.HTML,
)
async def save_entry(request: Request[Any, Any, Any], type_name: str, entry_id: str) -> Any:
    """Save the form; based on an older version, merge with what was saved since or ask per field
    (`cms.admin.entry_merge`): a stale save never overwrites a field someone else changed."""
    model = model_of(request)
    content_type_of(model, type_name)
    row, _current = await load_entry(type_name, entry_id)
    form = await form_values(request)
    data, problems = decode_form(model, type_name, form, admin_language(request), admin_time_zone(request))
    based_on = _int(form.get("base_version"), row["current_version"])
    language = admin_language(request)
    editor = Editor(model, principal(request))
    try:
        if problems:
            raise InvalidEntryError(problems + _validation_errors(model, type_name, data))
        data, unresolved = await settle_choices(model, type_name, entry_id, form, based_on, data, language)
        if unresolved:
            return await _conflict_page(request, type_name, entry_id, form, data, unresolved)
        message = str(form.get("_message") or "")
        outcome = await save_merging(editor, type_name, entry_id, based_on, data, message, language)
    except InvalidEntryError as invalid:
        return await editor_page(
            request, type_name, row, form, data, errors=invalid.errors, based_on=based_on, status_code=422
        )
    except ConflictError:  # still moving after every merge attempt: show the current version beside mine
        return await editor_page(request, type_name, row, form, data, based_on=based_on, status_code=409)
    except WorkflowError as refused:
        # Forbidden for this user (403), or the entry's state does not allow editing, e.g. archived (409).
        status = 403 if refused.code == "FORBIDDEN" else 409
        return await editor_page(
            request, type_name, row, form, data, alert=refusal(request, refused), based_on=based_on, status_code=status
        )
    if outcome.conflict is not None and outcome.data is not None:
        merged = form_from_entry_data(model, type_name, outcome.data, language, admin_time_zone(request))
        merged_form = merged | _tabs_and_message(form)
        return await _conflict_page(request, type_name, entry_id, merged_form, outcome.data, outcome.conflict)
    assert outcome.saved is not None
    url = _saved_url(type_name, entry_id, outcome.saved["current_version"], form)
    if outcome.merged:
        url += "&" + urlencode({"merged_from": outcome.merged_from} | {"merged": outcome.merged[:MERGED_SHOWN]}, True)
    return Redirect(url, status_code=HTTP_303_SEE_OTHER)


async def _conflict_page(
    request: Request[Any, Any, Any],
    type_name: str,
    entry_id: str,
    form: FormValues,
    data: EntryData,
    view: ConflictView,
) -> Template:
    """The editor again, holding my values (and theirs where only they changed), based on their version, with the
    three-way choice above it."""
    row, _current = await load_entry(type_name, entry_id)
    return await editor_page(request, type_name, row, form, data, conflict=view, based_on=view.number, status_code=409)


def _tabs_and_message(form: FormValues) -> dict[str, str]:
    return {name: str(form.get(name) or "") for name in ("_locale", "_channel", "_message")}


@post("/entries/{type_name:str}/feedback", name="admin:entry-feedback", status_code=200)
async def live_feedback(request: Request[Any, Any, Any], type_name: str) -> Template:
    """Lint, counters and previews of the unsaved form (the form posts itself as it is typed)."""
    from cms.admin.feedback import feedback_context

    model = model_of(request)
    content_type_of(model, type_name)
    form = await form_values(request)
    data, problems = decode_form(model, type_name, form, admin_language(request), admin_time_zone(request))
    locale = str(form.get("_locale") or model.default_locale)
    channel = str(form.get("_channel") or "") or None
    locale = locale if locale in model.locales else model.default_locale
    channel = channel if channel in model.channels else None
    context = await feedback_context(model, type_name, data, locale=locale, channel=channel)
    problems += _validation_errors(model, type_name, data)
    language = admin_language(request)
    words = ProblemWords(Translator(language), model)
    shown = [(field_path_label(model, type_name, error.path, language), words.error(error)) for error in problems]
    inherited = await inherited_context(model, model.types[type_name], form, data, locale, language)
    return render(request, "entries/_live_feedback.html", input_errors=shown, **context, **inherited)


@get("/entries/{type_name:str}/pick", name="admin:entry-pick")
async def pick_entry(request: Request[Any, Any, Any], type_name: str, q: str = "", target: str = "") -> Template:
    """Entries of `type_name` whose title or slug holds `q`: the reference picker's suggestions."""
    model = model_of(request)
    content_type_of(model, type_name)
    listed = await list_entries(model, type_name, ListFilters(q=q[:200]), admin_language(request))
    return render(request, "entries/_pick_entries.html", found=listed.rows[:PICK_LIMIT], target=target)


@get("/entries/{type_name:str}/pick-asset", name="admin:asset-pick")
async def pick_asset(request: Request[Any, Any, Any], type_name: str, q: str = "", target: str = "") -> Template:
    """Assets whose file name or alt text holds `q`, newest first, with thumbnails."""
    needle = q.strip().lower()[:200]
    rows = (
        await Asset.select(Asset.id, Asset.filename, Asset.alt, Asset.width, Asset.height)
        .order_by(Asset.created_at, ascending=False)
        .limit(500)
        .output(load_json=True)
    )
    language = admin_language(request)
    found = [
        row | {"label": (row["alt"] or {}).get(language) or row["filename"] or row["id"]}
        for row in rows
        if not needle
        or needle in row["filename"].lower()
        or any(needle in str(text).lower() for text in (row["alt"] or {}).values())
    ]
    return render(request, "entries/_pick_assets.html", found=found[:PICK_LIMIT], target=target)


def _saved_url(type_name: str, entry_id: str, version: int, form: FormValues) -> str:
    """The editor after a save, on the locale and channel tabs the editor was on."""
    tabs = {"locale": str(form.get("_locale") or ""), "channel": str(form.get("_channel") or "")}
    query = urlencode({"saved": version} | {name: value for name, value in tabs.items() if value})
    return f"/admin/entries/{type_name}/{entry_id}?{query}"


def _validation_errors(model: ContentModel, type_name: str, data: EntryData) -> list[Any]:
    try:
        validate_entry_data(model, model.types[type_name], data)
    except InvalidEntryError as invalid:
        return list(invalid.errors)
    return []


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default


ROUTES: list[Any] = [
    entry_list,
    new_entry,
    create_entry,
    pick_entry,
    pick_asset,
    live_feedback,
    edit_entry,
    save_entry,
    *entry_actions.ROUTES,
]
