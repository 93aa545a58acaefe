"""Error pages of the admin: a missing page or entry is a 404 in the admin's layout and language, never raw JSON."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
)
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from cms.admin.gate import ADMIN
from cms.admin.render import render, translator
from cms.admin.security import with_security_headers
from cms.lib.unavailable import retry_after_headers, unavailable_of
from cms.lib.unexpected import CLIENT_CLOSED_REQUEST, is_client_disconnect, log_unexpected_error
from cms.lib.unexpected import CLIENT_DISCONNECTED as CLIENT_DISCONNECTED  # where tests import it from
from cms.workflow.errors import NotFoundError

logger = logging.getLogger("cms.admin")


def not_found_page(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    t = translator(request)
    detail = error.detail if isinstance(error, HTTPException) else str(error)
    return render(
        request,
        "error.html",
        status_code=HTTP_404_NOT_FOUND,
        heading=t("common.not_found"),
        message=f"{t('error.not_found')} ({detail})" if detail and detail != "Not Found" else t("error.not_found"),
        back=_list_of(request.url.path),
    )


def unexpected_error_page(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """Any other failure: a refused request (4xx) says why in the admin's page; a bug (5xx) is logged."""
    if is_client_disconnect(error):
        # htmx cancels a live-feedback request as the next keystroke replaces it: nobody waits for an answer.
        logger.debug("client went away: %s %s", request.method, request.url.path)
        return Response(b"", status_code=CLIENT_CLOSED_REQUEST)
    t = translator(request)
    if isinstance(error, HTTPException) and error.status_code < HTTP_500_INTERNAL_SERVER_ERROR:
        return render(
            request,
            "error.html",
            status_code=error.status_code,
            heading=t("error.refused_title", status=error.status_code),
            message=t("error.method") if error.status_code == HTTP_405_METHOD_NOT_ALLOWED else t("error.refused"),
            back=_list_of(request.url.path),
        )
    if unavailable_of(error) is not None:
        logger.warning("admin request failed, a service is down: %s %s: %s", request.method, request.url.path, error)
        page = render(
            request,
            "error.html",
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            heading=t("error.unavailable_title"),
            message=t("error.unavailable"),
            back=None,
        )
        page.headers.update(retry_after_headers())
        return page
    logger.exception("admin request failed: %s %s", request.method, request.url.path, exc_info=error)
    return render(
        request,
        "error.html",
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        heading=t("common.error"),
        message=t("error.unexpected"),
        back=None,
    )


def app_not_found(request: Request[Any, Any, Any], error: NotFoundException) -> Response[Any]:
    """App-wide 404 handler: admin paths get the admin's page; every other path keeps Litestar's JSON."""
    if request.url.path.startswith(ADMIN):
        return _secured(not_found_page)(request, error)  # type: ignore[no-any-return]
    return Response({"status_code": 404, "detail": error.detail}, status_code=HTTP_404_NOT_FOUND)


def app_method_not_allowed(request: Request[Any, Any, Any], error: MethodNotAllowedException) -> Response[Any]:
    """App-wide 405 handler (raised while routing, before the admin router's handlers apply)."""
    if request.url.path.startswith(ADMIN):
        return _secured(unexpected_error_page)(request, error)  # type: ignore[no-any-return]
    body = {"status_code": error.status_code, "detail": error.detail}
    return Response(body, status_code=error.status_code, headers=error.headers)


APP_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundException: app_not_found,
    MethodNotAllowedException: app_method_not_allowed,
    HTTP_500_INTERNAL_SERVER_ERROR: log_unexpected_error,
}
"""The handlers the app registers for errors raised before any router: admin paths get the admin's pages."""


def _secured(handler: Any) -> Any:
    """`handler` whose page carries the admin's security headers (its routers' headers skip exception handlers)."""

    def secured(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        return with_security_headers(handler(request, error), request.app.state.settings)  # type: ignore[no-any-return]

    return secured


ADMIN_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundException: _secured(not_found_page),
    NotFoundError: _secured(not_found_page),
    Exception: _secured(unexpected_error_page),
    HTTP_500_INTERNAL_SERVER_ERROR: _secured(unexpected_error_page),  # else the app's (status codes come first)
}


def _list_of(path: str) -> str | None:
    """The list page above a detail page: /admin/entries/product/<id>/… → /admin/entries/product."""
    parts = path.strip("/").split("/")
    if len(parts) >= 3 and parts[1] in ("entries",):
        return "/" + "/".join(parts[:3])
    if len(parts) >= 2 and parts[1] in ("media", "releases", "audit", "users", "webhooks"):
        return "/" + "/".join(parts[:2])
    return None
