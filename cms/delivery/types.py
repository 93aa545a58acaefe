"""GraphQL object and input types shared by every channel schema, and the dynamic-type helpers."""

from __future__ import annotations

import enum
import inspect
import sys
import types
from collections.abc import Callable
from typing import Any, Optional

import strawberry

from cms.delivery.scalars import DateTimeScalar, DecimalScalar, JSONScalar


@strawberry.type(description="Relay pagination state of a connection.")
class PageInfo:
    hasNextPage: bool
    hasPreviousPage: bool
    startCursor: str | None
    endCursor: str | None


@strawberry.type(description="A price: exact amount, ISO 4217 currency, and the amount formatted for the locale.")
class Money:
    amount: DecimalScalar
    currency: str
    formatted: str


@strawberry.type(description="Where the subject of an image is, as fractions of its width and height (0..1).")
class FocalPoint:
    x: float
    y: float


@strawberry.enum(description="An image encoding.")
class ImageFormat(enum.Enum):
    WEBP = "webp"
    AVIF = "avif"
    JPEG = "jpeg"
    PNG = "png"


@strawberry.enum(description="Sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Match on text: equal to, one of, or containing (case-insensitive).")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None


@strawberry.input(description="Match on a whole number.")
class IntFilter:
    eq: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


@strawberry.input(description="Match on a decimal number.")
class DecimalFilter:
    eq: DecimalScalar | None = None
    in_: list[DecimalScalar] | None = strawberry.field(default=None, name="in")
    gt: DecimalScalar | None = None
    gte: DecimalScalar | None = None
    lt: DecimalScalar | None = None
    lte: DecimalScalar | None = None


@strawberry.input(description="Match on a price amount (and optionally its currency).")
class MoneyFilter:
    eq: DecimalScalar | None = None
    gt: DecimalScalar | None = None
    gte: DecimalScalar | None = None
    lt: DecimalScalar | None = None
    lte: DecimalScalar | None = None
    currency: str | None = None


@strawberry.input(description="Match on an instant.")
class DateTimeFilter:
    eq: DateTimeScalar | None = None
    gt: DateTimeScalar | None = None
    gte: DateTimeScalar | None = None
    lt: DateTimeScalar | None = None
    lte: DateTimeScalar | None = None


@strawberry.input(description="Match on true or false.")
class BooleanFilter:
    eq: bool | None = None


@strawberry.input(description="Match on the id of the referenced entry.")
class ReferenceFilter:
    eq: strawberry.ID | None = None
    in_: list[strawberry.ID] | None = strawberry.field(default=None, name="in")


@strawberry.input(description="Match entries whose list of references contains this id.")
class ReferencesFilter:
    contains: strawberry.ID | None = None


SCALAR_ANNOTATIONS: dict[str, Any] = {
    "string": str,
    "text": str,
    "slug": str,
    "integer": int,
    "decimal": DecimalScalar,
    "boolean": bool,
    "datetime": DateTimeScalar,
    "json": JSONScalar,
    "money": Money,
}

FILTERS: dict[str, Any] = {
    "string": StringFilter,
    "text": StringFilter,
    "slug": StringFilter,
    "integer": IntFilter,
    "decimal": DecimalFilter,
    "money": MoneyFilter,
    "datetime": DateTimeFilter,
    "boolean": BooleanFilter,
    "reference": ReferenceFilter,
    "references": ReferencesFilter,
}


def optional(annotation: Any) -> Any:
    """`annotation | None` for a type built at run time (type checkers cannot follow those)."""
    return annotation | None


def list_of(annotation: Any) -> Any:
    return list[annotation]


class Namespace:
    """A module of its own for one schema's dynamic types, so string annotations resolve in it."""

    _count = 0

    def __init__(self, label: str) -> None:
        Namespace._count += 1
        self.module = types.ModuleType(f"cms_delivery_schema_{label}_{Namespace._count}")
        self.module.__dict__.update({"Optional": Optional, "list": list, "strawberry": strawberry})
        sys.modules[self.module.__name__] = self.module

    def add(self, name: str, value: Any) -> Any:
        if name in self.module.__dict__:
            raise ValueError(f"GraphQL type name {name!r} generated twice (the model checks should have refused it)")
        setattr(self.module, name, value)
        return value

    def object_type(
        self, name: str, annotations: dict[str, Any], attributes: dict[str, Any], description: str | None
    ) -> Any:
        cls = type(name, (), {"__annotations__": annotations, "__module__": self.module.__name__, **attributes})
        return self.add(name, strawberry.type(cls, description=description))

    def input_type(
        self, name: str, annotations: dict[str, Any], description: str | None, defaults: dict[str, Any] | None = None
    ) -> Any:
        """An input type; fields default to null unless `defaults` names them (a required field: ...)."""
        defaults = {key: None for key in annotations} | (defaults or {})
        defaults = {
            key: strawberry.field(default=value, name="in") if key == "in_" else value
            for key, value in defaults.items()
            if value is not ...
        }
        cls = type(name, (), {"__annotations__": annotations, "__module__": self.module.__name__, **defaults})
        return self.add(name, strawberry.input(cls, description=description))

    def enum_type(self, name: str, members: dict[str, str], description: str | None = None) -> Any:
        python_enum: Any = enum.Enum(name, members)  # type: ignore[misc]
        return self.add(name, strawberry.enum(python_enum, description=description))

    def resolver(
        self,
        function: Callable[..., Any],
        name: str,
        arguments: list[tuple[str, Any, Any]],
        returns: Any,
        *,
        with_root: bool,
    ) -> Callable[..., Any]:
        """Give `function(**kwargs)` the signature Strawberry reads: root, info, then `arguments`."""
        keyword = inspect.Parameter.KEYWORD_ONLY
        parameters = [inspect.Parameter("root", keyword)] if with_root else []
        parameters.append(inspect.Parameter("info", keyword, annotation=strawberry.Info))
        parameters += [
            inspect.Parameter(arg, keyword, annotation=kind, default=default) for arg, kind, default in arguments
        ]
        function.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
        function.__module__ = self.module.__name__
        function.__name__ = function.__qualname__ = name
        return function
