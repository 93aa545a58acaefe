"""The HTTP surface: bad requests get a clear 4xx, GET works, people get GraphiQL, probes answer."""

from __future__ import annotations

import pytest


async def test_unknown_channel_is_404_naming_the_known_channels(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/tv", json={"query": "{ __typename }"})
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "message": "unknown channel 'tv': the channels are web, app, kiosk, email, social, assistant, web_ch"
                " (/graphql/<channel>)"
            }
        ]
    }


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"{not json", "application/json", 400, "the request body is not valid JSON"),
        (b'["query"]', "application/json", 400, "the request body must be a JSON object"),
        (b'{"variables": {}}', "application/json", 400, "missing `query`"),
        (b'{"query": 12}', "application/json", 400, "invalid GraphQL request: Expected `str | null`, got `int`"),
        (b"{ products { totalCount } }", "text/plain", 415, "send the query as JSON"),
    ],
)
async def test_malformed_requests_get_a_clear_4xx(
    client, body: bytes, content_type: str, status: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/web", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.json()["errors"][0]["message"].startswith(message)


async def test_a_syntax_error_is_400_with_its_location(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/web", json={"query": "{ products { totalCount }"})
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error: Expected Name, found <EOF>.")
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 26}]


async def test_an_unknown_field_is_400_with_a_suggestion(client, database) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/web", json={"query": "{ products { nodes { nme } } }"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Cannot query field 'nme' on type 'Product'. Did you mean 'name'?"


async def test_an_overly_deep_query_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    nested = "category { parent { " * 8 + "name" + " } }" * 8
    response = await client.post("/graphql/web", json={"query": f"{{ products {{ nodes {{ {nested} }} }} }}"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "the operation is 19 levels deep, over the limit of 12"


async def test_get_with_query_and_variables_answers_json(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    response = await client.get(
        "/graphql/web",
        params={"query": "query($n: Int!) { products(first: $n) { nodes { name } } }", "variables": '{"n": 2}'},
    )
    assert response.status_code == 200
    assert len(response.json()["data"]["products"]["nodes"]) == 2


async def test_get_with_broken_variables_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/graphql/web", params={"query": "{ __typename }", "variables": "{oops"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("`variables` is not valid JSON")


async def test_a_browser_gets_graphiql(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/graphql/kiosk", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_health_and_readiness(client, database) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "checks": {"database": "ok", "storage": "ok"}}


async def test_the_root_lists_every_channel_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    channels = (await client.get("/")).json()["channels"]
    assert channels["email"] == {"graphql": "http://cms.test/graphql/email", "locales": ["en", "fr"]}
    assert list(channels) == ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"]
