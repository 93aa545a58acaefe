"""`GET|POST /graphql/{channel}`: the delivery endpoint of every channel, and GraphiQL for people."""

from __future__ import annotations

from typing import Any

import msgspec
import strawberry
from litestar import Request, Response, route
from litestar.status_codes import HTTP_200_OK, HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND, HTTP_415_UNSUPPORTED_MEDIA_TYPE
from strawberry.http.ides import get_graphql_ide_html

from cms.delivery.context import DeliveryContext
from cms.delivery.locale import locale_from_accept_language
from cms.delivery.sql import JsonDialect
from cms.model.definitions import ContentModel
from graphql import GraphQLError

_encode = msgspec.json.Encoder().encode


class GraphQLRequest(msgspec.Struct, forbid_unknown_fields=False):
    query: str | None = None
    variables: dict[str, Any] | None = None
    operationName: str | None = None
    extensions: dict[str, Any] | None = None


class BadRequestError(ValueError):
    pass


class DeliveryService(msgspec.Struct):
    """What the endpoint needs, built once at start-up: the model and one schema per channel."""

    model: ContentModel
    schemas: dict[str, strawberry.Schema]
    dialect: JsonDialect


@route("/graphql/{channel:str}", http_method=["GET", "POST"], name="delivery", status_code=HTTP_200_OK)
async def delivery_endpoint(request: Request[Any, Any, Any], channel: str) -> Response[bytes]:
    service: DeliveryService = request.app.state.delivery
    if channel not in service.schemas:
        known = ", ".join(service.schemas)
        return _errors(
            HTTP_404_NOT_FOUND, f"unknown channel {channel!r}: the channels are {known} (/graphql/<channel>)"
        )
    if request.method == "GET" and "query" not in request.query_params and _wants_html(request):
        return Response(get_graphql_ide_html().encode(), media_type="text/html; charset=utf-8")
    try:
        graphql_request = await _read_request(request)
    except BadRequestError as error:
        status = HTTP_415_UNSUPPORTED_MEDIA_TYPE if "Content-Type" in str(error) else HTTP_400_BAD_REQUEST
        return _errors(status, str(error))
    model_channel = service.model.channels[channel]
    context = DeliveryContext(
        model=service.model,
        channel=model_channel,
        header_locale=locale_from_accept_language(request.headers.get("accept-language"), model_channel),
        dialect=service.dialect,
    )
    result = await service.schemas[channel].execute(
        graphql_request.query or "",
        variable_values=graphql_request.variables,
        context_value=context,
        operation_name=graphql_request.operationName,
    )
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    if result.data is not None or not _request_errors(result.errors):
        body["data"] = result.data
    status = HTTP_400_BAD_REQUEST if "data" not in body else HTTP_200_OK
    return Response(_encode(body), status_code=status, media_type="application/json")


async def _read_request(request: Request[Any, Any, Any]) -> GraphQLRequest:
    if request.method == "GET":
        params = request.query_params
        variables = params.get("variables")
        try:
            decoded = msgspec.json.decode(variables) if variables else None
        except msgspec.DecodeError as error:
            raise BadRequestError(f"`variables` is not valid JSON: {error}") from None
        return _checked(
            {"query": params.get("query"), "variables": decoded, "operationName": params.get("operationName")}
        )
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        raise BadRequestError(
            f"send the query as JSON (Content-Type: application/json), got {content_type or 'none'!r}"
        )
    try:
        raw = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as error:
        raise BadRequestError(f"the request body is not valid JSON: {error}") from None
    return _checked(raw)


def _checked(raw: Any) -> GraphQLRequest:
    if not isinstance(raw, dict):
        raise BadRequestError('the request body must be a JSON object such as {"query": "{ products { totalCount } }"}')
    try:
        parsed = msgspec.convert(raw, GraphQLRequest)
    except msgspec.ValidationError as error:
        raise BadRequestError(f"invalid GraphQL request: {error}") from None
    if not parsed.query:
        raise BadRequestError("missing `query`: send a GraphQL document")
    return parsed


def _request_errors(errors: list[GraphQLError] | None) -> bool:
    """Parse and validation errors carry no path; they mean the request itself was wrong."""
    return bool(errors) and all(error.path is None for error in errors or [])


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _errors(status: int, message: str) -> Response[bytes]:
    return Response(_encode({"errors": [{"message": message}]}), status_code=status, media_type="application/json")
