"""The mapping file of a Shopify import: which column fills which field of the model (docs/shopify-import.md).

Read from TOML into msgspec structs, then checked against the content model: a bad mapping stops the import
before any row is read, naming the key and the reason.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import msgspec

from cms.model.definitions import ContentModel, ContentType

TEXT_KINDS = ("string", "text", "rich_text", "slug", "enum")


class MappingError(ValueError):
    """The mapping file is unreadable or does not fit the model; `key` names where."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}" if key else reason)
        self.key, self.reason = key, reason


class CategoryMapping(msgspec.Struct, forbid_unknown_fields=True):
    column: str = "Type"
    field: str = "category"
    match: Literal["slug", "name"] = "slug"
    """How a column value finds its category: by slug (`Table Lamps` -> `table-lamps`) or by name."""
    values: dict[str, str] = {}
    """Column value -> category slug, for names that differ between the shop and this site."""


class OptionMapping(msgspec.Struct, forbid_unknown_fields=True):
    axis: str
    values: dict[str, str] = {}
    """Shopify option value -> axis value name, where they differ (otherwise matched by name or label)."""


class VariantMapping(msgspec.Struct, forbid_unknown_fields=True):
    field: str = "variants"
    product_sku: str | None = "sku"
    """The product's field given its first variant's SKU (None: none)."""
    product_gtin: str | None = "gtin"
    """The product's field given its first variant's barcode (None: none)."""
    product_price: str = "price"
    """The product's price field: its first variant's price; other variants keep theirs only where it differs."""
    product_compare_at: str | None = None
    """The product's compare-at price field, given its first variant's (None: every variant keeps its own)."""


class InventoryMapping(msgspec.Struct, forbid_unknown_fields=True):
    location: str
    """The location (locations.toml) the file's quantities are stock at: a Shopify product export holds one."""


class ImageMapping(msgspec.Struct, forbid_unknown_fields=True):
    field: str = "images"


class Mapping(msgspec.Struct, forbid_unknown_fields=True):
    content_type: str = "product"
    locale: str = "en"
    """The language of the CSV's texts."""
    currency: str = "EUR"
    """Shopify's CSV has no currency column: the shop's currency."""
    handle_field: str = "slug"
    """The field the Handle fills: products are found by it, so importing again updates them."""
    columns: dict[str, str] = {}
    """Product column (as Shopify names it) -> field of a text kind; `Body (HTML)` is converted to rich text."""
    defaults: dict[str, Any] = {}
    """Values of fields no column fills (a required availability, say), for created products only."""
    ignore: list[str] = []
    """Columns left out on purpose: not reported as unmapped."""
    category: CategoryMapping | None = None
    variants: VariantMapping = msgspec.field(default_factory=VariantMapping)
    images: ImageMapping | None = msgspec.field(default_factory=ImageMapping)
    options: dict[str, OptionMapping] = {}
    """Shopify option name (`Color`) -> an option axis of the type (`finish`)."""
    inventory: InventoryMapping | None = None
    """Where the variants' quantities go (written as `PUT /inventory` writes stock); None: not imported."""


def read_mapping(path: Path, model: ContentModel) -> Mapping:
    """The mapping in `path`, checked against `model`; MappingError says what is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        mapping = msgspec.convert(raw, Mapping)
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError("", f"cannot read {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError("", f"{path} is not TOML: {error}") from None
    except msgspec.ValidationError as error:
        message, _, where = str(error).partition(" - at `$")
        raise MappingError(where.rstrip("`").lstrip("."), message) from None
    check_mapping(mapping, model)
    return mapping


def check_mapping(mapping: Mapping, model: ContentModel) -> None:
    content_type = model.types.get(mapping.content_type)
    if content_type is None:
        raise MappingError("content_type", f"unknown content type {mapping.content_type!r}")
    if mapping.locale not in model.locales:
        raise MappingError("locale", f"unknown locale {mapping.locale!r} (known: {', '.join(model.locales)})")
    _field(content_type, "handle_field", mapping.handle_field, ("slug",))
    for column, name in mapping.columns.items():
        _field(content_type, f"columns.{column!r}", name, TEXT_KINDS)
    for name in mapping.defaults:
        _field(content_type, f"defaults.{name}", name, None)
    if mapping.category is not None:
        _field(content_type, "category.field", mapping.category.field, ("reference",))
    variants = mapping.variants
    _field(content_type, "variants.field", variants.field, ("variants",))
    _field(content_type, "variants.product_price", variants.product_price, ("money",))
    for key in ("product_sku", "product_gtin"):
        if getattr(variants, key) is not None:
            _field(content_type, f"variants.{key}", getattr(variants, key), ("string",))
    if variants.product_compare_at is not None:
        _field(content_type, "variants.product_compare_at", variants.product_compare_at, ("money",))
    if mapping.inventory is not None:
        _location(model, mapping.inventory.location)
    if mapping.images is not None:
        _field(content_type, "images.field", mapping.images.field, ("assets",))
    axes = {option.name: option for option in content_type.options}
    for name, option in mapping.options.items():
        if option.axis not in axes:
            raise MappingError(f"options.{name}.axis", f"{option.axis!r} is not an option of {content_type.name}")
        known = {value.name for value in axes[option.axis].values}
        for shop_value, value in option.values.items():
            if value not in known:
                raise MappingError(f"options.{name}.values.{shop_value}", f"{value!r} is not a value of {option.axis}")


def _field(content_type: ContentType, key: str, name: str, kinds: tuple[str, ...] | None) -> None:
    field = content_type.field(name)
    if field is None:
        raise MappingError(key, f"{content_type.name} has no field {name!r}")
    if kinds is not None and field.kind not in kinds:
        raise MappingError(key, f"field {name!r} is a {field.kind}; expected {' or '.join(kinds)}")


def _location(model: ContentModel, location: str) -> None:
    if location not in model.locations:
        names = ", ".join(model.locations) or "none: declare them in content_types/locations.toml"
        raise MappingError("inventory.location", f"unknown location {location!r} (known: {names})")
