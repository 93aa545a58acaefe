"""An entry's stored data (base values per locale + channel overrides) and its validation."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.field_length import measure
from cms.model.values import ValueProblem, normalize_value
from cms.model.variants import normalize_variants

FieldValues = dict[str, Any]


class EntryData(msgspec.Struct, forbid_unknown_fields=True):
    """What an editor saves: `base[locale][field]`, and `overrides[channel][locale][field]`.

    Non-localized fields live under the model's default locale only.
    """

    base: dict[str, FieldValues] = {}
    overrides: dict[str, dict[str, FieldValues]] = {}


class FieldError(msgspec.Struct, frozen=True):
    """A problem with one value, located by a path such as `base.fr.price.amount`."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class InvalidEntryError(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def validate_entry_data(model: ContentModel, content_type: ContentType, data: EntryData) -> EntryData:
    """The normalized data, or InvalidEntryError listing every problem with its path."""
    errors: list[FieldError] = []
    base = {
        locale: _validate_values(model, content_type, values, f"base.{locale}", locale, None, errors)
        for locale, values in data.base.items()
        if _known_locale(model, locale, f"base.{locale}", errors)
    }
    overrides: dict[str, dict[str, FieldValues]] = {}
    for channel, by_locale in data.overrides.items():
        if channel not in model.channels:
            errors.append(FieldError(f"overrides.{channel}", f"unknown channel (known: {', '.join(model.channels)})"))
            continue
        overrides[channel] = {
            locale: _validate_values(
                model, content_type, values, f"overrides.{channel}.{locale}", locale, channel, errors
            )
            for locale, values in by_locale.items()
            if _known_locale(model, locale, f"overrides.{channel}.{locale}", errors)
        }
        overrides[channel] = {locale: values for locale, values in overrides[channel].items() if values}
    overrides = {channel: by_locale for channel, by_locale in overrides.items() if by_locale}
    default_values = base.get(model.default_locale, {})
    invalid = {error.path.split(".")[2] for error in errors if error.path.startswith(f"base.{model.default_locale}.")}
    for field in content_type.fields:
        if field.required and field.name not in invalid and default_values.get(field.name) in (None, "", []):
            errors.append(FieldError(f"base.{model.default_locale}.{field.name}", "is required"))
    if errors:
        raise InvalidEntryError(errors)
    return EntryData(base={locale: values for locale, values in base.items() if values}, overrides=overrides)


def _known_locale(model: ContentModel, locale: str, path: str, errors: list[FieldError]) -> bool:
    if locale in model.locales:
        return True
    errors.append(FieldError(path, f"unknown locale (known: {', '.join(model.locales)})"))
    return False


def _validate_values(
    model: ContentModel,
    content_type: ContentType,
    values: FieldValues,
    prefix: str,
    locale: str,
    channel: str | None,
    errors: list[FieldError],
) -> FieldValues:
    result: FieldValues = {}
    for name, value in values.items():
        path = f"{prefix}.{name}"
        field = content_type.field(name)
        reason = _placement_problem(model, content_type, field, name, locale, channel)
        if reason:
            errors.append(FieldError(path, reason))
            continue
        assert field is not None
        if value is None or value == "":
            continue  # an empty value is the same as no value: the fallback applies
        if field.max_length is not None and isinstance(value, str) and field.kind in ("string", "text"):
            reason = _over_max_length(model, content_type, field, channel, value)
            if reason:
                errors.append(FieldError(path, reason))
                continue
            field = msgspec.structs.replace(field, max_length=None)  # checked just above, the channels' way
        try:
            result[name] = (
                normalize_variants(content_type, value) if field.kind == "variants" else normalize_value(field, value)
            )
        except ValueProblem as problem:
            separator = "" if problem.path.startswith("[") else "."
            errors.append(FieldError(f"{path}{separator if problem.path else ''}{problem.path}", problem.reason))
    return result


def _over_max_length(
    model: ContentModel, content_type: ContentType, field: FieldDef, channel: str | None, value: str
) -> str | None:
    """Why `value` is over the field's `max_length` as the channels serving it count (cms.model.field_length)."""
    assert field.max_length is not None
    length, counted_on, method = measure(model, content_type.name, field, channel, value)
    if length <= field.max_length:
        return None
    how = f" as {counted_on} counts them ({method})" if counted_on else ""
    return f"is {length} characters long{how}, over the limit of {field.max_length} by {length - field.max_length}"


def _placement_problem(
    model: ContentModel, content_type: ContentType, field: FieldDef | None, name: str, locale: str, channel: str | None
) -> str | None:
    if field is None:
        return f"unknown field of {content_type.name} (fields: {', '.join(f.name for f in content_type.fields)})"
    if not field.localized and locale != model.default_locale:
        return f"is not localized: set it under {model.default_locale!r} only"
    if channel is not None:
        if not field.visible_on(channel):
            return f"is not shown on {channel} (only on: {', '.join(field.channels or [])})"
        if field.unique or field.kind == "slug":
            return "is unique across entries and cannot differ per channel"
        if field.kind == "variants":
            return "variants are shared by every channel: edit them in the base values"
    return None
