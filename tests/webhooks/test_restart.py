"""Nothing is lost when the server dies: a real `uvicorn` process is killed (SIGKILL) after a publish
committed and before its webhook was delivered, or while the delivery is in flight; once a server runs
again, the receiver gets the event, signed, with the same `webhook-id`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.management_client import token_for
from tests.webhooks.helpers import CREATE, category
from tests.webhooks.receiver import Receiver

LOG = Path(os.environ.get("CMS_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(**settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The CMS in a uvicorn process on the tests' database, with these CMS_* settings; killed at the end."""
    port = _free_port()
    LOG.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"CMS_SCHEDULER": "false"} | {f"CMS_{k.upper()}": v for k, v in settings.items()}
    with (LOG / f"webhook-server-{port}.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "cms.app:create_app", "--factory", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=1):
                        break
                except OSError:
                    assert process.poll() is None, f"the server exited; see {log.name}"
                    time.sleep(0.05)
            yield base, process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


async def _publish_through(base: str, token: str, receiver_url: str) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as http:

        async def call(query: str, **variables: object) -> dict:  # type: ignore[type-arg]
            body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
            assert "errors" not in body, body
            return body["data"]  # type: ignore[no-any-return]

        await call(CREATE, input={"url": receiver_url})
        create = 'mutation($d: JSON!) { createEntry(type: "category", data: $d) { id } }'
        entry_id: str = (await call(create, d=category("Kitchen", "kitchen")))["createEntry"]["id"]
        await call("mutation($id: ID!) { publishEntry(id: $id) { status } }", id=entry_id)
        return entry_id


async def _until(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def test_killed_after_the_commit_before_the_delivery_the_event_arrives_after_restart(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    token = await token_for(model, "management:admin")
    with Receiver() as receiver:
        # A worker without a dispatcher (CMS_WEBHOOKS=false, as beside `cms webhook dispatch`): the publish
        # commits its event, then the process dies with it unsent. (A dispatcher polling every minute here
        # raced its first look against the publish on a loaded machine.)
        with serving(webhooks="false") as (base, process):
            entry_id = await _publish_through(base, token, receiver.url)
            process.send_signal(signal.SIGKILL)
        assert receiver.requests == 0
        with serving(webhook_poll_interval="0.1"):
            await _until(lambda: receiver.received, 10)
    [message] = receiver.received
    assert (message.payload["type"], message.payload["data"]["entryId"]) == ("entry.published", entry_id)


async def test_killed_while_the_delivery_is_in_flight_it_is_sent_again_after_its_lease(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    token = await token_for(model, "management:admin")
    # The first request hangs (the server dies while waiting for it); later ones are answered at once.
    with Receiver(hang=lambda number: 30.0 if number == 1 else 0.0) as receiver:
        with serving(webhook_poll_interval="0.1", webhook_timeout="1") as (base, process):
            entry_id = await _publish_through(base, token, receiver.url)
            await _until(lambda: receiver.requests >= 1, 10)
            assert receiver.requests == 1
            process.send_signal(signal.SIGKILL)
        # Its lease (the attempt's timeout + 10 s) runs out; then a new server sends it again.
        with serving(webhook_poll_interval="0.1", webhook_timeout="1"):
            await _until(lambda: receiver.received, 20)
    [message] = receiver.received
    assert receiver.requests == 2
    assert (message.payload["type"], message.payload["data"]["entryId"]) == ("entry.published", entry_id)
    assert message.headers["webhook-id"].startswith("msg_")
