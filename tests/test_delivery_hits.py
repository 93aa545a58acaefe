"""The hit lane: a repeated anonymous GET is answered from the response cache before the endpoint runs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import cms.delivery.http
from tests.management_client import Management, token_for

KITCHEN = '{ category(slug: "kitchen") { name } }'
SHOWN = ("content-type", "content-length", "etag", "cache-control", "vary", "surrogate-key")


class Handled:
    """Counts the requests the endpoint handled (the lane answers without it)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> Handled:
    counter = Handled()
    original = cms.delivery.http._deliver

    async def counting(*args: Any, **kwargs: Any) -> Any:
        counter.count += 1
        return await original(*args, **kwargs)

    monkeypatch.setattr(cms.delivery.http, "_deliver", counting)
    return counter


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
    client, editor, handled
) -> None:
    await publish_kitchen(editor)
    first = await kitchen(client)
    handled.count = 0

    again = await kitchen(client)

    assert handled.count == 0
    assert (again.status_code, again.content) == (200, first.content)
    assert [again.headers.get(name) for name in SHOWN] == [first.headers.get(name) for name in SHOWN]
    assert again.headers["content-type"] == "application/json"


async def test_the_lane_answers_304_to_a_current_etag(client, editor, handled) -> None:  # type: ignore[no-untyped-def]
    await publish_kitchen(editor)
    etag = (await kitchen(client)).headers["etag"]
    handled.count = 0

    revalidated = await kitchen(client, **{"If-None-Match": etag})

    assert (handled.count, revalidated.status_code, revalidated.content) == (0, 304, b"")
    assert revalidated.headers["etag"] == etag


async def test_the_lane_never_serves_an_answer_of_older_content(client, editor, handled) -> None:  # type: ignore[no-untyped-def]
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
    client, editor, handled, headers: dict[str, str]
) -> None:
    await publish_kitchen(editor)
    await kitchen(client)
    handled.count = 0

    await kitchen(client, **headers)

    assert handled.count == 1
