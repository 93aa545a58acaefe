"""One JSON line per request on stdout (`CMS_REQUEST_LOG=json`), and an `X-Request-ID` on every answer.

Litestar's `LoggingMiddleware` logs two lines, a request's and its response's, each built by its data
extractors (a Request, headers, cookies, body decoded per request). One line per request, with the duration,
needs the start and the end in one place: `RequestLogMiddleware` keeps that middleware's config, exclusions
and logger and replaces only its `__call__`. As app-level middleware it runs inside each route's stack, so
around the delivery endpoint's hit lane too (cms.delivery.hits); the lane marks cache hits in the scope
(`CACHE_SCOPE_KEY`). A path no route matches never reaches route middleware: `log_unrouted`, an
`after_exception` hook, logs those (with a request id, which their answer does not carry).

The lines of the requests done within `FLUSH_DELAY` go to the `cms.requests` logger as one record
(`RequestLines`): a record per request (Python's LogRecord, its caller lookup, a write) cost a cached
delivery answer ~8 µs of CPU more than one per batch, out of ~57 µs (docs/performance.md). They are written
on the event loop (see `logging_config`); the app's shutdown writes what is left.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import re
import time

import msgspec
from litestar.exceptions import HTTPException
from litestar.logging.config import LoggingConfig
from litestar.middleware.logging import LoggingMiddleware, LoggingMiddlewareConfig
from litestar.types import Message, Receive, Scope, Send

from cms.delivery.cache import CACHE_SCOPE_KEY

LOGGER = "cms.requests"
FLUSH_DELAY = 0.005
"""Seconds a line waits for others to be written with it."""
REQUEST_ID_HEADER = b"x-request-id"
REQUEST_ID_SCOPE_KEY = "cms.request_id"
"""Where the request's id is kept for the rest of its handling."""
_SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
"""An id a client or proxy sent is kept only when it cannot break a log line or a header: 128 plain characters."""


class RequestLogLine(msgspec.Struct):
    """One request, as its JSON line says it."""

    time: dt.datetime
    """When the request came in (UTC)."""
    request_id: str
    method: str
    path: str
    route: str | None
    """The route's path template (`/graphql/{channel}`); None when no route matched."""
    channel: str | None
    """The `{channel}` of the path, for delivery and the sync feed."""
    status: int | None
    """None when no answer was sent (the client went away first)."""
    duration_ms: float
    cache: str | None
    """`hit` or `miss` for delivery's live answers (the response cache), None where it does not apply."""
    client: str | None


_encode = msgspec.json.Encoder().encode


def request_id_of(scope: Scope) -> str:
    """The request's `X-Request-ID` when it is sane, else a new random one (32 hex digits).

    Python's `random`, not `os.urandom`: an id needs to be unique, not secret (no system call per request)."""
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            if _SANE_REQUEST_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return f"{random.getrandbits(128):032x}"


def log_line(scope: Scope, request_id: str, started_at: dt.datetime, status: int | None, duration: float) -> str:
    client = scope.get("client")
    line = RequestLogLine(
        time=started_at,
        request_id=request_id,
        method=scope.get("method", ""),  # type: ignore[arg-type]
        path=scope["path"],
        route=scope.get("path_template"),  # type: ignore[arg-type]
        channel=scope.get("path_params", {}).get("channel"),
        status=status,
        duration_ms=round(duration * 1000, 3),
        cache=scope.get(CACHE_SCOPE_KEY),  # type: ignore[arg-type]
        client=client[0] if client else None,
    )
    return _encode(line).decode()


class RequestLines:
    """Lines of requests done, handed to the `cms.requests` logger together, `FLUSH_DELAY` after the first."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.logger = logging.getLogger(LOGGER)

    def add(self, line: str) -> None:
        self.pending.append(line)
        if len(self.pending) == 1:
            asyncio.get_running_loop().call_later(FLUSH_DELAY, self.flush)

    def flush(self) -> None:
        lines, self.pending = self.pending, []
        if lines:
            self.logger.info("\n".join(lines))


class RequestLogConfig(LoggingMiddlewareConfig):
    """Litestar's logging middleware config, with the app's `RequestLines` (shared by every route's middleware)."""

    lines: RequestLines

    def __init__(self) -> None:
        super().__init__(
            logger_name=LOGGER,
            request_log_fields=(),
            response_log_fields=["status_code"],
            middleware_class=RequestLogMiddleware,
        )
        self.lines = RequestLines()


class RequestLogMiddleware(LoggingMiddleware):
    """Logs one line when the request is done, and adds its `X-Request-ID` to the answer's headers."""

    config: RequestLogConfig

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started_at, started = dt.datetime.now(dt.UTC), time.perf_counter()
        request_id = scope[REQUEST_ID_SCOPE_KEY] = request_id_of(scope)  # type: ignore[literal-required]
        header = (REQUEST_ID_HEADER, request_id.encode())
        status: int | None = None

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: a cached answer's header list is shared by every request it answers.
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.config.lines.add(log_line(scope, request_id, started_at, status, time.perf_counter() - started))


async def log_unrouted(error: Exception, scope: Scope) -> None:
    """`after_exception` hook: log a request no route matched (route middleware never saw it)."""
    if scope["type"] != "http" or REQUEST_ID_SCOPE_KEY in scope:
        return
    status = error.status_code if isinstance(error, HTTPException) else 500
    logging.getLogger(LOGGER).info(log_line(scope, request_id_of(scope), dt.datetime.now(dt.UTC), status, 0.0))


def request_log_config() -> RequestLogConfig:
    """Litestar's logging middleware config for one line per request (`.middleware`; `.lines.flush` at shutdown)."""
    return RequestLogConfig()


def logging_config() -> LoggingConfig:
    """Litestar's default logging, plus `cms.requests`: bare lines on stdout.

    Written on the event loop, one write per `FLUSH_DELAY` of lines (`RequestLines`), as uvicorn writes its
    access log: through a queue handler's thread (Litestar's non-blocking default) the cached delivery answer
    served 0.75× the requests per second instead of 0.93×, the thread taking the interpreter from the loop on
    every batch."""
    return LoggingConfig(
        formatters={"line": {"format": "%(message)s"}},
        handlers={
            "request_lines": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}
        },
        loggers={LOGGER: {"level": "INFO", "handlers": ["request_lines"], "propagate": False}},
    )
