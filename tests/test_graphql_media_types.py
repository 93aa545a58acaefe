"""GraphQL over HTTP's media types on both endpoints: `application/graphql-response+json` for clients that ask
for it (request errors are 400 without `data`), `application/json` for the others (request errors are 200, read
from the body); GET runs queries, never mutations."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cms.lib.graphql_http import response_media_type
from cms.store.tables import Entry
from tests.management_client import token_for

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
ENDPOINTS = ["/graphql", "/graphql/web"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json", JSON),
        ("text/plain", JSON),  # nothing it accepts: the type clients predating the spec expect
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        ("Application/GraphQL-Response+JSON", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),  # equal preference: the spec's type
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (f"{GRAPHQL_RESPONSE};q=0", JSON),
        (f"{GRAPHQL_RESPONSE};q=oops", JSON),
        (f"*/*, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    ],
)
def test_the_answer_media_type_follows_the_accept_header(accept: str | None, media_type: str) -> None:
    assert response_media_type(accept) == media_type


@pytest.fixture
async def headers(database: None, model: Any) -> dict[str, str]:
    """A token with every scope: the management endpoint needs one; delivery ignores it."""
    return {"Authorization": f"Bearer {await token_for(model, 'management:admin')}"}


REQUEST_ERRORS = {
    "syntax": "{ products {",
    "validation": "{ noSuchField }",
    "variables": "query Q($first: Int!) { __typename }",
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kind", sorted(REQUEST_ERRORS))
async def test_a_request_error_is_400_for_clients_of_the_graphql_response_type(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str, kind: str
) -> None:
    response = await client.post(
        endpoint, json={"query": REQUEST_ERRORS[kind]}, headers=headers | {"Accept": GRAPHQL_RESPONSE}
    )
    assert (response.status_code, response.headers["content-type"]) == (400, GRAPHQL_RESPONSE)
    assert "data" not in response.json() and response.json()["errors"][0]["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kind", sorted(REQUEST_ERRORS))
@pytest.mark.parametrize("accept", ["application/json", "*/*", None])
async def test_a_request_error_is_200_with_its_errors_for_clients_of_plain_json(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str, kind: str, accept: str | None
) -> None:
    sent = headers | {"Accept": accept} if accept else headers
    request = client.build_request("POST", endpoint, json={"query": REQUEST_ERRORS[kind]}, headers=sent)
    if accept is None:
        del request.headers["Accept"]
    response = await client.send(request)
    assert (response.status_code, response.headers["content-type"]) == (200, JSON)
    assert "data" not in response.json() and response.json()["errors"][0]["message"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_bad_json_body_is_400_whatever_the_client_accepts(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str
) -> None:
    sent = headers | {"Content-Type": "application/json"}
    statuses = [
        (await client.post(endpoint, content=b"{oops", headers=sent | {"Accept": accept})).status_code
        for accept in (GRAPHQL_RESPONSE, JSON)
    ]
    assert statuses == [400, 400]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_an_answer_is_sent_in_the_media_type_asked_for(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str
) -> None:
    answers = {
        accept: await client.post(endpoint, json={"query": "{ __typename }"}, headers=headers | {"Accept": accept})
        for accept in (GRAPHQL_RESPONSE, JSON)
    }
    assert {accept: answer.headers["content-type"] for accept, answer in answers.items()} == {
        GRAPHQL_RESPONSE: GRAPHQL_RESPONSE,
        JSON: JSON,
    }
    assert {answer.json()["data"]["__typename"] for answer in answers.values()} == {"Query"}


async def test_the_management_api_runs_a_query_sent_by_get(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"}, headers=headers)
    assert (response.status_code, response.json()) == (200, {"data": {"__typename": "Query"}})


async def test_the_management_api_refuses_a_mutation_sent_by_get_and_changes_nothing(
    clean_db: None, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    mutation = 'mutation { createEntry(type: "category", data: {base: {en: {name: "By GET", slug: "by-get"}}}) { id } }'
    response = await client.get("/graphql", params={"query": mutation}, headers=headers)
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert response.json()["errors"][0]["message"] == "a mutation cannot be sent by GET: send it by POST"
    assert await Entry.count() == 0
    posted = await client.post("/graphql", json={"query": mutation}, headers=headers)  # the same, by POST, runs
    assert "errors" not in posted.json() and await Entry.count() == 1


async def test_the_management_api_by_get_still_needs_credentials(client: httpx.AsyncClient, database: None) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 401
