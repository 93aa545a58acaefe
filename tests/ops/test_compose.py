"""Deploy from zero: the commands docker-compose.yml declares, read from the file and run against the CI's
PostgreSQL (a new database) and S3 server (a new bucket), as compose would start them (Docker itself is
not available here). Then `cms doctor` on that install, healthy and broken."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.postgres, pytest.mark.s3]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded["services"]


@pytest.fixture
async def install() -> Iterator[dict[str, str]]:  # type: ignore[misc]
    """The compose environment of the app, pointed at a new database and a new bucket of the CI servers."""
    server = os.environ["CMS_TEST_POSTGRES_URL"]
    name = f"cms_compose_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    env = {key: str(value) for key, value in compose()["cms"]["environment"].items()}
    env |= {
        "CMS_DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
        "CMS_S3_ENDPOINT_URL": os.environ["CMS_TEST_S3_ENDPOINT"],
        "CMS_S3_BUCKET": f"compose-{uuid.uuid4().hex[:8]}",
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    yield env
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


def run(command: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _on_loopback(command: list[str], port: int) -> list[str]:
    """The service's command with its --host and --port moved to a free port on 127.0.0.1."""
    moved = list(command)
    for option, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        moved[moved.index(option) + 1] = value
    return moved


def _ready(base: str) -> tuple[int, dict[str, Any]]:
    import json

    try:
        with urllib.request.urlopen(f"{base}/ready", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_the_compose_commands_bring_a_new_install_up_with_nothing_done_by_hand(install) -> None:  # type: ignore[no-untyped-def]
    services = compose()
    init = run(services["storage-init"]["command"], install)
    assert (init.returncode, init.stdout.strip()) == (0, f"created bucket {install['CMS_S3_BUCKET']}"), init.stderr
    assert (
        run(services["storage-init"]["command"], install).stdout.strip() == f"found bucket {install['CMS_S3_BUCKET']}"
    )

    # However many start together, the database is migrated once (an advisory lock queues them).
    racing = [
        subprocess.Popen(services["migrate"]["command"], env=install, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in racing]
    assert [process.returncode for process in racing] == [0, 0, 0], outputs
    migrations = await _applied(install["CMS_DATABASE_URL"])
    assert len(migrations) == len(set(migrations)) > 10

    port = _free_port()
    app = subprocess.Popen(
        _on_loopback(services["cms"]["command"], port),
        env=install,  # the cms service's environment (web workers leave webhooks to the dispatcher)
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    dispatcher = subprocess.Popen(services["webhooks"]["command"], env=install, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        answer: tuple[int, dict[str, Any]] = (0, {})
        for _ in range(600):  # the demo's seeding uploads its pictures to the bucket first
            try:
                answer = _ready(base)
                if answer[0] == 200:
                    break
            except OSError:
                assert app.poll() is None, "the app exited"
            time.sleep(0.2)
        assert answer == (200, {"ready": True, "checks": {"database": "ok", "storage": "ok"}})
        assert dispatcher.poll() is None, "the webhook dispatcher runs beside the app"
        doctor = run([str(BIN / "cms"), "doctor"], install)
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert "problem" not in doctor.stdout
    finally:
        for process in (app, dispatcher):
            process.terminate()
            process.wait(timeout=20)


async def test_doctor_names_each_problem_with_its_fix(install) -> None:  # type: ignore[no-untyped-def]
    broken = install | {"CMS_S3_BUCKET": "never-made", "CMS_DATABASE_URL": install["CMS_DATABASE_URL"]}
    report = run([str(BIN / "cms"), "doctor"], broken)
    assert report.returncode == 1
    lines = report.stdout.splitlines()
    assert any(line.startswith("problem migrations") for line in lines), report.stdout
    assert any(line.startswith("problem storage") and "never-made" in line for line in lines), report.stdout
    assert "run `cms migrate`" in report.stdout and "run `cms storage init`" in report.stdout
    assert any(line.startswith("ok      database") for line in lines)

    unreachable = broken | {"CMS_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}
    report = run([str(BIN / "cms"), "doctor"], unreachable)
    assert report.returncode == 1
    assert "problem database" in report.stdout and "check CMS_DATABASE_URL" in report.stdout


async def _applied(url: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        return [row["name"] for row in await connection.fetch("SELECT name FROM migration WHERE app_name = 'store'")]
    finally:
        await connection.close()
