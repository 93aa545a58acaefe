"""`/auth/login`, `/auth/logout`, `/auth/me`: browser sessions of the admin, every sign-in audited and throttled."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_204_NO_CONTENT,
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_429_TOO_MANY_REQUESTS,
)
from litestar.types import ExceptionHandlersMap

from cms.auth.request import AccessError, AuthenticationError, check_csrf, principal_of
from cms.auth.sessions import SESSION_COOKIE, SESSION_TTL, create_session, end_session
from cms.auth.sign_in import SignInThrottledError, sign_in
from cms.auth.throttle import ThrottleLimits
from cms.lib.graphql_http import error_response
from cms.settings import Settings, get_settings
from cms.workflow.audit import record

WRONG_CREDENTIALS = "wrong email or password"
_encode = msgspec.json.Encoder().encode


class Credentials(msgspec.Struct, frozen=True):
    email: str
    password: str


def access_error_response(request: Request[Any, Any, Any], error: AccessError) -> Response[bytes]:
    """An AccessError as its status with `{"errors": [{"message": …}]}`."""
    return error_response(error.status, error.message)


_ACCESS_ERRORS: ExceptionHandlersMap = {AccessError: access_error_response}


@post("/auth/login", name="auth:login", status_code=HTTP_200_OK, exception_handlers=_ACCESS_ERRORS)
async def login(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Sign in with JSON `{email, password}` or a form; sets the session cookie and returns the CSRF token."""
    credentials = await _read_credentials(request)
    if credentials is None:
        return error_response(HTTP_400_BAD_REQUEST, 'send JSON {"email": …, "password": …} or a form with those fields')
    limits = ThrottleLimits.of(_settings(request))
    try:
        user = await sign_in(credentials.email, credentials.password, _client_details(request), limits)
    except SignInThrottledError as held:
        message = f"{held}; or ask an admin to reset the password"
        return error_response(HTTP_429_TOO_MANY_REQUESTS, message, headers={"Retry-After": str(held.retry_after)})
    if user is None:
        return error_response(HTTP_401_UNAUTHORIZED, WRONG_CREDENTIALS)
    if previous := request.cookies.get(SESSION_COOKIE):
        await end_session(previous)  # a sign-in never keeps a session id the browser had before
    cookie_value, csrf_token = await create_session(user["id"])
    body = {"user": {"email": user["email"], "name": user["name"], "role": user["role"]}, "csrfToken": csrf_token}
    cookie = Cookie(
        key=SESSION_COOKIE,
        value=cookie_value,
        path="/",
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_settings(request).secure_cookies or None,
    )
    return Response(_encode(body), media_type="application/json", cookies=[cookie])


@post("/auth/logout", name="auth:logout", status_code=HTTP_204_NO_CONTENT, exception_handlers=_ACCESS_ERRORS)
async def logout(request: Request[Any, Any, Any]) -> Response[None]:
    """End the browser session (needs X-CSRF-Token) and clear its cookie."""
    principal = await principal_of(request)
    if principal.csrf_token is None:
        raise AuthenticationError("not signed in: logout ends a browser session opened by /auth/login")
    check_csrf(request, principal)
    await end_session(request.cookies[SESSION_COOKIE])
    await record(principal, "sign_out")
    response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@get("/auth/me", name="auth:me", exception_handlers=_ACCESS_ERRORS)
async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Who the request is from: a signed-in user or a token, with its permissions."""
    principal = await principal_of(request)
    if principal.kind == "anonymous":
        raise AuthenticationError("not signed in: POST /auth/login, or send Authorization: Bearer <token>")
    body: dict[str, Any] = {
        "kind": principal.kind,
        "name": principal.name,
        "role": principal.role,
        "permissions": sorted(principal.permissions),
    }
    if principal.csrf_token is not None:
        # The cookie is HttpOnly: a reloaded admin page learns its CSRF token here (same-origin only).
        body["csrfToken"] = principal.csrf_token
    return body


AUTH_ROUTES = [login, logout, me]


async def _read_credentials(request: Request[Any, Any, Any]) -> Credentials | None:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            return msgspec.json.decode(await request.body(), type=Credentials)
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            return msgspec.convert({"email": form.get("email"), "password": form.get("password")}, Credentials)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return None


def _client_details(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {
        "ip": request.client.host if request.client else "",
        "userAgent": request.headers.get("user-agent", "")[:200],
    }


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings | None = request.app.state.get("settings")
    return settings or get_settings()
