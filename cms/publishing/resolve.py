"""Resolution of one field for a channel and locale: override, then fallback locales, then base."""

from __future__ import annotations

from typing import Any

from cms.model.definitions import ContentModel, FieldDef
from cms.model.entry_data import EntryData

MISSING: Any = object()


def resolve_field(model: ContentModel, data: EntryData, field: FieldDef, channel: str, locale: str) -> Any:
    """The value of `field` as `channel` shows it in `locale`, or MISSING.

    Order: the channel's override in the locale, then in each fallback locale, then the base
    value in the locale, then in each fallback locale. A non-localized field has one value, kept
    under the default locale.
    """
    chain = model.fallback_chain(locale) if field.localized else [model.default_locale]
    overrides = data.overrides.get(channel, {})
    for layer in (overrides, data.base):
        for code in chain:
            value = layer.get(code, {}).get(field.name, MISSING)
            if value is not MISSING:
                return value
    return MISSING


def source_of(
    model: ContentModel, data: EntryData, field: FieldDef, channel: str, locale: str
) -> tuple[str, str] | None:
    """Where the resolved value comes from: ("override" | "base", locale), or None when missing."""
    chain = model.fallback_chain(locale) if field.localized else [model.default_locale]
    for name, layer in (("override", data.overrides.get(channel, {})), ("base", data.base)):
        for code in chain:
            if field.name in layer.get(code, {}):
                return name, code
    return None
