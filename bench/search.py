"""Search latency and throughput, each figure a ratio to a baseline measured in the same run.

Run by hand (not in CI): `.venv/bin/python bench/search.py --seconds 5`. It reuses `bench/delivery.py`'s
servers, load generator and alternating rounds: throwaway SQLite databases (the demo content; 1k and 100k
web/en products grown from it, each copy renamed with a made-up model name so that a model's name stays
rare, then indexed through `cms.search.index` as publishing indexes), uvicorn servers with the response
cache off (every search computed), and the plain Litestar endpoint returning the same bytes as the search.
`--postgres URL` measures the throughput against that database as well (its content is replaced). Throughput
figures also give the servers' CPU time per request (from /proc, Linux only), steadier than rates on a loaded
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from delivery import ROOT, Server, alternating, cms_environment, fetch, grow, measure, measure_latencies, seed
from observability import cpu_seconds

from cms.store.tables import document_hash

SEARCH = (
    "query Search($q: String!) { search(query: $q, locale: en, first: 10) { totalCount edges { score"
    " highlights { field snippet } node { ... on Product { id slug name price { formatted } availability } } } } }"
)
SORTED_LIST = (
    "{ products(first: 20, orderBy: [{field: PRICE}]%s) { totalCount nodes { id name price { formatted } } } }"
)
LIST_FILTER = ", where: {availability: {eq: IN_STOCK}, price: {gte: 20, lte: 80}}"
"""The uncached list sorted by price, with and without a filter on two filterable fields."""
NARROW, BROAD = "figuier candle", "scented candle"
"""A model's name and its product line: one result at any size, and a line that grows with the catalogue."""
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "du", "fo", "gi", "ha", "jo", "pe", "qu")


def made_up_name(number: int) -> str:
    """A pronounceable model name per copy (`Kalomi…`), unique up to 16^5 copies."""
    letters = "".join(_SYLLABLES[(number >> (4 * i)) & 15] for i in range(5))
    return letters.capitalize()


def rename_copies(path: str) -> None:
    """Give every grown copy its own model name in place of the original's (its first word)."""
    database = sqlite3.connect(path)
    rows = database.execute("SELECT id, doc FROM cms_projection WHERE key LIKE 'copy-%'").fetchall()
    updates = []
    for number, (row_id, text) in enumerate(rows):
        document = json.loads(text)
        document["name"] = made_up_name(number) + " " + document["name"].split(" ", 1)[1]
        document["slug"] = f"copy-{number}"
        encoded = json.dumps(document)
        updates.append((encoded, document_hash(encoded), row_id))
    database.executemany("UPDATE cms_projection SET doc = ?, doc_hash = ? WHERE id = ?", updates)
    database.commit()


def index_copies(database_url: str) -> None:
    """Index the grown copies with the code publishing uses (cms.search.index), in a child process."""
    code = (
        "import asyncio\n"
        "from cms.model import load_model\n"
        "from cms.search.index import replace_in_index\n"
        "from cms.store.database import get_engine, write_transaction\n"
        "from cms.store.engine import start_engine, stop_engine\n"
        "from cms.store.tables import Projection\n"
        "async def main():\n"
        "    await start_engine(get_engine(), 2); model = load_model('content_types'); last = 0\n"
        "    async with write_transaction():\n"
        "        while True:\n"
        "            rows = await Projection.objects().where((Projection.id > last) & Projection.key.like('copy-%'))"
        ".order_by(Projection.id).limit(5000)\n"
        "            if not rows: break\n"
        "            await replace_in_index(model, [], rows); last = rows[-1].id\n"
        "    await stop_engine(get_engine())\n"
        "asyncio.run(main())\n"
    )
    environment = {**os.environ, **cms_environment(database_url)}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True)


def body(query: str) -> bytes:
    return json.dumps({"query": SEARCH, "variables": {"q": query}}).encode()


def latency_figures(directory: str, seconds: float, large: int, rounds: int, connections: int) -> list[tuple[str, str]]:
    servers: dict[int, Server] = {}
    totals: dict[int, int] = {}
    try:
        for products in (1000, large):
            path = f"{directory}/search-{products}.sqlite3"
            seed(f"sqlite:///{path}")
            grow(path, products)
            rename_copies(path)
            index_copies(f"sqlite:///{path}")
            servers[products] = Server(
                "cms.app:create_app", cms_environment(f"sqlite:///{path}", delivery_cache_entries="0")
            )
            found = json.loads(fetch(servers[products].url("/graphql/web"), body(NARROW)))["data"]["search"]
            assert found["edges"][0]["node"]["slug"] == "figuier-scented-candle", found
            broad = json.loads(fetch(servers[products].url("/graphql/web"), body(BROAD)))["data"]["search"]
            totals[products] = broad["totalCount"]  # counted up to cms.search.backend.MOST_CANDIDATES
        p50 = alternating(
            {
                (size, query): (lambda s=server, q=query: measure(s.url("/graphql/web"), seconds, 1, body(q))[1])  # type: ignore[misc]
                for size, server in servers.items()
                for query in (NARROW, BROAD)
            },
            rounds,
        )
        lists = list_figures(servers[large], seconds, connections, rounds)
    finally:
        for server in servers.values():
            server.stop()
    rows = []
    for query, label in ((NARROW, "a model's name"), (BROAD, "a product line")):
        small, big = p50[(1000, query)], p50[(large, query)]
        counted = f"; totalCount {totals[large]:,} vs {totals[1000]:,}" if query == BROAD else ""
        rows.append(
            (
                f"search p50, {label} ({query!r}), {large:,} vs 1,000 products",
                f"{big / small:.2f}× ({big:.1f} ms vs {small:.1f} ms{counted})",
            )
        )
    return rows + [(f"{label}, {large:,} products", value) for label, value in lists]


def list_figures(server: Server, seconds: float, connections: int, rounds: int) -> list[tuple[str, str]]:
    """The uncached list sorted by price, filtered vs unfiltered (throughput), and the filtered one's p99 vs
    its p50 over one connection (the spread a shopper feels)."""
    url = server.url("/graphql/web")
    filtered, unfiltered = (json.dumps({"query": SORTED_LIST % where}).encode() for where in (LIST_FILTER, ""))
    answer = json.loads(fetch(url, filtered))["data"]["products"]
    assert answer["totalCount"] > 0, answer
    rates = alternating(
        {
            "filtered": lambda: measure(url, seconds, connections, filtered)[0],
            "unfiltered": lambda: measure(url, seconds, connections, unfiltered)[0],
        },
        rounds,
    )
    spreads = sorted(measure_latencies(url, seconds, 1, filtered))
    p50, p99 = spreads[len(spreads) // 2] * 1000, spreads[int(len(spreads) * 0.99)] * 1000
    with_filter, without = rates["filtered"], rates["unfiltered"]
    return [
        (
            "uncached filtered and sorted list / same list unfiltered",
            f"{with_filter / without:.2f}× ({with_filter:,.0f} vs {without:,.0f} req/s)",
        ),
        ("uncached filtered list, p99 / p50 (one connection)", f"{p99 / p50:.1f}× ({p99:.1f} ms vs {p50:.1f} ms)"),
    ]


def throughput_figures(database_url: str, seconds: float, connections: int, rounds: int) -> list[tuple[str, str]]:
    search = Server("cms.app:create_app", cms_environment(database_url, delivery_cache_entries="0"))
    cached = Server("cms.app:create_app", cms_environment(database_url))
    try:
        answer = fetch(search.url("/graphql/web"), body(BROAD))
        assert json.loads(answer)["data"]["search"]["totalCount"] > 0, answer
        body_file = Path(tempfile.mkstemp(suffix=".json")[1])
        body_file.write_bytes(answer)
        plain = Server("delivery:plain_app", {"BENCH_PLAIN_BODY": str(body_file)})
        cpu: dict[str, list[float]] = {"baseline": [], "search": []}

        def rate(name: str, server: Server, url: str, request: bytes | None = None) -> float:
            """Requests per second; the server's CPU µs per request noted in `cpu` (steadier on a loaded machine:
            the load client and other programs take the cores from the plain endpoint the most)."""
            before = cpu_seconds(server.process.pid)
            served = measure(url, seconds, connections, request)[0]
            if name in cpu:
                cpu[name].append((cpu_seconds(server.process.pid) - before) / (served * seconds) * 1e6)
            return served

        try:
            rates = alternating(
                {
                    "baseline": lambda: rate("baseline", plain, plain.url("/plain")),
                    "search": lambda: rate("search", search, search.url("/graphql/web"), body(BROAD)),
                    "cached": lambda: rate("cached", cached, cached.url("/graphql/web"), body(BROAD)),
                },
                rounds,
            )
        finally:
            plain.stop()
    finally:
        search.stop()
        cached.stop()
    baseline, uncached, hit = rates["baseline"], rates["search"], rates["cached"]
    plain_cpu, search_cpu = statistics.median(cpu["baseline"]), statistics.median(cpu["search"])
    return [
        ("plain Litestar GET, same bytes (baseline)", f"{baseline:,.0f} req/s"),
        ("uncached search (10 results, highlights) / plain", f"{uncached / baseline:.3f}× ({uncached:,.0f} req/s)"),
        ("cached search / plain", f"{hit / baseline:.2f}× ({hit:,.0f} req/s)"),
        (
            "server CPU per request, plain / uncached search",
            f"{plain_cpu / search_cpu:.3f}× ({plain_cpu:.0f} µs vs {search_cpu:.0f} µs)",
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
    with tempfile.TemporaryDirectory(prefix="cms-bench-search-") as directory:
        demo = f"sqlite:///{directory}/demo.sqlite3"
        seed(demo)
        rows = [
            ("SQLite: " + label, value)
            for label, value in throughput_figures(demo, arguments.seconds, arguments.connections, arguments.rounds)
        ]
        if arguments.postgres:
            seed(arguments.postgres)
            rows += [
                ("PostgreSQL: " + label, value)
                for label, value in throughput_figures(
                    arguments.postgres, arguments.seconds, arguments.connections, arguments.rounds
                )
            ]
        rows += latency_figures(directory, arguments.seconds, arguments.large, arguments.rounds, arguments.connections)
    width = max(len(label) for label, _ in rows)
    print(f"\n{'figure':<{width}}  value\n{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
