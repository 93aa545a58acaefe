"""`POST|GET /graphql`: the management endpoint. Needs a user session (with CSRF header) or a management token.

GET runs queries only (GraphQL over HTTP): a mutation sent by GET is refused with 405, so a link or a prefetch
never changes content."""

from __future__ import annotations

from typing import Any

import msgspec
import strawberry
from litestar import Request, Response, route
from litestar.status_codes import HTTP_200_OK, HTTP_401_UNAUTHORIZED, HTTP_405_METHOD_NOT_ALLOWED
from strawberry.types import ExecutionResult

from cms.api.multipart import read_multipart_graphql
from cms.api.schema import ManagementContext
from cms.auth.request import AccessError, check_csrf, principal_of
from cms.delivery.admission import Admission, QueryRefusedError
from cms.lib.graphql_http import (
    BadRequestError,
    error_response,
    graphql_response,
    read_graphql_request,
    response_media_type,
)
from cms.lib.unavailable import raise_if_unavailable
from graphql import OperationType

# Uploads in variables (multipart requests) are keyed by their text: such a request is admitted afresh.
_canonical_json = msgspec.json.Encoder(order="sorted", enc_hook=repr).encode


@route("/graphql", http_method=["GET", "POST"], name="management", status_code=HTTP_200_OK)
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
    media_type = response_media_type(request.headers.get("accept"))
    try:
        # As on delivery: over the limits (introspection included) or too costly is refused before it runs.
        admission: Admission = request.app.state.management_admission
        variables = _canonical_json(graphql_request.variables or {})
        admission.check(
            graphql_request.query or "", graphql_request.operationName, graphql_request.variables, variables
        )
    except QueryRefusedError as refusal:
        return graphql_response(ExecutionResult(data=None, errors=refusal.errors), media_type)
    if request.method == "GET" and _is_mutation(admission, graphql_request.query, graphql_request.operationName):
        return error_response(
            HTTP_405_METHOD_NOT_ALLOWED,
            "a mutation cannot be sent by GET: send it by POST",
            headers={"Allow": "POST"},
            code="METHOD_NOT_ALLOWED",
        )
    result = await schema.execute(
        graphql_request.query or "",
        variable_values=graphql_request.variables,
        context_value=ManagementContext(
            model=request.app.state.model, principal=principal, media=request.app.state.media
        ),
        operation_name=graphql_request.operationName,
    )
    # A 503 rather than "Unexpected error." in a 200; a write was rolled back with its transaction.
    raise_if_unavailable(result.errors)
    return graphql_response(result, media_type)


def _is_mutation(admission: Admission, query: str | None, operation_name: str | None) -> bool:
    operation = admission.operation(query or "", operation_name)
    return operation is not None and operation.operation == OperationType.MUTATION
