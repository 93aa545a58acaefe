"""`GET|POST /graphql/{channel}`: the delivery endpoint of every channel, and GraphiQL for people."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
import strawberry
from litestar import Request, Response, route
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_304_NOT_MODIFIED,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
)
from strawberry.http.ides import get_graphql_ide_html

from cms.auth.principal import PREVIEW, Principal
from cms.auth.request import AccessError, principal_of
from cms.delivery.context import DeliveryContext
from cms.delivery.locale import locale_from_accept_language
from cms.delivery.operations import NOT_FOUND, OperationRegistry
from cms.delivery.sql import JsonDialect
from cms.lib.graphql_http import BadRequestError, error_response, graphql_response, read_graphql_request
from cms.model.definitions import Channel, ContentModel


class DeliveryService(msgspec.Struct):
    """What the endpoint needs, built once at start-up: the model, one schema and operation registry per channel."""

    model: ContentModel
    schemas: dict[str, strawberry.Schema]
    dialect: JsonDialect
    operations: dict[str, OperationRegistry] = {}


class DeliveryAccessError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@route("/graphql/{channel:str}", http_method=["GET", "POST"], name="delivery", status_code=HTTP_200_OK)
async def delivery_endpoint(request: Request[Any, Any, Any], channel: str) -> Response[bytes]:
    service: DeliveryService = request.app.state.delivery
    if channel not in service.schemas:
        known = ", ".join(service.schemas)
        return error_response(
            HTTP_404_NOT_FOUND, f"unknown channel {channel!r}: the channels are {known} (/graphql/<channel>)"
        )
    if request.method == "GET" and "query" not in request.query_params and _wants_html(request):
        return Response(get_graphql_ide_html().encode(), media_type="text/html; charset=utf-8")
    model_channel = service.model.channels[channel]
    try:
        stage = await _stage_for(request, model_channel)
        graphql_request = await read_graphql_request(request, persisted=True)
        registry = service.operations.get(channel) or OperationRegistry({}, persisted_only=model_channel.persisted_only)
        document = registry.resolve(graphql_request)
    except DeliveryAccessError as error:
        return error_response(error.status, error.message)
    except BadRequestError as error:
        return error_response(error.status, str(error))
    if document is None:
        return error_response(HTTP_200_OK, NOT_FOUND, code="PERSISTED_QUERY_NOT_FOUND")
    context = DeliveryContext(
        model=service.model,
        channel=model_channel,
        header_locale=locale_from_accept_language(request.headers.get("accept-language"), model_channel),
        dialect=service.dialect,
        stage=stage,
    )
    result = await service.schemas[channel].execute(
        document,
        variable_values=graphql_request.variables,
        context_value=context,
        operation_name=graphql_request.operationName,
    )
    return _cacheable(request, graphql_response(result), model_channel, stage, context.served)


def _cacheable(
    request: Request[Any, Any, Any], response: Response[bytes], channel: Channel, stage: str, served: set[str]
) -> Response[bytes]:
    """Successful answers get a strong ETag (a hash of the bytes), the channel's Cache-Control, the ids
    of the entries shown as surrogate keys for CDN purges, and 304 when the client has them already."""
    body = response.content
    if response.status_code != HTTP_200_OK or b'"errors"' in body[:12]:
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-store" if stage != "live" else channel.cache_control,
        "Surrogate-Key": " ".join([f"channel-{channel.name}", *sorted(f"entry-{entry}" for entry in served)]),
        "Vary": "Accept-Language, Authorization",
    }
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    response.headers.update(headers)
    return response


async def _stage_for(request: Request[Any, Any, Any], channel: Channel) -> str:
    """`live`, or `preview` for a preview token (or a signed-in user asking with `preview=1`); checks access."""
    try:
        principal = await principal_of(request)
    except AccessError as error:
        raise DeliveryAccessError(error.status, error.message) from None
    asks_preview = request.query_params.get("preview") in ("1", "true") or request.headers.get("x-preview") in (
        "1",
        "true",
    )
    is_preview_token = principal.kind == "token" and principal.can(PREVIEW)
    if asks_preview and not principal.can(PREVIEW):
        raise DeliveryAccessError(HTTP_401_UNAUTHORIZED, "preview needs a token with the `preview` scope")
    if not channel.public and not (principal.can_deliver(channel.name) or principal.can(PREVIEW)):
        _refuse_protected(principal, channel)
    return "preview" if asks_preview or is_preview_token else "live"


def _refuse_protected(principal: Principal, channel: Channel) -> None:
    if principal.kind == "anonymous":
        raise DeliveryAccessError(
            HTTP_401_UNAUTHORIZED, f"the {channel.name} channel needs a token with the `delivery:{channel.name}` scope"
        )
    raise DeliveryAccessError(
        HTTP_403_FORBIDDEN, f"this token may not read the {channel.name} channel (needs `delivery:{channel.name}`)"
    )


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    return "text/html" in request.headers.get("accept", "")
