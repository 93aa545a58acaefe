"""`cms import` of a catalogue of products against a bare executemany of the same rows, in one run; printed as
ratios (entries/s) and peak memory (100k against 10k products: flat when the import streams).

    .venv/bin/python bench/import.py [--sizes 10000 100000] [--subscribed]

Each size: an export file of that many published products (and a few categories they name) is written with
cms.transfer's records, then imported by `cms import` into a fresh, migrated SQLite file (in a child process,
whose peak resident memory the kernel reports). The baseline copies every row that import wrote (entries,
versions, unique claims, preview and live projections, search index with its FTS table and words, events,
the content version) into another fresh, migrated SQLite file with sqlite3's executemany in one transaction,
timing the inserts only: the floor for writing those rows, with no checks and no documents to build.
`ratio` is of wall times; `CPU ratio` of the CPU time the baseline's process and the import's child used
(steadier on a loaded machine). With `--subscribed`, the fresh file first gets one active webhook subscription
matching every event (`cms webhook add`): each imported product's `entry.published` then owes a delivery.
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


def timed_import(file: Path, database: Path, subscribed: bool = False) -> tuple[float, float, int]:
    """Seconds (wall and CPU) and peak resident memory (KiB) of `cms import` in a child process."""
    env = migrated(database)
    if subscribed:  # no filter: every event owes it a delivery (the target is never called here)
        add = [str(CMS), "webhook", "add", "http://127.0.0.1:9/bench"]
        subprocess.run(add, env={**env, "CMS_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}, check=True, capture_output=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(CMS), "import", str(file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"cms import failed: {child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


SKIPPED = ("sqlite_", "migration", "cms_search_text_", "cms_projection_text", "cms_projection_reference")
"""Not copied: SQLite's own tables, the migrations' (the fresh file has them), the search FTS table's shadow
tables (written by SQLite when the FTS table is), and the list filters' side tables (written by the triggers
on `cms_projection` when its rows are copied, as when the import writes them)."""


def timed_executemany(imported: Path, database: Path) -> tuple[float, float, int]:
    """Seconds to insert every row the import wrote (every table of `imported`, the search index's FTS table
    included) into a fresh, migrated file with sqlite3's executemany, in one transaction (wall and CPU); and the
    row count.

    Rows are read 5,000 at a time and only the inserts are timed."""
    migrated(database)
    source, target = sqlite3.connect(imported), sqlite3.connect(database)
    tables = [
        name
        for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        if not name.startswith(SKIPPED)
    ]
    elapsed, cpu, count = 0.0, 0.0, 0
    target.execute("BEGIN")
    for table in tables:
        columns = "rowid, *" if table == "cms_search_text" else "*"
        cursor = source.execute(f"SELECT {columns} FROM {table}")
        names = ", ".join(description[0] for description in cursor.description)
        verb = "INSERT OR REPLACE" if table == "cms_content_version" else "INSERT"  # the migration wrote its row
        sql = f"{verb} INTO {table} ({names}) VALUES ({', '.join('?' * len(cursor.description))})"
        while rows := cursor.fetchmany(5_000):
            started, used = time.perf_counter(), time.process_time()
            target.executemany(sql, rows)
            elapsed, cpu = elapsed + time.perf_counter() - started, cpu + time.process_time() - used
            count += len(rows)
    started, used = time.perf_counter(), time.process_time()
    target.commit()
    elapsed, cpu = elapsed + time.perf_counter() - started, cpu + time.process_time() - used
    source.close()
    target.close()
    return elapsed, cpu, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--subscribed", action="store_true", help="import with an active webhook subscription")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cms-bench-import-"))
    peaks = {}
    print(
        f"{'products':>9} {'rows':>10} {'import/s':>9} {'executemany/s':>14} {'ratio':>6} {'CPU ratio':>9}"
        f" {'peak MiB':>9} {'import s':>9}"
    )
    for size in arguments.sizes:
        file = work / f"products-{size}.ndjson"
        write_file(file, size)
        imported, bare = work / f"import-{size}.sqlite3", work / f"bare-{size}.sqlite3"
        seconds, cpu, peak = timed_import(file, imported, arguments.subscribed)
        floor, floor_cpu, rows = timed_executemany(imported, bare)
        entries = size + len(CATEGORIES)
        peaks[size] = peak
        print(
            f"{size:>9} {rows:>10} {entries / seconds:>9.0f} {entries / floor:>14.0f} {floor / seconds:>5.3f}x"
            f" {floor_cpu / cpu:>8.3f}x {peak / 1024:>9.0f} {seconds:>9.1f}",
            flush=True,
        )
        for path in work.glob(f"*-{size}.*"):  # a 100,000-product file and its copies take gigabytes
            path.unlink()
    if len(peaks) > 1:
        smallest, largest = min(peaks), max(peaks)
        print(f"peak memory {largest} vs {smallest} products: {peaks[largest] / peaks[smallest]:.2f}x")


if __name__ == "__main__":
    main()
