"""First build of a rendition (HTTP request → row → original from storage → decode, resize, encode → store →
response) against a bare Pillow resize + encode of the same image, measured in the same run; printed as ratios.

    .venv/bin/python bench/renditions.py [--rounds 5] [--budget 60]

Runs on a throwaway SQLite file and media directory; bounded by rounds and by a time budget in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = tempfile.mkdtemp(prefix="cms-bench-")
os.environ.update(
    CMS_DATABASE_URL=f"sqlite:///{WORK}/bench.sqlite3",
    CMS_MEDIA_ROOT=f"{WORK}/media",
    CMS_MODEL_DIR=str(ROOT / "content_types"),
    CMS_SCHEDULER="false",
)
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PIL import Image  # noqa: E402

from cms.app import create_app  # noqa: E402
from cms.auth.tokens import create_token  # noqa: E402
from cms.store.database import migrate  # noqa: E402
from tests.pictures import draw_picture  # noqa: E402

Case = tuple[str, str]
Series = dict[str, list[float]]
"""Seconds per measurement kind: `bare`, `first` (build), `stored` (served from storage)."""
CASES: list[Case] = [("web_800", "webp"), ("web_400", "avif"), ("social_card", "jpeg")]
SOURCE_SIZE = (3000, 2000)


def photo(seed: int) -> bytes:
    """A 3000×2000 JPEG with texture, closer to a product photo than a flat card."""
    drawn = Image.open(io.BytesIO(draw_picture(seed, f"Bench {seed}"))).resize(SOURCE_SIZE)
    noise = Image.merge("RGB", [Image.effect_noise(SOURCE_SIZE, 24)] * 3)
    buffer = io.BytesIO()
    Image.blend(drawn, noise, 0.15).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def bare_pillow(data: bytes, size: tuple[int, int], image_format: str) -> float:
    """Seconds for the plain way: open, Lanczos resize, encode (same quality and speed settings)."""
    started = time.perf_counter()
    image = Image.open(io.BytesIO(data))
    resized = image.resize(size, Image.Resampling.LANCZOS)
    options = {"webp": {"quality": 80, "method": 4}, "avif": {"quality": 80, "speed": 8}}.get(image_format, {})
    resized.save(io.BytesIO(), image_format.upper(), **(options or {"quality": 85}))
    return time.perf_counter() - started


async def main(rounds: int, budget: float) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    await migrate()
    _, token = await create_token("bench", ["management:write"], channels=[])
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app()
    timings: dict[Case, Series] = {case: {"first": [], "bare": [], "stored": []} for case in CASES}
    deadline = time.perf_counter() + budget
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
        for seed in range(rounds):
            if time.perf_counter() > deadline:
                break
            data = photo(seed)
            asset = (await http.post("/media", files={"file": (f"{seed}.jpg", data)}, headers=headers)).json()
            for case in CASES:
                await measure(http, asset, data, case, timings[case])
    report(timings)


async def measure(http: httpx.AsyncClient, asset: dict[str, Any], data: bytes, case: Case, into: Series) -> None:
    preset, image_format = case
    rendition = asset["renditions"][preset]
    for kind in ("first", "stored"):
        started = time.perf_counter()
        response = await http.get(rendition["urls"][image_format])
        into[kind].append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    into["bare"].append(bare_pillow(data, (rendition["width"], rendition["height"]), image_format))


def report(timings: dict[Case, Series]) -> None:
    rounds = len(next(iter(timings.values()))["first"])
    print(f"source {SOURCE_SIZE[0]}×{SOURCE_SIZE[1]} JPEG, {rounds} rounds, medians; ratio = time / bare Pillow")
    print(f"{'rendition':<20}{'bare Pillow':>13}{'first build':>13}{'ratio':>8}{'stored':>10}{'ratio':>8}")
    for (preset, image_format), measured in timings.items():
        bare, first, stored = (statistics.median(measured[kind]) * 1000 for kind in ("bare", "first", "stored"))
        columns = f"{bare:>10.1f} ms{first:>10.1f} ms{first / bare:>7.2f}×{stored:>7.1f} ms{stored / bare:>7.2f}×"
        print(f"{preset + '.' + image_format:<20}{columns}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=float, default=60.0, help="stop starting new rounds after this many seconds")
    arguments = parser.parse_args()
    try:
        asyncio.run(main(arguments.rounds, arguments.budget))
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
