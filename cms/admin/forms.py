"""An entry's data as an HTML form and back: one input per value, named by where the value lives.

Names (a contract the editor's templates and the live feedback rely on):
`base.<locale>.<field>`, `overrides.<channel>.<locale>.<field>`, object rows
`base.<locale>.<field>.<index>.<sub>`, money `….amount` / `….currency`; reference(s) and asset(s)
repeat their name once per id. Variants are a grid of rows `base.<locale>.variants.<index>.` + `sku`,
`gtin`, `price.amount`, `price.currency`, `options.<option>` and `images` (one per id). An empty input
means "no value" (the fallback applies), so an override holds only what the editor typed for that channel.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

from cms.admin.entry_richtext import markup_to_rich_text, rich_text_to_markup
from cms.admin.time_zone import UTC
from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError

FormValues = Mapping[str, "str | list[str]"]
MISSING: Any = object()
MULTIPLE_KINDS = frozenset({"references", "assets"})


class Writing(NamedTuple):
    """How the editor writes numbers and times: in the admin's language, in the browser's time zone."""

    language: str = "en"
    zone: ZoneInfo = UTC


class _Problem(ValueError):
    def __init__(self, reason: str, suffix: str = "", *, code: str = "", params: dict[str, str | int] | None = None):
        super().__init__(reason)
        self.reason, self.suffix = reason, suffix
        self.code, self.params = code, params or {}


# --- where values live -----------------------------------------------------------------------


def layers(model: ContentModel, content_type: ContentType) -> Iterator[tuple[str, str, str | None, FieldDef]]:
    """Every (name prefix, locale, channel or None, field) an entry of this type can hold a value at."""
    for field in content_type.fields:
        for locale in model.locales if field.localized else [model.default_locale]:
            yield f"base.{locale}.", locale, None, field
    for channel in model.channels:
        if not model.channels[channel].exposes(content_type.name):
            continue
        for field in content_type.fields:
            if not overridable(field, channel):
                continue
            for locale in model.locales if field.localized else [model.default_locale]:
                yield f"overrides.{channel}.{locale}.", locale, channel, field


def overridable(field: FieldDef, channel: str) -> bool:
    """A channel may override a field it shows, except unique values (the same across channels)."""
    return field.visible_on(channel) and not field.unique and field.kind not in ("slug", "variants")


# --- form -> entry data ----------------------------------------------------------------------


def entry_data_from_form(model: ContentModel, type_name: str, form: FormValues) -> EntryData:
    """The entry data the form holds; InvalidEntryError names every input that cannot be read."""
    data, errors = decode_form(model, type_name, form)
    if errors:
        raise InvalidEntryError(errors)
    return data


def decode_form(
    model: ContentModel, type_name: str, form: FormValues, language: str = "en", zone: ZoneInfo | None = None
) -> tuple[EntryData, list[FieldError]]:
    """The entry data the form holds (unreadable inputs left out) and the problems with those inputs.

    Numbers may be typed the way the admin's `language` writes them ("39,90" in French), besides "39.90";
    dates and times are wall times in the editor's `zone` (UTC by default), stored in UTC.
    """
    how = Writing(language, zone or UTC)
    content_type = model.types[type_name]
    base: dict[str, dict[str, Any]] = {}
    overrides: dict[str, dict[str, dict[str, Any]]] = {}
    errors: list[FieldError] = []
    for prefix, locale, channel, field in layers(model, content_type):
        name = prefix + field.name
        try:
            value = (
                _read_variants(form, name, content_type)
                if field.kind == "variants"
                else _read_field(form, name, field, how)
            )
        except _Problem as problem:
            errors.append(FieldError(name + problem.suffix, problem.reason, problem.code, problem.params))
            continue
        if value is MISSING:
            continue
        target = base if channel is None else overrides.setdefault(channel, {})
        target.setdefault(locale, {})[field.name] = value
    return EntryData(base=base, overrides=overrides), errors


def _read_field(form: FormValues, name: str, field: FieldDef, how: Writing) -> Any:
    if field.kind == "object":
        return _read_object(form, name, field, how)
    if field.kind == "money":
        amount, currency = _last(form, f"{name}.amount").strip(), _last(form, f"{name}.currency").strip()
        return {"amount": decimal_input(amount, how.language), "currency": currency.upper()} if amount else MISSING
    if field.kind in MULTIPLE_KINDS:
        ids = [value.strip() for value in _all(form, name) if value.strip()]
        return list(dict.fromkeys(ids)) if ids else MISSING
    if field.kind == "boolean":
        present = _all(form, name)
        return present[-1] == "true" if present else MISSING
    return _read_text_kind(_last(form, name), field, how)


def decimal_input(raw: str, language: str) -> str:
    """A number typed with the language's decimal comma and grouping ("1 234,5" in French) as "1234.5".

    Anything else is returned as typed, for the model's validation to accept ("39.90") or name.
    """
    if language == "en" or not re.fullmatch(r"[+-]?[\d\s\u00a0\u202f.]*,\d+", raw):
        return raw
    try:
        return format(parse_decimal(re.sub(r"[\s\u00a0\u202f]", "", raw), locale=language, strict=True), "f")
    except NumberFormatError:
        return raw


def _read_text_kind(raw: str, field: FieldDef, how: Writing) -> Any:
    if field.kind in ("string", "text", "slug"):
        return raw if raw.strip() else MISSING
    raw = raw.strip()
    if not raw:
        return MISSING
    if field.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise _Problem(f"{raw!r} is not a whole number", code="not_integer", params={"value": raw})
        return int(raw)
    if field.kind == "decimal":
        return decimal_input(raw, how.language)
    if field.kind == "datetime":
        return _datetime_from_input(raw, how.zone)
    if field.kind == "rich_text":
        return markup_to_rich_text(raw) or MISSING
    if field.kind == "json":
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise _Problem(
                f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                code="not_json",
                params={"line": error.lineno, "column": error.colno},
            ) from None
    return raw  # decimal, enum, reference, asset: checked by the model's validation


def _datetime_from_input(raw: str, zone: ZoneInfo) -> str:
    """`datetime-local` inputs hold wall time in the editor's zone (named beside them); stored values are UTC, `Z`."""
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _Problem(
            f"{raw!r} is not a date and time such as 2026-03-01T09:00", code="not_datetime", params={"value": raw}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _read_object(form: FormValues, name: str, field: FieldDef, how: Writing) -> Any:
    if not field.repeatable:
        return _read_object_row(form, name, "", field, how) or MISSING
    rows = [row for index in row_indexes(form, name) if (row := _read_object_row(form, name, f".{index}", field, how))]
    return rows or MISSING


def _read_object_row(form: FormValues, name: str, row: str, field: FieldDef, how: Writing) -> dict[str, Any]:
    """One object's sub-fields at `<name><row>.<sub>`; an all-empty row is no row."""
    values = {}
    for sub in field.fields:
        try:
            value = _read_field(form, f"{name}{row}.{sub.name}", sub, how)
        except _Problem as problem:
            raise _Problem(
                problem.reason, f"{row}.{sub.name}{problem.suffix}", code=problem.code, params=problem.params
            ) from None
        if value is not MISSING:
            values[sub.name] = value
    return values


def _read_variants(form: FormValues, name: str, content_type: ContentType) -> Any:
    """The variant rows of the grid, as typed (the model checks them); an all-empty row is no row."""
    rows = []
    for index in row_indexes(form, name):
        row = f"{name}.{index}"
        variant: dict[str, Any] = {key: _last(form, f"{row}.{key}").strip() for key in ("sku", "gtin")}
        amount = _last(form, f"{row}.price.amount").strip()
        if amount:
            variant["price"] = {"amount": amount, "currency": _last(form, f"{row}.price.currency").strip().upper()}
        former = _last(form, f"{row}.compare_at.amount").strip()
        if former:  # kept as it is (hidden inputs), as images are: set by the API and the Shopify import
            variant["compare_at"] = {"amount": former, "currency": _last(form, f"{row}.compare_at.currency").strip()}
        images = [value.strip() for value in _all(form, f"{row}.images") if value.strip()]
        if images:
            variant["images"] = images
        chosen = {axis.name: _last(form, f"{row}.options.{axis.name}") for axis in content_type.options}
        variant["options"] = {axis: value for axis, value in chosen.items() if value}
        if any(variant[key] for key in ("sku", "gtin", "options")) or "price" in variant or images:
            rows.append({key: value for key, value in variant.items() if value or key == "options"})
    return rows or MISSING


def compact_variant_rows(model: ContentModel, type_name: str, form: FormValues) -> FormValues:
    """The form with its variant rows numbered 0, 1, 2… as saved (empty rows left out), so the errors of a
    refused save (`variants[1].gtin`, numbered as saved) land on the cells of the rows the page shows."""
    field = model.types[type_name].variants_field
    if field is None or not form:
        return form
    name = f"base.{model.default_locale}.{field.name}"
    rows = _read_variants(form, name, model.types[type_name])
    kept = {key: value for key, value in form.items() if not key.startswith(f"{name}.")}
    if rows is not MISSING:
        kept |= form_from_entry_data(model, type_name, EntryData(base={model.default_locale: {field.name: rows}}))
    return kept


def _write_variants(form: dict[str, str | list[str]], name: str, value: list[dict[str, Any]]) -> None:
    for index, variant in enumerate(value):
        row = f"{name}.{index}"
        form[f"{row}.sku"], form[f"{row}.gtin"] = str(variant.get("sku", "")), str(variant.get("gtin", ""))
        if variant.get("price"):
            form[f"{row}.price.amount"] = str(variant["price"].get("amount", ""))
            form[f"{row}.price.currency"] = str(variant["price"].get("currency", ""))
        if variant.get("compare_at"):
            form[f"{row}.compare_at.amount"] = str(variant["compare_at"].get("amount", ""))
            form[f"{row}.compare_at.currency"] = str(variant["compare_at"].get("currency", ""))
        if variant.get("images"):
            form[f"{row}.images"] = [str(image) for image in variant["images"]]
        for axis, chosen in (variant.get("options") or {}).items():
            form[f"{row}.options.{axis}"] = str(chosen)


def row_indexes(form: Mapping[str, Any], name: str) -> list[int]:
    """The row numbers of a repeatable object in the form, in order (removed rows leave gaps)."""
    pattern = re.compile(re.escape(name) + r"\.(\d+)\.")
    return sorted({int(found[1]) for key in form if (found := pattern.match(key))})


def _all(form: FormValues, name: str) -> list[str]:
    value = form.get(name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _last(form: FormValues, name: str) -> str:
    values = _all(form, name)
    return values[-1] if values else ""


# --- entry data -> form ----------------------------------------------------------------------


def form_from_entry_data(
    model: ContentModel, type_name: str, data: EntryData, language: str = "en", zone: ZoneInfo | None = None
) -> dict[str, str | list[str]]:
    """The form inputs showing `data`: the inverse of `decode_form` (numbers written the `language`'s way,
    dates and times as wall times in `zone`)."""
    form: dict[str, str | list[str]] = {}
    how = Writing(language, zone or UTC)
    for prefix, locale, channel, field in layers(model, model.types[type_name]):
        values = data.base.get(locale, {}) if channel is None else data.overrides.get(channel, {}).get(locale, {})
        if field.name in values and field.kind == "variants":
            _write_variants(form, prefix + field.name, values[field.name] or [])
        elif field.name in values:
            _write_field(form, prefix + field.name, field, values[field.name], how)
    return form


def _write_field(form: dict[str, str | list[str]], name: str, field: FieldDef, value: Any, how: Writing) -> None:
    point = get_decimal_symbol(how.language)
    if value is None:
        return
    if field.kind == "object":
        rows = value if field.repeatable else [value]
        for index, row in enumerate(rows):
            prefix = f"{name}.{index}" if field.repeatable else name
            for sub in field.fields:
                if sub.name in row:
                    _write_field(form, f"{prefix}.{sub.name}", sub, row[sub.name], how)
    elif field.kind == "money":
        form[f"{name}.amount"] = str(value.get("amount", "")).replace(".", point)
        form[f"{name}.currency"] = str(value.get("currency", ""))
    elif field.kind in MULTIPLE_KINDS:
        form[name] = [str(item) for item in value]
    elif field.kind == "decimal":
        form[name] = str(value).replace(".", point)
    elif field.kind == "datetime" and isinstance(value, str) and how.zone.key != "UTC":
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        form[name] = instant.astimezone(how.zone).replace(tzinfo=None).isoformat()
    else:
        form[name] = input_text(field, value)


def input_text(field: FieldDef, value: Any) -> str:
    """A single value as its input shows it."""
    if field.kind == "boolean":
        return "true" if value else "false"
    if field.kind == "datetime" and isinstance(value, str):
        return value.removesuffix("Z")
    if field.kind == "rich_text" and isinstance(value, dict):
        return rich_text_to_markup(value)
    if field.kind == "json":
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


def input_id(name: str) -> str:
    """An element id for an input name: dots and brackets become hyphens (`base-en-name`)."""
    return re.sub(r"[.\[\]]+", "-", name).strip("-")
