"""Scalars of the delivery schemas. Stored documents already hold their output form, so serializing is identity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from cms.lib.cursors import cursor_offset
from cms.model.values import format_datetime

MAX_EXPONENT = 30


def _parse_decimal(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'{value!r} is not a decimal number, e.g. "12.99"') from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if abs(number.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"{value!r} is out of range (at most {MAX_EXPONENT} digits before or after the point)")
    return format(number, "f")


def _parse_datetime(value: Any) -> str:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date and time, e.g. 2026-03-01T09:00:00Z") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return format_datetime(parsed)


def _parse_cursor(value: Any) -> str:
    if not isinstance(value, str) or cursor_offset(value) is None:
        raise ValueError(f"{value!r} is not a cursor returned by this API: send a `cursor` or `endCursor` of an answer")
    return value


DecimalScalar = NewType("DecimalScalar", str)
CursorScalar = NewType("CursorScalar", str)
DateTimeScalar = NewType("DateTimeScalar", str)
JSONScalar = NewType("JSONScalar", object)


def _identity(value: Any) -> Any:
    return value


SCALAR_MAP: dict[object, ScalarDefinition] = {
    DecimalScalar: strawberry.scalar(
        name="Decimal",
        description='An exact decimal number, sent as a string such as "12.99".',
        serialize=_identity,
        parse_value=_parse_decimal,
    ),
    DateTimeScalar: strawberry.scalar(
        name="DateTime",
        description="An instant in ISO 8601, always served in UTC: 2026-03-01T09:00:00Z.",
        serialize=_identity,
        parse_value=_parse_datetime,
    ),
    CursorScalar: strawberry.scalar(
        name="Cursor",
        description=(
            "A position in a list, as an answer gave it (an edge's `cursor`, `pageInfo.endCursor`), sent back as"
            " `after`: opaque; any other text fails validation."
        ),
        serialize=_identity,
        parse_value=_parse_cursor,
    ),
    JSONScalar: strawberry.scalar(
        name="JSON", description="Any JSON value.", serialize=_identity, parse_value=_identity
    ),
}
