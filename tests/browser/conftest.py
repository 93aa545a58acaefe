"""The admin in a real browser: Debian's Chromium driven by Playwright, against a real server process.

The server is `uvicorn cms.app:create_app` in a subprocess on a free 127.0.0.1 port, sharing the
tests' database (same CMS_* environment), so tests arrange data through Python and check it
through the browser or over HTTP. Screenshots land in CMS_TEST_ARTIFACTS (default
`test-artifacts/`), one PNG per screen, named after the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from cms.auth.users import create_user
from cms.store.database import delete_all_content

CHROMIUM = os.environ.get("CMS_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CMS_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
PASSWORD = "correct horse battery staple"
USERS = {"admin": "admin@example.test", "editor": "editor@example.test", "reviewer": "reviewer@example.test"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    _skip_without_chromium()


def _skip_without_chromium() -> None:
    """Skip (fail under CI=true) when there is no browser; called by the session-wide `browser` fixture too,
    which pytest sets up before any function-scoped fixture."""
    if not Path(CHROMIUM).exists():
        message = f"needs Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(database: None) -> Iterator[str]:
    """The CMS served by uvicorn in a subprocess; yields its base URL."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "cms.app:create_app", "--factory", "--host", "127.0.0.1", f"--port={port}"],
        # No dispatcher: this server lives for the whole session, and one sending deliveries would send those of
        # every later test that subscribes a receiver (tests dispatch themselves).
        env=os.environ | {"CMS_SCHEDULER": "false", "CMS_WEBHOOKS": "false"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1):
                    break
            except OSError as error:
                if process.poll() is not None:
                    log_file = ARTIFACTS / "server.log"
                    raise RuntimeError(f"the server exited ({process.returncode}); see {log_file}") from error
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer /health in 20 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
async def admin_world(clean_db: None) -> dict[str, str]:
    """An empty store with three users (admin, editor, reviewer), all with PASSWORD; returns their emails."""
    await delete_all_content()
    for role, email in USERS.items():
        await create_user(email, role.title(), role, PASSWORD)
    return USERS


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    _skip_without_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        await launched.close()


class Shots:
    """Saves numbered screenshots of one test: test-artifacts/<test>/<nn>-<name>.png."""

    def __init__(self, test_name: str) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    async def take(self, page: Any, name: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^\w-]+", "-", name)
        path = self.folder / f"{self.count:02d}-{slug}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)


async def new_page(browser: Any, base_url: str, *, width: int = 1280, height: int = 900) -> Any:
    """A fresh browser context (its own cookies) and page."""
    context = await browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    return await context.new_page()


async def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    await page.goto("/admin/")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r"/admin/?$"))
