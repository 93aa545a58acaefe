"""The hit lane: a repeated anonymous request is answered from the response cache before the endpoint runs
(test_delivery_lane_misses.py: the misses it computes itself)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import cms.delivery.hits
from tests.management_client import Management, token_for
from tests.test_delivery_lane_misses import call

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'
SHOWN = ("content-type", "content-length", "etag", "cache-control", "vary", "surrogate-key")


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="hits-editor"))


async def publish_kitchen(editor: Management, name: str = "Kitchen") -> dict[str, Any]:
    entry = await editor.create("category", {"base": {"en": {"name": name, "slug": "kitchen"}}})
    await editor.act("publishEntry", entry["id"])
    return entry


async def kitchen(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/graphql/web", params={"query": KITCHEN}, headers=headers)


async def test_a_repeated_anonymous_get_is_answered_by_the_lane_with_the_same_bytes_and_headers(  # type: ignore[no-untyped-def]
    client, editor, endpoint_calls
) -> None:
    await publish_kitchen(editor)
    first = await kitchen(client)
    endpoint_calls.count = 0

    again = await kitchen(client)

    assert endpoint_calls.count == 0
    assert (again.status_code, again.content) == (200, first.content)
    assert [again.headers.get(name) for name in SHOWN] == [first.headers.get(name) for name in SHOWN]
    assert again.headers["content-type"] == "application/graphql-response+json"  # what the test client asks for


async def test_the_lane_answers_each_media_type_in_its_own_content_type(  # type: ignore[no-untyped-def]
    client, editor, endpoint_calls
) -> None:
    # Given the same GET asked for by a client of GraphQL over HTTP's media type, then cached
    await publish_kitchen(editor)
    modern = await kitchen(client)
    await kitchen(client)
    endpoint_calls.count = 0

    # When a client predating the spec asks it (application/json, or no preference), twice
    legacy = [await kitchen(client, accept=accept) for accept in ("application/json", "*/*", "application/json")]

    # Then each gets the same body under the type it accepts, with an ETag of its own (Vary: Accept)
    assert modern.headers["content-type"] == "application/graphql-response+json"
    assert [answer.headers["content-type"] for answer in legacy] == ["application/json"] * 3
    assert {answer.content for answer in legacy} == {modern.content}
    assert legacy[0].headers["etag"] == legacy[2].headers["etag"] != modern.headers["etag"]
    assert "Accept" in modern.headers["vary"].split(", ")


async def test_the_lane_answers_304_to_a_current_etag(client, editor, endpoint_calls) -> None:  # type: ignore[no-untyped-def]
    await publish_kitchen(editor)
    etag = (await kitchen(client)).headers["etag"]
    endpoint_calls.count = 0

    revalidated = await kitchen(client, **{"If-None-Match": etag})

    assert (endpoint_calls.count, revalidated.status_code, revalidated.content) == (0, 304, b"")
    assert revalidated.headers["etag"] == etag


async def test_the_lane_never_serves_an_answer_of_older_content(client, editor, endpoint_calls) -> None:  # type: ignore[no-untyped-def]
    entry = await publish_kitchen(editor)
    await kitchen(client)
    await kitchen(client)
    await editor.act("unpublishEntry", entry["id"])

    after = await kitchen(client)

    assert after.json() == {"data": {"category": None}}


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Bearer nope"}, {"Cookie": "cms_session=nope"}, {"X-Preview": "1"}, {"Accept": "text/html"}],
    ids=["token", "session cookie", "preview header", "browser page"],
)
async def test_requests_with_credentials_or_for_a_page_go_through_the_endpoint(  # type: ignore[no-untyped-def]
    client, editor, endpoint_calls, headers: dict[str, str]
) -> None:
    await publish_kitchen(editor)
    await kitchen(client)
    endpoint_calls.count = 0

    await kitchen(client, **headers)

    assert endpoint_calls.count == 1


async def kitchen_post(client: httpx.AsyncClient, query: str = KITCHEN, **headers: str) -> httpx.Response:
    return await client.post("/graphql/web", json={"query": query}, headers=headers)


async def test_a_repeated_anonymous_post_is_answered_by_the_lane_too(client, editor, endpoint_calls) -> None:  # type: ignore[no-untyped-def]
    entry = await publish_kitchen(editor)
    first = await kitchen_post(client)
    endpoint_calls.count = 0

    again = await kitchen_post(client)
    other = await kitchen_post(client, '{ category(by: { slug: "kitchen" }) { slug } }')  # another body: the endpoint
    with_token = await kitchen_post(client, Authorization="Bearer nope")

    assert (again.status_code, again.content) == (200, first.content)
    assert [again.headers.get(name) for name in SHOWN] == [first.headers.get(name) for name in SHOWN]
    assert other.json() == {"data": {"category": {"slug": "kitchen"}}}
    assert with_token.status_code == 401
    assert endpoint_calls.count == 1  # the token; the other query is a miss the lane computes itself

    await editor.act("unpublishEntry", entry["id"])
    assert (await kitchen_post(client)).json() == {"data": {"category": None}}


async def test_a_post_too_large_for_the_lane_reaches_the_endpoint_whole(client, editor, endpoint_calls) -> None:  # type: ignore[no-untyped-def]
    from cms.delivery.hits import BODY_KEPT

    await publish_kitchen(editor)
    body = {"query": KITCHEN, "variables": {"pad": "x" * (BODY_KEPT + 10)}}  # not declared: ignored
    endpoint_calls.count = 0
    answers = [await client.post("/graphql/web", json=body) for _ in range(2)]

    assert [answer.json() for answer in answers] == [{"data": {"category": {"name": "Kitchen"}}}] * 2
    assert endpoint_calls.count == 2  # read whole by the endpoint both times, never answered by the lane


@pytest.mark.parametrize("by_lane", [True, False], ids=["computed by the lane", "handed on to the endpoint"])
async def test_a_post_in_several_chunks_is_read_whole(  # type: ignore[no-untyped-def]
    app, editor, endpoint_calls, monkeypatch, by_lane: bool
) -> None:
    if not by_lane:
        monkeypatch.setattr(cms.delivery.hits, "_computable", lambda *args: None)
    await publish_kitchen(editor)
    headers = [(b"host", b"cms.test"), (b"content-type", b"application/json")]
    sent = await call(app, "POST", headers, msgspec_json({"query": KITCHEN}), chunks=2)

    assert sent[0]["status"] == 200
    assert b"".join(message.get("body", b"") for message in sent[1:]) == b'{"data":{"category":{"name":"Kitchen"}}}'
    assert endpoint_calls.count == (0 if by_lane else 1)


def msgspec_json(value: Any) -> bytes:
    import msgspec

    return msgspec.json.encode(value)


async def test_of_a_repeated_header_the_lane_reads_the_first_as_the_endpoint_does(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    query = {"query": "{ products(first: 3) { nodes { name } } }"}
    french_first = await client.get(
        "/graphql/web", params=query, headers=[("Accept-Language", "fr"), ("Accept-Language", "en")]
    )
    english = await client.get("/graphql/web", params=query, headers={"Accept-Language": "en"})
    french = await client.get("/graphql/web", params=query, headers={"Accept-Language": "fr"})
    assert french_first.content == french.content != english.content
    assert french_first.headers["etag"] == french.headers["etag"] != english.headers["etag"]
