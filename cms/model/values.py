"""Validate and normalize one field value by kind; pure, no database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision

from cms.model.definitions import FieldDef
from cms.richtext import RichTextError, parse_rich_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


Params = dict[str, "str | int"]
"""The values a problem's sentence names (lengths, limits, the value typed), by name."""


class ValueProblem(ValueError):
    """A value that does not fit its field; `path` is relative to the field ('' for the value itself)."""

    def __init__(self, reason: str, path: str = "", *, code: str = "", params: Params | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.code = code
        """What went wrong, for a reader in any language (the admin's catalogue renders it with `params`)."""
        self.params: Params = params or {}


def normalize_value(field: FieldDef, value: Any) -> Any:
    """The stored form of `value` for `field`, or ValueProblem saying why it does not fit."""
    return _NORMALIZERS[field.kind](field, value)


def _string(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueProblem(f"expected text, got {_describe(value)}", code="expected_text", params=_got(value))
    if field.max_length is not None and len(value) > field.max_length:
        over = len(value) - field.max_length
        raise ValueProblem(
            f"is {len(value)} characters long, over the limit of {field.max_length} by {over}",
            code="too_long",
            params={"length": len(value), "limit": field.max_length, "over": over},
        )
    if field.unique and len(value) > MAX_UNIQUE_LENGTH:
        raise ValueProblem(
            f"is {len(value)} characters long; a unique value has at most {MAX_UNIQUE_LENGTH}",
            code="unique_too_long",
            params={"length": len(value), "limit": MAX_UNIQUE_LENGTH},
        )
    if "\x00" in value:
        raise ValueProblem("contains a NUL character (\\u0000), which cannot be stored", code="nul_character")
    if field.format == "gtin" and not is_valid_gtin(value):
        raise ValueProblem(
            f"{value!r} is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)",
            code="not_gtin",
            params={"value": value},
        )
    if field.format == "url" and not re.match(r"^https?://\S+$", value):
        raise ValueProblem(f"{value!r} is not an http(s) URL", code="not_url", params={"value": value})
    if field.format == "email" and not EMAIL.match(value):
        raise ValueProblem(f"{value!r} is not an email address", code="not_email", params={"value": value})
    return value


MAX_SLUG_LENGTH = 200
MAX_UNIQUE_LENGTH = 400


def _slug(field: FieldDef, value: Any) -> str:
    value = _string(field, value)
    if len(value) > MAX_SLUG_LENGTH:
        raise ValueProblem(
            f"is {len(value)} characters long; a slug has at most {MAX_SLUG_LENGTH}",
            code="slug_too_long",
            params={"length": len(value), "limit": MAX_SLUG_LENGTH},
        )
    if not SLUG.match(value):
        raise ValueProblem(
            f"{value!r} is not a slug: use lower-case letters, digits and single hyphens",
            code="not_slug",
            params={"value": value},
        )
    return value


def _integer(field: FieldDef, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem(
            f"expected a whole number, got {_describe(value)}", code="expected_integer", params=_got(value)
        )
    _check_bounds(field, value)
    return value


def _decimal(field: FieldDef, value: Any) -> str:
    number = _to_decimal(value)
    if field.scale is not None and number.as_tuple().exponent < -field.scale:  # type: ignore[operator]
        raise ValueProblem(
            f"{value} has more than {field.scale} decimal places",
            code="too_many_places",
            params={"value": str(value), "places": field.scale},
        )
    _check_bounds(field, number)
    if field.scale is not None:
        # A fixed number of places, so "4" and "4.0" are stored (and served) alike as "4.0".
        number = number.quantize(Decimal(1).scaleb(-field.scale))
    return format(number, "f")


def _boolean(field: FieldDef, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueProblem(
            f"expected true or false, got {_describe(value)}", code="expected_boolean", params=_got(value)
        )
    return value


def _datetime(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueProblem(
            f"expected an ISO 8601 date and time, got {_describe(value)}", code="expected_datetime", params=_got(value)
        )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueProblem(
            f"{value!r} is not an ISO 8601 date and time, e.g. 2026-03-01T09:00:00Z",
            code="not_datetime",
            params={"value": value},
        ) from None
    if parsed.tzinfo is None:
        raise ValueProblem(
            f"{value!r} has no timezone: add Z or an offset such as +01:00", code="no_timezone", params={"value": value}
        )
    return format_datetime(parsed)


def _enum(field: FieldDef, value: Any) -> str:
    if value not in field.values:
        raise ValueProblem(
            f"{value!r} is not one of: {', '.join(field.values)}",
            code="not_in_enum",
            params={"value": str(value), "values": ", ".join(field.values)},
        )
    return str(value)


def _money(field: FieldDef, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
        raise ValueProblem('expected {"amount": "12.99", "currency": "EUR"}', code="expected_money")
    currency = value["currency"]
    if not isinstance(currency, str) or not CURRENCY.match(currency):
        raise ValueProblem(
            f"{currency!r} is not an ISO 4217 currency code such as EUR",
            "currency",
            code="not_currency",
            params={"value": str(currency)},
        )
    try:
        amount = _to_decimal(value["amount"])
    except ValueProblem as problem:
        raise ValueProblem(problem.reason, "amount", code=problem.code, params=problem.params) from None
    if amount < 0:
        raise ValueProblem("cannot be negative", "amount", code="negative")
    places = get_currency_precision(currency)
    if amount.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueProblem(
            f"{currency} amounts have at most {places} decimal places",
            "amount",
            code="currency_places",
            params={"currency": currency, "places": places},
        )
    return {"amount": format(amount.quantize(Decimal(1).scaleb(-places)), "f"), "currency": currency}


def _reference(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueProblem(
            f"expected the id of a {field.to} entry, got {_describe(value)}",
            code="expected_reference",
            params=_got(value),
        )
    return value


def _references(field: FieldDef, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValueProblem(
            f"expected a list of {field.to} entry ids, got {_describe(value)}", code="expected_list", params=_got(value)
        )
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item:
            raise ValueProblem(
                f"expected the id of a {field.to} entry, got {_describe(item)}",
                f"[{index}]",
                code="expected_reference",
                params=_got(item),
            )
    if len(set(value)) != len(value):
        raise ValueProblem("lists the same entry twice", code="duplicate_reference")
    return list(value)


def _asset(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueProblem(
            f"expected the id of an asset, got {_describe(value)}", code="expected_asset", params=_got(value)
        )
    return value


def _assets(field: FieldDef, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValueProblem(
            f"expected a list of asset ids, got {_describe(value)}", code="expected_list", params=_got(value)
        )
    return [_asset(field, item) for item in value]


def _rich_text(field: FieldDef, value: Any) -> dict[str, Any]:
    try:
        parse_rich_text(value)
    except RichTextError as error:
        raise ValueProblem(error.reason, error.path) from None
    return value  # type: ignore[no-any-return]


def _object(field: FieldDef, value: Any) -> Any:
    if field.repeatable:
        if not isinstance(value, list):
            raise ValueProblem(
                f"expected a list of objects, got {_describe(value)}", code="expected_list", params=_got(value)
            )
        return [_one_object(field, item, f"[{index}]") for index, item in enumerate(value)]
    return _one_object(field, value, "")


def _one_object(field: FieldDef, value: Any, prefix: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueProblem(
            f"expected an object, got {_describe(value)}", prefix, code="expected_object", params=_got(value)
        )
    known = {sub.name: sub for sub in field.fields}
    for name in value:
        if name not in known:
            raise ValueProblem(
                f"unknown field {name!r} (expected: {', '.join(known)})",
                f"{prefix}.{name}".lstrip("."),
                code="unknown_subfield",
                params={"name": name, "known": ", ".join(known)},
            )
    result = {}
    for sub in field.fields:
        path = f"{prefix}.{sub.name}".lstrip(".")
        if value.get(sub.name) in (None, ""):
            if sub.required:
                raise ValueProblem("is required", path, code="required")
            continue
        try:
            result[sub.name] = normalize_value(sub, value[sub.name])
        except ValueProblem as problem:
            raise ValueProblem(
                problem.reason,
                f"{path}{'.' if problem.path and not problem.path.startswith('[') else ''}{problem.path}",
                code=problem.code,
                params=problem.params,
            ) from None
    return result


def _json(field: FieldDef, value: Any) -> Any:
    return value


def _variants(field: FieldDef, value: Any) -> Any:
    # Variants are checked against their type's option axes: cms.model.variants.normalize_variants.
    raise ValueProblem("variants are checked with their content type's options (cms.model.variants)")


def _check_bounds(field: FieldDef, number: int | Decimal) -> None:
    if field.min is not None and number < Decimal(str(field.min)):
        raise ValueProblem(
            f"{number} is below the minimum of {_plain(field.min)}",
            code="below_minimum",
            params={"value": str(number), "minimum": _plain(field.min)},
        )
    if field.max is not None and number > Decimal(str(field.max)):
        raise ValueProblem(
            f"{number} is above the maximum of {_plain(field.max)}",
            code="above_maximum",
            params={"value": str(number), "maximum": _plain(field.max)},
        )


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueProblem(
            f'expected a decimal number such as "12.5", got {_describe(value)}',
            code="expected_decimal",
            params=_got(value),
        )
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueProblem(
            f"{value!r} is not a decimal number", code="not_decimal", params={"value": str(value)}
        ) from None
    if not number.is_finite():
        raise ValueProblem(f"{value!r} is not a finite number", code="not_finite", params={"value": str(value)})
    if abs(number.adjusted()) > 30 or len(number.as_tuple().digits) > 40:
        raise ValueProblem(
            f"{value!r} is out of range: at most 30 digits before the point and 40 digits in all",
            code="out_of_range",
            params={"value": str(value)},
        )
    return number


def is_valid_gtin(code: str) -> bool:
    """GTIN-8/12/13/14: digits only, last digit the mod-10 check digit of the others."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(char) for char in code]
    body = digits[:-1][::-1]
    total = sum(digit * (3 if index % 2 == 0 else 1) for index, digit in enumerate(body))
    return (10 - total % 10) % 10 == digits[-1]


def format_datetime(value: dt.datetime) -> str:
    """UTC, second precision, `Z` suffix: the one stored and served form of a datetime."""
    return value.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _got(value: Any) -> Params:
    """What was given instead, as a word the catalogue knows: text, boolean, number, list, object, nothing, other."""
    kinds = {str: "text", bool: "boolean", int: "number", float: "number", list: "list", dict: "object"}
    return {"got": "nothing" if value is None else kinds.get(type(value), "other")}


def _describe(value: Any) -> str:
    names = {str: "text", bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


_NORMALIZERS: dict[str, Callable[[FieldDef, Any], Any]] = {
    "string": _string,
    "text": _string,
    "slug": _slug,
    "rich_text": _rich_text,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "datetime": _datetime,
    "enum": _enum,
    "money": _money,
    "reference": _reference,
    "references": _references,
    "asset": _asset,
    "assets": _assets,
    "object": _object,
    "json": _json,
    "variants": _variants,
}
