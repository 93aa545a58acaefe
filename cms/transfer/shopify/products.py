"""One product's rows of a Shopify CSV to the field values of an entry, with every problem named by CSV line
and column. Pure: categories and images are looked up through what the caller resolved beforehand."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from cms.commerce.lines import MAX_QUANTITY
from cms.model.definitions import ContentType, OptionAxis
from cms.model.values import is_valid_gtin
from cms.richtext.from_html import rich_text_from_html
from cms.transfer.reading import Refusal
from cms.transfer.shopify.csvfile import QUANTITY_COLUMNS, ProductRows, Row
from cms.transfer.shopify.mapping import Mapping
from cms.transfer.shopify.messages import refuse

NO_OPTION = ("Title", "Default Title")
"""What Shopify writes as Option1 Name / Value of a product without options."""


@dataclass
class Lookups:
    categories: dict[str, str]
    """Category slug, and lower-cased name in any locale -> entry id."""
    images: dict[str, str]
    """Image file name -> asset id (or `pending:<file>` for one uploaded when applying)."""
    image_problems: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    """Image file name -> why it cannot be stored (not an image, too large...): message code and values."""


@dataclass(frozen=True)
class Quantity:
    """A variant's stock in the file: `quantity` units of `sku` (at the mapping's inventory location)."""

    line: int
    column: str
    sku: str
    quantity: int


@dataclass
class Built:
    """A product's values by field, and where each came from (for naming problems found later by the model)."""

    handle: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    publish: bool = False
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Field path (`name`, `variants[1].gtin`) -> (line, column)."""
    stock: list[Quantity] = field(default_factory=list)
    """The variants' quantities, when the mapping imports inventory."""
    cleared: set[str] = field(default_factory=set)
    """Fields the file empties (a compare-at price gone when a sale ends): removed from the stored values."""

    def source(self, path: str) -> tuple[int, str]:
        """The CSV line and column of a field path; the product's first line when no column fills it."""
        for candidate in (path, re.sub(r"\.(amount|currency)$", "", path), path.split(".")[0]):
            if candidate in self.sources:
                return self.sources[candidate]
        return self.line, f"(field {path})"


def image_file(source: str) -> str:
    """The file name an `Image Src` URL ends with (`…/files/lamp.jpg?v=123` -> `lamp.jpg`)."""
    return PurePosixPath(unquote(urlparse(source).path)).name


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def tags_text(text: str) -> str:
    """Shopify's comma-separated tags, each trimmed, once (the first spelling kept), in the file's order."""
    tags: dict[str, str] = {}
    for tag in text.split(","):
        if tag.strip():
            tags.setdefault(tag.strip().casefold(), tag.strip())
    return ", ".join(tags.values())


def is_published(first: Row) -> bool:
    """Published when Shopify says so: Status `active` (if the column is there) and Published `true` (if there)."""
    status, published = first.get("Status").lower(), first.get("Published").lower()
    return status in ("", "active") and published in ("", "true") and (status or published) != ""


def build_product(
    group: ProductRows, mapping: Mapping, content_type: ContentType, lookups: Lookups
) -> tuple[Built, list[Refusal]]:
    first = group.first
    built = Built(group.handle, first.line, publish=is_published(first))
    problems: list[Refusal] = []
    built.values[mapping.handle_field] = group.handle
    built.sources[mapping.handle_field] = (first.line, "Handle")
    for column, name in mapping.columns.items():
        text = first.get(column)
        built.sources[name] = (first.line, column)
        if text:
            kind = content_type.field(name).kind  # type: ignore[union-attr]  # checked with the mapping
            built.values[name] = rich_text_from_html(text) if kind == "rich_text" else text
            if column == "Tags":
                built.values[name] = tags_text(text)
    if mapping.category is not None:
        _category(first, mapping, lookups, built, problems)
    variant_rows = [row for row in group.rows if _is_variant_row(row)]
    if not variant_rows:
        problems.append(refuse(first.line, "Variant Price", "no_variant_row"))
        return built, problems
    _variants(variant_rows, first, mapping, content_type, lookups, built, problems)
    if mapping.images is not None:
        _images(group.rows, mapping, lookups, built, problems)
    return built, problems


def _is_variant_row(row: Row) -> bool:
    return any(row.get(column) for column in ("Option1 Value", "Variant SKU", "Variant Price", "Variant Barcode"))


def _category(first: Row, mapping: Mapping, lookups: Lookups, built: Built, problems: list[Refusal]) -> None:
    assert mapping.category is not None
    column = mapping.category.column
    text = first.get(column)
    if not text:
        return  # the model says whether a category is required
    wanted = mapping.category.values.get(text) or (slugify(text) if mapping.category.match == "slug" else text.lower())
    entry_id = lookups.categories.get(wanted)
    built.sources[mapping.category.field] = (first.line, column)
    if entry_id is None:
        problems.append(
            refuse(first.line, column, "no_category", wanted=wanted, match=mapping.category.match, text=text)
        )
    else:
        built.values[mapping.category.field] = entry_id


def _variants(
    rows: list[Row],
    first: Row,
    mapping: Mapping,
    content_type: ContentType,
    lookups: Lookups,
    built: Built,
    problems: list[Refusal],
) -> None:
    axes = _axes(first, mapping, content_type, problems)
    variants: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        variant: dict[str, Any] = {"options": {}}
        for number, axis in axes.items():
            column = f"Option{number} Value"
            built.sources[f"variants[{index}].options.{axis.name}"] = (row.line, column)
            value = _axis_value(row, column, axis, mapping, first.get(f"Option{number} Name"), problems)
            if value is not None:
                variant["options"][axis.name] = value
        variant["sku"] = row.get("Variant SKU")
        if axes and not variant["sku"]:
            problems.append(refuse(row.line, "Variant SKU", "missing_sku"))
        variant["gtin"] = _gtin(row, problems)
        price = _price(row, problems)
        if price is not None:
            variant["price"] = {"amount": price, "currency": mapping.currency}
        former = _compare_at(row, price, problems)
        if former is not None:
            variant["compare_at"] = {"amount": former, "currency": mapping.currency}
        if mapping.inventory is not None:
            _quantity(row, variant["sku"], built, problems)
        picture = row.get("Variant Image")
        if picture and mapping.images is not None:
            variant["images"] = [_image(row, "Variant Image", picture, lookups, problems)]
        for key, column in (
            ("sku", "Variant SKU"),
            ("gtin", "Variant Barcode"),
            ("price", "Variant Price"),
            ("compare_at", "Variant Compare At Price"),
        ):
            built.sources[f"variants[{index}].{key}"] = (row.line, column)
        built.sources[f"variants[{index}].images"] = (row.line, "Variant Image")
        built.sources[f"variants[{index}]"] = (row.line, "Variant SKU")
        variants.append(variant)
    _product_codes(variants, rows[0], mapping, built)
    if axes:
        for variant in variants:
            _inherit_product_price(variant, built, mapping)
        built.values[mapping.variants.field] = variants
        built.sources[mapping.variants.field] = (rows[0].line, "Option1 Value")
    elif len(rows) > 1:
        problems.append(refuse(rows[1].line, "Option1 Value", "options_needed"))


def _inherit_product_price(variant: dict[str, Any], built: Built, mapping: Mapping) -> None:
    """A variant repeating the product's price (and its compare-at price, when the product has that field) stores
    neither: it falls back to the product's. A compare-at price goes with its price, so one that differs from the
    product's keeps the variant's own price."""
    price, former = built.values.get(mapping.variants.product_price), mapping.variants.product_compare_at
    if variant.get("price") != price:
        return
    if former is None:
        variant.pop("price", None)
    elif variant.get("compare_at") == built.values.get(former):
        variant.pop("price", None)
        variant.pop("compare_at", None)


def _product_codes(variants: list[dict[str, Any]], row: Row, mapping: Mapping, built: Built) -> None:
    """The first variant's SKU, barcode and prices are the product's own (what a list of products shows)."""
    first = variants[0]
    targets = (
        (mapping.variants.product_sku, "sku", "Variant SKU"),
        (mapping.variants.product_gtin, "gtin", "Variant Barcode"),
        (mapping.variants.product_price, "price", "Variant Price"),
        (mapping.variants.product_compare_at, "compare_at", "Variant Compare At Price"),
    )
    for name, key, column in targets:
        if name is not None and first.get(key):
            built.values[name] = first[key]
            built.sources[name] = (row.line, column)
        elif name is not None and key == "compare_at" and column in row.values:
            built.cleared.add(name)


def _axes(first: Row, mapping: Mapping, content_type: ContentType, problems: list[Refusal]) -> dict[int, OptionAxis]:
    """Option number -> the type's axis it is mapped to."""
    axes: dict[int, OptionAxis] = {}
    by_name = {axis.name: axis for axis in content_type.options}
    for number in (1, 2, 3):
        name = first.get(f"Option{number} Name")
        if not name or (number == 1 and name in NO_OPTION):
            continue
        mapped = mapping.options.get(name)
        axis = by_name.get(mapped.axis if mapped else name.lower()) or _axis_by_label(content_type, name)
        if axis is None:
            known = ", ".join(by_name)
            problems.append(
                refuse(first.line, f"Option{number} Name", "no_axis", name=name, type=content_type.name, known=known)
            )
        else:
            axes[number] = axis
    return axes


def _axis_by_label(content_type: ContentType, name: str) -> OptionAxis | None:
    wanted = name.casefold()
    return next(
        (axis for axis in content_type.options if wanted in {label.casefold() for label in axis.label.values()}),
        None,
    )


def _axis_value(
    row: Row, column: str, axis: OptionAxis, mapping: Mapping, option_name: str, problems: list[Refusal]
) -> str | None:
    text = row.get(column)
    if not text:
        problems.append(refuse(row.line, column, "missing_option", axis=axis.name))
        return None
    mapped = mapping.options.get(option_name)
    if mapped is not None and text in mapped.values:
        return mapped.values[text]
    wanted = text.casefold()
    for value in axis.values:
        if value.name == slugify(text) or wanted in {label.casefold() for label in value.label.values()}:
            return value.name
    known = ", ".join(value.name for value in axis.values)
    problems.append(
        refuse(row.line, column, "unknown_option", axis=axis.name, value=text, known=known, name=option_name)
    )
    return None


def _gtin(row: Row, problems: list[Refusal]) -> str:
    # Spreadsheets keep leading zeros only behind an apostrophe.
    code = row.get("Variant Barcode").lstrip("'").replace(" ", "")
    if not code:
        problems.append(refuse(row.line, "Variant Barcode", "missing_gtin"))
    elif not is_valid_gtin(code):
        problems.append(refuse(row.line, "Variant Barcode", "invalid_gtin", value=code))
    return code


def _price(row: Row, problems: list[Refusal]) -> str | None:
    text = row.get("Variant Price")
    if not text:
        problems.append(refuse(row.line, "Variant Price", "missing_price"))
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        problems.append(refuse(row.line, "Variant Price", "invalid_price", value=text))
        return None
    return f"{amount:.2f}"


def _compare_at(row: Row, price: str | None, problems: list[Refusal]) -> str | None:
    """The variant's compare-at price when above its price (Shopify shows no sale otherwise: nothing is kept)."""
    column = "Variant Compare At Price"
    text = row.get(column)
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        problems.append(refuse(row.line, column, "invalid_compare_at", value=text))
        return None
    if price is None or amount <= Decimal(price):
        return None
    return f"{amount:.2f}"


def _quantity(row: Row, sku: str, built: Built, problems: list[Refusal]) -> None:
    """The variant's stock, from the first quantity column the row fills."""
    column = next((name for name in QUANTITY_COLUMNS if row.get(name)), None)
    if column is None:
        return
    text = row.get(column)
    try:
        quantity = int(text)
    except ValueError:
        problems.append(refuse(row.line, column, "invalid_quantity", value=text))
        return
    if quantity < 0:
        problems.append(refuse(row.line, column, "negative_quantity", value=text))
    elif quantity > MAX_QUANTITY:
        problems.append(refuse(row.line, column, "invalid_quantity", value=text))
    elif not sku:
        problems.append(refuse(row.line, column, "quantity_needs_sku"))
    else:
        built.stock.append(Quantity(row.line, column, sku, quantity))


def _image(row: Row, column: str, source: str, lookups: Lookups, problems: list[Refusal]) -> str:
    name = image_file(source)
    asset = lookups.images.get(name)
    if asset is None:
        code, params = lookups.image_problems.get(name, ("image_missing", {}))
        problems.append(refuse(row.line, column, code, name=name, **params))
        return ""
    return asset


def _images(rows: list[Row], mapping: Mapping, lookups: Lookups, built: Built, problems: list[Refusal]) -> None:
    assert mapping.images is not None
    placed: list[tuple[int, int, str]] = []
    for order, row in enumerate(rows):
        source = row.get("Image Src")
        if not source:
            continue
        asset = _image(row, "Image Src", source, lookups, problems)
        position_text = row.get("Image Position")
        position = int(position_text) if position_text.isdigit() else len(rows) + order
        if position_text and not position_text.isdigit():
            problems.append(refuse(row.line, "Image Position", "image_position", value=position_text))
        if asset and asset not in {placed_asset for _, _, placed_asset in placed}:
            placed.append((position, order, asset))
        built.sources.setdefault(mapping.images.field, (row.line, "Image Src"))
    if placed:
        built.values[mapping.images.field] = [asset for _, _, asset in sorted(placed)]
