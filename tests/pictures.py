"""Pictures for tests and benches, drawn with Pillow (no binaries in git): same seed and label, same PNG.

A gradient, shapes and a label: something like a product photo for the codecs, unlike a flat colour."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

SIZE = (1600, 1200)


def draw_picture(seed: int, label: str, size: tuple[int, int] = SIZE) -> bytes:
    """A deterministic PNG: a two-colour gradient, a few shapes and `label` written across it."""
    chance = random.Random(seed)
    width, height = size
    start, end = _colour(chance, 40, 140), _colour(chance, 150, 250)
    # Rotate a gradient twice as big and keep its centre: no empty corners at 45°.
    angle = chance.choice((0, 45, 90, 135))
    turned = Image.linear_gradient("L").resize((512, 512)).rotate(angle, Image.Resampling.BICUBIC)
    gradient = turned.crop((128, 128, 384, 384)).resize(size, Image.Resampling.BICUBIC)
    image = ImageOps.colorize(gradient, start, end).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(6):
        x, y = chance.randrange(width), chance.randrange(height)
        radius = chance.randrange(80, 320) * width // SIZE[0]
        box = (x - radius, y - radius, x + radius, y + radius)
        fill = (*_colour(chance, 0, 255), chance.randrange(60, 160))
        if chance.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rounded_rectangle(box, radius=radius // 4, fill=fill)
    _write_label(draw, label, width, height)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def _colour(chance: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return chance.randint(low, high), chance.randint(low, high), chance.randint(low, high)


def _write_label(draw: ImageDraw.ImageDraw, label: str, width: int, height: int) -> None:
    font = ImageFont.load_default(size=96)
    text = label[:40]
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    position = ((width - (right - left)) / 2, height * 0.78 - (bottom - top) / 2)
    draw.rectangle((0, height * 0.7, width, height * 0.86), fill=(255, 255, 255, 170))
    draw.text(position, text, font=font, fill=(20, 20, 30))
