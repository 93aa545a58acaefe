"""Tags, compare-at prices and quantities of a Shopify CSV read into a product (pure: no database)."""

from __future__ import annotations

from cms.model import ContentModel
from cms.transfer.shopify.cli import in_language
from cms.transfer.shopify.csvfile import ProductRows
from cms.transfer.shopify.mapping import read_mapping
from cms.transfer.shopify.products import Lookups, Quantity, build_product
from tests.transfer.shopify_files import ROWS, shop_row
from tests.transfer.test_shopify import EXAMPLE_MAPPING


def built(model: ContentModel, rows: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    group = ProductRows(rows[0]["Handle"], [shop_row(row, line) for line, row in enumerate(rows, 2)])
    lookups = Lookups(
        {"lighting": "cat-1"}, {name: "asset" for name in ("arc-front.png", "arc-brass.png", "arc-black.png")}
    )
    return build_product(group, read_mapping(EXAMPLE_MAPPING, model), model.types["product"], lookups)


def test_tags_compare_at_prices_and_quantities_are_read(model: ContentModel) -> None:
    rows = [dict(row) for row in ROWS[:4]]
    rows[0]["Tags"] = "desk, Brass,desk"
    rows[0]["Variant Compare At Price"] = "99"
    product, problems = built(model, rows)
    assert problems == []
    assert product.values["tags"] == "desk, Brass"
    assert product.values["compare_at_price"] == {"amount": "99.00", "currency": "EUR"}
    assert product.stock == [Quantity(2, "Variant Inventory Qty", "ARC-BR-S", 4)]


def test_a_negative_quantity_and_a_bad_compare_at_price_are_named_by_line_and_column(model: ContentModel) -> None:
    rows = [dict(row) for row in ROWS[:4]]
    rows[0]["Variant Inventory Qty"] = "-2"
    rows[1]["Variant Compare At Price"] = "abc"
    _, problems = built(model, rows)
    assert [(p.line, p.path) for p in problems] == [(2, "Variant Inventory Qty"), (3, "Variant Compare At Price")]
    assert in_language(problems[1], "fr") == (
        "ligne 3: Variant Compare At Price: « abc » n’est pas un prix barré (écrivez-le 12.99, ou laissez-le vide)"
    )
