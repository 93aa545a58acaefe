"""Error pages of the admin: a missing page or entry is a 404 in the admin's layout and language, never raw JSON."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_500_INTERNAL_SERVER_ERROR

from cms.admin.gate import ADMIN
from cms.admin.render import render, translator
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
    if isinstance(error, HTTPException) and error.status_code < HTTP_500_INTERNAL_SERVER_ERROR:
        return Response(error.detail, status_code=error.status_code, media_type="text/plain; charset=utf-8")
    logger.exception("admin request failed: %s %s", request.method, request.url.path, exc_info=error)
    t = translator(request)
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
        return not_found_page(request, error)
    return Response({"status_code": 404, "detail": error.detail}, status_code=HTTP_404_NOT_FOUND)


ADMIN_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundException: not_found_page,
    NotFoundError: not_found_page,
    Exception: unexpected_error_page,
}


def _list_of(path: str) -> str | None:
    """The list page above a detail page: /admin/entries/product/<id>/… → /admin/entries/product."""
    parts = path.strip("/").split("/")
    if len(parts) >= 3 and parts[1] in ("entries",):
        return "/" + "/".join(parts[:3])
    if len(parts) >= 2 and parts[1] in ("media", "releases", "audit", "users"):
        return "/" + "/".join(parts[:2])
    return None
