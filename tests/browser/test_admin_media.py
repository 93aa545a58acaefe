"""The media library in Chromium: drop images on the page, see them in the grid, set a focal point by clicking,
write alt text in French; a refused file says why."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.async_api import expect

from cms.store.tables import Asset
from tests.browser.conftest import Shots, new_page, sign_in

DROP = """async ([files]) => {
  const transfer = new DataTransfer();
  for (const [name, type, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  const zone = document.querySelector(".dropzone");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}"""


def landscape_png() -> bytes:
    """A 1200×800 picture: sky, ground and a red ball on the left, so crops visibly follow the focal point."""
    image = Image.new("RGB", (1200, 800), (120, 170, 230))
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((0, 520, 1200, 800), fill=(60, 140, 70))
    drawing.ellipse((180, 380, 420, 620), fill=(210, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def as_drop(name: str, mime: str, data: bytes) -> list[str]:
    return [name, mime, base64.b64encode(data).decode()]


async def test_drop_upload_focal_point_and_french_alt(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["editor"])
    await page.get_by_role("link", name="Media").click()
    await page.get_by_role("heading", name="Media library").wait_for()
    await shots.take(page, "empty-library")

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>'
    files = [as_drop("field.png", "image/png", landscape_png()), as_drop("logo.svg", "image/svg+xml", svg)]
    await page.evaluate(DROP, [files])
    uploads = page.locator(".upload-list li")
    await uploads.filter(has_text="field.png").filter(has_text="Uploaded").wait_for()
    refused = uploads.filter(has_text="logo.svg")
    await refused.filter(has_text="Refused").wait_for()
    assert "SVG" in await refused.inner_text()  # the pipeline's reason, shown per file
    card = page.locator(".asset-card").filter(has_text="field.png")
    await card.wait_for()  # the grid refreshed without a reload
    # (expect, not wait_for_function: the admin's Content-Security-Policy forbids the eval the latter may need)
    await expect(page.locator(".asset-card img").first).to_have_js_property("complete", True)
    await shots.take(page, "dropped-one-refused")
    assert await Asset.count() == 1

    await card.get_by_role("link").click()
    await page.get_by_role("heading", name="field.png").wait_for()
    picker = page.locator(".focal-picker")
    box = await picker.bounding_box()
    assert box is not None
    await picker.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.7})
    assert await page.get_by_label("Horizontal position (0 = left, 1 = right)").input_value() == "0.250"
    await picker.press("ArrowRight")  # the keyboard moves it too
    assert await page.get_by_label("Horizontal position (0 = left, 1 = right)").input_value() == "0.260"
    await shots.take(page, "focal-point-picked")
    await page.get_by_role("button", name="Save focal point and alt texts").first.click()
    await page.get_by_text("Focal point and alt texts saved").wait_for()
    await shots.take(page, "focal-point-saved")

    await page.reload()
    asset_id = page.url.rstrip("/").rsplit("/", 1)[1]
    document = await (await page.request.get(f"/media/{asset_id}")).json()
    assert document["focalPoint"] == {"x": 0.26, "y": pytest.approx(0.7, abs=0.005)}  # a click lands on a pixel
    assert (
        await page.get_by_label("Vertical position (0 = top, 1 = bottom)").input_value()
        == f"{document['focalPoint']['y']:.3f}"
    )
    marker = await page.locator(".focal-marker").get_attribute("style")
    assert marker is not None and marker.startswith("left: 26")

    await page.get_by_label("Alt text in French (fr)").fill("Un ballon rouge dans un champ")
    await page.get_by_role("button", name="Save focal point and alt texts").last.click()
    await page.get_by_text("Focal point and alt texts saved").wait_for()
    document = await (await page.request.get(f"/media/{asset_id}")).json()
    assert document["alt"] == {"fr": "Un ballon rouge dans un champ"}
    await shots.take(page, "french-alt-saved")


async def test_media_library_at_tablet_width(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server, width=768, height=1024)
    await sign_in(page, admin_world["editor"])
    await page.goto("/admin/media")
    await page.get_by_label("Choose files…").set_input_files(
        files=[{"name": "field.png", "mimeType": "image/png", "buffer": landscape_png()}]
    )
    await page.locator(".asset-card").first.wait_for()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 768
    await shots.take(page, "library-tablet")
    await page.locator(".asset-card a").first.click()
    await page.get_by_role("heading", name="field.png").wait_for()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 768
    await shots.take(page, "asset-tablet")
