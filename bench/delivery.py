"""Delivery throughput and latency, each figure a ratio to a baseline measured in the same run.

Run by hand (not in CI): `.venv/bin/python bench/delivery.py --seconds 5`. It builds throwaway SQLite
databases (the demo content; 1k and 100k products for the filtered-list latency), starts uvicorn
servers (one worker each, 127.0.0.1, free ports) plus a plain Litestar endpoint returning the same
bytes as the cached answer, and drives them from a separate process with a small keep-alive HTTP/1.1
client on asyncio (the Python client costs CPU too: on 2 cores it shares the machine with the server).
`--postgres URL` runs the delivery figures against that database as well (its content is replaced).
Every figure is the median of `--rounds` measurements taken in turn with those it is compared to (all
servers stay up), so a change in the machine's load during the run weighs on both sides of a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import Litestar, Response, get

from cms.store.tables import document_hash

ROOT = Path(__file__).resolve().parents[1]
LIST_50 = (
    "query Fifty($first: Int!) { products(first: $first) { totalCount pageInfo { hasNextPage endCursor } "
    "nodes { id slug name summary price { amount currency formatted } availability rating "
    "category { name slug parent { name } } images { alt url(preset: WEB_400) } } } }"
)
NEEDLE_BRAND, NEEDLES = "Needle & Thread", 20
"""The brand the filtered list asks for: exactly NEEDLES in-stock products have it, whatever the size."""
FILTERED = (
    f'{{ products(first: 20, where: {{availability: {{eq: IN_STOCK}}, brand: {{eq: "{NEEDLE_BRAND}"}}}}) '
    "{ totalCount nodes { id name price { formatted } } } }"
)
PERSISTED = (ROOT / "graphql" / "operations" / "web" / "ProductList.graphql").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- servers ------------------------------------------------------------------------------------


def plain_app() -> Litestar:
    """A plain Litestar GET returning fixed bytes (the baseline), read from BENCH_PLAIN_BODY."""
    body = Path(os.environ["BENCH_PLAIN_BODY"]).read_bytes()

    @get("/plain")
    async def plain() -> Response[bytes]:
        return Response(body, media_type="application/json")

    return Litestar([plain])


class Server:
    def __init__(self, app: str, environment: dict[str, str], stdout: Any = None) -> None:
        """`stdout`: where the server's standard output goes (a file for its request log; None: this one's)."""
        self.port = free_port()
        command = [sys.executable, "-m", "uvicorn", "--factory", app, "--port", str(self.port)]
        command += ["--host", "127.0.0.1", "--workers", "1", "--log-level", "warning", "--no-access-log"]
        command += ["--app-dir", str(ROOT / "bench")] if app.startswith("delivery:") else []
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment}, stdout=stdout)
        deadline = time.monotonic() + 600  # at start the app indexes the model's fields (cms.delivery.indexes)
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{app} did not start on port {self.port}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def cms_environment(database_url: str, **settings: str) -> dict[str, str]:
    return {
        "CMS_DATABASE_URL": database_url,
        "CMS_SCHEDULER": "false",
        "CMS_MODEL_DIR": str(ROOT / "content_types"),
        "CMS_GRAPHQL_DIR": str(ROOT / "graphql"),
        **{f"CMS_{name.upper()}": value for name, value in settings.items()},
    }


# -- load -----------------------------------------------------------------------------------------


async def _load(port: int, request: bytes, seconds: float, connections: int) -> tuple[int, list[float]]:
    """Keep-alive connections sending `request` in a loop: (responses, latencies in seconds)."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            if not head.startswith((b"HTTP/1.1 200", b"HTTP/1.1 304")):
                raise RuntimeError(head.decode())
            latencies.append(time.perf_counter() - started)
        writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return len(latencies), latencies


def _load_in_child(port: int, request: bytes, seconds: float, connections: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results.put(asyncio.run(_load(port, request, seconds, connections)))


def measure(url: str, seconds: float, connections: int, body: bytes | None = None) -> tuple[float, float]:
    """(requests per second, p50 latency in ms) of GET `url` (POST when `body` is given), from a child process."""
    latencies = measure_latencies(url, seconds, connections, body)
    return len(latencies) / seconds, statistics.median(latencies) * 1000


def measure_latencies(url: str, seconds: float, connections: int, body: bytes | None = None) -> list[float]:
    """Every request's latency in seconds, loading `url` as `measure` does."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = f"{'POST' if body else 'GET'} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    request = (head + "\r\n").encode() + (body or b"")
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.Process(target=_load_in_child, args=(parts.port, request, seconds, connections, results))
    child.start()
    _, latencies = results.get(timeout=seconds + 60)
    child.join()
    return list(latencies)


def fetch(url: str, body: bytes | None = None) -> bytes:
    headers = {"Content-Type": "application/json"} if body else {}
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as response:
        return response.read()  # type: ignore[no-any-return]


# -- data ------------------------------------------------------------------------------------------


def seed(database_url: str) -> None:
    """Migrate and load the demo (cms/demo/demo.ndjson) in a child process (Piccolo binds at import); its
    pictures go to a throwaway media root: the import checks they are there, answers only name their URLs."""
    code = (
        "import asyncio\n"
        "from cms.model import load_model\n"
        "from cms.store.database import get_engine, migrate, delete_all_content\n"
        "from cms.store.engine import is_postgres, start_engine, stop_engine\n"
        "from cms.demo.load import load_demo\n"
        "async def main():\n"
        "    await start_engine(get_engine(), 2); await migrate(); await delete_all_content()\n"
        "    await load_demo(load_model('content_types'))\n"
        "    if is_postgres(get_engine()):  # as autovacuum would within a minute: index-only scans skip the heap\n"
        "        await get_engine().run_ddl('VACUUM ANALYZE cms_projection')\n"
        "    await stop_engine(get_engine())\n"
        "asyncio.run(main())\n"
    )
    with tempfile.TemporaryDirectory(prefix="cms-bench-media-") as media:
        environment = {**os.environ, **cms_environment(database_url, media_root=media)}
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True)


def grow(path: str, products: int) -> None:
    """Bulk-insert copies of the demo's web/en product documents until there are `products` of them, in one
    transaction: NEEDLES of them in stock with the needle brand, the others spread over 500 other brands."""
    database = sqlite3.connect(path)
    columns = (
        "content_type, channel, locale, slug, doc, doc_hash, version, published_at, stage, valid_from, valid_until"
    )
    rows = database.execute(
        f"SELECT {columns} FROM cms_projection WHERE content_type = 'product' AND channel = 'web' AND locale = 'en'"
        " AND stage = 'live'"
    ).fetchall()
    entry = database.execute("SELECT entry FROM cms_projection LIMIT 1").fetchone()[0]
    # Needles come from rows served at any instant: one copied from an offer's later window is not served now.
    always = [row for row in rows if row[9] is None and row[10] is None]
    batch = []
    for number in range(products - len(rows)):
        row = list(always[number % len(always)] if number < NEEDLES else rows[number % len(rows)])
        document = json.loads(row[4])
        document["id"] = str(uuid.UUID(int=number))
        document["brand"] = NEEDLE_BRAND if number < NEEDLES else f"Brand {number % 500}"
        if number < NEEDLES:
            document["availability"] = "IN_STOCK"
        row[3], row[4] = f"copy-{number}", json.dumps(document)
        row[5] = document_hash(row[4])
        batch.append([f"copy-{number}", entry, *row])
    database.executemany(f"INSERT INTO cms_projection (key, entry, {columns}) VALUES ({', '.join('?' * 13)})", batch)
    database.execute("UPDATE cms_projection SET entry = json_extract(doc, '$.id') WHERE key LIKE 'copy-%'")
    database.commit()


def round_trips(database_url: str) -> str:
    """Queries sent for the 50-product query at 10 and at 100 items, counted in a child process: once its
    documents are kept decoded, and the first time (their texts are read then, one more query per level)."""
    code = (
        "import asyncio, sys, httpx\n"
        "from cms.app import create_app\n"
        "from cms.store.database import get_engine\n"
        "from cms.store.engine import start_engine\n"
        "engine = get_engine(); count = [0]; original = type(engine).run_querystring\n"
        "async def counting(self, *a, **k):\n"
        "    count[0] += 1; return await original(self, *a, **k)\n"
        "type(engine).run_querystring = counting\n"
        "from cms.delivery.reads import KeptConnectionsEngine\n"  # delivery's own reads on SQLite
        "read = KeptConnectionsEngine.read\n"
        "async def counting_read(self, *a):\n"
        "    count[0] += 1; return await read(self, *a)\n"
        "KeptConnectionsEngine.read = counting_read\n"
        "async def main():\n"
        "    await start_engine(engine, 2); app = create_app(); seen = []\n"
        "    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://b') as c:\n"
        "        for first in (10, 10, 100, 100):  # the first sight of documents reads their texts\n"
        "            count[0] = 0\n"
        f"            body = {{'query': {LIST_50!r}, 'variables': {{'first': first}}}}\n"
        "            r = await c.post('/graphql/web', json=body)\n"
        "            assert len(r.json()['data']['products']['nodes']) == first, r.text\n"
        "            seen.append(count[0])\n"
        "    print(f'{seen[1]} vs {seen[3]} (first sight of their documents: {seen[0]} vs {seen[2]})')\n"
        "asyncio.run(main())\n"
    )
    environment = {**os.environ, **cms_environment(database_url, delivery_cache_entries="0")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, capture_output=True, text=True
    ).stdout.strip()


# -- the run -----------------------------------------------------------------------------------------


def alternating(measurements: dict[Any, Callable[[], float]], rounds: int) -> dict[Any, float]:
    """The median of each measurement over `rounds` rounds, taken in turn (reversed every other round), so
    a change in the machine's load in the middle of a run weighs on every figure alike."""
    values: dict[Any, list[float]] = {name: [] for name in measurements}
    for number in range(rounds):
        order = list(measurements.items())
        for name, take in order if number % 2 == 0 else reversed(order):
            values[name].append(take())
    return {name: statistics.median(taken) for name, taken in values.items()}


def delivery_figures(database_url: str, seconds: float, connections: int, rounds: int) -> list[tuple[str, str]]:
    servers = {
        "cached": Server("cms.app:create_app", cms_environment(database_url)),
        "fast": Server("cms.app:create_app", cms_environment(database_url, delivery_cache_entries="0")),
        "stock": Server(
            "cms.app:create_app", cms_environment(database_url, delivery_cache_entries="0", fast_delivery="false")
        ),
    }
    try:
        from hashlib import sha256

        persisted = "/graphql/web?" + urllib.parse.urlencode(
            {"id": sha256(PERSISTED.encode()).hexdigest(), "variables": json.dumps({"first": 50})}
        )
        cached_body = fetch(servers["cached"].url(persisted))
        body_file = Path(tempfile.mkstemp(suffix=".json")[1])
        body_file.write_bytes(cached_body)
        plain = Server("delivery:plain_app", {"BENCH_PLAIN_BODY": str(body_file)})
        try:
            post = json.dumps({"query": LIST_50, "variables": {"first": 50}}).encode()
            assert fetch(servers["fast"].url("/graphql/web"), post) == fetch(servers["stock"].url("/graphql/web"), post)
            rates = alternating(
                {
                    "baseline": lambda: measure(plain.url("/plain"), seconds, connections)[0],
                    "cached": lambda: measure(servers["cached"].url(persisted), seconds, connections)[0],
                    "fast": lambda: measure(servers["fast"].url("/graphql/web"), seconds, connections, post)[0],
                    "stock": lambda: measure(servers["stock"].url("/graphql/web"), seconds, connections, post)[0],
                },
                rounds,
            )
        finally:
            plain.stop()
    finally:
        for server in servers.values():
            server.stop()
    baseline, cached, fast, stock = rates["baseline"], rates["cached"], rates["fast"], rates["stock"]
    return [
        ("plain Litestar GET, same bytes (baseline)", f"{baseline:,.0f} req/s"),
        ("cached persisted GET (ProductList, 50 items) / plain", f"{cached / baseline:.2f}× ({cached:,.0f} req/s)"),
        ("uncached 50 products + references, fast path / plain", f"{fast / baseline:.3f}× ({fast:,.0f} req/s)"),
        ("same query, stock Strawberry / plain", f"{stock / baseline:.3f}× ({stock:,.0f} req/s)"),
        ("fast path / stock Strawberry", f"{fast / stock:.2f}×"),
    ]


def latency_figures(directory: str, seconds: float, large: int, rounds: int) -> list[tuple[str, str]]:
    servers = {}
    body = json.dumps({"query": FILTERED}).encode()
    try:
        for products in (1000, large):
            path = f"{directory}/products-{products}.sqlite3"
            seed(f"sqlite:///{path}")
            grow(path, products)
            server = servers[products] = Server(
                "cms.app:create_app", cms_environment(f"sqlite:///{path}", delivery_cache_entries="0")
            )
            matches = json.loads(fetch(server.url("/graphql/web"), body))["data"]["products"]["totalCount"]
            assert matches == NEEDLES, f"{matches} matches among {products} products, expected {NEEDLES}"
        p50 = alternating(
            {
                size: (lambda server=server: measure(server.url("/graphql/web"), seconds, 1, body)[1])  # type: ignore[misc]
                for size, server in servers.items()
            },
            rounds,
        )
    finally:
        for server in servers.values():
            server.stop()
    trips = round_trips(f"sqlite:///{directory}/products-1000.sqlite3")
    return [
        ("database round trips, 10 vs 100 items (50-product query)", trips),
        (
            f"p50 filtered list at {large:,} vs 1,000 products",
            f"{p50[large] / p50[1000]:.1f}× ({p50[large]:.1f} ms vs {p50[1000]:.1f} ms)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (16)")
    parser.add_argument("--large", type=int, default=100_000, help="products in the large dataset (100000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every measurement, medians kept (3)")
    parser.add_argument("--postgres", help="also measure against this PostgreSQL database (its content is replaced)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as directory:
        demo = f"sqlite:///{directory}/demo.sqlite3"
        seed(demo)
        rows = [
            ("SQLite: " + label, value)
            for label, value in delivery_figures(demo, arguments.seconds, arguments.connections, arguments.rounds)
        ]
        if arguments.postgres:
            seed(arguments.postgres)
            rows += [
                ("PostgreSQL: " + label, value)
                for label, value in delivery_figures(
                    arguments.postgres, arguments.seconds, arguments.connections, arguments.rounds
                )
            ]
        rows += latency_figures(directory, arguments.seconds, arguments.large, arguments.rounds)
    width = max(len(label) for label, _ in rows)
    print(f"\n{'figure':<{width}}  value\n{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
