"""The demo is data: cms/demo/demo.ndjson, imported through `cms import`'s code, in English and French."""

from __future__ import annotations

import io

from cms.demo.load import DEMO_FILE, load_demo, record_count
from cms.store.content_version import read_content_version
from cms.store.database import get_engine
from cms.transfer.export import export_site
from tests.management_client import delivered


async def test_the_demo_file_loads_in_english_and_french_with_pictures_and_stock(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    written = await load_demo(model)

    assert written[("entry", "create")] == 87
    assert written[("asset", "create")] == 64
    query = '{ product(by: {slug: "olivier-terracotta-planter"}, locale: %s) { name images { width } } }'
    english = await delivered(client, "web", query % "en")
    french = await delivered(client, "web", query % "fr")
    assert english["product"]["name"] == "Olivier terracotta planter"
    assert french["product"]["name"] != english["product"]["name"]
    assert english["product"]["images"] == [{"width": 960}]
    stock = await get_engine().run_ddl("SELECT count(*) AS n FROM cms_stock")
    assert stock[0]["n"] == 324


async def test_loading_the_demo_again_changes_nothing(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await load_demo(model)
    version = await read_content_version()

    again = await load_demo(model)

    assert sum(again.values()) == 0
    assert await read_content_version() == version
    assert record_count() == 215


async def test_the_loaded_demo_exports_back_to_the_same_file(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    # What docs/export-format.md says to do after editing the demo in the admin: `cms export --no-files`.
    out = io.BytesIO()

    await export_site(model, out, None)

    header, *lines = out.getvalue().splitlines()
    demo_header, *demo_lines = DEMO_FILE.read_bytes().splitlines()
    assert lines == demo_lines, header + b" / " + demo_header


async def test_products_show_their_picture_with_alt_text_and_its_renditions_are_served(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    query = "{ products(first: 100, locale: fr) { nodes { name images { alt width url(preset: WEB_400) } } } }"

    nodes = (await delivered(client, "web", query))["products"]["nodes"]

    assert len(nodes) == 64
    for node in nodes:
        (image,) = node["images"]
        assert (image["alt"], image["width"]) == (node["name"], 960)
    rendition = await client.get(nodes[0]["images"][0]["url"])
    assert (rendition.status_code, rendition.headers["content-type"]) == (200, "image/webp")
