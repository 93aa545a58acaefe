"""What an image looks like, in a few bytes: its blurhash and its dominant colour."""

from __future__ import annotations

import blurhash
from PIL import Image

BLURHASH_SOURCE = 32
"""Blurhash is computed on a thumbnail this big: it only keeps a few cosine components anyway."""


def describe(image: Image.Image) -> tuple[str, str]:
    """(blurhash, dominant colour as `#rrggbb`) of `image`, transparent parts seen on white."""
    scale = BLURHASH_SOURCE / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = _on_white(image.resize(size, Image.Resampling.BOX))
    return _blurhash(small), _dominant_color(small)


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, image).convert("RGB")


def _blurhash(image: Image.Image) -> str:
    width, height = image.size
    raw = image.tobytes()
    rows = [
        [list(raw[offset : offset + 3]) for offset in range(row * width * 3, (row + 1) * width * 3, 3)]
        for row in range(height)
    ]
    components = (4, 3) if width >= height else (3, 4)
    return str(blurhash.encode(rows, *components))


def _dominant_color(image: Image.Image) -> str:
    palette_image = image.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    counts = palette_image.getcolors() or [(1, 0)]
    _, most_common = max(counts)
    index = int(most_common)  # type: ignore[call-overload]
    palette = palette_image.getpalette() or [0, 0, 0]
    red, green, blue = palette[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"
