"""`GET /sync/{channel}`: the sync feed of one channel over plain HTTP, the same page as the `sync` field.

Query parameters: `cursor`, `locale`, `types` (comma-separated or repeated) and `first`. Protected channels
need the same token as their GraphQL endpoint. Answers are `no-store`: what a cursor leads to changes as
changes arrive.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import MultiDict
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND

from cms.auth.request import AccessError, principal_of
from cms.delivery.http import DeliveryAccessError, DeliveryService, check_channel_access
from cms.events.sync import DEFAULT_FIRST, MAX_FIRST, SyncError, SyncQuery, sync
from cms.lib.graphql_http import error_response

PARAMETERS = ("cursor", "locale", "types", "first")
NO_STORE = {"Cache-Control": "no-store"}
_encode = msgspec.json.Encoder().encode


@get("/sync/{channel:str}", name="sync")
async def sync_endpoint(request: Request[Any, Any, Any], channel: str) -> Response[bytes]:
    """One page of the channel's sync feed as JSON: `{items, removed, nextCursor, hasMore}`."""
    service: DeliveryService = request.app.state.delivery
    model_channel = service.model.channels.get(channel)
    if model_channel is None:
        known = ", ".join(service.model.channels)
        return _refused(HTTP_404_NOT_FOUND, f"unknown channel {channel!r}: the channels are {known} (/sync/<channel>)")
    try:
        check_channel_access(await principal_of(request), model_channel)
        page = await sync(service.model, sync_query(request.query_params, channel))
    except (AccessError, DeliveryAccessError) as error:
        return _refused(error.status, error.message)
    except SyncError as error:
        return _refused(HTTP_400_BAD_REQUEST, str(error))
    return Response(_encode(page), media_type="application/json", headers=NO_STORE)


def sync_query(params: MultiDict[str], channel: str) -> SyncQuery:
    """The feed's request from the query string; SyncError names a parameter it cannot take."""
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise SyncError(f"unknown query parameter {', '.join(map(repr, unknown))}: use {', '.join(PARAMETERS)}")
    repeated = [name for name in ("cursor", "locale", "first") if len(params.getall(name, [])) > 1]
    if repeated:
        raise SyncError(f"send `{repeated[0]}` once")
    types = [name.strip() for value in params.getall("types", []) for name in value.split(",") if name.strip()]
    return SyncQuery(
        channel,
        cursor=params.get("cursor") or None,
        locale=params.get("locale") or None,
        types=tuple(types) if types else None,
        first=_first(params.get("first")),
    )


def _first(value: str | None) -> int:
    if value is None:
        return DEFAULT_FIRST
    if not (value.isascii() and value.isdigit()) or len(value) > 7:
        raise SyncError(f"`first` must be a whole number between 1 and {MAX_FIRST}, got {value[:20]!r}")
    return int(value)


def _refused(status: int, message: str) -> Response[bytes]:
    response = error_response(status, message)
    response.headers.update(NO_STORE)
    return response
