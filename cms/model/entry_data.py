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
    code: str = ""
    """What went wrong, for a reader in any language: the admin renders `code` with `params` from its catalogue."""
    params: dict[str, str | int] = {}

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
            known = ", ".join(model.channels)
            errors.append(
                FieldError(
                    f"overrides.{channel}",
                    f"unknown channel (known: {known})",
                    "unknown_channel",
                    {"channel": channel, "known": known},
                )
            )
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
            errors.append(FieldError(f"base.{model.default_locale}.{field.name}", "is required", "required"))
    errors += _order_problems(model, content_type, default_values, invalid)
    if errors:
        raise InvalidEntryError(errors)
    return EntryData(base={locale: values for locale, values in base.items() if values}, overrides=overrides)


def _order_problems(
    model: ContentModel, content_type: ContentType, values: FieldValues, invalid: set[str]
) -> list[FieldError]:
    """Datetime fields that must come after another (`after`): stored as `YYYY-MM-DDTHH:MM:SSZ` (UTC, second
    precision), so the texts compare as the instants do."""
    problems = []
    for field in content_type.fields:
        if field.after is None or {field.name, field.after} & invalid:
            continue
        later, earlier = values.get(field.name), values.get(field.after)
        if isinstance(later, str) and isinstance(earlier, str) and later <= earlier:
            problems.append(
                FieldError(
                    f"base.{model.default_locale}.{field.name}",
                    f"must come after {field.after} ({earlier}), got {later}",
                    "not_after",
                    {"after": field.after, "earlier": earlier},
                )
            )
    return problems


def _known_locale(model: ContentModel, locale: str, path: str, errors: list[FieldError]) -> bool:
    if locale in model.locales:
        return True
    known = ", ".join(model.locales)
    errors.append(
        FieldError(path, f"unknown locale (known: {known})", "unknown_locale", {"locale": locale, "known": known})
    )
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
        placement = _placement_problem(model, content_type, field, name, locale, channel)
        if placement:
            errors.append(FieldError(path, *placement))
            continue
        assert field is not None
        if value is None or value == "":
            continue  # an empty value is the same as no value: the fallback applies
        if field.max_length is not None and isinstance(value, str) and field.kind in ("string", "text"):
            too_long = _over_max_length(model, content_type, field, channel, value)
            if too_long:
                errors.append(FieldError(path, *too_long))
                continue
            field = msgspec.structs.replace(field, max_length=None)  # checked just above, the channels' way
        try:
            result[name] = (
                normalize_variants(content_type, value) if field.kind == "variants" else normalize_value(field, value)
            )
        except ValueProblem as problem:
            separator = "" if problem.path.startswith("[") else "."
            where = f"{path}{separator if problem.path else ''}{problem.path}"
            errors.append(FieldError(where, problem.reason, problem.code, problem.params))
    return result


Problem = tuple[str, str, dict[str, "str | int"]]
"""reason (English, the API's words), code and params (what the admin's catalogue renders)."""


def _over_max_length(
    model: ContentModel, content_type: ContentType, field: FieldDef, channel: str | None, value: str
) -> Problem | None:
    """Why `value` is over the field's `max_length` as the channels serving it count (cms.model.field_length)."""
    assert field.max_length is not None
    length, counted_on, method = measure(model, content_type.name, field, channel, value)
    if length <= field.max_length:
        return None
    over = length - field.max_length
    how = f" as {counted_on} counts them ({method})" if counted_on else ""
    params: dict[str, str | int] = {"length": length, "limit": field.max_length, "over": over}
    if counted_on:
        params |= {"channel": counted_on, "method": method or ""}
    reason = f"is {length} characters long{how}, over the limit of {field.max_length} by {over}"
    return reason, "too_long_on" if counted_on else "too_long", params


def _placement_problem(
    model: ContentModel, content_type: ContentType, field: FieldDef | None, name: str, locale: str, channel: str | None
) -> Problem | None:
    if field is None:
        known = ", ".join(f.name for f in content_type.fields)
        return (
            f"unknown field of {content_type.name} (fields: {known})",
            "unknown_field",
            {"name": name, "known": known},
        )
    if not field.localized and locale != model.default_locale:
        reason = f"is not localized: set it under {model.default_locale!r} only"
        return reason, "not_localized", {"locale": model.default_locale}
    if channel is not None:
        if not field.visible_on(channel):
            only = ", ".join(field.channels or [])
            return f"is not shown on {channel} (only on: {only})", "not_on_channel", {"channel": channel, "only": only}
        if field.unique or field.kind == "slug":
            return "is unique across entries and cannot differ per channel", "unique_per_channel", {}
        if field.kind == "variants":
            return "variants are shared by every channel: edit them in the base values", "variants_per_channel", {}
    return None
