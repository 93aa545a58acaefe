"""CORS per channel: only the origins a channel allows get CORS headers, cached answers included; the management
API and the admin never send any; `cors_origins` values are checked with the model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from cms.app import create_app
from cms.model import load_model, read_model
from cms.settings import Settings
from tests.conftest import build_client
from tests.model_copies import break_file, copy_shipped_model

SHOP, WWW, ELSEWHERE = "https://shop.example.com", "https://www.example.com", "https://evil.example.net"
QUERY = {"query": "query Cors { __typename }"}


def allowed_origin(response: httpx.Response) -> str | None:
    return response.headers.get("access-control-allow-origin")


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_cached_answer_carries_each_allowed_origin_its_own_header(
    client: httpx.AsyncClient, database: None, method: str
) -> None:
    """The web channel allows its two sites (channels.toml); the same answer, cached after the first request,
    goes out with the asking origin's header, or none."""

    async def ask(origin: str | None) -> httpx.Response:
        headers = {"origin": origin} if origin else {}
        if method == "GET":
            return await client.get("/graphql/web", params={"query": QUERY["query"] + " "}, headers=headers)
        return await client.post("/graphql/web", json=QUERY, headers=headers)

    answers = {origin: await ask(origin) for origin in (SHOP, WWW, ELSEWHERE, None, SHOP)}
    assert all(answer.status_code == 200 for answer in answers.values())
    assert allowed_origin(answers[SHOP]) == SHOP and answers[SHOP].headers["access-control-expose-headers"] == "ETag"
    assert allowed_origin(answers[WWW]) == WWW
    assert allowed_origin(answers[ELSEWHERE]) is None and allowed_origin(answers[None]) is None
    # Every answer says it varies by origin, so a shared cache keeps one copy per origin
    assert {answer.headers["vary"] for answer in answers.values()} == {"Accept, Accept-Language, Authorization, Origin"}
    # And the cached header list was not changed by the answers sent from it
    again = await ask(ELSEWHERE)
    assert allowed_origin(again) is None and again.headers.get_list("access-control-allow-origin") == []


async def test_a_preflight_is_answered_for_an_allowed_origin_only(client: httpx.AsyncClient) -> None:
    asking = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    allowed = await client.options("/graphql/web", headers=asking | {"origin": SHOP})
    assert allowed.status_code == 204
    assert allowed_origin(allowed) == SHOP
    assert allowed.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    assert "Content-Type" in allowed.headers["access-control-allow-headers"]
    assert allowed.headers["access-control-max-age"] == "600" and allowed.headers["vary"] == "Origin"
    refused = await client.options("/graphql/web", headers=asking | {"origin": ELSEWHERE})
    assert refused.status_code == 204 and allowed_origin(refused) is None


async def test_a_channel_without_the_setting_sends_no_cors_header(client: httpx.AsyncClient, database: None) -> None:
    answer = await client.post("/graphql/kiosk", json=QUERY, headers={"origin": SHOP})
    assert answer.status_code == 200 and allowed_origin(answer) is None
    assert answer.headers["vary"] == "Accept, Accept-Language, Authorization"
    preflight = await client.options("/graphql/kiosk", headers={"origin": SHOP, "access-control-request-method": "GET"})
    assert allowed_origin(preflight) is None


@pytest.mark.parametrize(("method", "path"), [("POST", "/graphql"), ("OPTIONS", "/graphql"), ("GET", "/admin/login")])
async def test_the_management_api_and_the_admin_never_send_cors_headers(
    client: httpx.AsyncClient, database: None, method: str, path: str
) -> None:
    headers = {"origin": SHOP, "access-control-request-method": "POST"}
    response = await client.request(method, path, json=QUERY if method == "POST" else None, headers=headers)
    assert not [name for name in response.headers if name.startswith("access-control-")]


@pytest.fixture
async def every_origin_on_social(tmp_path: Path, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the shipped model, its social channel open to every origin."""
    directory = copy_shipped_model(tmp_path)
    social = 'rich_text = "text"\ntypes = ["product", "brand_message", "offer"]'
    break_file(directory, "channels.toml", social, social + '\ncors_origins = ["*"]')
    async with build_client(create_app(settings, load_model(directory))) as client:
        yield client


async def test_a_channel_open_to_every_origin_says_so_on_every_answer(
    every_origin_on_social: httpx.AsyncClient, database: None
) -> None:
    for origin in (ELSEWHERE, None):
        answer = await every_origin_on_social.post("/graphql/social", json=QUERY, headers={"origin": origin or ""})
        assert allowed_origin(answer) == "*"
        assert answer.headers["vary"] == "Accept, Accept-Language, Authorization"


@pytest.mark.parametrize(
    ("origins", "problems"),
    [
        (
            '["https://shop.example.com/", "shop.example.com", "HTTPS://Shop.example.com", "ftp://x.example"]',
            [
                ("[0]", "'https://shop.example.com/' has a path, query or trailing slash: an origin is only write"),
                ("[1]", "'shop.example.com' is not an origin: write scheme://host[:port]"),
                (
                    "[2]",
                    "'HTTPS://Shop.example.com' must be lower-case, as browsers send it: 'https://shop.example.com'",
                ),
                ("[3]", "'ftp://x.example' is not an origin"),
            ],
        ),
        ('["*", "https://shop.example.com"]', [("[0]", "`*` allows every origin already: list nothing else with it")]),
        ('["https://shop.example.com:99999"]', [("[0]", "'https://shop.example.com:99999' is not an origin")]),
    ],
)
def test_bad_origins_are_model_problems_with_file_key_and_reason(
    tmp_path: Path, origins: str, problems: list[tuple[str, str]]
) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", "cors_origins = [", f"cors_origins = {origins}\nold_origins = [")
    break_file(directory, "channels.toml", "old_origins = [", "# [")
    _, found = read_model(directory)
    assert [(problem.file, problem.key) for problem in found] == [
        ("channels.toml", f"channels.web.cors_origins{index}") for index, _ in problems
    ]
    for problem, (_, reason) in zip(found, problems, strict=True):
        assert problem.reason.startswith(reason)


def test_a_protected_channel_cannot_allow_every_origin(tmp_path: Path) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", "cors_origins = [", 'public = false\ncors_origins = ["*"]\n# [')
    _, found = read_model(directory)
    assert [(problem.key, problem.reason) for problem in found] == [
        (
            "channels.web.cors_origins[0]",
            "a channel that needs a token cannot allow every origin: list the sites that use it",
        )
    ]
