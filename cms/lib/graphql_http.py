"""GraphQL over HTTP, shared by the delivery and management endpoints: reading requests, writing answers."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST, HTTP_415_UNSUPPORTED_MEDIA_TYPE
from strawberry.types import ExecutionResult

from graphql import GraphQLError

_encode = msgspec.json.Encoder().encode


class GraphQLRequest(msgspec.Struct, forbid_unknown_fields=False):
    query: str | None = None
    variables: dict[str, Any] | None = None
    operationName: str | None = None
    extensions: dict[str, Any] | None = None
    id: str | None = None
    """A persisted operation's id, instead of `query`."""

    @property
    def persisted_hash(self) -> str | None:
        """The id, or the sha256 of Apollo's automatic persisted queries protocol."""
        persisted = (self.extensions or {}).get("persistedQuery")
        if isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str):
            return persisted["sha256Hash"]  # type: ignore[no-any-return]
        return self.id


MAX_DOCUMENT_BYTES = 64 * 1024
"""Largest GraphQL document accepted, in UTF-8 bytes; long values belong in variables."""

NUL_REFUSED = "the request contains a NUL character (\\u0000), which no text field accepts"


class BadRequestError(ValueError):
    status = HTTP_400_BAD_REQUEST


class UnsupportedMediaTypeError(BadRequestError):
    status = HTTP_415_UNSUPPORTED_MEDIA_TYPE


async def read_graphql_request(request: Request[Any, Any, Any], *, persisted: bool = False) -> GraphQLRequest:
    """The query, variables and operation name of a GET (query string) or JSON POST request.

    With `persisted`, a request may name a persisted operation (`id`, or APQ's extension) instead of a query.
    """
    if request.method == "GET":
        params = request.query_params
        variables = params.get("variables")
        if "\x00" in (variables or "") or "\\u0000" in (variables or "") or "\x00" in (params.get("query") or ""):
            raise BadRequestError(NUL_REFUSED)
        try:
            decoded = msgspec.json.decode(variables) if variables else None
        except msgspec.DecodeError as error:
            raise BadRequestError(f"`variables` is not valid JSON: {error}") from None
        except RecursionError:
            raise BadRequestError("`variables` is nested too deeply") from None
        try:
            extensions = msgspec.json.decode(params["extensions"]) if params.get("extensions") else None
        except msgspec.DecodeError as error:
            raise BadRequestError(f"`extensions` is not valid JSON: {error}") from None
        raw = {
            "query": params.get("query"),
            "variables": decoded,
            "operationName": params.get("operationName"),
            "extensions": extensions,
            "id": params.get("id"),
        }
        return _checked(raw, persisted)
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        raise UnsupportedMediaTypeError(
            f"send the query as JSON (Content-Type: application/json), got {content_type or 'none'!r}"
        )
    body = await request.body()
    if b"\\u0000" in body or b"\x00" in body:
        raise BadRequestError(NUL_REFUSED)
    try:
        raw = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        raise BadRequestError(f"the request body is not valid JSON: {error}") from None
    except RecursionError:
        raise BadRequestError("the request body is nested too deeply") from None
    return _checked(raw, persisted)


def _checked(raw: Any, persisted: bool = False) -> GraphQLRequest:
    if not isinstance(raw, dict):
        raise BadRequestError('the request body must be a JSON object such as {"query": "{ products { totalCount } }"}')
    try:
        parsed = msgspec.convert(raw, GraphQLRequest)
    except msgspec.ValidationError as error:
        raise BadRequestError(f"invalid GraphQL request: {error}") from None
    if not parsed.query and not (persisted and parsed.persisted_hash):
        raise BadRequestError("missing `query`: send a GraphQL document")
    if parsed.operationName == "":  # as GET URL builders send it: no name (graphql-core only takes None so)
        parsed.operationName = None
    size = len(parsed.query.encode()) if parsed.query else 0
    if size > MAX_DOCUMENT_BYTES:
        raise BadRequestError(
            f"the GraphQL document is {size} bytes, over the limit of {MAX_DOCUMENT_BYTES}:"
            " move long values into `variables`, or register the operation (graphql/operations/)"
        )
    return parsed


def graphql_response(result: ExecutionResult) -> Response[bytes]:
    """200 with data (and errors, if any); 400 without data when the request itself was wrong."""
    status, body = graphql_answer(result)
    return Response(body, status_code=status, media_type="application/json")


def graphql_answer(result: ExecutionResult) -> tuple[int, bytes]:
    """The status and JSON body of `graphql_response`, without building a Response."""
    if not result.errors:
        return HTTP_200_OK, _encode({"data": result.data})
    body: dict[str, Any] = {"errors": [error.formatted for error in result.errors]}
    if result.data is not None or not _request_errors(result.errors):
        body["data"] = result.data
    return (HTTP_400_BAD_REQUEST if "data" not in body else HTTP_200_OK), _encode(body)


def error_response(status: int, message: str, **extensions: Any) -> Response[bytes]:
    error: dict[str, Any] = {"message": message}
    if extensions:
        error["extensions"] = extensions
    return Response(_encode({"errors": [error]}), status_code=status, media_type="application/json")


def _request_errors(errors: list[GraphQLError] | None) -> bool:
    """Parse and validation errors carry no path; they mean the request itself was wrong."""
    return bool(errors) and all(error.path is None for error in errors or [])
