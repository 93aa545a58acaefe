"""Validation of what an editor sends about an asset (alt text, focal point), every problem naming its field."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from cms.media.errors import InvalidAssetChange

MAX_ALT_LENGTH = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
CHANGEABLE = ("focalPoint", "alt")


@dataclass(frozen=True)
class AssetChange:
    focal: tuple[float, float] | None = None
    alt: Mapping[str, str | None] | None = None
    """Per locale: the new text, or None to remove it."""


def parse_change(body: bytes, locales: Collection[str]) -> AssetChange:
    """A PATCH body `{focalPoint: {x, y}, alt: {locale: text | null}}`, or InvalidAssetChange."""
    try:
        document = msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        raise InvalidAssetChange([("body", f"not valid JSON ({error})")]) from None
    if not isinstance(document, dict) or not document:
        raise InvalidAssetChange([("body", f"send a JSON object with {' and/or '.join(CHANGEABLE)}")])
    problems = [(key, f"unknown field (expected {', '.join(CHANGEABLE)})") for key in document if key not in CHANGEABLE]
    focal = _focal_point(document["focalPoint"], problems) if "focalPoint" in document else None
    alt = None
    if "alt" in document:
        if isinstance(document["alt"], dict):
            alt = check_alt(document["alt"], locales, problems, allow_removal=True)
        else:
            problems.append(("alt", 'an object of texts per locale, e.g. {"en": "…", "fr": "…"}'))
    if problems:
        raise InvalidAssetChange(problems)
    return AssetChange(focal=focal, alt=alt)


def check_alt(
    alt: Mapping[str, Any], locales: Collection[str], problems: list[tuple[str, str]], *, allow_removal: bool = False
) -> dict[str, str | None]:
    """Alt texts by known locale, trimmed; problems are appended to `problems`."""
    checked: dict[str, str | None] = {}
    for locale, text in alt.items():
        field = f"alt.{locale}"
        if locale not in locales:
            problems.append((field, f"unknown locale (known: {', '.join(sorted(locales))})"))
        elif text is None and allow_removal:
            checked[locale] = None
        elif not isinstance(text, str):
            problems.append((field, "must be a string" + (" or null (to remove it)" if allow_removal else "")))
        elif len(text) > MAX_ALT_LENGTH:
            problems.append((field, f"is {len(text)} characters long, over {MAX_ALT_LENGTH}: shorten it"))
        else:
            checked[locale] = _CONTROL.sub("", text).strip() or None
    return checked


def _focal_point(value: Any, problems: list[tuple[str, str]]) -> tuple[float, float] | None:
    if not isinstance(value, dict) or set(value) != {"x", "y"}:
        problems.append(("focalPoint", 'an object {"x": …, "y": …} of numbers between 0 and 1'))
        return None
    coordinates = []
    for axis in ("x", "y"):
        number = value[axis]
        if isinstance(number, bool) or not isinstance(number, int | float) or not 0 <= number <= 1:
            problems.append((f"focalPoint.{axis}", f"must be a number between 0 and 1 (got {number!r})"))
        else:
            coordinates.append(float(number))
    return (coordinates[0], coordinates[1]) if len(coordinates) == 2 else None
