"""How model names become GraphQL names."""

from __future__ import annotations

import functools
import re

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
ENUM_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@functools.cache  # a model has a few hundred names; publishing asks for each one per document and field
def camel_case(name: str) -> str:
    """`social_text` -> `socialText`."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pascal_case(name: str) -> str:
    """`brand_message` -> `BrandMessage`."""
    return "".join(part.capitalize() for part in name.split("_"))


def enum_member(value: str) -> str:
    """`in_stock` -> `IN_STOCK`: how an enum value is spelled in GraphQL."""
    return value.upper()
