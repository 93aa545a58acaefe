"""Who may see an admin page: a browser session, checked before every handler; forms echo the CSRF token.

The admin reads only the session cookie (never a bearer token). Every state-changing request must
carry the session's CSRF token, either in the `_csrf` form field (plain forms) or in the
`X-CSRF-Token` header (htmx sends it from `hx-headers` on `<body>`).
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN

from cms.auth.principal import ANONYMOUS, Principal
from cms.auth.request import CSRF_HEADER, SAFE_METHODS
from cms.auth.sessions import SESSION_COOKIE, session_principal

ADMIN = "/admin"
PUBLIC_PATHS = frozenset({f"{ADMIN}/login", f"{ADMIN}/language"})
CSRF_FIELD = "_csrf"


async def admin_gate(request: Request[Any, Any, Any]) -> Response[Any] | None:
    """Litestar `before_request` hook of the admin router: sign-in and CSRF, once, for every page."""
    cookie_value = request.cookies.get(SESSION_COOKIE)
    principal = (await session_principal(cookie_value) if cookie_value else None) or ANONYMOUS
    request.state.principal = principal
    if request.url.path in PUBLIC_PATHS:
        return None
    if principal.kind != "user":
        return to_sign_in(request)
    if request.method not in SAFE_METHODS and not await _csrf_matches(request, principal):
        return Response(
            "This form has expired or did not come from the admin (CSRF token missing or wrong). "
            "Reload the page and try again; your text is still in the form you came from.",
            status_code=HTTP_403_FORBIDDEN,
            media_type="text/plain; charset=utf-8",
        )
    return None


def principal(request: Request[Any, Any, Any]) -> Principal:
    """The signed-in user of an admin request (set by admin_gate; anonymous on a path no route matched)."""
    found: Principal = request.state.get("principal", ANONYMOUS)
    return found


def to_sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    """Send the browser to the sign-in page, coming back afterwards to the page it was on.

    An htmx request gets a bare 401: redirecting the whole page would throw away what the editor typed,
    so admin.js shows a banner instead and the form stays as it is.
    """
    if request.headers.get("hx-request"):
        return Response(b"", status_code=HTTP_401_UNAUTHORIZED)
    target = f"{ADMIN}/login?next={quote(come_back_to(request), safe='')}"
    return Redirect(target, status_code=HTTP_303_SEE_OTHER)


def come_back_to(request: Request[Any, Any, Any]) -> str:
    """The page to open after sign-in: always one a GET can show (a form's POST URL would answer 405).

    A GET comes back to itself; a form posted without a session comes back to the admin page it was
    posted from (its Referer), else to the dashboard.
    """
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    if same_site and referer.path.startswith(f"{ADMIN}/") and referer.path not in PUBLIC_PATHS:
        return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    return f"{ADMIN}/"


def safe_next(target: str | None) -> str:
    """Only admin paths: never an open redirect to another site."""
    if target and target.startswith(f"{ADMIN}") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{ADMIN}/"


async def _csrf_matches(request: Request[Any, Any, Any], principal: Principal) -> bool:
    expected = (principal.csrf_token or "").encode()
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            sent = (await request.form()).get(CSRF_FIELD)
    return bool(expected) and hmac.compare_digest(str(sent or "").encode(), expected)
