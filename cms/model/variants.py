"""Variants of an entry (a lamp in brass or black, a throw in two sizes): the model's option axes checked at
load, and a `variants` value checked against them. Pure, no database.

A type declares its axes as `[[options]]` and holds its variants in one field of kind `variants`: a list of
`{sku, gtin, price?, compare_at?, images?, options: {axis: value}}` (every variant of an entry naming the same
axes, a subset of the type's: a lamp varies by finish, a throw by size), non-localized and shared by every
channel. Each variant's SKU is a plain string (the key stock is kept under) and its GTIN is claimed in
`cms_unique_value` beside the products' own (cms.store.entries), so no two variants or products share one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.model.definitions import ContentType, FieldDef
from cms.model.errors import ModelProblem
from cms.model.names import IDENTIFIER
from cms.model.values import ValueProblem, is_valid_gtin, normalize_value

OPTION_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
MAX_SKU_LENGTH = 64
VARIANT_KEYS = ("sku", "gtin", "price", "compare_at", "images", "options")
_PRICE = FieldDef(name="price", kind="money")
_IMAGES = FieldDef(name="images", kind="assets")
_SETTINGS_A_VARIANTS_FIELD_CANNOT_HAVE = (
    "localized",
    "unique",
    "filterable",
    "sortable",
    "search",
    "facet",
    "required",
)


def check_variant_model(content_type: ContentType) -> Iterator[ModelProblem]:
    """Problems of a type's `[[options]]` and `variants` field, as (file, key, reason)."""
    file = f"{content_type.name}.toml"
    fields = [index for index, field in enumerate(content_type.fields) if field.kind == "variants"]
    if content_type.options and not fields:
        yield ModelProblem(file, "options", "option axes need a field of kind `variants` holding the variants")
    if fields and not content_type.options:
        yield ModelProblem(file, f"fields[{fields[0]}]", "a `variants` field needs `[[options]]` axes to vary along")
    for index in fields[1:]:
        yield ModelProblem(file, f"fields[{index}]", "a type has at most one `variants` field")
    for index in fields:
        field = content_type.fields[index]
        for setting in _SETTINGS_A_VARIANTS_FIELD_CANNOT_HAVE:
            if getattr(field, setting) not in (False, None):
                yield ModelProblem(
                    file, f"fields[{index}].{setting}", f"`{setting}` does not apply to a variants field"
                )
    yield from _check_axes(file, content_type)


def _check_axes(file: str, content_type: ContentType) -> Iterator[ModelProblem]:
    seen: set[str] = set()
    for index, axis in enumerate(content_type.options):
        key = f"options[{index}]"
        if not IDENTIFIER.match(axis.name):
            yield ModelProblem(file, f"{key}.name", f"{axis.name!r} must be snake_case (lower-case letters, digits, _)")
        if axis.name in seen:
            yield ModelProblem(file, f"{key}.name", f"option {axis.name!r} is declared twice")
        elif content_type.field(axis.name) is not None:
            # Options are search facets and filters beside the fields: one name, one meaning.
            yield ModelProblem(file, f"{key}.name", f"{axis.name!r} is also a field of {content_type.name}: rename one")
        seen.add(axis.name)
        if not axis.values:
            yield ModelProblem(file, f"{key}.values", "an option needs at least one value")
        names: set[str] = set()
        for value_index, value in enumerate(axis.values):
            if not OPTION_VALUE.match(value.name):
                yield ModelProblem(
                    file,
                    f"{key}.values[{value_index}].name",
                    f"{value.name!r} must be lower-case letters, digits, - and _ (starting with a letter or digit)",
                )
            if value.name in names:
                yield ModelProblem(file, f"{key}.values[{value_index}].name", f"value {value.name!r} is listed twice")
            names.add(value.name)


def normalize_variants(content_type: ContentType, value: Any) -> list[dict[str, Any]]:
    """The stored form of a `variants` value, or ValueProblem with the path of the first problem
    (`[2].options.finish`) relative to the field."""
    if not isinstance(value, list):
        raise ValueProblem("expected a list of variants", code="expected_variants")
    variants = [_one_variant(content_type, item, f"[{index}]") for index, item in enumerate(value)]
    _same_axes(variants)
    _refuse_repeats(variants)
    return variants


def _one_variant(content_type: ContentType, item: Any, at: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueProblem(
            "expected an object with sku, gtin, options (and optionally price, compare_at, images)",
            at,
            code="expected_variant",
        )
    for key in item:
        if key not in VARIANT_KEYS:
            expected = ", ".join(VARIANT_KEYS)
            raise ValueProblem(
                f"unknown key {key!r} (expected: {expected})",
                f"{at}.{key}",
                code="unknown_variant_key",
                params={"key": key, "expected": expected},
            )
    variant: dict[str, Any] = {"sku": _sku(item.get("sku"), at), "gtin": _gtin(item.get("gtin"), at)}
    for key, definition in (("price", _PRICE), ("compare_at", _PRICE), ("images", _IMAGES)):
        if item.get(key) not in (None, "", []):
            try:
                variant[key] = normalize_value(definition, item[key])
            except ValueProblem as problem:
                separator = "" if problem.path.startswith("[") or not problem.path else "."
                path = f"{at}.{key}{separator}{problem.path}"
                raise ValueProblem(problem.reason, path, code=problem.code, params=problem.params) from None
    variant["options"] = _options(content_type, item.get("options"), f"{at}.options")
    return variant


def _sku(value: Any, at: str) -> str:
    if value in (None, ""):
        raise ValueProblem("is required", f"{at}.sku", code="required")
    if not isinstance(value, str) or len(value) > MAX_SKU_LENGTH or not SKU.match(value):
        raise ValueProblem(
            f"{value!r} is not a SKU: up to {MAX_SKU_LENGTH} letters, digits and . _ / -, no spaces",
            f"{at}.sku",
            code="not_sku",
            params={"value": str(value), "max": MAX_SKU_LENGTH},
        )
    return value


def _gtin(value: Any, at: str) -> str:
    if value in (None, ""):
        raise ValueProblem("is required", f"{at}.gtin", code="required")
    if not isinstance(value, str) or not is_valid_gtin(value):
        raise ValueProblem(
            f"{value!r} is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)",
            f"{at}.gtin",
            code="not_gtin",
            params={"value": str(value)},
        )
    return value


def _options(content_type: ContentType, value: Any, at: str) -> dict[str, str]:
    if not isinstance(value, dict):
        axes = ", ".join(axis.name for axis in content_type.options)
        raise ValueProblem(
            f"expected an object giving a value for each option ({axes})",
            at,
            code="expected_options",
            params={"axes": axes},
        )
    for name in value:
        if content_type.option(name) is None:
            axes = ", ".join(axis.name for axis in content_type.options)
            raise ValueProblem(
                f"unknown option {name!r} of {content_type.name} (options: {axes})",
                f"{at}.{name}",
                code="unknown_option",
                params={"name": name, "axes": axes},
            )
    if not value:
        axes = ", ".join(axis.name for axis in content_type.options)
        raise ValueProblem(
            f"give a value for at least one option ({axes})", at, code="no_option_value", params={"axes": axes}
        )
    chosen: dict[str, str] = {}
    for axis in content_type.options:  # stored in the model's order of axes
        name, picked = axis.name, value.get(axis.name)
        if name not in value:
            continue
        if not isinstance(picked, str) or axis.value(picked) is None:
            allowed = ", ".join(v.name for v in axis.values)
            raise ValueProblem(
                f"{picked!r} is not a value of option {name} (values: {allowed})",
                f"{at}.{name}",
                code="not_option_value",
                params={"value": str(picked), "name": name, "values": allowed},
            )
        chosen[name] = picked
    return chosen


def _same_axes(variants: list[dict[str, Any]]) -> None:
    """A product varies along the same options in every variant (a lamp by finish, a throw by size)."""
    if not variants:
        return
    axes = list(variants[0]["options"])
    for index, variant in enumerate(variants[1:], start=1):
        if set(variant["options"]) != set(axes):
            missing = [name for name in axes if name not in variant["options"]]
            extra = [name for name in variant["options"] if name not in axes]
            name = (missing or extra)[0]
            reason = (
                "is required: variant [0] varies by it, so every variant gives it"
                if missing
                else "variant [0] does not vary by this option: every variant varies by the same options"
            )
            code = "variant_axis_missing" if missing else "variant_axis_extra"
            raise ValueProblem(reason, f"[{index}].options.{name}", code=code)


def _refuse_repeats(variants: list[dict[str, Any]]) -> None:
    """Two variants of one entry with the same SKU, GTIN or combination of options."""
    first_seen: dict[tuple[str, str], int] = {}
    for index, variant in enumerate(variants):
        keys = [("sku", variant["sku"]), ("gtin", variant["gtin"])]
        keys.append(("options", repr(sorted(variant["options"].items()))))
        for what, key in keys:
            earlier = first_seen.setdefault((what, key), index)
            if earlier != index:
                reason = (
                    f"same options as variant [{earlier}]: each variant is one combination"
                    if what == "options"
                    else f"{key!r} is already the {what.upper()} of variant [{earlier}]"
                )
                code = "variant_same_options" if what == "options" else "variant_repeated"
                params = {"row": earlier + 1, "value": key, "what": what.upper()}
                raise ValueProblem(reason, f"[{index}].{what}", code=code, params=params)


def variant_codes(field: FieldDef | None, values: dict[str, Any]) -> Iterator[tuple[str, str, int]]:
    """(code kind `sku`/`gtin`, value, variant index) of every variant in an entry's default-locale values."""
    if field is None:
        return
    for index, variant in enumerate(values.get(field.name) or []):
        yield "sku", variant["sku"], index
        yield "gtin", variant["gtin"], index
