"""The entry editor page: the generated form, its errors or conflict, the versions and the workflow panel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Template

from cms.admin.action_blockers import action_blockers
from cms.admin.entry_view import (
    TEXT_INPUT_KINDS,
    asset_labels,
    error_anchor,
    errors_by_input,
    field_views,
    reference_labels,
)
from cms.admin.forms import FormValues, compact_variant_rows, decode_form, input_id, row_indexes
from cms.admin.gate import principal
from cms.admin.i18n import Translator, admin_language
from cms.admin.problems import ProblemWords
from cms.admin.readable import humanize, readable
from cms.admin.readiness import entry_warnings
from cms.admin.render import model_of, render
from cms.admin.summaries import entry_title, typed_title
from cms.admin.time_zone import admin_time_zone
from cms.auth.principal import PUBLISH, REVIEW, WRITE
from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData, FieldError
from cms.store import entries as store
from cms.store.entries import SavedVersion
from cms.store.tables import Entry, EntryVersion, Release, Schedule
from cms.workflow.states import ALLOWED_FROM

if TYPE_CHECKING:
    from cms.admin.entry_merge import ConflictView

MAX_VERSIONS_SHOWN = 50
MONEY_PARTS = frozenset({"amount", "currency"})


@dataclass
class Change:
    """A field that differs between two versions (or between theirs and mine)."""

    path: str
    label: str
    before: str
    after: str
    mine: str | None = None


async def form_values(request: Request[Any, Any, Any]) -> dict[str, str | list[str]]:
    """The posted form, one string per name (a list when the name repeats, as pickers do)."""
    form = await request.form()
    values: dict[str, str | list[str]] = {}
    for name in form:
        every = [str(value) for value in form.getall(name)]
        values[name] = every[0] if len(every) == 1 else every
    return values


async def load_entry(type_name: str, entry_id: str) -> tuple[dict[str, Any], SavedVersion]:
    row = await Entry.select().where(Entry.id == entry_id).first()
    if row is None or row["content_type"] != type_name:
        raise NotFoundException(f"no {type_name} entry with id {entry_id!r}")
    return row, await store.load_version(entry_id)


async def editor_page(
    request: Request[Any, Any, Any],
    type_name: str,
    row: dict[str, Any] | None,
    form: FormValues,
    data: EntryData,
    *,
    errors: list[FieldError] | None = None,
    conflict: ConflictView | None = None,
    alert: str | None = None,
    findings: list[dict[str, Any]] | None = None,
    notice: str | None = None,
    saved: int = 0,
    based_on: int | None = None,
    status_code: int = 200,
) -> Template:
    model, language, user = model_of(request), admin_language(request), principal(request)
    content_type = model.types[type_name]
    form = compact_variant_rows(model, type_name, form)
    if form and not data.base and not data.overrides:
        data, _ = decode_form(model, type_name, form, language, admin_time_zone(request))
    errors = errors or []
    locale = str(form.get("_locale") or model.default_locale)
    channel = str(form.get("_channel") or "")
    context: dict[str, Any] = {
        "content_type": content_type,
        "type_name": type_name,
        "entry": row,
        "values": form,
        "views": field_views(model, content_type, data),
        "text_kinds": TEXT_INPUT_KINDS,
        "input_id": input_id,
        "errors": errors_by_input(errors, ProblemWords(Translator(language), model).error),
        # A value another entry holds links to that entry (input name -> its editor's URL).
        "holders": {
            re.sub(r"\[(\d+)\]", r".\1", error.path): f"/admin/entries/{error.params['type']}/{error.params['entry']}"
            for error in errors
            if error.code == "taken" and "type" in error.params and "entry" in error.params
        },
        "error_summary": [
            (
                error,
                error_anchor(error.path, form, content_type),
                field_path_label(model, type_name, error.path, language),
            )
            for error in errors
        ],
        "ref_labels": await reference_labels(model, form, language),
        "asset_labels": await asset_labels(form, language),
        "locales": list(model.locales),
        "active_locale": locale if locale in model.locales else model.default_locale,
        "active_channel": channel if channel in model.channels else "",
        "channels": {name: model.channels[name] for name in model.channels if model.channels[name].exposes(type_name)},
        "base_version": based_on if based_on is not None else (row["current_version"] if row else 0),
        "conflict": conflict,
        # A refused save shows typed values the store does not hold: leaving the page must warn at once.
        "unsaved": status_code >= 400,
        "title": await shown_title(model, type_name, row, data, language) if row else "",
        "locale_names": {code: Translator(language).locale_name(code) for code in model.locales},
        "row_indexes": row_indexes,
        "readable": readable,
        "humanize": humanize,
        "default_currency": next(iter(model.channels.values())).currency if model.channels else "EUR",
        "alert": alert,
        "findings": findings or [],
        "notice": notice,
        "saved": saved,
        "can": {permission: user.can(permission) for permission in (WRITE, REVIEW, PUBLISH)},
        "readonly": not user.can(WRITE),
        "slug_source": _slug_source(model, content_type),
    }
    if row is not None:
        context |= await _entry_panels(model, row, Translator(language))
        context["blocked"] = await action_blockers(model, row, user, Translator(language))
    return render(request, "entries/editor.html", status_code=status_code, **context)


def _slug_source(model: ContentModel, content_type: ContentType) -> tuple[str, str] | None:
    """The inputs the slug is proposed from and into (the title in the default locale), if the type has both."""
    slug = content_type.slug_field
    if slug is None or not content_type.title_field:
        return None
    locale = model.default_locale
    return input_id(f"base.{locale}.{content_type.title_field}"), input_id(f"base.{locale}.{slug.name}")


async def shown_title(model: ContentModel, type_name: str, row: dict[str, Any], data: EntryData, language: str) -> str:
    """The title as typed (a refused save shows the form again), else the stored one as lists show it."""
    typed = typed_title(model, type_name, msgspec.to_builtins(data), language)
    if typed:
        return typed
    stored = await store.load_version(row["id"])
    return entry_title(model, type_name, msgspec.to_builtins(stored.data), language)


async def _entry_panels(model: ContentModel, row: dict[str, Any], t: Translator) -> dict[str, Any]:
    versions = (
        await EntryVersion.select(
            EntryVersion.number, EntryVersion.author, EntryVersion.created_at, EntryVersion.message
        )
        .where(EntryVersion.entry == row["id"])
        .order_by(EntryVersion.number, ascending=False)
        .limit(MAX_VERSIONS_SHOWN)
    )
    schedules = await Schedule.select().where((Schedule.entry == row["id"]) & (Schedule.status == "pending"))
    releases = await Release.select(Release.id, Release.name).where(Release.status == "open").order_by(Release.name)
    actions = {operation for operation, allowed in ALLOWED_FROM.items() if row["status"] in allowed}
    return {
        "versions": versions,
        "schedules": schedules,
        "releases": releases,
        "actions": actions,
        "warnings": await entry_warnings(model, row, schedules, t),
    }


def _field_name(path: str) -> str:
    parts = path.split(".")
    name = parts[2] if parts[0] == "base" and len(parts) > 2 else parts[3] if len(parts) > 3 else parts[-1]
    return name.split("[")[0]  # `variants[1]`: the field


def field_path_label(model: ContentModel, type_name: str, path: str, language: str) -> str:
    """`base.fr.name` -> `Name (fr)`; `overrides.social.en.social_text` -> `Social post (social, en)`."""
    parts = path.split(".")
    field = model.types[type_name].field(_field_name(path))
    name = (field.label.get(language) or field.label.get("en") if field else None) or _field_name(path)
    if parts[0] == "base" and len(parts) > 1:
        where = parts[1]
    elif parts[0] == "overrides" and len(parts) > 2:
        where = f"{parts[1]}, {parts[2]}"
    else:
        return path
    rest = ".".join(
        Translator(language)(f"entries.part.{part}") if part in MONEY_PARTS else part
        for part in parts[3 if parts[0] == "base" else 4 :]
    )
    if field is not None and field.kind == "variants":
        rest = _variant_cell_label(model.types[type_name], path, language)
    return f"{name}{' › ' + rest if rest else ''} ({where})"


def _variant_cell_label(content_type: ContentType, path: str, language: str) -> str:
    """`variants[1].options.finish` -> `row 2 › Finish`: the grid's row and column, as the editor sees them."""
    found = re.search(r"\[(\d+)\]\.?(.*)$", path)
    if found is None:
        return ""
    t = Translator(language)
    row, column = int(found[1]) + 1, found[2]
    axis = content_type.option(column.removeprefix("options.")) if column.startswith("options.") else None
    columns = {
        "sku": "entries.variant_sku",
        "gtin": "entries.variant_gtin",
        "price": "entries.variant_price",
        "options": "entries.variant_options",
        "images": "entries.variant_images",
    }
    if axis is not None:
        column = axis.label.get(language) or axis.label.get("en") or axis.name
    elif column.split(".")[0] in columns:
        column = t(columns[column.split(".")[0]])
    return " › ".join(part for part in (t("entries.variant_row", number=row), column) if part)
