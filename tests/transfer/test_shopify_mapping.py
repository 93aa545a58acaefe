"""The mapping file of a Shopify import: the shipped example fits the demo model; a bad one is named by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.model import ContentModel
from cms.transfer.shopify.csvfile import KNOWN_COLUMNS, USED_COLUMNS
from cms.transfer.shopify.mapping import MappingError, read_mapping
from cms.transfer.shopify.products import image_file, is_published
from tests.transfer.shopify_files import COLUMNS, shop_row
from tests.transfer.test_shopify import EXAMPLE_MAPPING


def test_the_shipped_example_fits_the_demo_model(model: ContentModel) -> None:
    mapping = read_mapping(EXAMPLE_MAPPING, model)
    assert mapping.columns["Body (HTML)"] == "description"
    assert mapping.options["Color"].axis == "finish"
    assert set(mapping.ignore) < set(COLUMNS) | {
        "Variant Inventory Tracker", "Variant Inventory Policy", "Variant Fulfillment Service",
        "Variant Requires Shipping", "Variant Taxable", "Variant Weight Unit", "Variant Tax Code", "Cost per item",
        "Gift Card",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ('content_type = "gadget"', "content_type", "unknown content type 'gadget'"),
        ('locale = "de"', "locale", "unknown locale 'de' (known: en, fr)"),
        ('[columns]\n"Title" = "price"', "columns.'Title'", "field 'price' is a money; expected string or text"),
        ('[options.Color]\naxis = "colour"', "options.Color.axis", "'colour' is not an option of product"),
        (
            '[options.Color]\naxis = "finish"\nvalues = { Gold = "gold" }',
            "options.Color.values.Gold",
            "'gold' is not a value of finish",
        ),
        ("[category]\nmatch = 'colour'", "category.match", "Invalid enum value 'colour'"),
        ("colums = {}", "", "Object contains unknown field `colums`"),
        ("[columns", "", "is not TOML"),
    ],
)
def test_a_mapping_that_does_not_fit_is_named_by_key(
    model: ContentModel, tmp_path: Path, text: str, key: str, reason: str
) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as raised:
        read_mapping(path, model)
    assert raised.value.key == key
    assert reason in raised.value.reason


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("https://cdn.shopify.com/s/files/1/0001/products/lamp.jpg?v=1700000000", "lamp.jpg"),
        ("https://cdn.shopify.com/s/files/caf%C3%A9%20noir.png", "café noir.png"),
        ("lamp.png", "lamp.png"),
        ("https://cdn.shopify.com/../../etc/passwd", "passwd"),
    ],
)
def test_an_image_is_looked_up_by_the_file_name_ending_its_url(source: str, name: str) -> None:
    assert image_file(source) == name


@pytest.mark.parametrize(
    ("status", "published", "live"),
    [
        ("active", "TRUE", True),
        ("active", "FALSE", False),
        ("draft", "TRUE", False),
        ("archived", "TRUE", False),
        ("", "true", True),
        ("active", "", True),
        ("", "", False),
    ],
)
def test_a_product_is_published_when_active_and_published(status: str, published: str, live: bool) -> None:
    assert is_published(shop_row({"Status": status, "Published": published})) is live


def test_the_hand_written_file_uses_only_columns_shopify_documents() -> None:
    assert set(COLUMNS) <= set(KNOWN_COLUMNS)
    assert set(KNOWN_COLUMNS) >= USED_COLUMNS
