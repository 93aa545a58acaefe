"""`cms import-shopify` in process: a CSV written by hand from Shopify's documented columns imported, then read
back through delivery on every channel that shows products; bad rows answered row by row with nothing applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.auth.principal import cli_principal
from cms.media.library import MediaLibrary
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.settings import get_settings
from cms.store.tables import Asset, Entry, EntryVersion
from cms.transfer.shopify.csvfile import UnreadableCsv
from cms.transfer.shopify.importing import ShopifyImport, ShopifyReport
from cms.transfer.shopify.mapping import Mapping, read_mapping
from cms.workflow.entries import Editor
from tests.transfer.shopify_files import GENERATED_TYPES, ROWS, csv_text, generated_rows, write_images

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_MAPPING = ROOT / "docs" / "shopify-mapping.example.toml"
PRODUCT_CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"]


def shop_import(
    model: ContentModel, tmp_path: Path, rows: list[dict[str, str]], mapping: Mapping | None = None
) -> ShopifyImport:
    csv_path = tmp_path / "products_export.csv"
    csv_path.write_text(csv_text(rows), encoding="utf-8")
    images = write_images(tmp_path / "images")
    mapping = mapping or read_mapping(EXAMPLE_MAPPING, model)
    return ShopifyImport(model, mapping, csv_path, images, MediaLibrary(get_settings(), model))


async def run(
    importer: ShopifyImport, *, skip_invalid: bool = False, late_refusals: bool = False
) -> tuple[ShopifyReport, dict[str, int]]:
    """Check, then apply unless refused (as the command does); what the site refused while applying goes to
    `report.late`, expected empty unless `late_refusals`."""
    report = await importer.check()
    if report.refusals and not skip_invalid:
        return report, {}
    written, late = await importer.apply(report, cli_principal())
    report.late = late
    assert late_refusals or late == []
    return report, dict(written)


async def stored_snapshot() -> tuple[list[Any], int]:
    entries = await Entry.select(Entry.slug, Entry.current_version, Entry.published_version).order_by(Entry.slug)
    return entries, await EntryVersion.count()


async def current_data(slug: str) -> Any:
    entry = await Entry.select().where(Entry.slug == slug).first()
    key = f"{entry['id']}:{entry['current_version']}"
    version = await EntryVersion.select(EntryVersion.data).where(EntryVersion.key == key).output(load_json=True).first()
    return version["data"]


PRODUCT = """query($slug: String!) { product(by: {slug: $slug}) {
  name slug sku gtin brand price { amount currency }
  images { alt width }
  variants { sku gtin price { amount } images { alt } options { name value } }
} }"""


async def delivered(client: httpx.AsyncClient, channel: str, slug: str) -> Any:
    response = await client.post(f"/graphql/{channel}", json={"query": PRODUCT, "variables": {"slug": slug}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["product"]


async def test_a_hand_written_csv_is_served_on_every_channel_that_shows_products(
    model: ContentModel, lighting: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Given the lamp (two options, four variants, three images) and a draft throw
    importer = shop_import(model, tmp_path, ROWS)

    # When it is imported
    report, written = await run(importer)

    # Then both are created and only the active, published one is live
    assert report.refusals == []
    assert written == {"create": 2}
    for channel in PRODUCT_CHANNELS:
        lamp = await delivered(client, channel, "arc-desk-lamp")
        assert lamp["name"] == "Arc desk lamp"
        assert lamp["sku"] == "ARC-BR-S" and lamp["gtin"] == "4006381333931"
        assert [image["alt"] for image in lamp["images"]] == [
            "The arc lamp seen from the front",
            "The black finish",
            "The brass finish",
        ]
        assert [(v["sku"], v["gtin"], {o["name"]: o["value"] for o in v["options"]}) for v in lamp["variants"]] == [
            ("ARC-BR-S", "4006381333931", {"finish": "brass", "size": "small"}),
            ("ARC-BR-L", "4006381333948", {"finish": "brass", "size": "large"}),
            ("ARC-BK-S", "4006381333955", {"finish": "black", "size": "small"}),
            ("ARC-BK-L", "4006381333962", {"finish": "black", "size": "large"}),
        ]
        assert [[image["alt"] for image in v["images"]] for v in lamp["variants"]] == [
            ["The brass finish"],
            [],
            ["The black finish"],
            [],
        ]
        assert await delivered(client, channel, "wool-throw") is None, channel
    web = await delivered(client, "web", "arc-desk-lamp")
    assert web["brand"] == "Lumen & Co"
    assert web["price"] == {"amount": "89.00", "currency": "EUR"}
    assert [v["price"]["amount"] for v in web["variants"]] == ["89.00", "109.00", "89.00", "109.00"]


async def test_the_html_body_becomes_rich_text_with_its_list_and_link(
    model: ContentModel, lighting: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await run(shop_import(model, tmp_path, ROWS))
    query = '{ product(by: {slug: "arc-desk-lamp"}) { description { html blocks } } }'
    response = await client.post("/graphql/web", json={"query": query})
    description = response.json()["data"]["product"]["description"]
    assert [block["type"] for block in description["blocks"]] == ["paragraph", "heading", "list"]
    assert description["blocks"][0]["children"][1] == {"type": "text", "text": "solid brass", "marks": ["bold"]}
    assert description["blocks"][2]["items"][1][1] == {
        "type": "link",
        "href": "https://example.com/care",
        "children": [{"type": "text", "text": "care guide", "marks": []}],
    }
    assert '<a href="https://example.com/care">care guide</a>' in description["html"]
    assert "<li>Dust it with a dry cloth</li>" in description["html"]


async def test_importing_the_same_file_again_changes_nothing(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    await run(shop_import(model, tmp_path, ROWS))
    before = await stored_snapshot()
    assets_before = await Asset.count()

    report, written = await run(shop_import(model, tmp_path, ROWS))

    assert report.counts == {"unchanged": 2}
    assert written == {"unchanged": 2}
    assert await stored_snapshot() == before
    assert await Asset.count() == assets_before == 3


async def test_a_changed_row_updates_its_product_as_a_new_version_keeping_other_fields(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    await run(shop_import(model, tmp_path, ROWS))
    lamp = await Entry.select().where(Entry.slug == "arc-desk-lamp").first()
    rows = [dict(row) for row in ROWS]
    rows[1]["Variant Price"] = "119.00"

    _, written = await run(shop_import(model, tmp_path, rows))

    assert written == {"update": 1, "unchanged": 1}
    after = await Entry.select().where(Entry.slug == "arc-desk-lamp").first()
    assert after["id"] == lamp["id"]
    assert (after["current_version"], after["published_version"]) == (2, 2)
    data = await current_data("arc-desk-lamp")
    assert [variant.get("price") for variant in data["base"]["en"]["variants"]] == [
        None,
        {"amount": "119.00", "currency": "EUR"},
        None,
        {"amount": "109.00", "currency": "EUR"},
    ]
    assert data["base"]["en"]["availability"] == "in_stock"


async def test_a_file_with_bad_rows_is_answered_row_by_row_and_nothing_is_applied(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    # Given rows with an invalid barcode, an unknown option value, a missing price and a repeated SKU
    rows = [dict(row) for row in ROWS]
    rows[1]["Variant Barcode"] = "4006381333949"  # wrong check digit
    rows[2]["Option1 Value"] = "Purple"
    rows[3]["Variant Price"] = ""
    rows[3]["Variant SKU"] = ""
    rows[4]["Variant SKU"] = "ARC-BR-S"  # the lamp's first variant's
    importer = shop_import(model, tmp_path, rows)

    report, written = await run(importer)

    # Then each is named by its CSV line and column, and nothing is stored
    problems = [(refusal.line, refusal.path) for refusal in report.refusals]
    assert problems == [
        (3, "Variant Barcode"),
        (4, "Option1 Value"),
        (5, "Variant SKU"),
        (5, "Variant Price"),
        (6, "Variant SKU"),
    ]
    reasons = {refusal.path: refusal.reason for refusal in report.refusals if refusal.line != 5}
    assert "“4006381333949” is not a valid GTIN" in reasons["Variant Barcode"]
    assert "unknown finish “Purple”" in reasons["Option1 Value"]
    assert "arc-desk-lamp" in reasons["Variant SKU"]
    assert [refusal.reason for refusal in report.refusals if refusal.line == 5] == [
        "missing: every variant needs its SKU",
        "missing: every variant needs a price",
    ]
    assert report.counts == {"refused": 2}
    assert written == {}
    assert await Entry.count().where(Entry.content_type == "product") == 0
    assert await Asset.count() == 0


async def test_skip_invalid_imports_the_products_without_refused_rows(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    rows = [dict(row) for row in ROWS]
    rows[4]["Variant Barcode"] = "12345"

    report, written = await run(shop_import(model, tmp_path, rows), skip_invalid=True)

    assert [(refusal.line, refusal.path) for refusal in report.refusals] == [(6, "Variant Barcode")]
    assert written == {"create": 1}
    assert [row["slug"] for row in await Entry.select(Entry.slug).where(Entry.content_type == "product")] == [
        "arc-desk-lamp"
    ]


async def test_a_missing_image_and_an_unknown_category_are_named_by_line_and_column(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    rows = [dict(row) for row in ROWS]
    rows[2]["Image Src"] = "https://cdn.shopify.com/s/files/nowhere.png"
    rows[4]["Type"] = "Rugs"

    report, _ = await run(shop_import(model, tmp_path, rows))

    assert [(refusal.line, refusal.path) for refusal in report.refusals] == [(4, "Image Src"), (6, "Type")]
    assert "“nowhere.png”" in report.refusals[0].reason
    assert "no category “rugs”" in report.refusals[1].reason


async def test_columns_nothing_reads_are_reported_as_unmapped(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    mapping = read_mapping(EXAMPLE_MAPPING, model)
    mapping.ignore = []
    importer = shop_import(model, tmp_path, ROWS, mapping)
    assert importer.unmapped_columns() == ["Product Category", "Variant Grams"]


async def test_quantities_are_unmapped_without_an_inventory_location(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    mapping = read_mapping(EXAMPLE_MAPPING, model)
    mapping.inventory = None
    importer = shop_import(model, tmp_path, ROWS, mapping)
    assert importer.unmapped_columns() == ["Variant Inventory Qty"]


async def test_a_french_csv_fills_the_french_texts_of_products_already_there(
    model: ContentModel, lighting: str, tmp_path: Path
) -> None:
    await run(shop_import(model, tmp_path, ROWS))
    mapping = read_mapping(EXAMPLE_MAPPING, model)
    mapping.locale = "fr"
    rows = [dict(row) for row in ROWS]
    rows[0]["Title"] = "Lampe de bureau Arc"

    _, written = await run(shop_import(model, tmp_path, rows, mapping))

    assert written == {"update": 2}
    lamp = await Entry.select().where(Entry.slug == "arc-desk-lamp").first()
    version = (
        await EntryVersion.select(EntryVersion.data)
        .where(EntryVersion.key == f"{lamp['id']}:{lamp['current_version']}")
        .output(load_json=True)
        .first()
    )
    assert version["data"]["base"]["en"]["name"] == "Arc desk lamp"
    assert version["data"]["base"]["fr"]["name"] == "Lampe de bureau Arc"


async def test_a_generated_file_of_many_rows_is_imported_product_by_product(
    model: ContentModel, clean_db: None, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Given the categories its Type column names by slug, and 120 rows: 30 products of four variants
    editor = Editor(model, cli_principal())
    for slug in GENERATED_TYPES:
        await editor.publish(
            (await editor.create("category", EntryData(base={"en": {"name": slug, "slug": slug}})))["id"]
        )
    importer = shop_import(model, tmp_path, generated_rows(120))
    progress: list[int] = []

    report = await importer.check()
    written, late = await importer.apply(report, cli_principal(), lambda plan: progress.append(len(plan.lines)))

    assert (report.refusals, late) == ([], [])
    assert written == {"create": 30}
    assert progress == [4] * 30
    query = '{ products(first: 5, where: {category: {eq: "%s"}}) { totalCount } }'
    counts = []
    for slug in GENERATED_TYPES:
        category = await Entry.select(Entry.id).where(Entry.slug == slug).first()
        response = await client.post("/graphql/web", json={"query": query % category["id"]})
        counts.append(response.json()["data"]["products"]["totalCount"])
    assert counts == [10, 10, 10]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name,Price\nLamp,10\n", "has no Handle column"),
        ("Handle,Title\nlamp,Lampe à poser\n".encode("latin-1"), "save it as UTF-8 CSV"),
        (b'Handle,Title\nlamp,"unclosed\n', "unexpected end of data"),
    ],
)
async def test_a_file_that_is_no_product_csv_is_refused_whole(
    model: ContentModel, clean_db: None, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableCsv, match=message):
        importer = ShopifyImport(
            model, read_mapping(EXAMPLE_MAPPING, model), path, None, MediaLibrary(get_settings(), model)
        )
        await importer.check()
    assert await Entry.count() == 0


async def test_a_product_the_brand_voice_keeps_from_publishing_is_saved_as_a_draft_and_named(
    model: ContentModel, lighting: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Given a live product whose description says a word the brand voice forbids (an error: it blocks publishing)
    rows = [dict(row) for row in ROWS]
    rows[0]["Body (HTML)"] = "<p>A cheap lamp.</p>"

    report, written = await run(shop_import(model, tmp_path, rows), late_refusals=True)

    # Then it is saved, not published, and the report says why on its first line
    assert report.refusals == []
    assert written == {"draft": 1, "create": 1}
    assert [(refusal.line, refusal.path) for refusal in report.late] == [(2, "Status")]
    assert "arc-desk-lamp: saved as version 1, not published" in report.late[0].reason
    assert "cheap" in report.late[0].reason
    assert await delivered(client, "web", "arc-desk-lamp") is None
    assert (await Entry.select(Entry.status).where(Entry.slug == "arc-desk-lamp").first())["status"] == "draft"


COMMERCE = """query($slug: String!) { product(by: {slug: $slug}) {
  tags seoTitle seoDescription price { amount } compareAtPrice { amount }
  inventory { quantity }
  variants { sku compareAtPrice { amount } inventory { quantity } }
} }"""


async def test_tags_seo_compare_at_prices_and_quantities_are_served_after_the_import(
    model: ContentModel, lighting: str, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # Given the lamp with tags written twice, a compare-at price above its small variants' price, and quantities
    rows = [dict(row) for row in ROWS]
    rows[0]["Tags"] = "desk, Brass,desk"
    rows[0]["Variant Compare At Price"] = "99.00"
    rows[1]["Variant Inventory Qty"] = "0"
    rows[2]["Variant Inventory Qty"] = "7"

    # When it is imported
    report, written = await run(shop_import(model, tmp_path, rows))
    assert report.refusals == []
    assert written == {"create": 2}

    # Then the web channel serves the tags once each, the SEO texts, the compare-at price and the stock
    response = await client.post("/graphql/web", json={"query": COMMERCE, "variables": {"slug": "arc-desk-lamp"}})
    lamp = response.json()["data"]["product"]
    assert lamp["tags"] == "desk, Brass"
    assert (lamp["seoTitle"], lamp["seoDescription"]) == ("Arc lamp", "A brass desk lamp.")
    assert lamp["price"] == {"amount": "89.00"} and lamp["compareAtPrice"] == {"amount": "99.00"}
    by_sku = {v["sku"]: v for v in lamp["variants"]}
    assert by_sku["ARC-BR-S"]["inventory"] == {"quantity": 4}
    assert by_sku["ARC-BR-L"]["inventory"] == {"quantity": 0}
    assert by_sku["ARC-BK-S"]["inventory"] == {"quantity": 7}
    assert lamp["inventory"] == {"quantity": 11}
    # and a large variant, dearer than the compare-at price, shows none
    assert by_sku["ARC-BR-L"]["compareAtPrice"] is None

    # And the tags filter finds the lamp by one of them, in any case
    query = '{ products(where: {tags: {contains: "brass"}}) { nodes { slug } } }'
    response = await client.post("/graphql/web", json={"query": query})
    assert [node["slug"] for node in response.json()["data"]["products"]["nodes"]] == ["arc-desk-lamp"]

    # And importing the same file again changes neither the products nor the stock
    before = await stored_snapshot()
    report, written = await run(shop_import(model, tmp_path, rows))
    assert written == {"unchanged": 2}
    assert await stored_snapshot() == before
    response = await client.post("/graphql/web", json={"query": COMMERCE, "variables": {"slug": "arc-desk-lamp"}})
    assert response.json()["data"]["product"]["inventory"] == {"quantity": 11}
