"""graphql-http's GraphQL-over-HTTP audit (61 checks, npm) against a live server: every delivery channel and the
management API must pass every check, warnings included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cms.model import ContentModel
from tests.management_client import token_for

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
AUDIT_COUNT = 61


def _needs_node_and_graphql_http() -> None:
    """Skip (fail under CI=true) without Node or without `npm ci` having installed graphql-http (scripts/test does)."""
    if NODE is None or not (HERE / "node_modules" / "graphql-http").is_dir():
        message = "needs Node and graphql-http: run `npm ci --prefix tests/conformance` (scripts/test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)


def audit(url: str, token: str | None = None) -> list[dict[str, Any]]:
    _needs_node_and_graphql_http()
    assert NODE is not None
    command = [NODE, str(HERE / "audit.mjs"), url, *([token] if token else [])]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=HERE)
    assert finished.returncode == 0, finished.stderr
    results: list[dict[str, Any]] = json.loads(finished.stdout)
    return results


def assert_all_ok(results: list[dict[str, Any]]) -> None:
    failing = [result for result in results if result["status"] != "ok"]
    for result in failing:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    assert [f"{result['id']} {result['status']}: {result['name']}" for result in failing] == []
    assert len(results) == AUDIT_COUNT


@pytest.mark.parametrize("channel", ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"])
def test_every_delivery_channel_passes_the_graphql_over_http_audit(
    live_server: str, demo_db: None, model: ContentModel, channel: str
) -> None:
    assert channel in model.channels
    assert_all_ok(audit(f"{live_server}/graphql/{channel}"))


def test_every_channel_of_the_model_is_audited(model: ContentModel) -> None:
    assert sorted(model.channels) == sorted(["web", "app", "kiosk", "email", "social", "assistant", "web_ch"])


async def test_the_management_api_passes_the_graphql_over_http_audit(
    live_server: str, clean_db: None, model: ContentModel
) -> None:
    token = await token_for(model, "management:admin", name="graphql-http audit")
    assert_all_ok(audit(f"{live_server}/graphql", token))
