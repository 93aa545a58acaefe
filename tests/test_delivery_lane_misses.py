"""The hit lane computes anonymous misses itself, without Litestar's handler, and answers them exactly as
the endpoint does: the same status, headers (in order) and body, whichever way a request takes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest

import cms.delivery.http
from cms.delivery import hits
from cms.delivery.operations import operation_id
from tests.conftest import ROOT, build_client
from tests.management_client import token_for
from tests.model_copies import break_file, copy_shipped_model

PRODUCTS = "query($first: Int) { products(first: $first) { totalCount nodes { id name } } }"
PRODUCT_LIST = (ROOT / "graphql" / "operations" / "web" / "ProductList.graphql").read_text(encoding="utf-8")


class Case(msgspec.Struct, frozen=True):
    """A request, and whether the lane computes it (False: only the endpoint answers it)."""

    name: str
    method: str = "POST"
    path: str = "/graphql/web"
    params: dict[str, str] = {}
    body: bytes = b""
    headers: list[tuple[str, str]] = []
    lane: bool = True


def post(name: str, payload: Any, *headers: tuple[str, str], lane: bool = True, path: str = "/graphql/web") -> Case:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return Case(name, body=body, headers=[("Content-Type", "application/json"), *headers], lane=lane, path=path)


def get(name: str, params: dict[str, str], *headers: tuple[str, str], lane: bool = True) -> Case:
    return Case(name, method="GET", params=params, headers=list(headers), lane=lane)


ETAG = "(the current ETag)"
"""Stands for the ETag of the answer to the same request, read before the case is sent."""
APQ = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(b"{ unknown }").hexdigest()}}
LONG = "{ " + "__typename " * 5000 + "}"  # over the tokens a document may have (Limits.max_tokens)

CASES = [
    post("post", {"query": PRODUCTS, "variables": {"first": 3}}),
    post("post in French", {"query": PRODUCTS, "variables": {"first": 3}}, ("Accept-Language", "fr-CH, fr;q=0.9")),
    post("post in an unserved locale", {"query": PRODUCTS, "variables": {"first": 3}}, ("Accept-Language", "de")),
    post("post with its ETag", {"query": PRODUCTS, "variables": {"first": 3}}, ("If-None-Match", ETAG)),
    post("post with a stale ETag", {"query": PRODUCTS, "variables": {"first": 3}}, ("If-None-Match", '"stale"')),
    post("post by persisted id", {"id": operation_id(PRODUCT_LIST), "variables": {"first": 2}}),
    post("post of an unknown persisted id", {"id": "0" * 64}),
    post("post of an unknown automatic persisted query", {"extensions": APQ}),
    post("post of malformed JSON", b'{"query": '),
    post("post of a JSON array", b"[]"),
    post("post without a query", {"variables": {}}),
    post("post with a NUL", {"query": "{ __typename }\u0000"}),
    post("post of invalid GraphQL", {"query": "{ products( }"}),
    post("post of an unknown field", {"query": "{ nothing }"}),
    post("post refused by limits", {"query": LONG}),
    post("post of a field error", {"query": "{ products(first: 1000) { totalCount } }"}),
    post("post naming an operation the document lacks", {"query": PRODUCTS, "operationName": "Other"}),
    post("post of an unknown channel", {"query": "{ __typename }"}, path="/graphql/nowhere", lane=False),
    post("post asking a preview", {"query": "{ __typename }"}, ("X-Preview", "1"), lane=False),
    post("post with a bad token", {"query": "{ __typename }"}, ("Authorization", "Bearer nope"), lane=False),
    post("post with a session cookie", {"query": "{ __typename }"}, ("Cookie", "cms_session=nope"), lane=False),
    Case("post of text", body=b"{ __typename }", headers=[("Content-Type", "text/plain")], lane=False),
    get("get", {"query": PRODUCTS, "variables": '{"first": 2}'}),
    get("get with its ETag", {"query": PRODUCTS}, ("If-None-Match", ETAG)),
    get("get in two languages", {"query": PRODUCTS}, ("Accept-Language", "fr"), ("Accept-Language", "en")),
    get("get by persisted id", {"id": operation_id(PRODUCT_LIST), "variables": '{"first": 1}'}),
    get("get without a query", {}),
    get("get of malformed variables", {"query": PRODUCTS, "variables": "{"}),
    get("get of the page for people", {}, ("Accept", "text/html"), lane=False),
    get("get asking a preview", {"query": "{ __typename }", "preview": "1"}, lane=False),
]


class Computed:
    """Counts the requests computed (not answered from the response cache), whichever way."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Computed:
    counter = Computed()
    deliver = cms.delivery.http._deliver

    async def counting(*args: Any) -> Any:
        counter.count += 1
        return await deliver(*args)

    monkeypatch.setattr(cms.delivery.http, "_deliver", counting)
    return counter


@contextmanager
def endpoint_only() -> Iterator[None]:
    """The lane answering hits only: every miss goes through the endpoint, as before the lane computed any."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hits, "_computable", lambda *args: None)
        yield


async def send(client: httpx.AsyncClient, app: Any, case: Case, etag: str = "") -> httpx.Response:
    app.state.delivery.cache.clear()  # a miss, whichever way it goes
    headers = [(name, etag if value == ETAG else value) for name, value in case.headers]
    return await client.request(case.method, case.path, params=case.params, content=case.body, headers=headers)


def answer(response: httpx.Response) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    return response.status_code, response.headers.raw, response.content


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_a_miss_gets_the_same_answer_from_the_lane_as_from_the_endpoint(  # type: ignore[no-untyped-def]
    app, client, demo_db, endpoint_calls, computed, case: Case
) -> None:
    without_etag = msgspec.structs.replace(case, headers=[h for h in case.headers if h[0] != "If-None-Match"])
    etag = (await send(client, app, without_etag)).headers.get("etag", "")
    endpoint_calls.count = computed.count = 0

    by_lane = await send(client, app, case, etag)
    lane_counts = (endpoint_calls.count, computed.count)
    with endpoint_only():
        by_endpoint = await send(client, app, case, etag)

    assert answer(by_lane) == answer(by_endpoint)
    assert lane_counts == ((0, 1) if case.lane else (1, 1))
    assert (endpoint_calls.count, computed.count) == (1 if case.lane else 2, 2)


async def test_the_cases_cover_answers_of_every_kind(app, client, demo_db) -> None:  # type: ignore[no-untyped-def]
    etag = (await send(client, app, CASES[0])).headers["etag"]
    statuses = {case.name: (await send(client, app, case, etag)).status_code for case in CASES}

    assert {statuses["post"], statuses["post with its ETag"], statuses["get with its ETag"]} == {200, 304}
    assert statuses["post of malformed JSON"] == statuses["post refused by limits"] == 400
    assert statuses["post of an unknown channel"] == 404
    assert statuses["post asking a preview"] == statuses["get asking a preview"] == 401
    assert statuses["post of text"] == 415


async def test_an_uncached_miss_is_computed_by_the_lane_not_the_endpoint(  # type: ignore[no-untyped-def]
    settings, model, demo_db, endpoint_calls, computed
) -> None:
    from cms.app import create_app

    uncached = msgspec.structs.replace(settings, delivery_cache_entries=0)
    async with build_client(create_app(uncached, model)) as client:
        answers = [
            await client.post("/graphql/web", json={"query": PRODUCTS, "variables": {"first": 50}}) for _ in "ab"
        ]
        got = await client.get("/graphql/web", params={"query": PRODUCTS})

    assert [response.status_code for response in [*answers, got]] == [200, 200, 200]
    assert answers[0].content == answers[1].content
    assert len(answers[0].json()["data"]["products"]["nodes"]) == 50
    assert (endpoint_calls.count, computed.count) == (0, 3)


async def test_a_protected_channel_is_answered_by_the_endpoint(  # type: ignore[no-untyped-def]
    settings, model, tmp_path, demo_db, endpoint_calls
) -> None:
    from cms.app import create_app
    from cms.model import load_model

    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", "[channels.kiosk]\n", "[channels.kiosk]\npublic = false\n")
    reader = {"Authorization": f"Bearer {await token_for(model, 'delivery:kiosk')}"}
    query = {"query": "{ products(first: 1) { totalCount } }"}
    async with build_client(create_app(settings, load_model(directory))) as client:
        anonymous = await client.post("/graphql/kiosk", json=query)
        allowed = await client.post("/graphql/kiosk", json=query, headers=reader)

    assert (anonymous.status_code, allowed.status_code) == (401, 200)
    assert endpoint_calls.count == 2


async def test_a_body_the_endpoint_reads_otherwise_goes_through_the_endpoint(app, demo_db, endpoint_calls) -> None:  # type: ignore[no-untyped-def]
    """A Content-Length that is not the body's: Litestar reads it its own way, so the endpoint answers."""
    body = json.dumps({"query": "{ __typename }"}).encode()
    headers = [(b"host", b"cms.test"), (b"content-type", b"application/json"), (b"content-length", b"999")]
    sent = await call(app, "POST", headers, body)

    assert sent[0]["status"] == 200 and sent[1]["body"] == b'{"data":{"__typename":"Query"}}'
    assert endpoint_calls.count == 1


async def call(
    app: Any, method: str, headers: list[tuple[bytes, bytes]], body: bytes, chunks: int = 1
) -> list[dict[str, Any]]:
    """The ASGI messages `app` sends for a request at /graphql/web whose body arrives in `chunks` messages."""
    size = -(-len(body) // chunks) or 1
    parts = [body[start : start + size] for start in range(0, len(body), size)] or [b""]
    messages = [{"type": "http.request", "body": part, "more_body": True} for part in parts]
    messages[-1]["more_body"] = False
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/graphql/web",
        "raw_path": b"/graphql/web",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    await app(scope, receive, send)
    return sent
