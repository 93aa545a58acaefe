"""Rate limits: per token on the management API, and on a delivery channel whose config asks for it (per token,
else per client address); a 429 in GraphQL's error shape with `Retry-After`; the setting checked with the model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from cms.app import create_app
from cms.model import load_model, read_model
from cms.settings import Settings
from tests.conftest import build_client
from tests.management_client import token_for
from tests.model_copies import break_file, copy_shipped_model

KIOSK = 'default_locale = "fr"\ncurrency = "EUR"\nrich_text = "text"'
TYPENAME = {"query": "{ __typename }"}


@pytest.fixture
async def limited(tmp_path: Path, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with 3 management requests a minute per token, and 3 a minute on the kiosk channel."""
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", KIOSK, KIOSK + '\nrate_limit = "3/minute"')
    app = create_app(msgspec.structs.replace(settings, management_rate_limit="3/minute"), load_model(directory))
    async with build_client(app) as client:
        yield client


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["ratelimit-limit"] == "3"
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": int(response.headers["retry-after"])}
    assert error["message"].startswith("too many requests: try again in ")


async def test_the_management_api_limits_each_token_on_its_own(
    limited: httpx.AsyncClient, clean_db: None, model: Any
) -> None:
    first, second = await token_for(model, "management:read"), await token_for(model, "management:read")

    async def ask(token: str) -> httpx.Response:
        return await limited.post("/graphql", json=TYPENAME, headers={"Authorization": f"Bearer {token}"})

    assert [(await ask(first)).status_code for _ in range(3)] == [200, 200, 200]
    assert_rate_limited(await ask(first))
    # another token is not affected
    assert (await ask(second)).json() == {"data": {"__typename": "Query"}}


async def test_a_channel_with_a_rate_limit_counts_each_client_address(
    limited: httpx.AsyncClient, database: None
) -> None:
    """Anonymous requests count per address, whatever the path inside the endpoint (cached answers included)."""
    answers = [await limited.post("/graphql/kiosk", json=TYPENAME) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert_rate_limited(await limited.get("/graphql/kiosk", params=TYPENAME))
    # a request with a token is counted for that token, and other channels have no limit
    other = await limited.post("/graphql/kiosk", json=TYPENAME, headers={"Authorization": "Bearer cms_unknown"})
    assert other.status_code == 401
    assert all([(await limited.post("/graphql/web", json=TYPENAME)).status_code == 200 for _ in range(5)])


async def test_a_cors_preflight_is_not_counted(limited: httpx.AsyncClient, database: None) -> None:
    preflight = {"origin": "https://shop.example.com", "access-control-request-method": "POST"}
    for _ in range(5):
        assert (await limited.options("/graphql/kiosk", headers=preflight)).status_code == 204
    assert (await limited.post("/graphql/kiosk", json=TYPENAME)).status_code == 200


@pytest.mark.parametrize("value", ['"100"', '"0/minute"', '"10/week"', '"many/hour"'])
def test_a_bad_rate_limit_is_a_model_problem_naming_the_field(tmp_path: Path, value: str) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", KIOSK, KIOSK + f"\nrate_limit = {value}")
    _, found = read_model(directory)
    assert [(problem.file, problem.key) for problem in found] == [("channels.toml", "channels.kiosk.rate_limit")]
    assert found[0].reason == (
        f'{value} is not a rate limit: write requests per unit, e.g. "100/minute" (units: second, minute, hour, day)'
    ).replace('"', "'", 2)


def test_a_bad_management_rate_limit_setting_stops_the_app_naming_it(settings: Settings) -> None:
    with pytest.raises(ValueError, match=r"^CMS_MANAGEMENT_RATE_LIMIT: '5 per minute' is not a rate limit"):
        create_app(msgspec.structs.replace(settings, management_rate_limit="5 per minute"))
