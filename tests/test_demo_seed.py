"""Seeding the demo: products get generated pictures, uploaded like any image and served per channel."""

from __future__ import annotations

from cms.demo import seed
from cms.demo.content import demo_entries
from tests.management_client import delivered


async def test_seeded_products_carry_a_generated_picture_with_alt_text(client, model, clean_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    entries = demo_entries()
    categories = [entry for entry in entries if entry.content_type == "category"]
    products = [entry for entry in entries if entry.content_type == "product"][:3]
    monkeypatch.setattr(seed, "demo_entries", lambda: categories + products)

    assert await seed.seed_demo(model, images=True) == len(categories) + 3

    data = await delivered(
        client, "web", "{ products(locale: fr) { nodes { name images { alt width url(preset: WEB_400) } } } }"
    )
    nodes = data["products"]["nodes"]
    assert len(nodes) == 3
    for node in nodes:
        (image,) = node["images"]
        assert image["alt"] == node["name"]
        assert image["width"] == seed.DEMO_IMAGE_SIZE[0]
        rendition = await client.get(image["url"])
        assert (rendition.status_code, rendition.headers["content-type"]) == (200, "image/webp")
