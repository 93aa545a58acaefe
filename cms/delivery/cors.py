"""CORS per channel: `cors_origins` in channels.toml says which browser origins may read a channel's answers.

A route middleware of the delivery endpoint answers preflights (`OPTIONS /graphql/<channel>`) and adds
`Access-Control-Allow-Origin` to answers as they are sent, after the response cache: a cached answer's headers
(cms.delivery.cache) never hold one origin's header to hand it to another. A channel listing origins adds
`Origin` to the `Vary` of its cacheable answers, so a shared cache keeps one copy per origin; a channel open to
every origin (`["*"]`) sends `*` on every answer, and a channel without the setting sends no CORS header at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

from cms.model.definitions import Channel

ALLOW_METHODS = b"GET, POST, OPTIONS"
ALLOW_HEADERS = b"Accept, Accept-Language, Authorization, Content-Type, If-None-Match, X-Preview"
"""What a delivery client sends: a token, a preview switch, conditional and JSON requests."""
EXPOSE_HEADERS = b"ETag"
PREFLIGHT_MAX_AGE = b"600"
"""Seconds a browser may reuse a preflight's answer (Chromium caps it at 7,200)."""
BASE_VARY = "Accept, Accept-Language, Authorization"


class CorsPolicy:
    """The origins one channel allows, as the bytes a request's `Origin` header holds."""

    __slots__ = ("any_origin", "origins")

    def __init__(self, origins: Iterable[str]) -> None:
        listed = list(origins)
        self.any_origin = "*" in listed
        self.origins = frozenset(origin.encode("latin-1") for origin in listed if origin != "*")

    @property
    def varies(self) -> bool:
        """Answers differ by origin (a list of origins): shared caches must key them by `Origin`."""
        return bool(self.origins) and not self.any_origin

    def allowed_origin(self, origin: bytes | None) -> bytes | None:
        """The `Access-Control-Allow-Origin` value for a request from `origin`; None: send none."""
        if self.any_origin:
            return b"*"
        return origin if origin is not None and origin in self.origins else None


def vary_of(channel: Channel) -> str:
    """The `Vary` of a channel's cacheable answers."""
    return f"{BASE_VARY}, Origin" if channel.cors_origins and "*" not in channel.cors_origins else BASE_VARY


def cors_middleware(app: ASGIApp) -> ASGIApp:
    """Route middleware of the delivery endpoint: preflights answered here, CORS headers added to answers."""

    async def cors(scope: Scope, receive: Receive, send: Send) -> None:
        policies: dict[str, CorsPolicy] = scope["app"].state.delivery.cors
        policy = policies.get(scope["path_params"].get("channel", ""))
        if scope.get("method") == "OPTIONS":
            await _preflight(policy, _origin(scope), send)
            return
        allowed = None if policy is None else policy.allowed_origin(_origin(scope))
        if allowed is None:  # most requests: no setting, or no (allowed) Origin: nothing to add
            await app(scope, receive, send)
            return
        extra = [(b"access-control-allow-origin", allowed), (b"access-control-expose-headers", EXPOSE_HEADERS)]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A new list: a cached answer's header list is shared by every request it answers.
                message = {**message, "headers": [*message.get("headers", []), *extra]}  # type: ignore[typeddict-item]
            await send(message)

        await app(scope, receive, sending)

    return cors


async def _preflight(policy: CorsPolicy | None, origin: bytes | None, send: Send) -> None:
    """204; with the CORS headers only for an allowed origin (a browser refuses the request otherwise)."""
    headers: list[tuple[bytes, bytes]] = [(b"allow", ALLOW_METHODS)]
    allowed = None if policy is None else policy.allowed_origin(origin)
    if allowed is not None and origin is not None:
        headers += [
            (b"access-control-allow-origin", allowed),
            (b"access-control-allow-methods", ALLOW_METHODS),
            (b"access-control-allow-headers", ALLOW_HEADERS),
            (b"access-control-max-age", PREFLIGHT_MAX_AGE),
        ]
    if policy is not None and policy.varies:
        headers.append((b"vary", b"Origin"))
    start: HTTPResponseStartEvent = {"type": "http.response.start", "status": 204, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _origin(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"origin":
            return value
    return None


def policies_of(channels: dict[str, Channel]) -> dict[str, CorsPolicy]:
    """Each channel's CorsPolicy, built once at start-up."""
    return {name: CorsPolicy(channel.cors_origins) for name, channel in channels.items()}
