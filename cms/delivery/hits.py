"""Answer a repeated anonymous GET from the response cache before Litestar builds a Request for it.

When the endpoint answers a live GET without credentials, it remembers what it derived from the raw
request (channel path, query string, Accept-Language) as a request digest (cms.delivery.cache). The
next identical raw request needs no parsing, admission or locale matching: the stamp of the content
live now and one lookup find the answer, kept ready to send (its cache key is hashed once per stamp,
not per hit). A miss, any credentials, a preview header, a browser asking for GraphiQL or any other
method go through the endpoint as usual.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from cms.delivery.cache import Stamp, answer_key

STAMP_SCOPE_KEY = "cms.delivery.stamp"
"""Where the lane leaves the stamp it read, so a miss does not read the content version twice."""

_PASS_THROUGH = frozenset({b"authorization", b"cookie", b"x-preview"})


class RawRequest:
    """What identifies a GET for the lane, read from the ASGI scope in one pass over its headers."""

    __slots__ = ("if_none_match", "key")

    def __init__(self, key: bytes, if_none_match: bytes) -> None:
        self.key, self.if_none_match = key, if_none_match

    @classmethod
    def of(cls, scope: Scope) -> RawRequest | None:
        """None unless the request is a GET the lane may answer (anonymous, not a preview, not a browser page)."""
        if scope.get("method") != "GET":
            return None
        accept_language = if_none_match = b""
        for name, value in scope["headers"]:
            if name in _PASS_THROUGH or (name == b"accept" and b"text/html" in value):
                return None
            if name == b"accept-language":
                accept_language = value
            elif name == b"if-none-match":
                if_none_match = value
        key = b"\0".join([scope["path"].encode(), scope["query_string"], accept_language])
        return cls(key, if_none_match)

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
