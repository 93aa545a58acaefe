"""Rendition geometry, pure: output sizes per fit, and cover crops that always keep the focal point inside."""

from __future__ import annotations

import itertools

import pytest

from cms.media.geometry import Box, Fit, Plan, cover_box, plan_rendition

# (source, fit, width, height, focal, expected plan)
PLANS: list[tuple[tuple[int, int], Fit, int, int | None, tuple[float, float], Plan]] = [
    ((3000, 2000), "width", 800, None, (0.5, 0.5), Plan(Box(0, 0, 3000, 2000), (800, 533))),
    ((2000, 3000), "width", 800, None, (0.5, 0.5), Plan(Box(0, 0, 2000, 3000), (800, 1200))),
    ((300, 200), "width", 800, None, (0.5, 0.5), Plan(Box(0, 0, 300, 200), (300, 200))),
    ((3000, 2000), "contain", 1920, 1080, (0.5, 0.5), Plan(Box(0, 0, 3000, 2000), (1620, 1080))),
    ((4000, 1000), "contain", 1920, 1080, (0.5, 0.5), Plan(Box(0, 0, 4000, 1000), (1920, 480))),
    ((1000, 500), "contain", 1920, 1080, (0.5, 0.5), Plan(Box(0, 0, 1000, 500), (1000, 500))),
    ((3000, 2000), "cover", 1200, 630, (0.5, 0.5), Plan(Box(0, 212, 3000, 1787), (1200, 630))),
    ((3000, 2000), "cover", 1080, 1080, (0.5, 0.5), Plan(Box(500, 0, 2500, 2000), (1080, 1080))),
    ((3000, 2000), "cover", 1080, 1080, (0.0, 0.5), Plan(Box(0, 0, 2000, 2000), (1080, 1080))),
    ((3000, 2000), "cover", 1080, 1080, (1.0, 0.5), Plan(Box(1000, 0, 3000, 2000), (1080, 1080))),
    ((3000, 2000), "cover", 1080, 1080, (0.6, 0.5), Plan(Box(800, 0, 2800, 2000), (1080, 1080))),
    ((2000, 3000), "cover", 1200, 630, (0.5, 0.0), Plan(Box(0, 0, 2000, 1050), (1200, 630))),
    ((2000, 3000), "cover", 1200, 630, (0.5, 0.9), Plan(Box(0, 1950, 2000, 3000), (1200, 630))),
    ((300, 200), "cover", 1200, 630, (0.5, 0.5), Plan(Box(0, 21, 300, 179), (300, 158))),
    ((1, 1), "cover", 1200, 630, (0.5, 0.5), Plan(Box(0, 0, 1, 1), (1, 1))),
    ((10_000, 10), "width", 400, None, (0.5, 0.5), Plan(Box(0, 0, 10_000, 10), (400, 1))),
]


@pytest.mark.parametrize(("source", "fit", "width", "height", "focal", "expected"), PLANS)
def test_a_rendition_plan_per_fit(
    source: tuple[int, int], fit: Fit, width: int, height: int | None, focal: tuple[float, float], expected: Plan
) -> None:
    assert plan_rendition(source, fit, width, height, focal) == expected


SOURCES = [(3000, 2000), (2000, 3000), (1000, 1000), (641, 479), (7, 3), (1, 500)]
TARGETS = [(1200, 630), (1080, 1080), (630, 1200), (16, 9)]
FOCALS = [(x / 10, y / 10) for x in range(11) for y in range(11)] + [(0.333, 0.777), (0.999, 0.001)]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(SOURCES, TARGETS)))
def test_a_cover_crop_always_holds_the_focal_point(source: tuple[int, int], target: tuple[int, int]) -> None:
    for focal in FOCALS:
        box = cover_box(source, target, focal)
        x, y = focal[0] * source[0], focal[1] * source[1]
        assert box.left <= x <= box.right and box.top <= y <= box.bottom, (focal, box)
        assert 0 <= box.left < box.right <= source[0] and 0 <= box.top < box.bottom <= source[1]
        # the crop keeps the target's shape (to a pixel) and is as large as the source allows
        assert abs(box.width * target[1] - box.height * target[0]) <= max(target)
        assert box.width == source[0] or box.height == source[1]


def test_the_focal_point_is_centred_when_the_edges_allow() -> None:
    box = cover_box((3000, 2000), (1, 1), (0.4, 0.5))
    assert ((box.left + box.right) / 2, (box.top + box.bottom) / 2) == (1200, 1000)
