"""`GET /prices/{channel}`: the price feed a checkout charges from (cms.commerce.feed), the same prices the
channel's delivery serves. Protected channels need the same token as their GraphQL endpoint; `no-store`,
since prices change with offers."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.status_codes import HTTP_404_NOT_FOUND

from cms.auth.request import AccessError, principal_of
from cms.commerce.feed import price_feed
from cms.delivery.http import DeliveryAccessError, DeliveryService, check_channel_access
from cms.lib.graphql_http import error_response

NO_STORE = {"Cache-Control": "no-store"}
_encode = msgspec.json.Encoder().encode


@get("/prices/{channel:str}", name="prices")
async def prices_endpoint(request: Request[Any, Any, Any], channel: str) -> Response[bytes]:
    """`{channel, at, items: [{sku, gtin, entry, amount, currency, compareAt, offer, validUntil}]}`."""
    service: DeliveryService = request.app.state.delivery
    model_channel = service.model.channels.get(channel)
    if model_channel is None:
        known = ", ".join(service.model.channels)
        return _refused(
            HTTP_404_NOT_FOUND, f"unknown channel {channel!r}: the channels are {known} (/prices/<channel>)"
        )
    try:
        check_channel_access(await principal_of(request), model_channel)
    except (AccessError, DeliveryAccessError) as error:
        return _refused(error.status, error.message)
    feed = await price_feed(service.model, channel)
    return Response(_encode(feed), media_type="application/json", headers=NO_STORE)


def _refused(status: int, message: str) -> Response[bytes]:
    response = error_response(status, message)
    response.headers.update(NO_STORE)
    return response
