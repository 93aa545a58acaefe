"""`cms import` of a catalogue of products against a bare executemany of the same rows, in one run; printed as
ratios (entries/s) and peak memory (100k against 10k products: flat when the import streams).

    .venv/bin/python bench/import.py [--sizes 10000 100000]

Each size: an export file of that many published products (and a few categories they name) is written with
cms.transfer's records, then imported by `cms import` into a fresh, migrated SQLite file (in a child process,
whose peak resident memory the kernel reports), and the same entry and version rows are inserted into another
fresh, migrated SQLite file with sqlite3's executemany (the floor: no checks, no projections, no index).
The import does what the bare insert does not: it checks every record against the model, compares it with
what is stored, claims unique values, and projects every product for each channel and locale (documents,
search index, change log) through the publishing code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CMS_MODEL_DIR", str(ROOT / "content_types"))

import msgspec  # noqa: E402

from cms.model import load_model  # noqa: E402
from cms.model.entry_data import EntryData  # noqa: E402
from cms.transfer.records import End, EntryRecord, Version, encode_line, header_for  # noqa: E402
from tests.factories import CATEGORIES, product_values  # noqa: E402

CMS = Path(sys.executable).with_name("cms")
AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
_encode = msgspec.json.Encoder().encode


def catalogue(count: int) -> list[EntryRecord]:
    """Records only for the categories; products are generated while the file is written (see write_file)."""
    return [
        _record(f"category-{slug}", "category", slug, {"en": {"name": english, "slug": slug}})
        for slug, english, _ in CATEGORIES
    ]


def _record(key: str, content_type: str, slug: str, base: dict[str, dict[str, object]]) -> EntryRecord:
    entry_id = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
    version = Version(number=1, data=EntryData(base=base), author="bench", message="", created_at=AT)
    return EntryRecord(
        id=entry_id,
        content_type=content_type,
        slug=slug,
        status="published",
        current_version=1,
        published_version=1,
        approved_version=None,
        created_at=AT,
        updated_at=AT,
        versions=[version],
    )


def products(count: int, categories: list[EntryRecord]):  # type: ignore[no-untyped-def]
    for index in range(count):
        values = product_values(index, categories[index % len(categories)].id)
        values["slug"] = f"product-{index:06d}"
        values["name"] = f"Product {index:06d}"
        yield _record(
            f"product-{index}", "product", values["slug"], {"en": values, "fr": {"name": f"Produit {index:06d}"}}
        )


def write_file(path: Path, count: int) -> None:
    categories = catalogue(count)
    with path.open("wb") as out:
        out.write(encode_line(header_for(load_model(ROOT / "content_types"))))
        written = 0
        for record in [*categories, *products(count, categories)]:
            out.write(encode_line(record))
            written += 1
        out.write(encode_line(End(records=written)))


def migrated(path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CMS_DATABASE_URL": f"sqlite:///{path}",
        "CMS_MEDIA_ROOT": str(path.parent / "media"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([str(CMS), "migrate"], env=env, check=True, capture_output=True)
    return env


def timed_import(file: Path, database: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of `cms import` in a child process."""
    env = migrated(database)
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(CMS), "import", str(file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"cms import failed: {child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_maxrss


def timed_executemany(count: int, database: Path) -> float:
    """Seconds to insert the same entry and version rows with sqlite3's executemany, in one transaction."""
    migrated(database)
    categories = catalogue(count)
    records = [*categories, *products(count, categories)]
    entries = [
        (r.id, r.content_type, r.slug, r.status, 1, 1, r.created_at.isoformat(), r.updated_at.isoformat())
        for r in records
    ]
    versions = [
        (f"{r.id}:1", r.id, 1, _encode(r.versions[0].data).decode(), "bench", "", r.created_at.isoformat())
        for r in records
    ]
    connection = sqlite3.connect(database)
    started = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO cms_entry (id, content_type, slug, status, current_version, published_version, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        connection.executemany(
            "INSERT INTO cms_entry_version (key, entry, number, data, author, message, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            versions,
        )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cms-bench-import-"))
    peaks = {}
    print(f"{'products':>9} {'import/s':>9} {'executemany/s':>14} {'ratio':>6} {'peak MiB':>9} {'import s':>9}")
    for size in arguments.sizes:
        file = work / f"products-{size}.ndjson"
        write_file(file, size)
        seconds, peak = timed_import(file, work / f"import-{size}.sqlite3")
        bare = timed_executemany(size, work / f"bare-{size}.sqlite3")
        entries = size + len(CATEGORIES)
        peaks[size] = peak
        print(
            f"{size:>9} {entries / seconds:>9.0f} {entries / bare:>14.0f} {bare / seconds:>5.3f}x"
            f" {peak / 1024:>9.0f} {seconds:>9.1f}",
            flush=True,
        )
    if len(peaks) > 1:
        smallest, largest = min(peaks), max(peaks)
        print(f"peak memory {largest} vs {smallest} products: {peaks[largest] / peaks[smallest]:.2f}x")


if __name__ == "__main__":
    main()
