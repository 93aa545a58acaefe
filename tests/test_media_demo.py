"""Demo product images: drawn at seed time, the same bytes for the same seed and label, and uploadable."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from cms.auth.principal import SCHEDULER
from cms.media import generate_demo_image, store_upload
from tests.test_media_kit import MediaWorld, media

__all__ = ["media"]


async def test_a_demo_image_is_a_deterministic_png() -> None:
    first = await generate_demo_image(3, "Speaker One")
    assert await generate_demo_image(3, "Speaker One") == first
    assert await generate_demo_image(4, "Speaker One") != first
    assert await generate_demo_image(3, "Kettle") != first
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size, image.mode) == ("PNG", (1600, 1200), "RGB")


async def test_demo_images_go_through_the_upload_pipeline(media: MediaWorld) -> None:
    data = await generate_demo_image(11, "Kettle Pro")
    asset = await store_upload(data, "kettle-pro.png", "image/png", {"en": "Kettle Pro"}, SCHEDULER)
    assert (asset["width"], asset["height"], asset["mime"]) == (1600, 1200, "image/png")
    # a PNG without metadata is stored byte for byte as drawn: the same seed and label are the same asset
    assert asset["sha256"] == hashlib.sha256(data).hexdigest()
    again = await store_upload(await generate_demo_image(11, "Kettle Pro"), "k.png", None, {}, SCHEDULER)
    assert again["id"] == asset["id"]
