"""Read a Shopify product CSV: rows grouped by Handle, each row with the line it starts on.

Shopify writes a product as consecutive rows of one handle: the first carries the product's columns and its
first variant, the next ones more variants and/or more images (docs/shopify-import.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

KNOWN_COLUMNS = (
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Compare At Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Variant Barcode",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Gift Card",
    "SEO Title",
    "SEO Description",
    "Variant Image",
    "Variant Weight Unit",
    "Variant Tax Code",
    "Cost per item",
    "Status",
    "Inventory quantity",
)
"""The columns of Shopify's documented product export, in its order; newer exports name the stock of a shop with
one location `Inventory quantity` instead of `Variant Inventory Qty`."""
QUANTITY_COLUMNS = ("Inventory quantity", "Variant Inventory Qty")
"""Where a variant's stock is read (the first one the file fills), when the mapping has an `[inventory]` table."""
USED_COLUMNS = frozenset(
    {
        "Handle",
        "Published",
        "Status",
        *(f"Option{number} {part}" for number in (1, 2, 3) for part in ("Name", "Value")),
        "Variant SKU",
        "Variant Price",
        "Variant Compare At Price",
        "Variant Barcode",
        "Image Src",
        "Image Position",
        "Image Alt Text",
        "Variant Image",
    }
)
"""Columns the importer reads itself (the mapping file names the others it should use)."""


class UnreadableCsv(Exception):
    """The file as a whole is no Shopify product CSV: nothing is imported."""


@dataclass
class Row:
    line: int
    """The line of the file the row starts on (a quoted HTML body may span several)."""
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass
class ProductRows:
    handle: str
    rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Row:
        return self.rows[0]


def read_header(path: Path) -> list[str]:
    with _open(path) as stream:
        try:
            header = next(csv.reader(stream), None)
        except (csv.Error, UnicodeDecodeError) as error:
            raise UnreadableCsv(f"{path}, line 1: {error}: save it as UTF-8 CSV") from None
    if not header or "Handle" not in header:
        raise UnreadableCsv(f"{path} has no Handle column: export the products from Shopify as CSV")
    return header


def product_groups(path: Path) -> Iterator[ProductRows]:
    """The file's products in order; rows of a handle met again later join their product's rows there."""
    groups: dict[str, ProductRows] = {}
    for row in _rows(path):
        handle = row.get("Handle")
        group = groups.get(handle)
        if group is None:
            group = groups[handle] = ProductRows(handle)
        group.rows.append(row)
    yield from groups.values()


def row_count(path: Path) -> int:
    return sum(1 for _ in _rows(path))


def _rows(path: Path) -> Iterator[Row]:
    with _open(path) as stream:
        reader = csv.DictReader(stream, strict=True)
        start = 2
        try:
            for values in reader:
                yield Row(start, {key: value or "" for key, value in values.items() if isinstance(key, str)})
                start = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as error:
            raise UnreadableCsv(f"{path}, after line {reader.line_num}: {error}: save it as UTF-8 CSV") from None


def _open(path: Path):  # type: ignore[no-untyped-def]
    try:
        # utf-8-sig: Shopify's files (and Excel's) may start with a byte-order mark.
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UnreadableCsv(f"cannot read {path}: {error}") from None
