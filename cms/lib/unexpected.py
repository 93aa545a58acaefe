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
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

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
    logger.error("request failed: %s %s", request.method, request.url.path, exc_info=error)
    if request.app.debug:
        return create_debug_response(request, error)
    status = error.status_code if isinstance(error, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    return Response({"status_code": status, "detail": "Internal Server Error"}, status_code=status)
