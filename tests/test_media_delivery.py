"""Images in delivery: each channel's Image type exposes that channel's presets only, with working URLs."""

from __future__ import annotations

import io

import httpx
from PIL import Image as PILImage

from tests.management_client import Management, delivered, token_for


def png(width: int = 1200, height: int = 900) -> bytes:
    image = PILImage.new("RGB", (width, height), (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


async def upload(client: httpx.AsyncClient, token: str) -> str:
    response = await client.post(
        "/media",
        files={"file": ("kettle.png", png(), "image/png")},
        data={"alt.en": "A copper kettle", "alt.fr": "Une bouilloire en cuivre"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_each_channel_serves_its_own_renditions_of_a_product_image(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    token = await token_for(model, "management:admin")
    editor = Management(client, token)
    asset_id = await upload(client, token)
    category = await editor.create("category", {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}}})
    product = await editor.create(
        "product",
        {
            "base": {
                "en": {
                    "name": "Kettle",
                    "slug": "kettle",
                    "gtin": "4006381333931",
                    "availability": "in_stock",
                    "price": {"amount": "49.00", "currency": "EUR"},
                    "category": category["id"],
                    "images": [asset_id],
                }
            }
        },
    )
    await editor.act("publishEntry", category["id"])
    await editor.act("publishEntry", product["id"])

    web = await delivered(
        client,
        "web",
        '{ product(by: { slug: "kettle" }, locale: fr) { images { id width height alt blurhash dominantColor '
        "focalPoint { x y } small: url(preset: WEB_400) avif: url(preset: WEB_800, format: AVIF)"
        " srcset(format: WEBP) } } }",
    )
    image = web["product"]["images"][0]
    assert (image["id"], image["width"], image["height"], image["alt"]) == (
        asset_id,
        1200,
        900,
        "Une bouilloire en cuivre",
    )
    assert image["focalPoint"] == {"x": 0.5, "y": 0.5}
    assert image["blurhash"] and image["dominantColor"].startswith("#")
    assert [part.split()[-1] for part in image["srcset"].split(", ")] == ["400w", "800w", "1200w"]

    rendition = await client.get(image["small"])
    assert rendition.status_code == 200
    assert rendition.headers["content-type"] == "image/webp"
    assert PILImage.open(io.BytesIO(rendition.content)).size == (400, 300)
    assert (await client.get(image["avif"])).headers["content-type"] == "image/avif"

    email = await client.post(
        "/graphql/email", json={"query": '{ product(by: { slug: "kettle" }) { images { url(preset: WEB_400) } } }'}
    )
    assert email.status_code == 400  # the email channel has no web presets
    email_image = await delivered(client, "email", '{ product(by: { slug: "kettle" }) { images { url alt } } }')
    jpeg = await client.get(email_image["product"]["images"][0]["url"])
    assert jpeg.headers["content-type"] == "image/jpeg"
    assert PILImage.open(io.BytesIO(jpeg.content)).size[0] == 600
