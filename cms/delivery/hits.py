"""Answer an anonymous request before Litestar builds a Request for it: from the response cache when it
was asked before, else computed by the endpoint's own logic without Litestar's handler machinery.

When the endpoint answers a live GET or JSON POST without credentials, it remembers what it derived
from the raw request (channel path, query string or body, Accept-Language, the media type Accept chooses) as
a request digest (cms.delivery.cache). The next identical raw request needs no parsing, admission or locale matching:
the stamp of the content live now and one lookup find the answer, kept ready to send (its cache key is
hashed once per stamp, not per hit). A POST's body is read here (up to `BODY_KEPT` bytes) and handed on
unchanged to the endpoint when the lane does not answer.

A remembered request keeps what the endpoint derived from it (cms.delivery.http.Prepared: its request,
document and locale, admitted), so a miss of the same raw request, when the answer left the cache or
there is no cache, only runs the operation again.

A request the lane recognises but cannot answer from the cache is computed here by the function the
endpoint itself uses (cms.delivery.http.respond) on the same `DeliveryRequest`, so answers do not
depend on the way taken; what the lane cannot read exactly as the endpoint would (any credentials, a
preview, a browser asking for GraphiQL, an unknown or protected channel, a body it did not read whole,
any other method) goes through the endpoint as usual.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any, cast

from litestar import Request
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from cms.delivery.cache import CACHE_SCOPE_KEY, Stamp, answer_key, stale_or_refused
from cms.lib.graphql_http import JSON, is_json_content_type, response_media_type

STAMP_SCOPE_KEY = "cms.delivery.stamp"
"""Where the lane leaves the stamp it read, so a miss does not read the content version twice."""
RAW_SCOPE_KEY = "cms.delivery.raw"
"""Where the lane leaves the raw request it read, so the endpoint can remember it (a body is read once)."""
BODY_KEPT = 64 * 1024
"""Largest POST body the lane reads to answer from the cache (a bigger one goes through untouched)."""

PREPARED_KEPT = 8 * 1024
"""Largest raw request (path, query string, Accept-Language, media type, body) whose derived request is remembered with
it: what it holds (document, variables) is about as large again as the raw request."""

_PASS_THROUGH = frozenset({b"authorization", b"cookie", b"x-preview", b"preview-at"})
_NO_PARAMS: Mapping[str, str] = MappingProxyType({})


class RawRequest:
    """What identifies a GET or JSON POST for the lane, read from the ASGI scope in one pass over its headers."""

    __slots__ = ("content_length", "if_none_match", "key")

    def __init__(self, key: bytes, if_none_match: bytes, content_length: bytes | None = None) -> None:
        self.key, self.if_none_match, self.content_length = key, if_none_match, content_length

    @classmethod
    def of(cls, scope: Scope, body: bytes | None = None) -> RawRequest | None:
        """None unless the request is one the lane may answer: anonymous, not a preview, a GET that is not
        a browser page, or a JSON POST whose `body` was read."""
        method = scope.get("method")
        if method != ("GET" if body is None else "POST"):
            return None
        accept = accept_language = if_none_match = content_type = content_length = None
        for name, value in scope["headers"]:
            if name in _PASS_THROUGH or (name == b"accept" and b"text/html" in value):
                return None
            # Of a repeated header, the first, as the endpoint reads it (DeliveryRequest, Litestar's Headers).
            if name == b"accept":
                accept = value if accept is None else accept
            elif name == b"accept-language":
                accept_language = value if accept_language is None else accept_language
            elif name == b"if-none-match":
                if_none_match = value if if_none_match is None else if_none_match
            elif name == b"content-type":
                content_type = value if content_type is None else content_type
            elif name == b"content-length":
                content_length = value if content_length is None else content_length
        if_none_match, accept_language = if_none_match or b"", accept_language or b""
        # Only a type the endpoint accepts (the key leaves it out: every accepted type reads the body alike).
        if body is not None and not is_json_content_type((content_type or b"").decode("latin-1")):
            return None
        # The media type Accept chooses, not Accept itself: clients spell the same choice many ways.
        media_type = response_media_type(accept.decode("latin-1")) if accept else JSON
        parts = [scope["path"].encode(), scope["query_string"], accept_language, media_type.encode()]
        if body is not None:
            parts += [b"POST", body]
        return cls(b"\0".join(parts), if_none_match, content_length)

    def with_body(self, body: bytes) -> RawRequest:
        """The raw POST of `body`, from the one read with an empty body (its key ends with the body)."""
        return RawRequest(self.key + body, self.if_none_match, self.content_length)

    def has(self, key: str) -> bool:
        """The client holds the answer of cache key `key` (its ETag is the key's first 40 characters)."""
        if not self.if_none_match:
            return False
        return f'"{key[:40]}"'.encode() in {tag.strip() for tag in self.if_none_match.split(b",")}


class DeliveryRequest:
    """A delivery request as the endpoint reads it, whichever way it came: its headers decoded once into a
    dict (lower-case names; of a repeated header the first, as Litestar's `Headers.get` gives), its query
    parameters and cookies as Litestar reads them.

    The endpoint builds one from its Request (`of`); the lane from the scope and the body it read, with no
    Litestar Request unless the answer needs one."""

    __slots__ = ("_body", "_connection", "_headers", "_query_params", "channel", "method", "remembered", "scope")

    def __init__(
        self,
        scope: Scope,
        channel: str,
        *,
        body: bytes | None = None,
        connection: Request[Any, Any, Any] | None = None,
        remembered: RememberedRequest | None = None,
    ) -> None:
        self.scope, self.channel, self._body, self._connection = scope, channel, body, connection
        self.method: str = scope["method"]  # type: ignore[typeddict-item]
        self.remembered = remembered
        """The lane's memory of this raw request, when it has one (the endpoint then skips what it derived)."""
        self._headers: dict[str, str] | None = None
        self._query_params: Mapping[str, str] | None = None

    @property
    def headers(self) -> dict[str, str]:
        """Decoded on first use (a remembered request may need none)."""
        if self._headers is None:
            headers: dict[str, str] = {}
            for raw_name, raw_value in self.scope["headers"]:
                name = raw_name.decode("latin-1").lower()
                if name not in headers:
                    headers[name] = raw_value.decode("latin-1")
            self._headers = headers
        return self._headers

    @classmethod
    def of(cls, request: Request[Any, Any, Any], channel: str) -> DeliveryRequest:
        """The endpoint's request (its body is read through Litestar, with its size limits)."""
        return cls(request.scope, channel, connection=request)

    @property
    def connection(self) -> Request[Any, Any, Any]:
        """The Litestar Request: for what is read rarely (query parameters, cookies) exactly as Litestar reads it."""
        if self._connection is None:
            self._connection = Request(self.scope)
        return self._connection

    @property
    def query_params(self) -> Mapping[str, str]:
        """Litestar's query parameters (`get` gives the first of a repeated one); most POSTs have none."""
        if self._query_params is None:
            self._query_params = self.connection.query_params if self.scope["query_string"] else _NO_PARAMS  # type: ignore[typeddict-item]
        return self._query_params

    @property
    def cookies(self) -> Mapping[str, str]:
        return self.connection.cookies

    async def body(self) -> bytes:
        if self._body is None:
            self._body = await self.connection.body()
        return self._body


Respond = Callable[[Any, DeliveryRequest], Awaitable[ASGIApp]]
"""How the endpoint answers a DeliveryRequest of the delivery service (cms.delivery.http.respond)."""


class RememberedRequest:
    """A remembered request's digest, its answer key for the last stamp it was asked with, and what the
    endpoint derived from it to compute its answer (`prepared`, cms.delivery.http; None: derived anew)."""

    __slots__ = ("digest", "key", "prepared", "stamp", "stock")

    def __init__(self, digest: bytes, prepared: Any = None, *, stock: bool = False) -> None:
        self.digest, self.prepared, self.stock = digest, prepared, stock
        """`stock`: its answer shows stock, so its key holds the stock version (cms.delivery.cache.shows_stock)."""
        self.stamp: Stamp | None = None
        self.key = ""

    def key_at(self, stamp: Stamp) -> str:
        """The cache key of this request's answer at `stamp`.

        Freshness hands out one Stamp object per version and window, so the key is hashed once per stamp
        rather than per hit; comparing stamps by identity can cost a recomputation, never a wrong key."""
        if self.stamp is not stamp:
            self.key, self.stamp = answer_key(self.digest, stamp, stock=self.stock), stamp
        return self.key


class RememberedRequests:
    """Remembered requests by raw request, bounded (least recently used out first)."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._requests: OrderedDict[bytes, RememberedRequest] = OrderedDict()

    def get(self, raw: RawRequest) -> RememberedRequest | None:
        remembered = self._requests.get(raw.key)
        if remembered is not None:
            self._requests.move_to_end(raw.key)  # the most recently used: a hot request outlives one-off ones
        return remembered

    def remember(self, scope: Scope, digest: bytes, prepared: Any = None, *, stock: bool = False) -> None:
        """Remember the raw request the lane read for this scope, if it read one; with what was derived from
        it (`prepared`) when it is small (`PREPARED_KEPT`); `stock`: its answer shows stock."""
        raw = raw_of(scope)
        if raw is None or raw.key in self._requests:
            return
        kept = prepared if len(raw.key) <= PREPARED_KEPT else None
        self._requests[raw.key] = RememberedRequest(digest, kept, stock=stock)
        while len(self._requests) > self.capacity:
            self._requests.popitem(last=False)


def stamp_of(scope: Scope) -> Stamp | None:
    """The stamp the lane read for this request, if it did."""
    return scope.get(STAMP_SCOPE_KEY)  # type: ignore[return-value]


def raw_of(scope: Scope) -> RawRequest | None:
    """The raw request the lane read for this request (None: not one the lane may answer)."""
    return scope.get(RAW_SCOPE_KEY)  # type: ignore[return-value]


def cache_hit_lane(app: ASGIApp, respond: Respond) -> ASGIApp:
    """Route middleware of the delivery endpoint: remembered requests whose answer is cached skip the
    endpoint, and so do the other anonymous requests it may compute, answered by `respond`."""

    async def lane(scope: Scope, receive: Receive, send: Send) -> None:
        body = None
        if scope.get("method") == "POST":
            raw, body, receive = await _read_post(scope, receive)
        else:
            raw = RawRequest.of(scope)
        if raw is None:
            await app(scope, receive, send)
            return
        scope[RAW_SCOPE_KEY] = raw  # type: ignore[literal-required]
        service: Any = scope["app"].state.delivery
        remembered = service.remembered.get(raw)
        if remembered is not None:
            stamp, stale = await service.freshness.stamp_or_last()
            key = remembered.key_at(stamp)
            cached = service.cache.get(key)
            if stale:  # the database is down: what the cache holds is served, marked stale; nothing else is
                await stale_or_refused(cached, scope, not_modified=raw.has(key))(scope, receive, send)
                return
            scope[STAMP_SCOPE_KEY] = stamp  # type: ignore[literal-required]
            if cached is not None:
                scope[CACHE_SCOPE_KEY] = "hit"  # type: ignore[literal-required]  # for the request log, if on
                await cached.asgi(not_modified=raw.has(key))(scope, receive, send)
                return
        request = _computable(service, scope, body)
        if request is None:
            await app(scope, receive, send)
            return
        request.remembered = remembered
        await (await respond(service, request))(scope, receive, send)

    return lane


def _computable(service: Any, scope: Scope, body: bytes | None) -> DeliveryRequest | None:
    """The request of an anonymous GET or read POST the lane computes as the endpoint would; None for what
    only the endpoint answers: an unknown or protected channel, a preview asked in the query string, and
    a POST whose body the endpoint would refuse (over Litestar's size limit, a Content-Length that is not
    the body's)."""
    channel: str = scope["path_params"].get("channel", "")
    if channel not in service.schemas or not service.model.channels[channel].public:
        return None
    if b"preview" in scope["query_string"]:  # type: ignore[typeddict-item]
        return None
    if body is not None:
        limit = cast("HTTPRouteHandler", scope["route_handler"]).resolve_request_max_body_size()
        raw = raw_of(scope)
        announced = raw.content_length if raw is not None else None
        if (limit is not None and len(body) > limit) or (announced is not None and announced != b"%d" % len(body)):
            return None
    return DeliveryRequest(scope, channel, body=body)


async def _read_post(scope: Scope, receive: Receive) -> tuple[RawRequest | None, bytes | None, Receive]:
    """The raw request and body of a POST whose whole body fits in `BODY_KEPT`, and a `receive` that hands
    the endpoint the same messages from the start (the body read here, then whatever comes next)."""
    headed = RawRequest.of(scope, b"")
    if headed is None:  # credentials, a preview or not JSON: not read here
        return None, None, receive
    message = await receive()
    messages: list[ReceiveMessage] = [message]
    replay = _Replay(messages, receive)
    if message["type"] == "http.request" and not message.get("more_body", False):  # the usual: one message
        body = message.get("body", b"")
        return (headed.with_body(body), body, replay) if len(body) <= BODY_KEPT else (None, None, replay)
    chunks: list[bytes] = []
    size, complete = 0, False
    while message["type"] == "http.request":  # else the client went away
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body", False):
            complete = True
            break
        if size > BODY_KEPT:
            break
        message = await receive()
        messages.append(message)
    if not complete or size > BODY_KEPT:
        return None, None, replay
    body = b"".join(chunks)
    return headed.with_body(body), body, replay


class _Replay:
    """A `receive` that hands on the `messages` read (in order) first, then whatever comes next."""

    __slots__ = ("pending", "receive")

    def __init__(self, messages: list[ReceiveMessage], receive: Receive) -> None:
        self.pending, self.receive = iter(messages), receive

    async def __call__(self) -> ReceiveMessage:
        for message in self.pending:
            return message
        return await self.receive()
