"""The CMS served by uvicorn in a subprocess, for clients outside Python (graphql-http's audit runs in Node)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(database: None) -> Iterator[str]:
    """The CMS under uvicorn on a free 127.0.0.1 port, sharing the tests' database; yields its base URL."""
    port = _free_port()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "cms.app:create_app", "--factory", "--host=127.0.0.1", f"--port={port}"],
            env=os.environ | {"CMS_SCHEDULER": "false", "CMS_WEBHOOKS": "false"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_health(base: str, process: subprocess.Popen[bytes], log: tempfile._TemporaryFileWrapper[str]) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1):
                return
        except OSError as error:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read()}") from error
            time.sleep(0.1)
    raise RuntimeError("the server did not answer /health in 30 s")
