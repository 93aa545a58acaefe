"""Rate limits of the GraphQL endpoints with Litestar's `RateLimitMiddleware`: per token on the management API,
and on a delivery channel whose config asks for it (`rate_limit = "100/minute"`), per token else per address.

Counts live in the app's `rate_limit` Store: Litestar's default is in memory, so each worker process counts
on its own (N workers let N times the limit through); a multi-worker deployment registers a shared store
(`litestar.stores.redis.RedisStore`) under that name.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, get_remote_address
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS

from cms.lib.graphql_http import error_response
from cms.model.definitions import ContentModel
from cms.model.rate_limit import RateLimitSyntaxError, Unit, parse_rate_limit

MANAGEMENT_PATH = "/graphql"
RATE_LIMITED = "RATE_LIMITED"


def client_key(request: Request[Any, Any, Any]) -> str:
    """Who is counted: the bearer token (hashed: the store never holds it), else the session, else the address."""
    credential = request.headers.get("authorization") or request.cookies.get("cms_session")
    if credential:
        return "token:" + hashlib.sha256(credential.encode()).hexdigest()[:32]
    return "address:" + get_remote_address(request)


def rate_limit_configs(management: str | None, model: ContentModel) -> list[RateLimitConfig]:
    """One config for the management API (if `management` is set) and one per channel with a `rate_limit`."""
    configs = []
    if management:
        try:
            limit = parse_rate_limit(management)
        except RateLimitSyntaxError as error:
            raise RateLimitSyntaxError(f"CMS_MANAGEMENT_RATE_LIMIT: {error}") from None
        configs.append(_config(MANAGEMENT_PATH, limit, "management"))
    for name, channel in model.channels.items():
        if channel.rate_limit:
            configs.append(_config(f"/graphql/{name}", parse_rate_limit(channel.rate_limit), f"channel:{name}"))
    return configs


def _config(path: str, limit: tuple[Unit, int], scope: str) -> RateLimitConfig:
    async def counted(request: Request[Any, Any, Any]) -> bool:
        # Async: Litestar runs a sync check in a worker thread.
        # `/` itself reaches here (the pattern below spares it so Litestar does not warn of a "greedy" one).
        return request.url.path == path and request.method != "OPTIONS"  # CORS preflights are not counted

    def identifier(request: Request[Any, Any, Any]) -> str:
        return f"{scope}:{client_key(request)}"

    return RateLimitConfig(
        rate_limit=limit,
        # Every other path bypasses the middleware on a regex match, before a Request is built: the delivery
        # hit lane's cached answers pay no more than that on channels without a limit.
        exclude=[f"^/(?!{re.escape(path[1:])}$)."],
        check_throttle_handler=counted,
        identifier_for_request=identifier,
    )


def rate_limited(request: Request[Any, Any, Any], error: TooManyRequestsException) -> Response[bytes]:
    """429 in GraphQL's error shape, with `Retry-After` (seconds until the window resets) and the RateLimit headers."""
    headers = dict(error.headers or {})
    retry_after = max(1, int(headers.get("RateLimit-Reset", "1")))
    headers["Retry-After"] = str(retry_after)
    message = f"too many requests: try again in {retry_after} s (the limit is {headers.get('RateLimit-Limit', '?')}"
    message += " requests per window, per token or, without one, per client address)"
    return error_response(
        HTTP_429_TOO_MANY_REQUESTS, message, headers=headers, code=RATE_LIMITED, retryAfter=retry_after
    )
