"""What an uncached request costs besides running its operation: a raw request the hit lane remembers is
read, resolved, admitted, matched to a locale and digested once; its next misses only run the operation
(test_delivery_lane_misses.py: the answers are the endpoint's, byte for byte)."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

import cms.delivery.http
from cms.delivery.admission import Admission
from cms.delivery.hits import BODY_KEPT, PREPARED_KEPT, RAW_SCOPE_KEY, DeliveryRequest, RawRequest, RememberedRequests
from cms.delivery.operations import OperationRegistry, operation_id
from tests.conftest import build_client
from tests.management_client import Management, token_for
from tests.test_delivery_lane_misses import call

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'
PRODUCTS = "query($first: Int) { products(first: $first) { totalCount nodes { id name } } }"


class Calls:
    """Counts calls of the steps that derive an answer's request from a raw request."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    counter = Calls()
    http = cms.delivery.http

    def counted(name: str, function: Any) -> Any:
        async def asynchronous(*args: Any, **kwargs: Any) -> Any:
            counter.count(name)
            return await function(*args, **kwargs)

        def synchronous(*args: Any, **kwargs: Any) -> Any:
            counter.count(name)
            return function(*args, **kwargs)

        return asynchronous if inspect.iscoroutinefunction(function) else synchronous

    monkeypatch.setattr(http, "read_graphql_request", counted("read", http.read_graphql_request))
    monkeypatch.setattr(http, "request_digest", counted("digest", http.request_digest))
    monkeypatch.setattr(http, "execute_operation", counted("execute", http.execute_operation))
    monkeypatch.setattr(Admission, "check", counted("admit", Admission.check))
    monkeypatch.setattr(OperationRegistry, "resolve", counted("resolve", OperationRegistry.resolve))
    monkeypatch.setattr(DeliveryRequest, "of", counted("endpoint", DeliveryRequest.of))
    return counter


@pytest.fixture
async def uncached(settings, model) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    from cms.app import create_app

    async with build_client(create_app(msgspec.structs.replace(settings, delivery_cache_entries=0), model)) as client:
        yield client


async def test_a_repeated_uncached_request_is_read_admitted_and_digested_once(uncached, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    body = {"query": PRODUCTS, "variables": {"first": 5}}
    answers = [await uncached.post("/graphql/web", json=body) for _ in range(3)]
    got = [await uncached.get("/graphql/web", params={"query": PRODUCTS}) for _ in range(2)]

    assert [answer.status_code for answer in [*answers, *got]] == [200] * 5
    assert answers[0].content == answers[1].content == answers[2].content
    assert answers[0].headers.raw == answers[2].headers.raw
    assert got[0].headers.raw == got[1].headers.raw
    assert calls.counts == {"read": 2, "resolve": 2, "admit": 2, "digest": 2, "execute": 5}


async def kitchen(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/graphql/web", params={"query": KITCHEN}, headers=headers)


async def test_a_remembered_request_answers_the_content_live_now(uncached, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    editor = Management(uncached, await token_for(model, "management:admin", name="cost-editor"))
    entry = await editor.create("category", {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}}})
    await editor.act("publishEntry", entry["id"])
    before = [await kitchen(uncached) for _ in range(2)]
    await editor.update(entry["id"], entry["currentVersion"], {"base": {"en": {"name": "Cuisine", "slug": "kitchen"}}})
    await editor.act("publishEntry", entry["id"])

    after = await uncached.get("/graphql/web", params={"query": KITCHEN})
    revalidated = await uncached.get(
        "/graphql/web", params={"query": KITCHEN}, headers={"If-None-Match": after.headers["etag"]}
    )
    stale = await uncached.get(
        "/graphql/web", params={"query": KITCHEN}, headers={"If-None-Match": before[1].headers["etag"]}
    )

    assert before[0].json() == before[1].json() == {"data": {"category": {"name": "Kitchen"}}}
    assert before[0].headers["etag"] == before[1].headers["etag"]
    assert after.json() == {"data": {"category": {"name": "Cuisine"}}}
    assert after.headers["etag"] != before[1].headers["etag"]
    assert (revalidated.status_code, revalidated.content) == (304, b"")
    assert (stale.status_code, stale.content) == (200, after.content)


async def test_an_automatic_persisted_query_sent_with_its_query_is_resolved_each_time(uncached, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    """Resolving it registers it again (the registry forgets the least recent ones): it is not skipped."""
    apq = {"persistedQuery": {"version": 1, "sha256Hash": operation_id(KITCHEN)}}
    answers = [await uncached.post("/graphql/web", json={"query": KITCHEN, "extensions": apq}) for _ in range(2)]
    by_hash = await uncached.post("/graphql/web", json={"extensions": apq})

    assert [answer.status_code for answer in answers] == [200, 200]
    assert by_hash.content == answers[0].content
    assert calls.counts["resolve"] == 3


async def test_a_persisted_operation_is_resolved_once(uncached, demo_db, calls) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ROOT

    document = (ROOT / "graphql" / "operations" / "web" / "ProductList.graphql").read_text(encoding="utf-8")
    body = {"id": operation_id(document), "variables": {"first": 2}}
    answers = [await uncached.post("/graphql/web", json=body) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200] * 3
    assert answers[0].content == answers[2].content
    assert (calls.counts["resolve"], calls.counts["execute"]) == (1, 3)


async def test_a_remembered_body_with_another_content_length_goes_through_the_endpoint(  # type: ignore[no-untyped-def]
    settings, model, demo_db, calls
) -> None:
    from cms.app import create_app

    app = create_app(msgspec.structs.replace(settings, delivery_cache_entries=0), model)
    body = json.dumps({"query": "{ __typename }"}).encode()
    headers = [(b"host", b"cms.test"), (b"content-type", b"application/json")]
    lengths = [b"%d" % len(body)] * 2 + [b"999"]
    answers = [await call(app, "POST", [*headers, (b"content-length", length)], body) for length in lengths]

    assert [sent[1]["body"] for sent in answers] == [b'{"data":{"__typename":"Query"}}'] * 3
    assert calls.counts["endpoint"] == 1  # the last: Litestar reads a body of another length its own way


def test_what_a_large_request_derived_is_not_remembered() -> None:
    remembered = RememberedRequests()
    small, large = RawRequest(b"/graphql/web\0\0\0POST\0{}", b""), RawRequest(b"x" * (PREPARED_KEPT + 1), b"")
    for raw in (small, large):
        remembered.remember({RAW_SCOPE_KEY: raw}, b"digest", "prepared")  # type: ignore[typeddict-unknown-key]

    kept = [remembered.get(raw) for raw in (small, large)]
    assert [(request.digest, request.prepared) for request in kept if request] == [
        (b"digest", "prepared"),
        (b"digest", None),
    ]


def test_a_request_asked_again_outlives_requests_asked_once() -> None:
    remembered = RememberedRequests(capacity=2)
    hot, once, other = (RawRequest(b"/graphql/web\0\0\0GET\0" + name, b"") for name in (b"hot", b"once", b"other"))
    for raw in (hot, once):
        remembered.remember({RAW_SCOPE_KEY: raw}, raw.key, None)  # type: ignore[typeddict-unknown-key]
    assert remembered.get(hot) is not None  # asked again: the most recently used

    remembered.remember({RAW_SCOPE_KEY: other}, other.key, None)  # type: ignore[typeddict-unknown-key]

    assert remembered.get(once) is None
    assert [remembered.get(raw).digest for raw in (hot, other)] == [hot.key, other.key]  # type: ignore[union-attr]


def test_a_surrogate_key_found_again_is_the_one_computed(model) -> None:  # type: ignore[no-untyped-def]
    from cms.delivery.http import _surrogate_key

    channel = model.channels["web"]
    ids = {f"{number:04d}" for number in range(20)}
    expected = "channel-web entry-" + " entry-".join(sorted(ids))

    assert _surrogate_key(channel, set(ids)) == _surrogate_key(channel, set(ids)) == expected
    assert _surrogate_key(channel, ids - {"0000"}) == expected.replace(" entry-0000", "")
    assert _surrogate_key(channel, {"b", "a"}) == "channel-web entry-a entry-b"
    assert _surrogate_key(channel, set()) == "channel-web"


@pytest.mark.parametrize(
    ("messages", "read"),
    [
        ([{"type": "http.request", "body": b"{}", "more_body": False}], b"{}"),
        ([{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.request", "body": b"}"}], b"{}"),
        ([{"type": "http.request", "body": b"{", "more_body": True}, {"type": "http.disconnect"}], None),
        ([{"type": "http.disconnect"}], None),
        ([{"type": "http.request", "body": b"x" * (BODY_KEPT + 1)}], None),
        (
            [{"type": "http.request", "body": b"x" * BODY_KEPT, "more_body": True}, {"type": "http.request"}],
            b"x" * BODY_KEPT,
        ),
        ([{"type": "http.request", "body": b"x" * (BODY_KEPT + 1), "more_body": True}, {"type": "http.request"}], None),
    ],
    ids=["one message", "two", "gone midway", "gone", "too large", "the largest read", "too large then more"],
)
async def test_a_post_read_by_the_lane_is_replayed_whole_to_the_endpoint(
    messages: list[dict[str, Any]], read: bytes | None
) -> None:
    from cms.delivery.hits import _read_post

    scope = {
        "method": "POST",
        "path": "/graphql/web",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
    }
    pending = [*messages, {"type": "http.disconnect"}]

    async def receive() -> Any:
        return pending.pop(0)

    raw, body, replay = await _read_post(scope, receive)  # type: ignore[arg-type]
    replayed = [await replay() for _ in messages]

    assert body == read and (raw is None) == (read is None)
    assert replayed == messages
    assert await replay() == {"type": "http.disconnect"}


def test_an_answer_key_formats_each_window_end_as_it_is() -> None:
    import datetime as dt
    import hashlib

    from cms.delivery.cache import Stamp, answer_key

    end = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    elsewhere = end.astimezone(dt.timezone(dt.timedelta(hours=2)))  # the same instant, written otherwise
    stamps = [Stamp(3, end), Stamp(3, end), Stamp(3, elsewhere), Stamp(4, None), Stamp(3, end)]

    def expected(stamp: Stamp) -> str:
        window_end = stamp.window_end.isoformat() if stamp.window_end else ""
        return hashlib.sha256(b"%b\0%d\0%b" % (b"digest", stamp.version, window_end.encode())).hexdigest()

    assert [answer_key(b"digest", stamp) for stamp in stamps] == [expected(stamp) for stamp in stamps]


async def test_a_remembered_request_keeps_its_variables_as_text_and_only_when_small(  # type: ignore[no-untyped-def]
    uncached, demo_db, calls
) -> None:
    """Variables an operation ignores still reach it; decoded, `[{},{},...]` weighs twenty times its text."""
    small = {"query": PRODUCTS, "variables": {"first": 2, "ignored": [{}] * 10}}
    bulky = {"query": PRODUCTS, "variables": {"first": 2, "ignored": [{}] * 2000}}  # ~6 KB: under PREPARED_KEPT
    for body in (small, small, small, bulky, bulky, bulky):
        response = await uncached.post("/graphql/web", json=body)
        assert response.status_code == 200 and response.json()["data"]["products"]["totalCount"] > 0
    assert calls.counts["read"] == 1 + 3  # the small one read once; the bulky one every time

    remembered = uncached._transport.app.state.delivery.remembered  # type: ignore[attr-defined]
    kept = [entry.prepared for entry in remembered._requests.values() if entry.prepared is not None]
    assert len(kept) == 1
    assert kept[0]._request is None and isinstance(kept[0]._variables, bytes)
    assert msgspec.json.decode(kept[0]._variables) == small["variables"]
