"""The app's answer to a bug: logged with its traceback, a 500 that shows no internals.

Litestar logs exceptions only in debug mode by default (`log_exceptions="debug"`); a failure nobody sees in
production cannot be fixed, so every 500 goes through `log_unexpected_error`, registered app-wide for status 500.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException
from litestar.exceptions.responses import create_debug_response
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE

from cms.lib.graphql_http import error_response
from cms.lib.unavailable import retry_after_headers, unavailable_of

logger = logging.getLogger("cms.unexpected")

CLIENT_DISCONNECTED = "client disconnected prematurely"
"""The detail of the exception `litestar.connection.Request.stream()` raises on an `http.disconnect`."""
CLIENT_CLOSED_REQUEST = 499
"""No one reads this answer; nginx's number for a client that went away."""


def is_client_disconnect(error: Exception) -> bool:
    """Litestar raises this InternalServerException when the client hangs up while its body is being read."""
    return isinstance(error, InternalServerException) and error.detail == CLIENT_DISCONNECTED


def log_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    """Log the failure with its traceback and answer Litestar's plain 500 (its debug page in debug mode)."""
    if is_client_disconnect(error):
        logger.debug("client went away: %s %s", request.method, request.url.path)
        return Response(b"", status_code=CLIENT_CLOSED_REQUEST)
    unavailable = unavailable_of(error)
    if unavailable is not None:
        return service_unavailable(request, unavailable.message, error)
    logger.error("request failed: %s %s", request.method, request.url.path, exc_info=error)
    if request.app.debug:
        return create_debug_response(request, error)
    status = error.status_code if isinstance(error, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    return Response({"status_code": status, "detail": "Internal Server Error"}, status_code=status)


def service_unavailable(request: Request[Any, Any, Any], message: str, error: BaseException) -> Response[Any]:
    """503 with `Retry-After`, at once: a service is down, not a bug (logged as a warning, without traceback).

    GraphQL endpoints answer in GraphQL's shape (`errors`, code `SERVICE_UNAVAILABLE`), others in Litestar's."""
    logger.warning("service unavailable: %s %s: %s (%s)", request.method, request.url.path, message, _cause(error))
    if request.url.path.startswith("/graphql"):
        return error_response(
            HTTP_503_SERVICE_UNAVAILABLE, message, headers=retry_after_headers(), code="SERVICE_UNAVAILABLE"
        )
    body = {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": message}
    return Response(body, status_code=HTTP_503_SERVICE_UNAVAILABLE, headers=retry_after_headers())


def _cause(error: BaseException) -> str:
    """The innermost cause of `error`, named with its type (what the log reader needs to find the service)."""
    while error.__cause__ is not None:
        error = error.__cause__
    return f"{type(error).__name__}: {error}"
