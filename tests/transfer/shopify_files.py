"""A Shopify product CSV written by hand from the columns Shopify documents, and the images it names."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PIL import Image

from cms.transfer.shopify.csvfile import Row

COLUMNS = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name", "Option3 Value",
    "Variant SKU", "Variant Grams", "Variant Inventory Qty", "Variant Price", "Variant Compare At Price",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Variant Image",
    "SEO Title", "SEO Description", "Status",
]  # fmt: skip

LAMP_BODY = (
    "<p>A <strong>solid brass</strong> desk lamp, <em>turned by hand</em>.</p>"
    "<h2>Care</h2>"
    "<ul><li>Dust it with a dry cloth</li>"
    '<li>Read the <a href="https://example.com/care">care guide</a></li></ul>'
)
CDN = "https://cdn.shopify.com/s/files/1/0001/products"

# Two products: a lamp in two finishes and two sizes (four variants, three images, one per variant for two of
# them), and a throw without options (Shopify's "Title / Default Title") left as a draft.
ROWS = [
    {
        "Handle": "arc-desk-lamp", "Title": "Arc desk lamp", "Body (HTML)": LAMP_BODY, "Vendor": "Lumen & Co",
        "Type": "Lamps", "Tags": "desk, brass", "Published": "TRUE", "Status": "active",
        "Option1 Name": "Color", "Option1 Value": "Polished Brass", "Option2 Name": "Size", "Option2 Value": "Small",
        "Variant SKU": "ARC-BR-S", "Variant Grams": "1200", "Variant Inventory Qty": "4", "Variant Price": "89.00",
        "Variant Barcode": "4006381333931", "Image Src": f"{CDN}/arc-front.png?v=1700000000",
        "Image Position": "1", "Image Alt Text": "The arc lamp seen from the front",
        "Variant Image": f"{CDN}/arc-brass.png", "SEO Title": "Arc lamp", "SEO Description": "A brass desk lamp.",
    },
    {
        "Handle": "arc-desk-lamp", "Option1 Value": "Polished Brass", "Option2 Value": "Large",
        "Variant SKU": "ARC-BR-L", "Variant Price": "109.00", "Variant Barcode": "4006381333948",
        "Image Src": f"{CDN}/arc-brass.png", "Image Position": "3", "Image Alt Text": "The brass finish",
    },
    {
        "Handle": "arc-desk-lamp", "Option1 Value": "Matte Black", "Option2 Value": "Small",
        "Variant SKU": "ARC-BK-S", "Variant Price": "89.00", "Variant Barcode": "4006381333955",
        "Image Src": f"{CDN}/arc-black.png", "Image Position": "2", "Image Alt Text": "The black finish",
        "Variant Image": f"{CDN}/arc-black.png",
    },
    {
        "Handle": "arc-desk-lamp", "Option1 Value": "Matte Black", "Option2 Value": "Large",
        "Variant SKU": "ARC-BK-L", "Variant Price": "109.00", "Variant Barcode": "4006381333962",
    },
    {
        "Handle": "wool-throw", "Title": "Wool throw", "Body (HTML)": "<p>Warm.</p>", "Vendor": "Fold",
        "Type": "Lamps", "Published": "FALSE", "Status": "draft", "Option1 Name": "Title",
        "Option1 Value": "Default Title", "Variant SKU": "THROW-1", "Variant Price": "59.90",
        "Variant Barcode": "4006381333979",
    },
]  # fmt: skip


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_images(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, colour in (("arc-front.png", "#c9a227"), ("arc-brass.png", "#b5892e"), ("arc-black.png", "#202020")):
        Image.new("RGB", (64, 48), colour).save(folder / name)
    return folder


def shop_row(values: dict[str, str], line: int = 2) -> Row:
    return Row(line, values)


GENERATED_TYPES = ("kitchen", "garden", "audio")
"""The categories of tests.factories (and bench/import.py), which the generated rows name by slug in Type."""
_FINISHES = (
    ("Polished Brass", "Small"),
    ("Polished Brass", "Large"),
    ("Matte Black", "Small"),
    ("Matte Black", "Large"),
)


def generated_rows(count: int) -> list[dict[str, str]]:
    """`count` rows: products of four variants each (two options), an HTML body with a list and a link, and one
    of four images each; GTINs valid and unique (check digits computed here, independently of cms)."""
    rows = []
    for index in range(count):
        product, variant = divmod(index, len(_FINISHES))
        finish, size = _FINISHES[variant]
        row = {
            "Handle": f"shop-product-{product:06d}",
            "Option1 Value": finish,
            "Option2 Value": size,
            "Variant SKU": f"SP-{product:06d}-{variant}",
            "Variant Price": f"{20 + product % 50 + variant * 5}.90",
            "Variant Barcode": _gtin13(product * len(_FINISHES) + variant),
        }
        if variant == 0:
            row |= {
                "Title": f"Shop product {product:06d}",
                "Body (HTML)": f"<p>Product <b>{product}</b>.</p><ul><li>Sturdy</li>"
                f'<li><a href="https://example.com/{product}">Guide</a></li></ul>',
                "Vendor": "Bench & Co",
                "Type": GENERATED_TYPES[product % len(GENERATED_TYPES)],
                "Published": "TRUE",
                "Status": "active",
                "Option1 Name": "Color",
                "Option2 Name": "Size",
                "Image Src": f"{CDN}/arc-{('front', 'brass', 'black')[product % 3]}.png",
                "Image Alt Text": f"Shop product {product}",
            }
        rows.append(row)
    return rows


def _gtin13(number: int) -> str:
    body = f"{300000000000 + number:012d}"
    total = sum(int(digit) * (1 if position % 2 == 0 else 3) for position, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)
