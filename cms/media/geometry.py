"""Rendition geometry, pure: which region of the source to read and how big the output is. No Pillow here.

Renditions never upscale. `width` scales to the preset's width; `contain` fits inside width × height;
`cover` keeps exactly the preset's aspect ratio, cropping the largest such region of the source that is
centred on the focal point as far as the edges allow, so the focal point is always inside the crop.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Fit = Literal["width", "contain", "cover"]


class Box(NamedTuple):
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


class Plan(NamedTuple):
    """Read `box` of the source, resize it to `size`."""

    box: Box
    size: tuple[int, int]


def plan_rendition(
    source: tuple[int, int], fit: Fit, width: int, height: int | None, focal: tuple[float, float] = (0.5, 0.5)
) -> Plan:
    whole = Box(0, 0, *source)
    if fit == "width":
        return Plan(whole, _scaled(source, min(1.0, width / source[0])))
    assert height is not None, f"fit {fit!r} needs a height"
    if fit == "contain":
        return Plan(whole, _scaled(source, min(1.0, width / source[0], height / source[1])))
    box = cover_box(source, (width, height), focal)
    if box.width >= width and box.height >= height:
        return Plan(box, (width, height))
    return Plan(box, _scaled((box.width, box.height), min(1.0, width / box.width, height / box.height)))


def cover_box(source: tuple[int, int], target: tuple[int, int], focal: tuple[float, float]) -> Box:
    """The largest region of `source` with the aspect ratio of `target`, as centred on `focal` as fits."""
    source_width, source_height = source
    ratio = target[0] / target[1]
    if source_width / source_height > ratio:
        crop_width, crop_height = max(1, min(source_width, round(source_height * ratio))), source_height
    else:
        crop_width, crop_height = source_width, max(1, min(source_height, round(source_width / ratio)))
    left = _centred(focal[0] * source_width, crop_width, source_width)
    top = _centred(focal[1] * source_height, crop_height, source_height)
    return Box(left, top, left + crop_width, top + crop_height)


def _centred(point: float, length: int, limit: int) -> int:
    """Start of a span of `length` centred on `point`, moved inside [0, limit]: `point` stays within the span."""
    return max(0, min(limit - length, round(point - length / 2)))


def _scaled(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))
