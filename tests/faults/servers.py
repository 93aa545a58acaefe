"""Real servers a fault test owns: a PostgreSQL cluster, a moto S3 server and the app under uvicorn, each on a
free 127.0.0.1 port, stopped and started again mid-test, removed afterwards.

Never the shared servers of the machine or of CI (CMS_TEST_POSTGRES_URL, CMS_TEST_S3_ENDPOINT): other test runs
use them while these are stopped.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


INITDB_OPTIONS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server programs of the machine (Debian's layout), if installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throwaway cluster (fsync off) that a test may stop and start again on the same port and data."""

    def __init__(self) -> None:
        programs = postgres_bin()
        if programs is None:
            pytest.skip("PostgreSQL server programs not installed (apt-get install postgresql): no initdb")
        self.programs = programs
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="cms-faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        subprocess.run(
            _as_postgres([str(programs / "initdb"), "-D", str(self.directory / "data"), *INITDB_OPTIONS]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off"
        options += " -c full_page_writes=off -c synchronous_commit=off -c max_connections=100"
        self._pg_ctl("-l", str(self.directory / "log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        """A fast shutdown, as an operator's `systemctl stop`: sessions are ended, transactions rolled back."""
        self._pg_ctl("-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(self.programs / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def _pg_ctl(self, *arguments: str) -> None:
        subprocess.run(
            _as_postgres([str(self.programs / "pg_ctl"), "-D", str(self.directory / "data"), *arguments]),
            check=True,
            capture_output=True,
            timeout=60,
        )


class PrivateS3:
    """A moto S3 server of the test's own, which forgets every bucket when stopped (it keeps them in memory)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"{self.url}/", self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


class AppServer:
    """`cms serve`'s app under uvicorn in a subprocess (one worker), with the given environment."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.address = ("--host", "127.0.0.1", "--port", str(self.port))
        self.environment = environment
        self.log = Path(tempfile.mkstemp(prefix="cms-faults-app-", suffix=".log")[1])
        self.token = ""
        """A management token, for tests that make one."""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "cms.app:create_app", "--factory", "--no-access-log", *self.address],
                env=self.environment,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(f"{self.url}/health", self.process)

    def logged(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.log.unlink(missing_ok=True)


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Until `url` answers (any status), or fail when `process` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            assert process.poll() is None, f"exited with {process.returncode} before {url} answered"
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def cms_environment(**settings: str) -> dict[str, str]:
    """The environment of a `cms` command or app process: this checkout's code, the test model, `settings`."""
    environment = {
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "CMS_MODEL_DIR": str(ROOT / "content_types"),
        "CMS_GRAPHQL_DIR": str(ROOT / "graphql"),
        "CMS_SCHEDULER": "false",
        "CMS_WEBHOOKS": "false",
    }
    return environment | {f"CMS_{name.upper()}": value for name, value in settings.items()}


def run_cms(environment: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [str(BIN / "cms"), *arguments], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
