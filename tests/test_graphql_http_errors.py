"""Malformed GraphQL requests on both endpoints: a 400 (or 415) with a reason, never a 500; real 500s are logged."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tests.management_client import token_for

ENDPOINTS = ["/graphql", "/graphql/web"]
DEEP = "[" * 1000


@pytest.fixture
async def headers(database: None, model: Any) -> dict[str, str]:
    """A read token: the management endpoint needs one; delivery ignores it."""
    return {"Authorization": f"Bearer {await token_for(model, 'management:read')}"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_an_operation_name_the_document_lacks_is_400_naming_what_it_has(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str
) -> None:
    body = {"query": "query First { __typename } query Second { __typename }", "operationName": "Third"}
    response = await client.post(endpoint, json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "unknown operation named 'Third' (this document has: First, Second): check `operationName`"
    )


async def test_several_operations_without_a_name_is_400_on_delivery(client: httpx.AsyncClient) -> None:
    body = {"query": "query First { __typename } query Second { __typename }"}
    response = await client.post("/graphql/web", json=body)
    assert response.status_code == 400
    assert "say which to run with `operationName`" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("parameter", "value", "reason"),
    [
        ("extensions", DEEP, "`extensions` is nested too deeply"),
        ("variables", DEEP, "`variables` is nested too deeply"),
        ("extensions", "{oops", "`extensions` is not valid JSON"),
        ("variables", "[1, 2]", "invalid GraphQL request: Expected `object | null`, got `array` - at `$.variables`"),
        ("extensions", "[1]", "invalid GraphQL request: Expected `object | null`, got `array` - at `$.extensions`"),
        ("extensions", '"text"', "invalid GraphQL request: Expected `object | null`, got `str` - at `$.extensions`"),
    ],
)
async def test_malformed_get_parameters_are_400_with_a_reason(
    client: httpx.AsyncClient, parameter: str, value: str, reason: str
) -> None:
    response = await client.get("/graphql/web", params={"query": "{ __typename }", parameter: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(reason)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"query": "{ __typename }", "variables": [1]}', "invalid GraphQL request: Expected `object | null`"),
        (b'{"query": "{ __typename }", "variables": 7}', "invalid GraphQL request: Expected `object | null`"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "invalid GraphQL request: Expected `object | null`"),
        (b'{"query": "{ __typename }", "variables": {"a": ' + DEEP.encode() + b"}}", "the request body is nested"),
        (b'{"query": "{ __typename }", "operationName": 3}', "invalid GraphQL request: Expected `str | null`"),
    ],
)
async def test_malformed_post_bodies_are_400_with_a_reason(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str, body: bytes, reason: str
) -> None:
    response = await client.post(endpoint, content=body, headers=headers | {"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(reason)


async def test_deeply_nested_multipart_operations_are_400(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    files = {"operations": (None, '{"query": "{ __typename }", "variables": ' + DEEP + "}"), "map": (None, "{}")}
    response = await client.post("/graphql", files=files, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("`operations` is nested too deeply")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "content_type",
    ["application/jsonx", "application/json; charset=utf-16", "application/json-patch+json", "text/plain", ""],
)
async def test_only_utf8_json_is_read_as_json(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str, content_type: str
) -> None:
    response = await client.post(
        endpoint, content=b'{"query": "{ __typename }"}', headers=headers | {"content-type": content_type}
    )
    assert response.status_code == 415
    message = response.json()["errors"][0]["message"]
    assert "Content-Type: application/json, with no charset or charset=utf-8" in message
    assert repr(content_type or "no Content-Type") in message


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON; Charset=UTF-8",
        'application/json;charset="utf-8"',
    ],
)
async def test_json_with_or_without_utf8_charset_is_accepted(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str, content_type: str
) -> None:
    response = await client.post(
        endpoint,
        content=b'{"query": "{ __typename }"}',
        headers=headers | {"content-type": content_type, "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_cached_delivery_answer_is_not_served_to_a_refused_content_type(client: httpx.AsyncClient) -> None:
    """The hit lane remembers a POST by its body: the same body under a type the endpoint refuses stays refused."""
    body = b'{"query": "{ __typename }"}'
    for _ in range(2):  # the second is answered from the cache by the lane
        assert (
            await client.post("/graphql/web", content=body, headers={"content-type": "application/json"})
        ).is_success
    refused = await client.post("/graphql/web", content=body, headers={"content-type": "application/jsonx"})
    assert refused.status_code == 415


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_an_unexpected_failure_is_500_without_internals_and_logged_with_its_traceback(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr("cms.delivery.http.execute_operation", broken)
    monkeypatch.setattr("cms.api.http.ManagementContext", broken)
    with caplog.at_level(logging.ERROR, logger="cms.unexpected"):
        # A document no other test sends: a cached answer would not execute anything.
        response = await client.post(endpoint, json={"query": "query Unexpected { __typename }"}, headers=headers)
    assert response.status_code == 500
    assert "fire" not in response.text
    [logged] = [record for record in caplog.records if record.name == "cms.unexpected"]
    assert logged.message == f"request failed: POST {endpoint}"
    assert logged.exc_info is not None and "the disk caught fire" in str(logged.exc_info[1])
