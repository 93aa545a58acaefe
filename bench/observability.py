"""What observability costs delivery's fastest answer: the cached persisted GET (ProductList, 50 items) with the
request log (`CMS_REQUEST_LOG=json`), the metrics (`CMS_METRICS=true`), both, and tracing (`CMS_TRACING=true`,
no exporter configured), each as a ratio to the same server with everything off, measured in the same run; and
the server's CPU time per request (read from /proc: Linux only), which the machine's other load disturbs less.

Run by hand (not in CI): `.venv/bin/python bench/observability.py --seconds 2 --rounds 3`. It seeds the demo
content in a throwaway SQLite database and starts the servers as bench/delivery.py does (uvicorn, one worker
each, 127.0.0.1), their request lines going to a file as they would to a log collector's pipe; figures are
medians of `--rounds` measurements taken in turn.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import tempfile
import urllib.parse
from hashlib import sha256
from pathlib import Path

from delivery import PERSISTED, Server, alternating, cms_environment, fetch, measure, seed

VARIANTS = {
    "off": {},
    "request log": {"request_log": "json"},
    "metrics": {"metrics": "true"},
    "request log + metrics": {"request_log": "json", "metrics": "true"},
    "tracing (no exporter)": {"tracing": "true"},
}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (16)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every measurement, medians kept (3)")
    arguments = parser.parse_args()
    variants = dict(VARIANTS)
    if importlib.util.find_spec("opentelemetry.instrumentation.asgi") is None:
        del variants["tracing (no exporter)"]  # `pip install 'cms[tracing]'` to measure it
    persisted = "/graphql/web?" + urllib.parse.urlencode(
        {"id": sha256(PERSISTED.encode()).hexdigest(), "variables": json.dumps({"first": 50})}
    )
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as directory:
        database = f"sqlite:///{directory}/demo.sqlite3"
        seed(database)
        with open(Path(directory) / "requests.log", "wb") as log:
            servers = {
                name: Server("cms.app:create_app", cms_environment(database, **settings), stdout=log)
                for name, settings in variants.items()
            }

            def measured(name: str) -> float:
                """Requests per second; the server's CPU µs per request noted in `cpu`."""
                server = servers[name]
                before = cpu_seconds(server.process.pid)
                rate = measure(server.url(persisted), arguments.seconds, arguments.connections)[0]
                cpu[name].append((cpu_seconds(server.process.pid) - before) / (rate * arguments.seconds) * 1e6)
                return rate

            try:
                for server in servers.values():
                    fetch(server.url(persisted))  # computed once: every measured request is a cache hit
                rates = alternating(
                    {name: (lambda name=name: measured(name)) for name in servers},  # type: ignore[misc]
                    arguments.rounds,
                )
            finally:
                for server in servers.values():
                    server.stop()
        lines = (Path(directory) / "requests.log").read_bytes().count(b"\n")
    off, off_cpu = rates["off"], statistics.median(cpu["off"])
    print(f"\n{'cached persisted GET, 50 items':<24}   req/s  vs off  server CPU per request")
    for name, rate in rates.items():
        used = statistics.median(cpu[name])
        print(f"{name:<24}  {rate:>7,.0f}  {rate / off:5.2f}×  {used:5.1f} µs ({used - off_cpu:+.1f})")
    print(f"(request lines written: {lines:,})")


if __name__ == "__main__":
    main()
