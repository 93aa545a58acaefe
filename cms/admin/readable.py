"""Values as a person reads them where they are not being typed (what a channel inherits): enums in words,
instants in UTC, booleans as Yes/No in the admin's language; reference and asset ids are named by the templates,
which get the titles and file names from `inherited_context`, also what the live feedback redraws them with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cms.admin.entry_view import asset_labels, field_views, reference_labels, summary
from cms.admin.forms import input_id
from cms.admin.i18n import Translator
from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData

INSTANT = "%Y-%m-%d %H:%M UTC"


def humanize(value: str, field: FieldDef | None = None, language: str = "en") -> str:
    """An enum value in words: its label in `language` from the model, else `in_stock` -> `In stock`."""
    labels = field.value_labels.get(value, {}) if field else {}
    if labels.get(language) or labels.get("en"):
        return labels.get(language) or labels["en"]
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable(field: FieldDef, value: Any, language: str) -> str:
    """One short line for `value` of `field`, in `language`."""
    if field.kind == "enum" and isinstance(value, str):
        return humanize(value, field, language)
    if field.kind == "boolean" and isinstance(value, bool):
        return Translator(language)("common.yes" if value else "common.no")
    if field.kind == "datetime" and (instant := _instant(value)) is not None:
        return instant.astimezone(dt.UTC).strftime(INSTANT)
    return summary(field, value)


def _instant(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


async def inherited_context(
    model: ContentModel, content_type: ContentType, form: Mapping[str, Any], data: EntryData, locale: str, language: str
) -> dict[str, Any]:
    """What `entries/_inherited.html` needs to redraw every channel's inherited values in `locale` (the live
    feedback swaps them in, so a channel tab never shows a base value the editor has since changed)."""
    controls = [
        (view.field, control)
        for view in field_views(model, content_type, data)
        for channel_controls in view.channels.values()
        for control in channel_controls
        if control.locale == locale or not control.localized
    ]
    return {
        "inherited_controls": controls,
        "readable": readable,
        "input_id": input_id,
        "ref_labels": await reference_labels(model, form, language),
        "asset_labels": await asset_labels(form, language),
    }
