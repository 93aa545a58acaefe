"""Build one rendition from a stored original (blocking: run it in a thread)."""

from __future__ import annotations

import math

from PIL import Image

from cms.media.decode import IMAGE_WORK_SLOTS, open_image
from cms.media.encode import encode
from cms.media.geometry import Plan
from cms.media.sniff import KINDS

# Shrink by whole factors first (cheap), then Lanczos over the last ≥ 3×: looks the same, costs far less.
REDUCING_GAP = 3.0


def render(original: bytes, original_kind: str, plan: Plan, image_format: str, quality: int) -> bytes:
    with IMAGE_WORK_SLOTS:
        image = open_image(original, KINDS[original_kind])
        box = _draft(image, plan)
        resized = image.resize(plan.size, Image.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP)
        return encode(resized, image_format, quality)


def _draft(image: Image.Image, plan: Plan) -> tuple[float, float, float, float]:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale when the output is that much smaller; the box follows."""
    full_width = image.width
    if image.format == "JPEG":
        shrink = min(plan.box.width / plan.size[0], plan.box.height / plan.size[1]) / REDUCING_GAP
        if shrink > 1:
            image.draft(image.mode, (math.ceil(image.width / shrink), math.ceil(image.height / shrink)))
    scale = image.width / full_width
    return (plan.box.left * scale, plan.box.top * scale, plan.box.right * scale, plan.box.bottom * scale)
