"""The in-process response cache of delivery: whole answers by key, bounded, least recently used first out.

A key names everything an answer depends on (see `answer_key`), including the content version and
the current validity windows, and, for a document selecting `inventory` (`shows_stock`), the stock version, so
an entry can never be served for other content or stock; publishing empties the cache too
(cms.delivery.freshness), which only frees memory sooner. A stock batch bumps the stock version only: the
answers showing stock are no longer found and are dropped (`clear_stock`), the others stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import OrderedDict
from typing import Any

import msgspec

from cms.lib.unavailable import DatabaseUnavailableError

CACHE_SCOPE_KEY = "cms.delivery.cache"
"""Where a live answer's way is noted for the request log (cms.ops.request_log): `hit` (from this cache), `stale`
(from this cache while the database is down) or `miss`."""

STALE_HEADERS = [(b"warning", b'111 cms "Revalidation Failed"'), (b"x-cache", b"STALE")]
"""What marks an answer served from the cache while the database cannot say whether it is still current
(stale-if-error): RFC 7234's warning for a failed revalidation, and the `X-Cache` value CDNs use."""


class Stamp(msgspec.Struct, frozen=True):
    """Which live content an answer is computed from."""

    version: int
    """The content version (cms.store.content_version)."""
    window_end: dt.datetime | None
    """The next instant a live projection's validity window opens or closes (None: none ahead)."""
    stock: int = 0
    """The stock version (cms.store.content_version): in the key of answers showing stock only."""


class CachedAnswer:
    """A kept answer: its body and the headers of its 200, with both ASGI responses built once when kept."""

    __slots__ = ("_not_modified", "_ok", "body", "headers", "surrogate_key")

    def __init__(self, body: bytes, surrogate_key: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.body, self.surrogate_key = body, surrogate_key
        self.headers = headers or []
        """Every header of the 200 answer but its length (the `Surrogate-Key` header holds `surrogate_key`:
        the channel and the entries it shows)."""
        self._ok = RawResponse(200, [*self.headers, (b"content-length", str(len(body)).encode())], body)
        self._not_modified = RawResponse(304, self.headers, b"")

    def asgi(self, *, not_modified: bool) -> RawResponse:
        """The answer as a ready ASGI response: 200 with the body, or 304 with the same headers."""
        return self._not_modified if not_modified else self._ok

    def stale(self, *, not_modified: bool) -> RawResponse:
        """The answer marked stale (`STALE_HEADERS`), for when the database is down: built when asked (rare)."""
        if not_modified:
            return RawResponse(304, [*self.headers, *STALE_HEADERS], b"")
        length = (b"content-length", str(len(self.body)).encode())
        return RawResponse(200, [*self.headers, *STALE_HEADERS, length], self.body)


def stale_or_refused(cached: CachedAnswer | None, scope: Any, *, not_modified: bool) -> RawResponse:
    """While the database is down (stale-if-error): what the cache holds, marked stale and logged as such in
    `scope`; nothing held is refused with 503 (cms.lib.unavailable). Both delivery's hit lane and its
    endpoint answer this way."""
    if cached is None:
        raise DatabaseUnavailableError()
    scope[CACHE_SCOPE_KEY] = "stale"
    return cached.stale(not_modified=not_modified)


class RawResponse:
    """An ASGI response from already-encoded headers and body (a response-cache hit builds no Response)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


def request_digest(
    *,
    schema: str,
    channel: str,
    stage: str,
    locale: str,
    document: str,
    operation_name: str | None,
    variables: bytes,
    media_type: str = "application/json",
) -> bytes:
    """A digest of what an answer depends on besides the live content (`answer_key` adds that).

    `schema` fingerprints the channel's schema, so a deploy that changes it does not revalidate old
    answers; `variables` is their JSON with sorted keys; `locale` is the one Accept-Language chose;
    `media_type` the one Accept chose (the same body, sent under another Content-Type).
    """
    parts = [schema, channel, stage, locale, operation_name or "", document, media_type]
    return hashlib.sha256("\0".join(parts).encode() + b"\0" + variables).digest()


_INVENTORY = re.compile(r"(?<![_0-9A-Za-z])inventory(?![_0-9A-Za-z])")


def shows_stock(document: str) -> bool:
    """The document may select an `inventory` field (cms.delivery.stock_field), so its answer shows stock.

    Read from the text: a field's name appears as such in every selection of it (an alias precedes it and
    a fragment is spelled out in the document), so this never misses one; the word in a comment, a string or
    another name's place only costs that answer a new key after a stock batch."""
    return _INVENTORY.search(document) is not None


def answer_key(request: bytes, stamp: Stamp, *, stock: bool = False) -> str:
    """The cache key of the answer to `request` (a `request_digest`) for the content live at `stamp`, and for
    an answer showing stock (`stock`, see `shows_stock`) the stock live at `stamp`; it is also the answer's ETag."""
    window = _window_text(stamp.window_end)
    if stock:
        return hashlib.sha256(b"%b\0%d\0%b\0%d" % (request, stamp.version, window, stamp.stock)).hexdigest()
    return hashlib.sha256(b"%b\0%d\0%b" % (request, stamp.version, window)).hexdigest()


_last_window: list[tuple[dt.datetime, bytes]] = []
"""The last window end formatted, with its text (by identity: equal instants of other offsets differ in text)."""


def _window_text(window_end: dt.datetime | None) -> bytes:
    """`window_end` in ISO format (b"": none), formatted once per stamp's window: it is one object until it passes."""
    if window_end is None:
        return b""
    if _last_window and _last_window[0][0] is window_end:
        return _last_window[0][1]
    text = window_end.isoformat().encode()
    _last_window[:] = [(window_end, text)]
    return text


class ResponseCache:
    """Answers by key, bounded by a number of entries and a number of bytes (bodies and headers)."""

    def __init__(self, max_entries: int = 2000, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        """Answers found, counted by `get` (read by cms.ops.metrics at scrape time: a plain integer costs the hit
        lane nothing measurable, a Prometheus counter's lock and label lookup would)."""
        self.misses = 0
        """Live answers computed because the cache did not hold them (counted by cms.delivery.http)."""
        self._answers: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._showing_stock: set[str] = set()
        """Keys of the answers showing stock (kept with `stock=True`): what a stock change drops."""

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: str) -> CachedAnswer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
            self.hits += 1
        return answer

    def put(self, key: str, answer: CachedAnswer, *, stock: bool = False) -> None:
        """Keep `answer` (`stock`: it shows stock), dropping the least recently used ones beyond the bounds.

        An answer larger than an eighth of the byte budget is not kept: it would push out many others.
        """
        if self.max_entries <= 0 or key in self._answers:
            return
        size = _size(answer)
        if size * 8 > self.max_bytes:
            return
        self._answers[key] = answer
        self.size += size
        if stock:
            self._showing_stock.add(key)
        while len(self._answers) > self.max_entries or self.size > self.max_bytes:
            dropped_key, dropped = self._answers.popitem(last=False)
            self.size -= _size(dropped)
            self._showing_stock.discard(dropped_key)

    def clear(self) -> None:
        self._answers.clear()
        self._showing_stock.clear()
        self.size = 0

    def clear_stock(self) -> None:
        """Drop the answers showing stock (a stock change: their keys are stale), keep the others. Only frees
        memory sooner, and keeps stale answers from pushing out current ones: the keys already differ."""
        for key in self._showing_stock:
            answer = self._answers.pop(key, None)
            if answer is not None:
                self.size -= _size(answer)
        self._showing_stock.clear()


def _size(answer: CachedAnswer) -> int:
    return len(answer.body) + len(answer.surrogate_key) + sum(len(name) + len(value) for name, value in answer.headers)
