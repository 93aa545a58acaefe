"""Who is asking, from a request's bearer token or session cookie; and the CSRF check of sessions."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any, Protocol

from litestar.connection import ASGIConnection

from cms.auth.principal import ANONYMOUS, Principal
from cms.auth.sessions import SESSION_COOKIE, session_principal
from cms.auth.tokens import TokenError, check_token

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AccessError(Exception):
    """The request may not go on; `status` is the HTTP status to answer with."""

    status = 401

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthenticationError(AccessError):
    """The credentials sent are not valid (a bad bearer token, no session where one is needed)."""

    status = 401


class CsrfError(AccessError):
    """A state-changing request of a browser session did not echo the session's CSRF token."""

    status = 403


class Credentials(Protocol):
    """What `principal_of` reads of a request: a Litestar connection, or delivery's own view of one
    (cms.delivery.hits.DeliveryRequest, whose headers are a dict decoded once)."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def cookies(self) -> Mapping[str, str]: ...


async def principal_of(request: Credentials) -> Principal:
    """The bearer token's principal, else the session cookie's user, else ANONYMOUS."""
    headers = request.headers
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        try:
            return await check_token(credentials.strip())
        except TokenError as error:
            # A client that sends a token means to use it: refusing beats silently serving it as anonymous.
            raise AuthenticationError(str(error)) from None
    if "cookie" not in headers:  # most API clients: no cookies to parse
        return ANONYMOUS
    cookie_value = request.cookies.get(SESSION_COOKIE)
    if cookie_value:
        return await session_principal(cookie_value) or ANONYMOUS
    return ANONYMOUS


def check_csrf(request: ASGIConnection[Any, Any, Any, Any], principal: Principal) -> None:
    """Refuse a state-changing request of a session principal without its CSRF token in X-CSRF-Token."""
    if principal.csrf_token is None or request.scope.get("method", "GET") in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), principal.csrf_token.encode()):
        raise CsrfError(
            f"missing or wrong {CSRF_HEADER} header: send the csrfToken returned by /auth/login (or /auth/me)"
        )
