"""Stock through the inventory API, each figure a ratio to a baseline measured in the same run.

Run by hand (not in CI): `.venv/bin/python bench/inventory.py --seconds 5`. It reuses `bench/delivery.py`'s
servers and load generator: a throwaway SQLite database with the demo content and 33,334 more SKUs claimed
(so that a 100,000-line batch names known SKUs at the warehouse and both stores), one uvicorn worker, and:

1. a 100,000-line batch through `PUT /inventory` (all new rows, then all newer), in lines/s, against a bare
   `executemany` of the same rows (`INSERT … ON CONFLICT DO UPDATE`) into a table of the same shape in the
   same database (target ≥ 0.3×);
2. a stock change → visible in the kiosk's cached answer: p50 and p95 from the PUT's answer to the first
   answer showing the new quantity (target p95 ≤ 1 s);
3. cached kiosk throughput (a product's page with its store's inventory) while batches of 100 lines arrive
   every `--interval` seconds, against the same without updates (target ≥ 0.8×); and the same for the
   product's page without inventory (not showing stock: a batch does not invalidate it).

`--postgres URL` measures the same against that database (its content is replaced).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from typing import Any

from delivery import ROOT, Server, alternating, cms_environment, fetch, measure, seed

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LOCATIONS = ("central_warehouse", "paris_store", "lyon_store")
BATCH_LINES = 100_000
SKUS = -(-BATCH_LINES // len(LOCATIONS))
SHELF = json.dumps(
    {
        "query": "query($slug: String!) { product(by: {slug: $slug}) { sku name"
        " inventory(store: PARIS_STORE) { status quantity } } }",
        "variables": {"slug": "{slug}"},
    }
)

PAGE = json.dumps(
    {
        "query": "query($slug: String!) { product(by: {slug: $slug}) { sku name aisle price { formatted } } }",
        "variables": {"slug": "{slug}"},
    }
)
"""The kiosk's product page without stock: cached answers of it stay cached while stock streams in."""


def bench_sku(number: int) -> str:
    return f"BENCH-{number:06d}"


def prepare(database_url: str) -> tuple[str, str]:
    """Claim the bench's SKUs (as products' unique values do) and make an inventory:write token, in a child
    process (Piccolo binds at import); returns (token, the slug of a demo product with a SKU)."""
    code = (
        "import asyncio, json\n"
        "from cms.auth.tokens import create_token\n"
        "from cms.store.database import get_engine\n"
        "from cms.store.engine import start_engine, stop_engine\n"
        "from cms.store.tables import Entry, UniqueValue\n"
        "async def main():\n"
        "    await start_engine(get_engine(), 2)\n"
        "    entry = (await Entry.select(Entry.id).where(Entry.content_type == 'product').first())['id']\n"
        f"    claims = [UniqueValue(key=f'product:sku:BENCH-{{n:06d}}', entry=entry) for n in range({SKUS})]\n"
        "    for start in range(0, len(claims), 5000):\n"
        "        await UniqueValue.insert(*claims[start:start + 5000])\n"
        "    _, token = await create_token('bench-oms', ['inventory:write'], channels=[])\n"
        "    slug = (await Entry.select(Entry.slug).where(Entry.id == entry).first())['slug']\n"
        "    print(json.dumps([token, slug]))\n"
        "    await stop_engine(get_engine())\n"
        "asyncio.run(main())\n"
    )
    environment = {**os.environ, **cms_environment(database_url)}
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True)
    token, slug = json.loads(output.stdout.decode().strip().splitlines()[-1])
    return token, slug


def batch_lines(moment: dt.datetime, quantity: int = 7) -> list[dict[str, Any]]:
    stamp = moment.isoformat()
    return [
        {
            "sku": bench_sku(n // len(LOCATIONS)),
            "location": LOCATIONS[n % len(LOCATIONS)],
            "quantity": quantity + n % 11,
            "updated_at": stamp,
        }
        for n in range(BATCH_LINES)
    ]


def put(url: str, token: str, lines: list[dict[str, Any]] | bytes) -> dict[str, Any]:
    """PUT a batch (lines, or their JSON already encoded) and return the report."""
    request = urllib.request.Request(
        url,
        data=lines if isinstance(lines, bytes) else json.dumps(lines).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def bare_executemany(database_url: str, before: list[dict[str, Any]], lines: list[dict[str, Any]]) -> float:
    """Seconds to upsert `lines` with one executemany into a copy of the stock table (same database) holding
    `before` (written first, not timed)."""
    sql = (
        "INSERT INTO bench_stock (sku, location, quantity, updated_at) VALUES ({}) ON CONFLICT (sku, location)"
        " DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at"
        " WHERE excluded.updated_at > bench_stock.updated_at"
    )
    if database_url.startswith("sqlite"):
        database = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        database.execute("DROP TABLE IF EXISTS bench_stock")
        database.execute(
            "CREATE TABLE bench_stock (sku TEXT NOT NULL, location TEXT NOT NULL, quantity INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL, PRIMARY KEY (sku, location)) WITHOUT ROWID"
        )
        with database:
            database.executemany(sql.format("?, ?, ?, ?"), [_sqlite_row(line) for line in before])
        rows = [_sqlite_row(line) for line in lines]
        started = time.perf_counter()
        with database:
            database.executemany(sql.format("?, ?, ?, ?"), rows)
        elapsed = time.perf_counter() - started
        database.close()
        return elapsed
    return asyncio.run(_bare_postgres(database_url, sql.format("$1, $2, $3, $4"), before, lines))


def _sqlite_row(line: dict[str, Any]) -> tuple[Any, ...]:
    """As the stock table holds it on SQLite: microseconds since 1970 UTC (cms.commerce.stock)."""
    instant = (dt.datetime.fromisoformat(line["updated_at"]) - EPOCH) // dt.timedelta(microseconds=1)
    return (line["sku"], line["location"], line["quantity"], instant)


def _postgres_row(line: dict[str, Any]) -> tuple[Any, ...]:
    return (line["sku"], line["location"], line["quantity"], dt.datetime.fromisoformat(line["updated_at"]))


async def _bare_postgres(
    database_url: str, sql: str, before: list[dict[str, Any]], lines: list[dict[str, Any]]
) -> float:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    await connection.execute("DROP TABLE IF EXISTS bench_stock")
    await connection.execute(
        "CREATE TABLE bench_stock (sku VARCHAR(200) NOT NULL, location VARCHAR(100) NOT NULL,"
        " quantity INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (sku, location))"
    )
    if before:
        await connection.executemany(sql, [_postgres_row(line) for line in before])
    rows = [_postgres_row(line) for line in lines]
    started = time.perf_counter()
    async with connection.transaction():
        await connection.executemany(sql, rows)
    elapsed = time.perf_counter() - started
    await connection.execute("DROP TABLE bench_stock")
    await connection.close()
    return elapsed


def batch_figures(server: Server, database_url: str, token: str) -> list[tuple[str, str]]:
    url = server.url("/inventory")
    base = dt.datetime(2026, 12, 23, 9, 0, tzinfo=dt.UTC)
    rows = []
    for label, moment in (("new rows", base), ("newer rows", base + dt.timedelta(hours=1))):
        lines = batch_lines(moment, quantity=7 if label == "new rows" else 3)
        before = [] if label == "new rows" else batch_lines(base)
        bare = bare_executemany(database_url, before, lines)
        body = json.dumps(lines).encode()  # encoded before timing, as the baseline's rows are built before
        started = time.perf_counter()
        report = put(url, token, body)
        endpoint = time.perf_counter() - started
        assert report["applied"] == BATCH_LINES and report["refused"] == 0, report
        rate, bare_rate = BATCH_LINES / endpoint, BATCH_LINES / bare
        rows.append(
            (
                f"100,000-line batch through PUT /inventory ({label}) / bare executemany",
                f"{rate / bare_rate:.2f}× ({rate:,.0f} vs {bare_rate:,.0f} lines/s; {endpoint:.2f} s)",
            )
        )
    return rows


def visibility_figures(server: Server, token: str, slug: str, sku: str, changes: int) -> list[tuple[str, str]]:
    """From the PUT's answer to the first cached kiosk answer showing the new quantity."""
    shelf = SHELF.replace("{slug}", slug).encode()
    kiosk = server.url("/graphql/kiosk")
    moment = dt.datetime(2026, 12, 24, tzinfo=dt.UTC)
    delays = []
    for number in range(changes):
        fetch(kiosk, shelf)  # the answer is cached before the change
        quantity = 100 + number
        put(
            server.url("/inventory"),
            token,
            [
                {
                    "sku": sku,
                    "location": "paris_store",
                    "quantity": quantity,
                    "updated_at": (moment + dt.timedelta(minutes=number)).isoformat(),
                }
            ],
        )
        changed = time.perf_counter()
        while json.loads(fetch(kiosk, shelf))["data"]["product"]["inventory"]["quantity"] != quantity:
            if time.perf_counter() - changed > 10:
                raise RuntimeError("a stock change was not visible within 10 s")
        delays.append((time.perf_counter() - changed) * 1000)
    delays.sort()
    p50, p95 = statistics.median(delays), delays[int(len(delays) * 0.95) - 1]
    return [("stock change → visible in the kiosk's answer, p50 / p95", f"{p50:.1f} ms / {p95:.1f} ms")]


class StockStream:
    """Batches of 100 lines of the bench's SKUs every `interval` seconds, on a thread, while a load runs.
    Every batch changes every quantity it sends, at an instant later than any before (streams share the
    counter: a stream repeating an earlier one's lines would be unchanged, and invalidate nothing)."""

    batches = itertools.count(1)

    def __init__(self, url: str, token: str, interval: float) -> None:
        self.url, self.token, self.interval = url, token, interval
        self.stop = threading.Event()
        self.sent = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> StockStream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            number = next(self.batches)
            moment = dt.datetime(2026, 12, 25, tzinfo=dt.UTC) + dt.timedelta(seconds=number)
            lines = [
                {
                    "sku": bench_sku((number * 100 + n) % SKUS),
                    "location": "central_warehouse",
                    "quantity": 1000 + number,
                    "updated_at": moment.isoformat(),
                }
                for n in range(100)
            ]
            put(self.url, self.token, lines)
            self.sent += 1


def throughput_figures(
    server: Server, token: str, slug: str, seconds: float, connections: int, rounds: int, interval: float
) -> list[tuple[str, str]]:
    kiosk = server.url("/graphql/kiosk")
    rows = []
    for label, document in (("showing stock", SHELF), ("not showing stock", PAGE)):
        body = document.replace("{slug}", slug).encode()
        streams: list[StockStream] = []

        def streaming(body: bytes = body, streams: list[StockStream] = streams) -> float:
            with StockStream(server.url("/inventory"), token, interval) as stream:
                rate = measure(kiosk, seconds, connections, body)[0]
            streams.append(stream)
            return rate

        measure(kiosk, 1, connections, body)  # warm-up, not counted: the first run compiles and fills caches
        rates = alternating(
            {"quiet": lambda body=body: measure(kiosk, seconds, connections, body)[0], "streaming": streaming}, rounds
        )
        quiet, busy = rates["quiet"], rates["streaming"]
        batches = statistics.median(stream.sent for stream in streams) / seconds
        rows.append(
            (
                f"cached kiosk answer {label} while stock streams in ({batches:.1f} batches of 100 lines/s) / quiet",
                f"{busy / quiet:.2f}× ({busy:,.0f} vs {quiet:,.0f} req/s)",
            )
        )
    return rows


def figures(database_url: str, arguments: argparse.Namespace) -> list[tuple[str, str]]:
    seed(database_url)
    token, slug = prepare(database_url)
    server = Server("cms.app:create_app", cms_environment(database_url))
    try:
        sku = json.loads(fetch(server.url("/graphql/kiosk"), SHELF.replace("{slug}", slug).encode()))
        sku = sku["data"]["product"]["sku"]
        rows = batch_figures(server, database_url, token)
        rows += visibility_figures(server, token, slug, sku, arguments.changes)
        rows += throughput_figures(
            server, token, slug, arguments.seconds, arguments.connections, arguments.rounds, arguments.interval
        )
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each throughput measurement (5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (16)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every throughput measurement (3)")
    parser.add_argument("--changes", type=int, default=40, help="stock changes timed for visibility (40)")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between streamed batches (0.25)")
    parser.add_argument("--postgres", help="also measure against this PostgreSQL database (its content is replaced)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cms-bench-inventory-") as directory:
        rows = [
            ("SQLite: " + label, value) for label, value in figures(f"sqlite:///{directory}/inv.sqlite3", arguments)
        ]
    if arguments.postgres:
        rows += [("PostgreSQL: " + label, value) for label, value in figures(arguments.postgres, arguments)]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
