"""`cms import` of a catalogue of products against a bare executemany of the same rows, in one run; printed as
ratios (entries/s) and peak memory (100k against 10k products: flat when the import streams).

    .venv/bin/python bench/import.py [--sizes 10000 100000] [--postgres URL | --subscribed]

Each size: an export file of that many published products (and a few categories they name) is written with
cms.transfer's records, then imported by `cms import` into a fresh, migrated SQLite file (in a child process,
whose peak resident memory is sampled from /proc). The baseline copies every row that import wrote (entries,
versions, unique claims, preview and live projections, search index with its FTS table and words, events,
the content version) into another fresh, migrated SQLite file with sqlite3's executemany in one transaction,
timing the inserts only: the floor for writing those rows, with no checks and no documents to build.
`ratio` is of wall times; `CPU ratio` of the CPU time the baseline's process and the import's child used
(steadier on a loaded machine). With `--subscribed` (SQLite only), the fresh file first gets one active webhook
subscription matching every event (`cms webhook add`): each imported product's `entry.published` then owes a
delivery.

With `--postgres URL` (a server where the bench may create and drop databases, e.g. a superuser's URL to
`postgres`) the same is measured on PostgreSQL: per size a fresh database is created and migrated by
`cms migrate` (CMS_DATABASE_URL), `cms import` runs into it in a child process as above; the baseline is
another fresh, migrated database into which every row of every table of the public schema the import wrote
(all but the migrations' `migration`) is copied with asyncpg's executemany in one transaction, tables in the
order their foreign keys need (the checks run, as for the import), ids and defaulted columns with the
import's values (columns PostgreSQL computes itself, GENERATED … STORED, would be left to it: none today;
no trigger fires on insert), then the sequences set as the import left them, untimed. Both databases are
dropped after. The database does its work in server processes here, not in the client as SQLite does, so the
`CPU ratio` counts the server processes serving each side too when they can be read (a server on this
machine: /proc, sampled every 0.1 s for the import's connections; the baseline's own connection read around
each executemany); a line per size gives the client and server parts, and the ratio of client CPU alone.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CMS_MODEL_DIR", str(ROOT / "content_types"))

import asyncpg  # noqa: E402
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
    return run_import(file, env)


def run_import(file: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """`cms import FILE` in a child process: its wall time, CPU seconds and peak resident memory (KiB).

    The peak is the child's own high-water mark (`VmHWM`), read from /proc every 0.1 s while it runs: not
    `ru_maxrss`, which Linux carries from the parent into the child across exec (a parent that once held
    300 MiB gives `python -c pass` a ru_maxrss of 313 MiB), so it reported this bench's own peak at 100,000
    products."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(CMS), "import", str(file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak, done = [0], threading.Event()

    def sample() -> None:
        status = Path(f"/proc/{child.pid}/status")
        while not done.wait(0.1):
            try:
                line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
            except (OSError, StopIteration):  # exited (a zombie has no memory left to report)
                return
            peak[0] = max(peak[0], int(line.split()[1]))

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"cms import failed: {child.stderr.read().decode() if child.stderr else ''}")
    return elapsed, usage.ru_utime + usage.ru_stime, peak[0]


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


PG_SKIPPED = ("migration",)
"""Not copied on PostgreSQL: the migrations' bookkeeping (the fresh database has it)."""


def _database_url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


async def _admin(server: str, sql: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def pg_migrated(server: str, name: str, work: Path) -> dict[str, str]:
    """A fresh database `name` on `server`, migrated by `cms migrate`: the environment pointing `cms` at it."""
    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    env = {
        **os.environ,
        "CMS_DATABASE_URL": _database_url(server, name),
        "CMS_MEDIA_ROOT": str(work / "media"),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([str(CMS), "migrate"], env=env, check=True, capture_output=True)
    return env


_TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float | None:
    """CPU seconds a server process on this machine has used (None: not readable, as for a remote server)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


class BackendWatch:
    """The CPU time of the server processes serving one database, read every 0.1 s while they run (each
    backend's last reading counts: at most the last 0.1 s of a backend's work is missed)."""

    def __init__(self, server: str, database: str) -> None:
        self.server, self.database = server, database
        self.seen: dict[int, float] = {}
        self.readable = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._watch()), daemon=True)

    async def _watch(self) -> None:
        connection = await asyncpg.connect(self.server)
        try:
            while not self._stop.is_set():
                for row in await connection.fetch(
                    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", self.database
                ):
                    used = backend_cpu(row["pid"])
                    if used is None:
                        self.readable = False
                    else:
                        self.seen[row["pid"]] = max(used, self.seen.get(row["pid"], 0.0))
                await asyncio.sleep(0.1)
        finally:
            await connection.close()

    def __enter__(self) -> BackendWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu(self) -> float | None:
        return sum(self.seen.values()) if self.readable else None


def pg_timed_import(file: Path, env: dict[str, str], server: str, database: str) -> tuple[float, float, float, int]:
    """As timed_import, into the PostgreSQL database of `env`; the CPU of the child, then of the server's
    processes serving it (nan when the server's processes cannot be read)."""
    with BackendWatch(server, database) as watch:
        elapsed, cpu, peak = run_import(file, env)
    server_cpu = watch.cpu
    return elapsed, cpu, math.nan if server_cpu is None else server_cpu, peak


async def _tables_in_order(connection: asyncpg.Connection) -> list[str]:
    """The public schema's tables but PG_SKIPPED, each after the tables its foreign keys name."""
    names = [
        row["relname"]
        for row in await connection.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        if row["relname"] not in PG_SKIPPED
    ]
    needs: dict[str, set[str]] = {name: set() for name in names}
    for row in await connection.fetch(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    ):
        if row["child"] in needs and row["parent"] != row["child"]:
            needs[row["child"]].add(row["parent"])
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, parents in needs.items() if not parents - set(ordered)) or sorted(needs)
        ordered += ready
        for name in ready:
            del needs[name]
    return ordered


async def _copy_with_executemany(source_url: str, target_url: str) -> tuple[float, float, float, int]:
    source, target = await asyncpg.connect(source_url), await asyncpg.connect(target_url)
    backend = await target.fetchval("SELECT pg_backend_pid()")

    def server_cpu() -> float:
        used = backend_cpu(backend)
        return math.nan if used is None else used

    try:
        tables = await _tables_in_order(source)
        # Columns PostgreSQL computes (GENERATED ALWAYS AS … STORED) cannot be written: it computes them again
        # as the import's inserts made it; identity columns ALWAYS generated take the import's values explicitly.
        generated = await source.fetch(
            "SELECT table_name, column_name, is_generated, identity_generation FROM information_schema.columns"
            " WHERE table_schema = 'public' AND (is_generated = 'ALWAYS' OR identity_generation = 'ALWAYS')"
        )
        computed = {(row["table_name"], row["column_name"]) for row in generated if row["is_generated"] == "ALWAYS"}
        overriding = {row["table_name"] for row in generated if row["identity_generation"] == "ALWAYS"}
        elapsed, cpu, on_server, count = 0.0, 0.0, 0.0, 0
        async with source.transaction(isolation="repeatable_read", readonly=True):
            # What the migration wrote in the fresh database (none of the public tables today) is replaced by
            # what the import left, untimed: the baseline writes the import's rows, no more.
            for table in reversed(tables):
                await target.execute(f'DELETE FROM "{table}"')
            transaction = target.transaction()
            await transaction.start()
            for table in tables:
                columns = [
                    row["attname"]
                    for row in await source.fetch(
                        "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0"
                        " AND NOT attisdropped ORDER BY attnum",
                        table,
                    )
                    if (table, row["attname"]) not in computed
                ]
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
                verb = " OVERRIDING SYSTEM VALUE" if table in overriding else ""
                sql = f'INSERT INTO "{table}" ({names}){verb} VALUES ({marks})'
                cursor = await source.cursor(f'SELECT {names} FROM "{table}"')
                while rows := await cursor.fetch(5_000):
                    values = [tuple(row) for row in rows]
                    started, used, served = time.perf_counter(), time.process_time(), server_cpu()
                    await target.executemany(sql, values)
                    elapsed, cpu = elapsed + time.perf_counter() - started, cpu + time.process_time() - used
                    on_server += server_cpu() - served
                    count += len(rows)
            started, used, served = time.perf_counter(), time.process_time(), server_cpu()
            await transaction.commit()
            elapsed, cpu = elapsed + time.perf_counter() - started, cpu + time.process_time() - used
            on_server += server_cpu() - served
            # Ids were written explicitly: sequences are set past them (untimed), as the import's inserts left them.
            for row in await source.fetch(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
                " AND last_value IS NOT NULL"
            ):
                await target.execute("SELECT setval($1::regclass, $2)", row["sequencename"], row["last_value"])
        return elapsed, cpu, on_server, count
    finally:
        await source.close()
        await target.close()


def pg_timed_executemany(server: str, imported: str, bare: str, work: Path) -> tuple[float, float, float, int]:
    """As timed_executemany on PostgreSQL: every row of the public schema's tables the import wrote (migration
    bookkeeping left out) inserted into a fresh, migrated database `bare` with asyncpg's executemany, in one
    transaction; wall, the bench process's CPU and its server process's CPU of the inserts only, and the row
    count."""
    pg_migrated(server, bare, work)
    return asyncio.run(_copy_with_executemany(_database_url(server, imported), _database_url(server, bare)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="measure on PostgreSQL instead of SQLite: a server URL where the bench may create and drop databases",
    )
    parser.add_argument(
        "--subscribed", action="store_true", help="import with an active webhook subscription (SQLite only)"
    )
    arguments = parser.parse_args()
    if arguments.postgres and arguments.subscribed:
        parser.error("--subscribed is measured on SQLite only")
    work = Path(tempfile.mkdtemp(prefix="cms-bench-import-"))
    peaks = {}
    notes: list[str] = []
    print(f"database: {'PostgreSQL' if arguments.postgres else 'SQLite'}")
    print(
        f"{'products':>9} {'rows':>10} {'import/s':>9} {'executemany/s':>14} {'ratio':>6} {'CPU ratio':>9}"
        f" {'peak MiB':>9} {'import s':>9}"
    )
    for size in arguments.sizes:
        file = work / f"products-{size}.ndjson"
        write_file(file, size)
        if arguments.postgres:
            server = arguments.postgres
            imported_db, bare_db = f"cms_bench_import_{size}_{os.getpid()}", f"cms_bench_bare_{size}_{os.getpid()}"
            try:
                env = pg_migrated(server, imported_db, work)
                seconds, client, on_server, peak = pg_timed_import(file, env, server, imported_db)
                floor, floor_client, floor_server, rows = pg_timed_executemany(server, imported_db, bare_db, work)
                cpu, floor_cpu = client + on_server, floor_client + floor_server
                notes.append(
                    f"{size} products, CPU s (client + server): import {client:.1f} + {on_server:.1f},"
                    f" executemany {floor_client:.2f} + {floor_server:.2f}; client only {floor_client / client:.3f}x"
                )
            finally:
                for name in (imported_db, bare_db):
                    asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
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
    for note in notes:
        print(note)
    if len(peaks) > 1:
        smallest, largest = min(peaks), max(peaks)
        print(f"peak memory {largest} vs {smallest} products: {peaks[largest] / peaks[smallest]:.2f}x")


if __name__ == "__main__":
    main()
