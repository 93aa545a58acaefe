"""GraphQL over HTTP, shared by the delivery and management endpoints: reading requests, writing answers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST, HTTP_415_UNSUPPORTED_MEDIA_TYPE
from strawberry.types import ExecutionResult

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode

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
        raw = {
            "query": params.get("query"),
            "variables": decode_json(variables, "`variables`") if variables else None,
            "operationName": params.get("operationName"),
            "extensions": decode_json(params["extensions"], "`extensions`") if params.get("extensions") else None,
            "id": params.get("id"),
        }
        return checked_request(raw, persisted)
    content_type = request.headers.get("content-type", "")
    if not is_json_content_type(content_type):
        raise UnsupportedMediaTypeError(
            f"send the query as JSON ({ACCEPTED_CONTENT_TYPES}), got {content_type or 'no Content-Type'!r}"
        )
    body = await request.body()
    if b"\\u0000" in body or b"\x00" in body:
        raise BadRequestError(NUL_REFUSED)
    raw = decode_json(body, "the request body")
    return checked_request(raw, persisted)


def decode_json(text: str | bytes, what: str) -> Any:
    """JSON sent by a client; BadRequestError naming `what` when it is not JSON or nested past msgspec's limit."""
    try:
        return msgspec.json.decode(text)
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        raise BadRequestError(f"{what} is not valid JSON: {error}") from None
    except RecursionError:
        raise BadRequestError(f"{what} is nested too deeply: flatten its arrays and objects") from None


ACCEPTED_CONTENT_TYPES = "Content-Type: application/json, with no charset or charset=utf-8"


@lru_cache(maxsize=64)
def is_json_content_type(value: str) -> bool:
    """`application/json`, with no charset or UTF-8 (any case): JSON is UTF-8 (RFC 8259), and a look-alike type
    (`application/jsonx`) or another charset would be decoded as something the client did not send."""
    media_type, *parameters = value.split(";")
    if media_type.strip().lower() != "application/json":
        return False
    for parameter in parameters:
        name, _, argument = parameter.partition("=")
        if name.strip().lower() == "charset" and argument.strip().strip('"').lower() != "utf-8":
            return False
    return True


def no_such_operation(document: DocumentNode, operation_name: str | None) -> GraphQLError:
    """The error for a document where `operation_name` picks no operation, naming the operations it has."""
    names = [d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name]
    known = f" (this document has: {', '.join(names)})" if names else ""
    if operation_name:
        return GraphQLError(f"unknown operation named {operation_name!r}{known}: check `operationName`")
    if any(isinstance(definition, OperationDefinitionNode) for definition in document.definitions):
        return GraphQLError(f"the document has several operations{known}: say which to run with `operationName`")
    return GraphQLError("the document has no operation to run: send a query")


def checked_request(raw: Any, persisted: bool = False) -> GraphQLRequest:
    """The GraphQL request in decoded JSON `raw`: an object with a query (or, if `persisted`, an operation id)."""
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


JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
"""GraphQL over HTTP's own media type: a client asking for it is told a request error by a 4xx status."""


@lru_cache(maxsize=256)
def response_media_type(accept: str | None) -> str:
    """The media type to answer a request sending `accept` with (GraphQL over HTTP): `GRAPHQL_RESPONSE_JSON` when
    the client names it and prefers it at least as much as `application/json`; else `application/json`, which
    clients predating the spec expect (no Accept, `*/*`, `application/json`, or a type neither of them matches)."""
    if not accept or GRAPHQL_RESPONSE_JSON not in accept.lower():
        return JSON
    preference = {JSON: (0.0, 0), GRAPHQL_RESPONSE_JSON: (0.0, 0)}  # (quality, specificity) of each
    for media_range in accept.lower().split(","):
        name, *parameters = (part.strip() for part in media_range.split(";"))
        quality = _quality(parameters)
        for candidate in preference:
            specificity = {candidate: 3, "application/*": 2, "*/*": 1}.get(name, 0)
            if specificity > preference[candidate][1]:
                preference[candidate] = (quality, specificity)
    wanted, legacy = preference[GRAPHQL_RESPONSE_JSON], preference[JSON]
    return GRAPHQL_RESPONSE_JSON if wanted[0] > 0 and wanted[1] == 3 and wanted[0] >= legacy[0] else JSON


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def graphql_response(result: ExecutionResult, media_type: str = JSON) -> Response[bytes]:
    """The answer to a well-formed GraphQL request, in `media_type` (`response_media_type` of its Accept)."""
    status, body = graphql_answer(result, media_type)
    return Response(body, status_code=status, media_type=media_type)


def graphql_answer(result: ExecutionResult, media_type: str = JSON) -> tuple[int, bytes]:
    """The status and JSON body of `graphql_response`, without building a Response.

    As GraphQL over HTTP asks: 200 with `data` (and `errors`, if any) once execution started; a request error
    (parsing, validation, variables, the limits) has no `data`, and is 400 under `application/graphql-response+json`
    but 200 under `application/json`, whose clients read the errors from the body."""
    if not result.errors:
        return HTTP_200_OK, _encode({"data": result.data})
    body: dict[str, Any] = {"errors": [error.formatted for error in result.errors]}
    if result.data is not None or not _request_errors(result.errors):
        body["data"] = result.data
    request_error = "data" not in body and media_type == GRAPHQL_RESPONSE_JSON
    return (HTTP_400_BAD_REQUEST if request_error else HTTP_200_OK), _encode(body)


def error_response(
    status: int, message: str, *, headers: dict[str, str] | None = None, **extensions: Any
) -> Response[bytes]:
    """One error in GraphQL's shape (`{"errors": [{"message", "extensions"}]}`), the way every JSON endpoint
    of the CMS answers a refusal."""
    error: dict[str, Any] = {"message": message}
    if extensions:
        error["extensions"] = extensions
    return Response(_encode({"errors": [error]}), status_code=status, media_type="application/json", headers=headers)


def _request_errors(errors: list[GraphQLError] | None) -> bool:
    """Parse and validation errors carry no path; they mean the request itself was wrong."""
    return bool(errors) and all(error.path is None for error in errors or [])
