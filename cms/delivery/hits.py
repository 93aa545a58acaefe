"""Answer a repeated anonymous request from the response cache before Litestar builds a Request for it.

When the endpoint answers a live GET or JSON POST without credentials, it remembers what it derived
from the raw request (channel path, query string or body, Accept-Language) as a request digest
(cms.delivery.cache). The next identical raw request needs no parsing, admission or locale matching:
the stamp of the content live now and one lookup find the answer, kept ready to send (its cache key is
hashed once per stamp, not per hit). A POST's body is read here (up to `BODY_KEPT` bytes) and handed on
unchanged to the endpoint when the lane does not answer. A miss, any credentials, a preview header, a
browser asking for GraphiQL or any other method go through the endpoint as usual.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, cast

from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from cms.delivery.cache import Stamp, answer_key

STAMP_SCOPE_KEY = "cms.delivery.stamp"
"""Where the lane leaves the stamp it read, so a miss does not read the content version twice."""
RAW_SCOPE_KEY = "cms.delivery.raw"
"""Where the lane leaves a POST's raw request, so the endpoint can remember it (its body is read once)."""
BODY_KEPT = 64 * 1024
"""Largest POST body the lane reads to answer from the cache (a bigger one goes through untouched)."""

_PASS_THROUGH = frozenset({b"authorization", b"cookie", b"x-preview"})


class RawRequest:
    """What identifies a GET for the lane, read from the ASGI scope in one pass over its headers."""

    __slots__ = ("if_none_match", "key")

    def __init__(self, key: bytes, if_none_match: bytes) -> None:
        self.key, self.if_none_match = key, if_none_match

    @classmethod
    def of(cls, scope: Scope, body: bytes | None = None) -> RawRequest | None:
        """None unless the request is one the lane may answer: anonymous, not a preview, a GET that is not
        a browser page, or a JSON POST whose `body` was read."""
        method = scope.get("method")
        if method == "POST":
            if body is None:
                return cast("RawRequest | None", scope.get(RAW_SCOPE_KEY))
        elif method != "GET":
            return None
        accept_language = if_none_match = content_type = b""
        for name, value in scope["headers"]:
            if name in _PASS_THROUGH or (name == b"accept" and b"text/html" in value):
                return None
            if name == b"accept-language":
                accept_language = value
            elif name == b"if-none-match":
                if_none_match = value
            elif name == b"content-type":
                content_type = value
        if body is not None and not content_type.startswith(b"application/json"):
            return None
        parts = [scope["path"].encode(), scope["query_string"], accept_language]
        if body is not None:
            parts += [b"POST", body]
        return cls(b"\0".join(parts), if_none_match)

    def has(self, key: str) -> bool:
        """The client holds the answer of cache key `key` (its ETag is the key's first 40 characters)."""
        if not self.if_none_match:
            return False
        return f'"{key[:40]}"'.encode() in {tag.strip() for tag in self.if_none_match.split(b",")}


class RememberedRequest:
    """A remembered request's digest, and its answer key for the last stamp it was asked with."""

    __slots__ = ("digest", "key", "stamp")

    def __init__(self, digest: bytes) -> None:
        self.digest = digest
        self.stamp: Stamp | None = None
        self.key = ""

    def key_at(self, stamp: Stamp) -> str:
        """The cache key of this request's answer at `stamp`.

        Freshness hands out one Stamp object per version and window, so the key is hashed once per stamp
        rather than per hit; comparing stamps by identity can cost a recomputation, never a wrong key."""
        if self.stamp is not stamp:
            self.key, self.stamp = answer_key(self.digest, stamp), stamp
        return self.key


class RememberedRequests:
    """Remembered requests by raw request, bounded (least recently used out first)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._requests: OrderedDict[bytes, RememberedRequest] = OrderedDict()

    def get(self, raw: RawRequest) -> RememberedRequest | None:
        return self._requests.get(raw.key)

    def remember(self, scope: Scope, digest: bytes) -> None:
        raw = RawRequest.of(scope)
        if raw is None or raw.key in self._requests:
            return
        self._requests[raw.key] = RememberedRequest(digest)
        while len(self._requests) > self.capacity:
            self._requests.popitem(last=False)


def stamp_of(scope: Scope) -> Stamp | None:
    """The stamp the lane read for this request, if it did."""
    return scope.get(STAMP_SCOPE_KEY)  # type: ignore[return-value]


def cache_hit_lane(app: ASGIApp) -> ASGIApp:
    """Route middleware of the delivery endpoint: remembered GETs whose answer is cached skip the endpoint."""

    async def lane(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("method") == "POST":
            raw, receive = await _read_post(scope, receive)
            if raw is not None:
                scope[RAW_SCOPE_KEY] = raw  # type: ignore[literal-required]
        else:
            raw = RawRequest.of(scope)
        service: Any = scope["app"].state.delivery
        remembered = service.remembered.get(raw) if raw is not None else None
        if raw is not None and remembered is not None:
            stamp = scope[STAMP_SCOPE_KEY] = await service.freshness.stamp()  # type: ignore[literal-required]
            key = remembered.key_at(stamp)
            cached = service.cache.get(key)
            if cached is not None:
                await cached.asgi(not_modified=raw.has(key))(scope, receive, send)
                return
        await app(scope, receive, send)

    return lane


async def _read_post(scope: Scope, receive: Receive) -> tuple[RawRequest | None, Receive]:
    """The raw request of a POST whose whole body fits in `BODY_KEPT`, and a `receive` that hands the
    endpoint the same messages from the start (the body read here, then whatever comes next)."""
    if RawRequest.of(scope, b"") is None:  # credentials, a preview or not JSON: not read here
        return None, receive
    messages: list[ReceiveMessage] = []
    chunks: list[bytes] = []
    size, complete = 0, False
    while size <= BODY_KEPT:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":  # the client went away
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body", False):
            complete = True
            break
    pending = iter(messages)

    async def replay() -> ReceiveMessage:
        for message in pending:
            return message
        return await receive()

    return (RawRequest.of(scope, b"".join(chunks)) if complete and size <= BODY_KEPT else None), replay
