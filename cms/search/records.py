"""What a channel's stored document contributes to the search index (pure: no database, no GraphQL).

A record is read from the document exactly as the channel serves it (its overrides, fields, rendered
offers and budgets already applied), so a channel searches what it shows.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from cms.model.definitions import Channel, ContentModel, ContentType, FieldDef, OptionAxis
from cms.model.names import camel_case, pascal_case
from cms.search.text import compact_code

WEIGHTS = ("A", "B", "C")
TEXT_KINDS = frozenset({"string", "text", "slug"})
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


class SearchRecord(msgspec.Struct, frozen=True):
    """One document as the index holds it."""

    texts: tuple[str, str, str]
    """The text of the fields weighted A, B and C (codes count as A)."""
    codes: tuple[str, ...]
    """Values of `search = "exact"` fields, compacted (cms.search.text.compact_code)."""
    title: str
    facets: tuple[str, ...]
    """`<field>:<value>` of every facet value (numeric facets: the bucket, `price:50-100`)."""
    numbers: dict[str, float]
    """Values of numeric facets, for range filters."""


def searchable_types(model: ContentModel, channel: Channel) -> list[ContentType]:
    """Types of the channel with at least one searchable field visible on it."""
    return [t for t in model.channel_types(channel.name) if searchable_fields(t, channel)]


def searchable_fields(content_type: ContentType, channel: Channel) -> list[FieldDef]:
    return [f for f in content_type.fields if f.search is not None and f.visible_on(channel.name)]


def facet_fields(model: ContentModel, channel: Channel) -> dict[str, FieldDef]:
    """Facets of the channel's searchable types by GraphQL name (types sharing a name share the facet)."""
    found: dict[str, FieldDef] = {}
    for content_type in searchable_types(model, channel):
        for field in content_type.fields:
            if field.facet and field.visible_on(channel.name):
                if field.kind in ("reference", "references") and not channel.exposes(field.to or ""):
                    continue
                found.setdefault(camel_case(field.name), field)
    for name in option_axes(model, channel):
        found.setdefault(camel_case(name), FieldDef(name=name, kind="string", facet=True))
    return found


def option_axes(model: ContentModel, channel: Channel) -> dict[str, OptionAxis]:
    """The option axes of the channel's searchable types whose variants it shows: each is a facet (a product
    counts once per value any of its variants has)."""
    found: dict[str, OptionAxis] = {}
    for content_type in searchable_types(model, channel):
        variants = content_type.variants_field
        if variants is not None and variants.visible_on(channel.name):
            for axis in content_type.options:
                found.setdefault(axis.name, axis)
    return found


def type_member(content_type: str) -> str:
    """The content type as a member of the GraphQL `SearchType` enum: `BRAND_MESSAGE`."""
    return content_type.upper()


def graphql_type_name(content_type: str) -> str:
    return pascal_case(content_type)


def search_record(content_type: ContentType, channel: Channel, document: dict[str, Any]) -> SearchRecord | None:
    """The record of `document`, or None when the type has nothing searchable on the channel."""
    fields = searchable_fields(content_type, channel)
    if not fields:
        return None
    texts: dict[str, list[str]] = {weight: [] for weight in WEIGHTS}
    codes: list[str] = []
    for field in fields:
        text = field_text(field, document.get(camel_case(field.name)))
        if not text:
            continue
        if field.search == "exact":
            codes.append(compact_code(text))
            texts["A"].append(text)
        else:
            texts[field.search or "C"].append(text)
    facets: list[str] = []
    numbers: dict[str, float] = {}
    for field in content_type.fields:
        if field.facet and field.visible_on(channel.name):
            facets += _facet_tokens(field, document.get(camel_case(field.name)), numbers)
    variants = content_type.variants_field
    if variants is not None and variants.visible_on(channel.name):
        rows = document.get(camel_case(variants.name)) or []
        # A variant's SKU and GTIN find its product, as the product's own codes do.
        variant_codes = [row[code] for row in rows for code in ("sku", "gtin")]
        codes += [compact_code(code) for code in variant_codes]
        texts["A"] += variant_codes
        options = {f"{camel_case(o['name'])}:{o['value']}" for row in rows for o in row.get("options", [])}
        facets += sorted(options)
    title_field = content_type.title_field
    title = document.get(camel_case(title_field)) if title_field else None
    return SearchRecord(
        texts=(" ".join(texts["A"]), " ".join(texts["B"]), " ".join(texts["C"])),
        codes=tuple(code for code in codes if code),
        title=title if isinstance(title, str) else "",
        facets=tuple(facets),
        numbers=numbers,
    )


def field_text(field: FieldDef, value: Any) -> str:
    """The plain text of a stored value (rich text as text, objects as the text of their sub-fields)."""
    if value is None:
        return ""
    if field.kind in TEXT_KINDS:
        return value if isinstance(value, str) else ""
    if field.kind == "rich_text" and isinstance(value, dict):
        if isinstance(value.get("text"), str):
            return str(value["text"])
        return html_text(str(value.get("html") or ""))
    if field.kind == "object":
        items = value if isinstance(value, list) else [value]
        return " ".join(_object_texts(field, items))
    return ""


@functools.lru_cache(maxsize=1024)
def html_text(markup: str) -> str:
    """The text of rendered rich text: kept, as a description is highlighted again with every search that
    shows it (~25 µs each time for a demo description)."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _object_texts(field: FieldDef, items: list[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, dict):
            for sub in field.fields:
                text = item.get(camel_case(sub.name))
                if sub.kind in TEXT_KINDS and isinstance(text, str) and text:
                    yield text


def _facet_tokens(field: FieldDef, value: Any, numbers: dict[str, float]) -> list[str]:
    name = camel_case(field.name)
    if value is None:
        return []
    if field.kind in ("money", "integer", "decimal"):
        amount = value.get("amount") if isinstance(value, dict) else value
        try:
            number = float(str(amount))
        except ValueError:
            return []
        numbers[name] = number
        return [f"{name}:{range_bucket(field.facet_ranges, number)}"]
    if field.kind == "boolean":
        return [f"{name}:{'true' if value else 'false'}"]
    values = value if isinstance(value, list) else [value]
    return [f"{name}:{item}" for item in values if isinstance(item, str) and item]


def range_bucket(bounds: list[float], number: float) -> str:
    """The bucket of `number`: `-25` (below 25), `25-50`, …, `200-` (200 and above)."""
    lower: float | None = None
    for bound in bounds:
        if number < bound:
            return f"{_bound(lower)}-{_bound(bound)}"
        lower = bound
    return f"{_bound(lower)}-"


def bucket_bounds(bucket: str) -> tuple[float | None, float | None]:
    low, _, high = bucket.partition("-")
    return (float(low) if low else None, float(high) if high else None)


def _bound(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)
