"""Answer a repeated anonymous GET from the response cache before Litestar builds a Request for it.

When the endpoint answers a live GET without credentials, it remembers what it derived from the raw
request (channel path, query string, Accept-Language) as a request digest (cms.delivery.cache). The
next identical raw request needs no parsing, admission or locale matching: the digest, the stamp of
the content live now and one lookup find the answer, headers included. A miss, any credentials, a
preview header, a browser asking for GraphiQL or any other method go through the endpoint as usual.
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

    def has(self, etag: str) -> bool:
        return etag.encode() in {tag.strip() for tag in self.if_none_match.split(b",")}


class RememberedRequests:
    """Request digests by raw request, bounded (least recently used out first)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._digests: OrderedDict[bytes, bytes] = OrderedDict()

    def get(self, raw: RawRequest) -> bytes | None:
        return self._digests.get(raw.key)

    def remember(self, scope: Scope, digest: bytes) -> None:
        raw = RawRequest.of(scope)
        if raw is None or raw.key in self._digests:
            return
        self._digests[raw.key] = digest
        while len(self._digests) > self.capacity:
            self._digests.popitem(last=False)


def stamp_of(scope: Scope) -> Stamp | None:
    """The stamp the lane read for this request, if it did."""
    return scope.get(STAMP_SCOPE_KEY)  # type: ignore[return-value]


def cache_hit_lane(app: ASGIApp) -> ASGIApp:
    """Route middleware of the delivery endpoint: remembered GETs whose answer is cached skip the endpoint."""

    async def lane(scope: Scope, receive: Receive, send: Send) -> None:
        raw = RawRequest.of(scope)
        service: Any = scope["app"].state.delivery
        digest = service.remembered.get(raw) if raw is not None else None
        if raw is not None and digest is not None:
            stamp = scope[STAMP_SCOPE_KEY] = await service.freshness.stamp()  # type: ignore[literal-required]
            key = answer_key(digest, stamp)
            cached = service.cache.get(key)
            if cached is not None:
                await cached.asgi(not_modified=raw.has(f'"{key[:40]}"'))(scope, receive, send)
                return
        await app(scope, receive, send)

    return lane
