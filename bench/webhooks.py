"""Webhooks: what subscriptions cost publishing, and how soon a receiver hears of a publish.

Run by hand (not in CI): `.venv/bin/python bench/webhooks.py --publishes 40 --rounds 5`. It migrates a
throwaway SQLite database (or the PostgreSQL database given with `--postgres URL`, whose content is
replaced), starts the CMS in a uvicorn process (one worker, its dispatcher on, 127.0.0.1) and a receiver in
this process (a threaded HTTP server answering 200), then publishes through the management API over HTTP:
rounds with no subscription alternate with rounds with 10 subscriptions to the receiver, so a change in
the machine's load weighs on both sides of the ratio. Each publish is an edit then `publishEntry`; only
the `publishEntry` request is timed. Printed: median publish latency without and with subscriptions and
their ratio (target ≤ 1.1×), and the time from the publish's answer to the receiver getting the event,
p50 and p95 (target p95 ≤ 1 s), for every delivery of the rounds with subscriptions. Each is measured
with the server's own dispatcher (the default: sending shares the worker's CPU) and with a separate
`cms webhook dispatch` process (`--dispatcher worker|process|both`).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CMS = Path(sys.executable).with_name("cms")
SUBSCRIPTIONS = 10
UPDATE = "mutation($id: ID!, $b: Int!, $d: JSON!) { updateEntry(id: $id, baseVersion: $b, data: $d) { id } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server(ThreadingHTTPServer):
    # A listen backlog of 5 (the default) drops connections of a dispatcher sending 32 at once: their
    # SYN is sent again a second later, which looked like a slow dispatcher.
    request_queue_size = 128
    daemon_threads = True


class Receiver:
    """Answers 200 at once and notes when each (entry, version, URL) arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[tuple[str, int, str], float] = {}
        arrivals = self.arrivals

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as receivers behind a load balancer are

            def do_POST(self) -> None:
                arrived = time.perf_counter()
                data = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))["data"]
                arrivals[(data.get("entryId"), data.get("version"), self.path)] = arrived
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class MissingDeliveries(Exception):
    pass


class Management:
    def __init__(self, base: str, token: str) -> None:
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def call(self, query: str, **variables: Any) -> dict[str, Any]:
        body = self.http.post("/graphql", json={"query": query, "variables": variables}).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]  # type: ignore[no-any-return]


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "cms.app:create_app", "--factory", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(tempfile.gettempdir()) / "bench-webhooks-server.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1):
                return process, base
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the CMS did not start")


def category(name: str, slug: str) -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": slug}, "fr": {"name": f"{name} (fr)"}}}


def run(env: dict[str, str], publishes: int, rounds: int, dispatcher: str) -> dict[str, Any]:
    """One measurement; `dispatcher` is `worker` (the server's own, the default) or `process` (the server
    with CMS_WEBHOOKS=false and `cms webhook dispatch` beside it)."""
    subprocess.run([str(CMS), "migrate"], env=env, check=True)
    subprocess.run([str(CMS), "demo", "--reset"], env=env, check=True, capture_output=True)
    token = subprocess.run(
        [str(CMS), "token", "create", "--name", "bench", "--scope", "management:admin"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    separate = None
    if dispatcher == "process":
        env = env | {"CMS_WEBHOOKS": "false"}
        command = [str(CMS), "webhook", "dispatch"]
        separate = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process, base = start_server(env)
    receiver = Receiver()
    api = Management(base, token)
    try:
        for webhook in api.call("{ webhooks { id } }")["webhooks"]:
            api.call("mutation($id: Int!) { deleteWebhook(id: $id) }", id=webhook["id"])
        create = 'mutation($d: JSON!) { createEntry(type: "category", data: $d) { id } }'
        entries = [
            api.call(create, d=category(f"Bench {n}", f"bench-{n}"))["createEntry"]["id"] for n in range(publishes)
        ]
        versions = dict.fromkeys(entries, 1)
        timings: dict[str, list[float]] = {"none": [], "ten": []}
        delays: list[float] = []
        for round_number in range(rounds * 2):
            with_subscriptions = round_number % 2 == 1
            ids = _subscribe(api, receiver.url) if with_subscriptions else []
            answered: dict[tuple[str, int], float] = {}
            for entry in entries:
                if versions[entry] > 1 or round_number:
                    api.call(UPDATE, id=entry, b=versions[entry], d=category(f"Bench {round_number}", entry[:12]))
                    versions[entry] += 1
                started = time.perf_counter()
                api.call("mutation($id: ID!) { publishEntry(id: $id) { status } }", id=entry)
                done = answered[(entry, versions[entry])] = time.perf_counter()
                timings["ten" if with_subscriptions else "none"].append(done - started)
            if with_subscriptions:
                try:
                    delays += _delays(receiver, answered, len(ids))
                except MissingDeliveries:
                    query = "{ webhooks { id deliveries(first: 200) { id status attempts lastStatus lastError } } }"
                    for webhook in api.call(query)["webhooks"]:
                        stuck = [d for d in webhook["deliveries"] if d["status"] != "delivered"]
                        print(webhook["id"], json.dumps(stuck)[:2000], file=sys.stderr)
                    raise
            receiver.arrivals.clear()
            for webhook_id in ids:
                api.call("mutation($id: Int!) { deleteWebhook(id: $id) }", id=webhook_id)
        none, ten = statistics.median(timings["none"]), statistics.median(timings["ten"])
        delays.sort()
        return {
            "publish_ms_none": round(none * 1000, 2),
            "publish_ms_ten": round(ten * 1000, 2),
            "ratio": round(ten / none, 3),
            "received_p50_ms": round(delays[len(delays) // 2] * 1000, 1),
            "received_p95_ms": round(delays[int(len(delays) * 0.95)] * 1000, 1),
            "deliveries": len(delays),
        }
    finally:
        for running in (process, separate):
            if running is not None:
                running.terminate()
                running.wait(timeout=10)
        receiver.server.shutdown()


def _subscribe(api: Management, url: str) -> list[int]:
    create = "mutation($input: WebhookInput!) { createWebhook(input: $input) { webhook { id } } }"
    return [
        api.call(create, input={"url": f"{url}/hook-{n}"})["createWebhook"]["webhook"]["id"]
        for n in range(SUBSCRIPTIONS)
    ]


def _delays(receiver: Receiver, answered: dict[tuple[str, int], float], subscriptions: int) -> list[float]:
    """Seconds from each publish's answer to each of its deliveries' arrival (waits up to 30 s for them)."""
    deadline = time.monotonic() + 30
    expected = len(answered) * subscriptions
    while len(receiver.arrivals) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    delays = [
        max(0.0, arrived - answered[(entry, version)])
        for (entry, version, _path), arrived in receiver.arrivals.items()
        if (entry, version) in answered
    ]
    if len(delays) < expected:
        raise MissingDeliveries(f"only {len(delays)} of {expected} deliveries arrived within 30 s")
    receiver.arrivals.clear()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publishes", type=int, default=40, help="publishes per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind, alternated")
    parser.add_argument("--postgres", help="also run against this PostgreSQL database (its content is replaced)")
    parser.add_argument(
        "--dispatcher",
        choices=["worker", "process", "both"],
        default="both",
        help="the server's own dispatcher, a separate `cms webhook dispatch` process, or each in turn",
    )
    args = parser.parse_args()
    databases = {"sqlite": f"sqlite:///{tempfile.mkdtemp(prefix='cms-bench-webhooks-')}/bench.sqlite3"}
    if args.postgres:
        databases["postgresql"] = args.postgres
    for name, url in databases.items():
        env = os.environ | {
            "CMS_DATABASE_URL": url,
            "CMS_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
            "CMS_SCHEDULER": "false",
            "CMS_MEDIA_ROOT": tempfile.mkdtemp(prefix="cms-bench-media-"),
        }
        for mode in ("worker", "process") if args.dispatcher == "both" else (args.dispatcher,):
            print(name, f"dispatcher={mode}", json.dumps(run(env, args.publishes, args.rounds, mode)), flush=True)


if __name__ == "__main__":
    main()
