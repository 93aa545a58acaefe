"""What the entry editor shows for each field: its inputs per locale and per channel, inherited values, errors.

The editor is generated from the content model. For every field it shows the base inputs (one per
locale when the field is localized) and, for each channel that shows the field, what that channel
inherits and an input to override it. Values come from the form as typed, so a refused save
shows the editor's own text again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cms.admin.forms import input_id, input_text, overridable
from cms.admin.summaries import entry_title
from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData, FieldError
from cms.publishing.resolve import MISSING, resolve_field, source_of
from cms.store.tables import Asset, Entry, EntryVersion

TEXT_INPUT_KINDS = frozenset({"string", "text", "slug", "rich_text"})
SUMMARY_LENGTH = 140


@dataclass
class Control:
    """One place a value can be typed: a base value in a locale, or a channel's override in a locale."""

    name: str
    locale: str
    localized: bool
    fallback: str = ""
    """For an empty localized base value: what the reader gets instead (shown as the placeholder)."""
    fallback_locale: str = ""
    inherited: str = ""
    """For an override: the value the channel shows when it is not overridden, as one line (a placeholder)."""
    inherited_value: Any = None
    """That value as stored (the page shows it readably: titles, file names, Yes/No)."""
    inherited_from: str = ""
    overridden: bool = False

    @property
    def id(self) -> str:
        return input_id(self.name)


@dataclass
class FieldView:
    field: FieldDef
    base: list[Control]
    channels: dict[str, list[Control]] = dataclasses.field(default_factory=dict)
    """Channel -> the override controls (empty list: shown there, but cannot differ per channel)."""


def field_views(model: ContentModel, content_type: ContentType, data: EntryData) -> list[FieldView]:
    """Every field of the type with its base controls and, per channel showing it, its override controls."""
    channels = [name for name, channel in model.channels.items() if channel.exposes(content_type.name)]
    views = []
    for definition in content_type.fields:
        locales = list(model.locales) if definition.localized else [model.default_locale]
        view = FieldView(definition, [_base_control(model, data, definition, locale) for locale in locales])
        for channel in channels:
            if definition.visible_on(channel):
                view.channels[channel] = (
                    [_override_control(model, data, definition, channel, locale) for locale in locales]
                    if overridable(definition, channel)
                    else []
                )
        views.append(view)
    return views


def _base_control(model: ContentModel, data: EntryData, definition: FieldDef, locale: str) -> Control:
    control = Control(f"base.{locale}.{definition.name}", locale, definition.localized)
    if definition.localized and definition.name not in data.base.get(locale, {}):
        for code in model.fallback_chain(locale)[1:]:
            if definition.name in data.base.get(code, {}):
                control.fallback = summary(definition, data.base[code][definition.name])
                control.fallback_locale = code
                break
    return control


def _override_control(model: ContentModel, data: EntryData, definition: FieldDef, channel: str, locale: str) -> Control:
    own = data.overrides.get(channel, {}).get(locale, {})
    control = Control(
        f"overrides.{channel}.{locale}.{definition.name}",
        locale,
        definition.localized,
        overridden=definition.name in own,
    )
    inherited = _without_override(data, channel, locale, definition.name)
    value = resolve_field(model, inherited, definition, channel, locale)
    if value is not MISSING:
        control.inherited = summary(definition, value)
        control.inherited_value = value
        source = source_of(model, inherited, definition, channel, locale)
        control.inherited_from = f"{source[0]}:{source[1]}" if source else ""
    return control


def _without_override(data: EntryData, channel: str, locale: str, name: str) -> EntryData:
    by_locale = {code: dict(values) for code, values in data.overrides.get(channel, {}).items()}
    by_locale.get(locale, {}).pop(name, None)
    return EntryData(base=data.base, overrides={**data.overrides, channel: by_locale})


def summary(definition: FieldDef, value: Any, limit: int | None = SUMMARY_LENGTH) -> str:
    """A value as one line of text (placeholders, inherited values, diffs), cut at `limit` characters."""
    if definition.kind == "money" and isinstance(value, dict):
        text = f"{value.get('amount')} {value.get('currency')}"
    elif definition.kind == "variants" and isinstance(value, list):
        text = "; ".join(
            " ".join([str(row.get("sku", "")), *map(str, (row.get("options") or {}).values())])
            for row in value
            if isinstance(row, dict)
        )
    elif definition.kind == "object":
        rows = value if isinstance(value, list) else [value]
        text = "; ".join(", ".join(str(item) for item in row.values()) for row in rows if isinstance(row, dict))
    elif isinstance(value, list):
        text = ", ".join(str(item) for item in value)
    else:
        text = input_text(definition, value)
    text = re.sub(r"\s+", " ", text).strip()
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def errors_by_input(errors: list[FieldError], say: Callable[[FieldError], str]) -> dict[str, str]:
    """Field errors, as `say` words them, keyed by their form input (`specs[0].label` becomes `specs.0.label`)."""
    found: dict[str, str] = {}
    for error in errors:
        name = re.sub(r"\[(\d+)\]", r".\1", error.path)
        found[name] = f"{found[name]}; {say(error)}" if name in found else say(error)
    return found


def error_anchor(name: str, form: Mapping[str, Any], content_type: ContentType) -> str:
    """The element id a summary link points at: the input itself, else its field's wrapper."""
    if name in form or f"{name}.amount" in form:
        return input_id(name if name in form else f"{name}.amount")
    parts = name.split(".")
    field_name = next((part for part in parts if content_type.field(part)), parts[-1])
    return input_id(name) if len(parts) > 2 else f"field-{field_name}"


async def reference_labels(model: ContentModel, form: Mapping[str, Any], language: str) -> dict[str, str]:
    """Titles of the entries the form refers to, by id (one query for the entries, one for their data)."""
    ids = {value for values in form.values() if isinstance(values, list) for value in values}
    ids |= {value for value in form.values() if isinstance(value, str) and len(value) == 36 and value.count("-") == 4}
    if not ids:
        return {}
    rows = await Entry.select(Entry.id, Entry.content_type, Entry.current_version).where(Entry.id.is_in(list(ids)))
    keys = [f"{row['id']}:{row['current_version']}" for row in rows]
    versions = (
        {
            row["key"]: row["data"]
            for row in await EntryVersion.select(EntryVersion.key, EntryVersion.data)
            .where(EntryVersion.key.is_in(keys))
            .output(load_json=True)
        }
        if keys
        else {}
    )
    return {
        row["id"]: entry_title(
            model, row["content_type"], versions.get(f"{row['id']}:{row['current_version']}") or {}, language
        )
        for row in rows
    }


async def asset_labels(form: Mapping[str, Any], language: str) -> dict[str, str]:
    """Alt text (else file name) of the assets the form names, by id."""
    ids = {value for values in form.values() if isinstance(values, list) for value in values}
    ids |= {value for value in form.values() if isinstance(value, str)}
    ids = {value for value in ids if len(value) == 36}
    if not ids:
        return {}
    rows = (
        await Asset.select(Asset.id, Asset.alt, Asset.filename).where(Asset.id.is_in(list(ids))).output(load_json=True)
    )
    return {row["id"]: (row["alt"] or {}).get(language) or row["filename"] or row["id"] for row in rows}
