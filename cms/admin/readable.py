"""Values as a person reads them where they are not being typed (what a channel inherits): enums in words,
instants in UTC, booleans as Yes/No in the admin's language. Reference and asset ids are named by the templates,
which know the titles and file names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cms.admin.entry_view import summary
from cms.admin.i18n import Translator
from cms.model.definitions import FieldDef

INSTANT = "%Y-%m-%d %H:%M UTC"


def humanize(value: str) -> str:
    """An enum value in words: `in_stock` -> `In stock` (the model gives enum values no labels)."""
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def readable(field: FieldDef, value: Any, language: str) -> str:
    """One short line for `value` of `field`, in `language`."""
    if field.kind == "enum" and isinstance(value, str):
        return humanize(value)
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
