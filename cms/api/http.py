"""`POST /graphql`: the management endpoint. Needs a user session (with CSRF header) or a management token."""

from __future__ import annotations

from typing import Any

import strawberry
from litestar import Request, Response, route
from litestar.status_codes import HTTP_200_OK, HTTP_401_UNAUTHORIZED
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.types import ExecutionResult

from cms.api.multipart import read_multipart_graphql
from cms.api.schema import ManagementContext
from cms.auth.request import AccessError, check_csrf, principal_of
from cms.lib.graphql_http import (
    BadRequestError,
    error_response,
    graphql_response,
    no_such_operation,
    read_graphql_request,
)
from cms.lib.unavailable import unavailable_of
from graphql import parse


@route("/graphql", http_method=["POST"], name="management", status_code=HTTP_200_OK)
async def management_endpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
    try:
        principal = await principal_of(request)
        check_csrf(request, principal)
        if request.content_type[0] == "multipart/form-data":
            graphql_request = await read_multipart_graphql(request, request.app.state.settings.upload_max_bytes)
        else:
            graphql_request = await read_graphql_request(request)
    except AccessError as error:
        return error_response(
            error.status, error.message, code="UNAUTHENTICATED" if error.status == 401 else "FORBIDDEN"
        )
    except BadRequestError as error:
        return error_response(error.status, str(error))
    if principal.kind == "anonymous":
        return error_response(
            HTTP_401_UNAUTHORIZED,
            "sign in or send a management token (Authorization: Bearer cms_…)",
            code="UNAUTHENTICATED",
        )
    schema: strawberry.Schema = request.app.state.management_schema
    try:
        result = await schema.execute(
            graphql_request.query or "",
            variable_values=graphql_request.variables,
            context_value=ManagementContext(
                model=request.app.state.model, principal=principal, media=request.app.state.media
            ),
            operation_name=graphql_request.operationName,
        )
    except CannotGetOperationTypeError:
        # Strawberry raises (a 500) when `operationName` picks no operation; delivery's admission says which exist.
        document = parse(graphql_request.query or "")
        result = ExecutionResult(data=None, errors=[no_such_operation(document, graphql_request.operationName)])
    unavailable = next(filter(None, map(unavailable_of, result.errors or ())), None)
    if unavailable is not None:
        # A 503 rather than "Unexpected error." in a 200; a write was rolled back with its transaction.
        raise unavailable
    return graphql_response(result)
