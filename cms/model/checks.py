"""Semantic checks of a decoded model: references, options that fit their kind, channels, locales."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from cms.model.definitions import IMAGE_FORMATS, Channel, ContentModel, ContentType, FieldDef, ImagePreset
from cms.model.errors import ModelProblem
from cms.model.names import ENUM_VALUE, IDENTIFIER, camel_case, pascal_case
from cms.model.rate_limit import RateLimitSyntaxError, parse_rate_limit
from cms.model.variants import check_variant_model

FILTERABLE_KINDS = frozenset(
    {"string", "text", "slug", "integer", "decimal", "boolean", "datetime", "enum", "money", "reference", "references"}
)
SORTABLE_KINDS = frozenset({"string", "slug", "integer", "decimal", "boolean", "datetime", "enum", "money"})
UNIQUE_KINDS = frozenset({"string", "slug", "integer"})
NUMBER_KINDS = frozenset({"integer", "decimal"})
LENGTH_KINDS = frozenset({"string", "text", "slug"})
SEARCHABLE_KINDS = frozenset({"string", "text", "slug", "rich_text", "object"})
EXACT_SEARCH_KINDS = frozenset({"string", "slug"})
FACET_KINDS = frozenset({"string", "enum", "boolean", "reference", "references", "money", "integer", "decimal"})
RANGE_FACET_KINDS = frozenset({"money", "integer", "decimal"})
CURRENCY = re.compile(r"^[A-Z]{3}$")
Known = tuple[frozenset[str], frozenset[str]]
"""Names of the content types and of the channels that exist."""
RESERVED_FIELD_NAMES = frozenset({"id", "locale", "typename", "status", "version"})


def check_model(
    model: ContentModel,
    undecodable_types: frozenset[str] = frozenset(),
    undecodable_channels: frozenset[str] = frozenset(),
) -> list[ModelProblem]:
    """Problems of a decoded model; the undecodable types and channels exist but could not be read."""
    known_types = frozenset(model.types) | undecodable_types
    known_channels = frozenset(model.channels) | undecodable_channels
    problems = list(_check_locales(model))
    problems += _check_channels(model, known_types)
    problems += _check_image_presets(model)
    for content_type in model.types.values():
        problems += _check_type(model, content_type, known_types, known_channels)
    problems += _check_graphql_type_names(model)
    return problems


ROOT_FIELD_TAKEN = "sync"
"""Delivery's root field that is not a content type's (cms.delivery.sync_field): no type or plural may take it."""
ROOT_FIELDS_TAKEN = {
    ROOT_FIELD_TAKEN: "delivery's sync feed field",
    "search": "delivery's search field",
    "search_suggest": "delivery's search suggestions field",
}
"""Delivery's root fields that are not a content type's (cms.delivery.sync_field, search_field)."""
FIXED_GRAPHQL_NAMES = frozenset(
    {
        "Query",
        "Mutation",
        "PageInfo",
        "Money",
        "Image",
        "ImagePreset",
        "ImageFormat",
        "FocalPoint",
        "SortDirection",
        "Inventory",
        "StockStatus",
        "Store",
        "RichText",
        "StringFilter",
        "IntFilter",
        "DecimalFilter",
        "MoneyFilter",
        "DateTimeFilter",
        "BooleanFilter",
        "ReferenceFilter",
        "ReferencesFilter",
        "SyncPage",
        "SyncItem",
        "SyncRemoval",
        "SyncCursor",
        "SyncType",
        "SearchConnection",
        "SearchEdge",
        "SearchResult",
        "SearchHighlight",
        "SearchFacet",
        "SearchFacetValue",
        "SearchWhere",
        "SearchRange",
        "SearchType",
        "SearchSuggestion",
        "Decimal",
        "DateTime",
        "JSON",
        "String",
        "Int",
        "Float",
        "Boolean",
        "ID",
    }
)


def _check_graphql_type_names(model: ContentModel) -> Iterator[ModelProblem]:
    """Every GraphQL type generated from the model needs a name of its own."""
    taken: dict[str, str] = {name: "a built-in type" for name in FIXED_GRAPHQL_NAMES}
    for content_type in model.types.values():
        file = f"{content_type.name}.toml"
        for name, key in _generated_names(content_type):
            if name in taken:
                yield ModelProblem(
                    file, key, f"the GraphQL type {name!r} made for it clashes with {taken[name]}: rename"
                )
            else:
                taken[name] = f"{key} of {file}" if key else file


def _generated_names(content_type: ContentType) -> Iterator[tuple[str, str]]:
    base = pascal_case(content_type.name)
    for suffix in ("", "Connection", "Edge", "Where", "OrderBy", "SortField"):
        yield base + suffix, ""

    def nested(prefix: str, fields: list[FieldDef], path: str) -> Iterator[tuple[str, str]]:
        for index, field in enumerate(fields):
            name = prefix + pascal_case(field.name)
            if field.kind == "object":
                yield name, f"{path}[{index}]"
                yield from nested(name, field.fields, f"{path}[{index}].fields")
            elif field.kind == "variants":
                for suffix in ("", "By", "Option"):
                    yield base + "Variant" + suffix, f"{path}[{index}]"
                yield base + "OptionsWhere", f"{path}[{index}]"
            elif field.kind == "enum":
                yield name, f"{path}[{index}]"
                if field.filterable:
                    yield name + "Filter", f"{path}[{index}]"

    yield from nested(base, content_type.fields, "fields")


def _check_locales(model: ContentModel) -> Iterator[ModelProblem]:
    file = "locales.toml"
    if model.default_locale not in model.locales:
        yield ModelProblem(file, "default", f"default locale {model.default_locale!r} is not declared")
    for index, locale in enumerate(model.locales.values()):
        for fallback in locale.fallback:
            if fallback not in model.locales:
                yield ModelProblem(file, f"locales[{index}].fallback", f"unknown locale {fallback!r}")
            if fallback == locale.code:
                yield ModelProblem(file, f"locales[{index}].fallback", "a locale cannot fall back to itself")


def _check_channels(model: ContentModel, known_types: frozenset[str]) -> Iterator[ModelProblem]:
    file = "channels.toml"
    if not model.channels:
        yield ModelProblem(file, "channels", "declare at least one channel")
    for name, channel in model.channels.items():
        key = f"channels.{name}"
        if not IDENTIFIER.match(name):
            yield ModelProblem(file, key, "a channel name must be lower-case letters, digits and _")
        for locale in channel.locales:
            if locale not in model.locales:
                yield ModelProblem(file, f"{key}.locales", f"unknown locale {locale!r}")
        if channel.default_locale not in channel.locales:
            yield ModelProblem(
                file, f"{key}.default_locale", f"{channel.default_locale!r} is not in this channel's locales"
            )
        for type_name in channel.types or []:
            if type_name not in known_types:
                yield ModelProblem(file, f"{key}.types", f"unknown content type {type_name!r}")
        for index, reason in _cors_problems(channel):
            yield ModelProblem(file, f"{key}.cors_origins[{index}]", reason)
        yield from _price_list_problems(file, key, channel)
        if channel.rate_limit is not None:
            try:
                parse_rate_limit(channel.rate_limit)
            except RateLimitSyntaxError as error:
                yield ModelProblem(file, f"{key}.rate_limit", str(error))


def _price_list_problems(file: str, key: str, channel: Channel) -> Iterator[ModelProblem]:
    prices = channel.price_list
    if prices is None:
        return
    if not CURRENCY.match(prices.from_currency):
        yield ModelProblem(
            file, f"{key}.price_list.from", f"{prices.from_currency!r} is not an ISO 4217 code such as EUR"
        )
    elif prices.from_currency == channel.currency:
        yield ModelProblem(
            file, f"{key}.price_list.from", f"the channel already sells in {channel.currency}: remove it"
        )
    for option, text in (("rate", prices.rate), ("round_to", prices.round_to)):
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal(0)
        if not number.is_finite() or number <= 0:
            yield ModelProblem(file, f"{key}.price_list.{option}", f"{text!r} is not a positive decimal number")


def _cors_problems(channel: Channel) -> Iterator[tuple[int, str]]:
    """Each `cors_origins` value must be `*` alone (on a public channel) or an origin as browsers send it."""
    for index, origin in enumerate(channel.cors_origins):
        if origin == "*":
            if len(channel.cors_origins) > 1:
                yield index, "`*` allows every origin already: list nothing else with it"
            if not channel.public:
                yield index, "a channel that needs a token cannot allow every origin: list the sites that use it"
        elif reason := _origin_problem(origin):
            yield index, reason


def _origin_problem(origin: str) -> str | None:
    example = "write scheme://host[:port], e.g. 'https://shop.example.com'"
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError:
        return f"{origin!r} is not an origin: {example}"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return f"{origin!r} is not an origin: {example}"
    if parts.path or parts.query or parts.fragment or origin.endswith(("?", "#")):
        return f"{origin!r} has a path, query or trailing slash: an origin is only {example}"
    if origin != origin.lower():
        return f"{origin!r} must be lower-case, as browsers send it: {origin.lower()!r}"
    return None


def _check_type(
    model: ContentModel, content_type: ContentType, known_types: frozenset[str], known_channels: frozenset[str]
) -> Iterator[ModelProblem]:
    file = f"{content_type.name}.toml"
    if not IDENTIFIER.match(content_type.plural) or content_type.plural == content_type.name:
        yield ModelProblem(file, "plural", "must be snake_case and differ from the type name")
    for taken, what in ROOT_FIELDS_TAKEN.items():
        if taken in (content_type.name, content_type.plural):
            key = "" if content_type.name == taken else "plural"
            yield ModelProblem(file, key, f"{taken!r} is {what}: choose another name")
    for other in model.types.values():
        if other.name != content_type.name and other.plural in (content_type.name, content_type.plural):
            yield ModelProblem(file, "plural", f"collides with type {other.name!r}")
    if content_type.title_field and content_type.field(content_type.title_field) is None:
        yield ModelProblem(file, "title_field", f"no field named {content_type.title_field!r}")
    if not content_type.fields:
        yield ModelProblem(file, "fields", "a content type needs at least one field")
    if sum(field.kind == "slug" for field in content_type.fields) > 1:
        yield ModelProblem(file, "fields", "at most one slug field per type")
    yield from _check_fields(model, (known_types, known_channels), file, "fields", content_type.fields, nested=False)
    yield from _check_after(file, content_type)
    yield from check_variant_model(content_type)


def _check_after(file: str, content_type: ContentType) -> Iterator[ModelProblem]:
    """`after` orders two non-localized datetime fields of one type (a window's end after its start)."""
    for index, field in enumerate(content_type.fields):
        if field.after is None:
            continue
        other = content_type.field(field.after)
        if (
            field.kind != "datetime"
            or field.localized
            or other is None
            or other.kind != "datetime"
            or other.localized
            or other.name == field.name
        ):
            yield ModelProblem(
                file,
                f"fields[{index}].after",
                "`after` makes a non-localized datetime field come after another non-localized datetime field"
                f" of the type; {field.after!r} is not one",
            )


def _check_fields(
    model: ContentModel, known: Known, file: str, prefix: str, fields: list[FieldDef], *, nested: bool
) -> Iterator[ModelProblem]:
    first_seen: dict[str, int] = {}
    graphql_names: dict[str, str] = {}
    for index, field in enumerate(fields):
        key = f"{prefix}[{index}]"
        if field.name in first_seen:
            yield ModelProblem(
                file,
                f"{key}.name",
                f"duplicate field {field.name!r} (first declared at {prefix}[{first_seen[field.name]}])",
            )
            continue
        first_seen[field.name] = index
        graphql_name = camel_case(field.name)
        if graphql_name in graphql_names and graphql_names[graphql_name] != field.name:
            yield ModelProblem(
                file, f"{key}.name", f"{field.name!r} and {graphql_names[graphql_name]!r} have the same GraphQL name"
            )
        graphql_names[graphql_name] = field.name
        yield from _check_field(model, known, file, key, field, nested=nested)


def _check_field(
    model: ContentModel, known: Known, file: str, key: str, field: FieldDef, *, nested: bool
) -> Iterator[ModelProblem]:
    known_types, known_channels = known

    def problem(option: str, reason: str) -> ModelProblem:
        return ModelProblem(file, f"{key}.{option}", reason)

    if not IDENTIFIER.match(field.name):
        yield problem("name", f"{field.name!r} must be snake_case (lower-case letters, digits, _)")
    elif field.name in RESERVED_FIELD_NAMES:
        yield problem("name", f"{field.name!r} is reserved (reserved: {', '.join(sorted(RESERVED_FIELD_NAMES))})")
    if field.kind in ("reference", "references"):
        if not field.to:
            yield problem("to", f"a {field.kind} field needs `to`, the content type it points at")
        elif field.to not in known_types:
            yield problem("to", f"unknown content type {field.to!r} (known: {', '.join(sorted(known_types))})")
    elif field.to:
        yield problem("to", f"`to` only applies to reference fields, not {field.kind}")
    if field.kind == "enum":
        if not field.values:
            yield problem("values", "an enum field needs a non-empty `values` list")
        for value in field.values:
            if not ENUM_VALUE.match(value):
                yield problem("values", f"enum value {value!r} must start with a letter and use letters, digits and _")
        if len({value.upper() for value in field.values}) != len(field.values):
            yield problem("values", "enum values must be distinct ignoring case")
        for value in field.value_labels:
            if value not in field.values:
                yield problem("value_labels", f"{value!r} is not one of the field's values ({', '.join(field.values)})")
    elif field.values:
        yield problem("values", f"`values` only applies to enum fields, not {field.kind}")
    if field.kind == "object":
        if not field.fields:
            yield problem("fields", "an object field needs sub-fields")
        for index, sub in enumerate(field.fields):
            if sub.localized or sub.unique or sub.filterable or sub.sortable or sub.channels is not None:
                yield ModelProblem(
                    file,
                    f"{key}.fields[{index}]",
                    "sub-fields of an object cannot be localized, unique, filterable, sortable or channel-specific;"
                    " set those on the object field",
                )
            if sub.after is not None:
                yield ModelProblem(file, f"{key}.fields[{index}].after", "`after` only applies to top-level fields")
            if sub.search is not None or sub.facet:
                yield ModelProblem(
                    file,
                    f"{key}.fields[{index}]",
                    "sub-fields of an object cannot be searchable or facets; set `search` on the object field",
                )
            if sub.kind in ("reference", "references", "object", "variants"):
                yield ModelProblem(
                    file, f"{key}.fields[{index}].kind", f"{sub.kind} fields cannot be nested inside an object"
                )
        yield from _check_fields(model, known, file, f"{key}.fields", field.fields, nested=True)
    else:
        if field.fields:
            yield problem("fields", f"sub-fields only apply to object fields, not {field.kind}")
        if field.repeatable:
            yield problem("repeatable", f"`repeatable` only applies to object fields, not {field.kind}")
    yield from _check_options(known_channels, field, problem)


def _check_options(known_channels: frozenset[str], field: FieldDef, problem) -> Iterator[ModelProblem]:  # type: ignore[no-untyped-def]
    if field.filterable and field.kind not in FILTERABLE_KINDS:
        yield problem("filterable", f"{field.kind} fields cannot be filtered on")
    if field.sortable and field.kind not in SORTABLE_KINDS:
        yield problem("sortable", f"{field.kind} fields cannot be sorted on")
    if field.unique and (field.kind not in UNIQUE_KINDS or field.localized):
        yield problem("unique", "only non-localized string, slug and integer fields can be unique")
    if field.kind == "slug" and field.localized:
        yield problem("localized", "a slug is shared by every locale")
    if field.max_length is not None and (field.kind not in LENGTH_KINDS or field.max_length < 1):
        yield problem("max_length", "max_length is a positive number for string, text and slug fields")
    if (field.min is not None or field.max is not None) and field.kind not in NUMBER_KINDS:
        yield problem("min", f"min/max only apply to integer and decimal fields, not {field.kind}")
    if field.min is not None and field.max is not None and field.min > field.max:
        yield problem("min", f"min ({field.min}) is greater than max ({field.max})")
    if field.scale is not None and (field.kind != "decimal" or field.scale < 0):
        yield problem("scale", "scale is a number of decimal places (0 or more) for decimal fields")
    if field.format is not None and field.kind != "string":
        yield problem("format", f"format only applies to string fields, not {field.kind}")
    for channel in field.channels or []:
        if channel not in known_channels:
            yield problem("channels", f"unknown channel {channel!r} (known: {', '.join(sorted(known_channels))})")
    yield from _check_search_options(field, problem)


def _check_search_options(field: FieldDef, problem) -> Iterator[ModelProblem]:  # type: ignore[no-untyped-def]
    if field.search == "exact" and field.kind not in EXACT_SEARCH_KINDS:
        yield problem("search", f'search = "exact" applies to string and slug fields (codes), not {field.kind}')
    elif field.search is not None and field.kind not in SEARCHABLE_KINDS:
        kinds = ", ".join(sorted(SEARCHABLE_KINDS))
        yield problem("search", f"{field.kind} fields cannot be searched (searchable kinds: {kinds})")
    if field.facet and field.kind not in FACET_KINDS:
        yield problem("facet", f"{field.kind} fields cannot be facets (facet kinds: {', '.join(sorted(FACET_KINDS))})")
    if field.facet and field.kind in RANGE_FACET_KINDS and not field.facet_ranges:
        yield problem("facet_ranges", f"a {field.kind} facet counts by ranges: list their bounds, e.g. [25, 50, 100]")
    if field.facet_ranges and not (field.facet and field.kind in RANGE_FACET_KINDS):
        yield problem("facet_ranges", "facet_ranges only apply to money, integer and decimal fields with facet = true")
    bounds = field.facet_ranges
    if any(later <= earlier for earlier, later in itertools.pairwise(bounds)):
        yield problem("facet_ranges", f"bounds must be in strictly ascending order, got {bounds}")


def _check_image_presets(model: ContentModel) -> Iterator[ModelProblem]:
    """Preset names are unique across channels (`/media/<asset>/<preset>` names no channel); sizes and formats."""
    first_seen: dict[str, str] = {}
    for channel_name, channel in model.channels.items():
        for name, preset in channel.images.items():
            key = f"channels.{channel_name}.images.{name}"
            if not IDENTIFIER.match(name):
                yield ModelProblem("channels.toml", key, "a preset name must be lower-case letters, digits and _")
            if name in first_seen:
                yield ModelProblem(
                    "channels.toml", key, f"preset {name!r} is already declared by channel {first_seen[name]!r}: rename"
                )
            first_seen.setdefault(name, channel_name)
            for option, reason in _preset_problems(preset):
                yield ModelProblem("channels.toml", f"{key}.{option}", reason)


def _preset_problems(preset: ImagePreset) -> Iterator[tuple[str, str]]:
    if preset.width < 1:
        yield "width", f"width must be a positive number of pixels, not {preset.width}"
    if preset.fit == "width" and preset.height is not None:
        yield "height", 'height only applies to fit = "contain" or "cover"'
    if preset.fit != "width" and (preset.height is None or preset.height < 1):
        yield "height", f'fit = "{preset.fit}" needs a positive height in pixels'
    if not preset.formats:
        yield "formats", f"list at least one format ({', '.join(IMAGE_FORMATS)})"
    for image_format in preset.formats:
        if image_format not in IMAGE_FORMATS:
            yield "formats", f"unknown format {image_format!r} (known: {', '.join(IMAGE_FORMATS)})"
    if len(set(preset.formats)) != len(preset.formats):
        yield "formats", "a format is listed twice"
    if not 1 <= preset.quality <= 100:
        yield "quality", f"quality is between 1 and 100, not {preset.quality}"
