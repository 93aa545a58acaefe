"""`GET|POST /graphql/{channel}`: the delivery endpoint of every channel, and GraphiQL for people."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, cast

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
from litestar.types import ASGIApp
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types import ExecutionResult

from cms.auth.principal import PREVIEW, Principal
from cms.auth.request import AccessError, principal_of
from cms.delivery.admission import Admission, QueryRefusedError
from cms.delivery.cache import (
    CACHE_SCOPE_KEY,
    CachedAnswer,
    RawResponse,
    ResponseCache,
    Stamp,
    answer_key,
    request_digest,
    shows_stock,
    stale_or_refused,
)
from cms.delivery.context import DeliveryContext
from cms.delivery.cors import CorsPolicy, cors_middleware, policies_of, vary_of
from cms.delivery.fast import execute_fast
from cms.delivery.freshness import Freshness
from cms.delivery.hits import DeliveryRequest, RememberedRequests, cache_hit_lane, raw_of, stamp_of
from cms.delivery.locale import locale_from_accept_language
from cms.delivery.operations import NOT_FOUND, OperationRegistry
from cms.delivery.sql import JsonDialect
from cms.lib.graphql_http import (
    JSON,
    BadRequestError,
    GraphQLRequest,
    error_response,
    graphql_answer,
    graphql_response,
    read_graphql_request,
    response_media_type,
)
from cms.lib.instants import coming_instant
from cms.lib.query_limits import Limits
from cms.lib.unavailable import raise_if_unavailable
from cms.model.definitions import Channel, ContentModel

LIVE = "live"
_canonical_json = msgspec.json.Encoder(order="sorted").encode
_decode_json = msgspec.json.Decoder().decode


class DeliveryService(msgspec.Struct):
    """What the endpoint needs, built once at start-up: the model, one schema, operation registry and
    admission gate per channel, and the response cache with what tells it which content is live."""

    model: ContentModel
    schemas: dict[str, strawberry.Schema]
    dialect: JsonDialect
    operations: dict[str, OperationRegistry] = {}
    cache: ResponseCache = msgspec.field(default_factory=ResponseCache)
    limits: Limits = Limits()
    freshness: Freshness = msgspec.field(default_factory=Freshness)
    """Kept current by the invalidation listener on PostgreSQL (cms.delivery.invalidation)."""
    admissions: dict[str, Admission] = {}
    fingerprints: dict[str, str] = {}
    """A hash of each channel's schema: part of every cache key and ETag."""
    remembered: RememberedRequests = msgspec.field(default_factory=RememberedRequests)
    """Anonymous GETs answered live, by raw request (cms.delivery.hits)."""
    cors: dict[str, CorsPolicy] = {}
    """Each channel's allowed origins (cms.delivery.cors)."""
    time_travel: Callable[[dt.datetime], AbstractAsyncContextManager[Any]] | None = None
    """The store as it will be at an instant, for `Preview-At` (cms.workflow.time_travel.as_of, given by
    the app: delivery sits below the workflow that runs scheduled jobs); None refuses `Preview-At`."""

    def __post_init__(self) -> None:
        self.freshness.on_change = self.cache.clear
        self.freshness.on_stock_change = self.cache.clear_stock
        self.admissions = {
            name: Admission(
                schema._schema,
                self.limits,
                introspection_off_for=None if self.model.channels[name].introspection else name,
            )
            for name, schema in self.schemas.items()
        }
        self.fingerprints = {
            name: hashlib.sha256(str(schema).encode()).hexdigest() for name, schema in self.schemas.items()
        }
        self.cors = policies_of(self.model.channels)


class DeliveryAccessError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _lane(app: ASGIApp) -> ASGIApp:
    """The hit lane (cms.delivery.hits), computing what it may as the endpoint does: by `respond`."""
    return cache_hit_lane(app, respond)


@route(
    "/graphql/{channel:str}",
    http_method=["GET", "POST", "OPTIONS"],  # OPTIONS: CORS preflights, answered by cors_middleware
    name="delivery",
    status_code=HTTP_200_OK,
    middleware=[cors_middleware, _lane],
)
async def delivery_endpoint(request: Request[Any, Any, Any], channel: str) -> ASGIApp:
    return await respond(request.app.state.delivery, DeliveryRequest.of(request, channel))


async def respond(service: DeliveryService, request: DeliveryRequest) -> ASGIApp:
    """The answer to a delivery request, ready to send: the endpoint's, and the hit lane's for the
    anonymous requests it computes without Litestar's handler (cms.delivery.hits)."""
    answer = await _deliver(service, request)
    if isinstance(answer, RawResponse):  # a live answer, encoded as the cache keeps it
        return answer
    return answer.to_asgi_response(app=None, request=request.connection)


async def _deliver(service: DeliveryService, request: DeliveryRequest) -> Response[bytes] | RawResponse:
    remembered = request.remembered
    if remembered is not None and remembered.prepared is not None:
        # Asked before by the same raw request (cms.delivery.hits): what was derived from it then (stage,
        # request, document, admission, locale, digest) holds now; only the answer's key depends on the stamp.
        stamp, stale = await _live_stamp(service, request)
        prepared: Prepared = remembered.prepared
        key = remembered.key_at(stamp)
        return await _answer_at(request, service, prepared, remembered.digest, stamp, key, stale=stale)
    channel = request.channel
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
        instant = _preview_instant(request, service)
        # It reads a Request's method, query_params, headers and body(): a DeliveryRequest has them all.
        graphql_request = await read_graphql_request(cast("Request[Any, Any, Any]", request), persisted=True)
        registry = service.operations.get(channel) or OperationRegistry({}, persisted_only=model_channel.persisted_only)
        document = registry.resolve(graphql_request)
    except DeliveryAccessError as error:
        return _not_stored(error_response(error.status, error.message))
    except BadRequestError as error:
        return _not_stored(error_response(error.status, str(error)))
    if document is None:
        return _not_stored(error_response(HTTP_200_OK, NOT_FOUND, code="PERSISTED_QUERY_NOT_FOUND"))
    variables = _canonical_json(graphql_request.variables or {})
    media_type = response_media_type(request.headers.get("accept"))
    try:
        service.admissions[channel].check(document, graphql_request.operationName, graphql_request.variables, variables)
    except QueryRefusedError as refusal:
        return _not_stored(graphql_response(ExecutionResult(data=None, errors=refusal.errors), media_type))
    header_locale = locale_from_accept_language(request.headers.get("accept-language"), model_channel)
    if instant is not None:
        return await _answer_as_of(
            request, service, model_channel, header_locale, document, graphql_request, instant, media_type
        )
    if stage != LIVE:
        context = _context(service, model_channel, header_locale, stage)
        status, body = await execute_operation(service, document, graphql_request, context, media_type)
        response = Response(body, status_code=status, media_type=media_type)
        return _cacheable(request, response, model_channel, stage, _surrogate_key(model_channel, context.served))
    # An automatic persisted query sent by hash alone must be asked for again once it leaves the registry's LRU;
    # one sent with its query registers it again each time (resolve), so what it derived is not reused.
    persisted_hash = graphql_request.persisted_hash
    registered = persisted_hash is None or persisted_hash in registry.registered
    prepared = Prepared(
        model_channel,
        document,
        graphql_request,
        header_locale,
        variables,
        media_type,
        reusable=registered and len(variables) <= PREPARED_VARIABLES_KEPT,
    )
    rememberable = registered or bool(graphql_request.query)
    return await _answer_live(request, service, prepared, variables, rememberable=rememberable)


PREPARED_VARIABLES_KEPT = 1024
"""Largest variables (canonical JSON) a remembered request keeps what it derived with."""


class Prepared:
    """What a live request derived from its raw request besides its digest: remembered with it for the hit lane
    (`reusable`: the same raw request always derives the same), so the next miss of the same raw request
    computes its answer without reading it again.

    Once remembered it holds the variables as their canonical JSON (at most `PREPARED_VARIABLES_KEPT` bytes),
    decoded again for each use: decoded, `[{},{},...]` weighs twenty times its text, and a request may send
    variables its operation ignores; nor are its extensions kept."""

    __slots__ = (
        "_request",
        "_variables",
        "channel",
        "document",
        "header_locale",
        "media_type",
        "operation_name",
        "reusable",
        "shows_stock",
    )

    def __init__(
        self,
        channel: Channel,
        document: str,
        graphql_request: GraphQLRequest,
        header_locale: str,
        variables: bytes,
        media_type: str,
        *,
        reusable: bool,
    ) -> None:
        self.channel, self.document, self.header_locale, self.reusable = channel, document, header_locale, reusable
        self.shows_stock = shows_stock(document)
        """The answer shows stock: keyed by the stock version too (cms.delivery.cache)."""
        self.media_type = media_type
        """The answer's media type (cms.lib.graphql_http.response_media_type): the raw request names it too."""
        self.operation_name = graphql_request.operationName
        self._request: GraphQLRequest | None = graphql_request
        """The request itself, for the request that derived this (dropped once remembered)."""
        self._variables = None if graphql_request.variables is None else variables

    def request(self) -> GraphQLRequest:
        """The variables and operation name to run (the original request the first time)."""
        if self._request is not None:
            return self._request
        variables = None if self._variables is None else _decode_json(self._variables)
        return GraphQLRequest(variables=variables, operationName=self.operation_name)

    def remembered(self) -> Prepared | None:
        """This, without the original request, to remember with the raw request; None when not `reusable`."""
        if not self.reusable:
            return None
        self._request = None
        return self


def _context(service: DeliveryService, channel: Channel, header_locale: str, stage: str) -> DeliveryContext:
    return DeliveryContext(
        model=service.model, channel=channel, header_locale=header_locale, dialect=service.dialect, stage=stage
    )


async def execute_operation(
    service: DeliveryService,
    document: str,
    graphql_request: GraphQLRequest,
    context: DeliveryContext,
    media_type: str = JSON,
) -> tuple[int, bytes]:
    """Compute the answer (status, JSON body) in `media_type`: the one step that runs the operation (everything
    around it is caching)."""
    schema = service.schemas[context.channel.name]
    result = await execute_fast(schema, document, graphql_request.variables, graphql_request.operationName, context)
    if result is None:  # not an operation the fast path answers (cms.delivery.fast): regular execution
        result = await schema.execute(
            document,
            variable_values=graphql_request.variables,
            context_value=context,
            operation_name=graphql_request.operationName,
        )
    raise_if_unavailable(result.errors)  # a 503 rather than "Unexpected error." in a 200
    return graphql_answer(result, media_type)


async def _answer_live(
    request: DeliveryRequest,
    service: DeliveryService,
    prepared: Prepared,
    variables: bytes,
    *,
    rememberable: bool,
) -> Response[bytes] | RawResponse:
    """From the response cache when it holds this answer for the content live now; else computed, then kept.

    A `rememberable` request that is or gets cached is remembered for the hit lane (cms.delivery.hits)."""
    channel = prepared.channel
    digest = request_digest(
        schema=service.fingerprints[channel.name],
        channel=channel.name,
        stage=LIVE,
        locale=prepared.header_locale,
        document=prepared.document,
        operation_name=prepared.operation_name,
        variables=variables,
        media_type=prepared.media_type,
    )
    stamp, stale = await _live_stamp(service, request)
    key = answer_key(digest, stamp, stock=prepared.shows_stock)
    return await _answer_at(request, service, prepared, digest, stamp, key, rememberable, stale=stale)


async def _live_stamp(service: DeliveryService, request: DeliveryRequest) -> tuple[Stamp, bool]:
    """The stamp the hit lane read, else the content live now; with the database down, the last one (stale)."""
    stamp = stamp_of(request.scope)
    return (stamp, False) if stamp is not None else await service.freshness.stamp_or_last()


async def _answer_at(
    request: DeliveryRequest,
    service: DeliveryService,
    prepared: Prepared,
    digest: bytes,
    stamp: Stamp,
    key: str,
    rememberable: bool = False,
    *,
    stale: bool = False,
) -> Response[bytes] | RawResponse:
    """The live answer of cache key `key` (of request `digest` at `stamp`): cached, or computed then kept.

    A `stale` stamp is the last one seen while the database is down: only a cached answer is served then,
    marked stale (stale-if-error); any other request is refused with 503 (cms.lib.unavailable)."""
    channel = prepared.channel
    etag = f'"{key[:40]}"'
    client_has = _client_has(request, etag)
    cached = service.cache.get(key)
    if stale:
        return stale_or_refused(cached, request.scope, not_modified=client_has)
    if cached is not None:
        request.scope[CACHE_SCOPE_KEY] = "hit"  # type: ignore[literal-required]  # for the request log, if on
        if rememberable:
            service.remembered.remember(request.scope, digest, prepared.remembered(), stock=prepared.shows_stock)
        return cached.asgi(not_modified=client_has)
    if client_has:
        # The same key always yields the same answer: no need to compute it to say "not modified".
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=_caching_headers(channel, LIVE, etag))
    service.cache.misses += 1
    request.scope[CACHE_SCOPE_KEY] = "miss"  # type: ignore[literal-required]
    context = _context(service, channel, prepared.header_locale, LIVE)
    status, body = await execute_operation(service, prepared.document, prepared.request(), context, prepared.media_type)
    if not _succeeded(status, body):
        return _not_stored(Response(body, status_code=status, media_type=prepared.media_type))
    answer = _kept(body, channel, etag, _surrogate_key(channel, context.served), prepared.media_type)
    if service.freshness.still_current(stamp, stock=prepared.shows_stock):
        service.cache.put(key, answer, stock=prepared.shows_stock)
        if rememberable:
            service.remembered.remember(request.scope, digest, prepared.remembered(), stock=prepared.shows_stock)
    # Its headers encoded once, whether kept or not: the answer goes out as the cache would send it.
    return answer.asgi(not_modified=False)


def _kept(body: bytes, channel: Channel, etag: str, surrogate_key: str, media_type: str) -> CachedAnswer:
    """A live answer as the cache keeps it: bytes and the headers of its 200, encoded once (Content-Type,
    then `_caching_headers` in their order, lower-case)."""
    encoded = [
        (b"content-type", media_type.encode()),
        (b"etag", etag.encode("latin-1")),
        (b"cache-control", _cache_control(channel, LIVE).encode("latin-1")),
        (b"vary", vary_of(channel).encode("latin-1")),
    ]
    if surrogate_key:
        encoded.append((b"surrogate-key", surrogate_key.encode("latin-1")))
    return CachedAnswer(body, surrogate_key, encoded)


def _cacheable(
    request: DeliveryRequest,
    response: Response[bytes],
    channel: Channel,
    stage: str,
    surrogate_key: str,
    etag: str | None = None,
) -> Response[bytes]:
    """Successful answers get a strong ETag (live: derived from the cache key, so from the content version;
    previews: a hash of the bytes), the channel's Cache-Control, the ids of the entries shown as surrogate
    keys for CDN purges, and 304 when the client has them already."""
    if not _succeeded(response.status_code, response.content):
        return _not_stored(response)
    etag = etag or '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    headers = _caching_headers(channel, stage, etag, surrogate_key)
    if _client_has(request, etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    response.headers.update(headers)
    return response


def _caching_headers(channel: Channel, stage: str, etag: str, surrogate_key: str | None = None) -> dict[str, str]:
    headers = {"ETag": etag, "Cache-Control": _cache_control(channel, stage), "Vary": vary_of(channel)}
    if surrogate_key:
        headers["Surrogate-Key"] = surrogate_key
    return headers


def _cache_control(channel: Channel, stage: str) -> str:
    if stage != LIVE:
        return "private, no-store"
    if channel.public:
        return channel.cache_control
    # A shared cache (a CDN) must not hand a protected channel's answer to a client without a token.
    kept = [part.strip() for part in channel.cache_control.split(",") if part.strip() not in ("", "public", "private")]
    return ", ".join(["private", *kept])


_SURROGATE_KEYS_KEPT = 512
_surrogate_keys: dict[tuple[str, frozenset[str]], str] = {}
"""Surrogate keys of the larger sets of entries shown, by channel and set: sorting and joining 50 ids costs
several times as much as finding them again (forgotten all at once when full)."""


def _surrogate_key(channel: Channel, served: set[str]) -> str:
    """`channel-<name>` then `entry-<id>` of each entry shown, by id (a common prefix keeps the order)."""
    if not served:
        return f"channel-{channel.name}"
    if len(served) < 8:
        return f"channel-{channel.name} entry-" + " entry-".join(sorted(served))
    shown = (channel.name, frozenset(served))
    known = _surrogate_keys.get(shown)
    if known is None:
        if len(_surrogate_keys) >= _SURROGATE_KEYS_KEPT:
            _surrogate_keys.clear()
        known = _surrogate_keys[shown] = f"channel-{channel.name} entry-" + " entry-".join(sorted(served))
    return known


def _succeeded(status: int | None, body: bytes) -> bool:
    return status == HTTP_200_OK and b'"errors"' not in body[:12]


def _not_stored(response: Response[bytes]) -> Response[bytes]:
    response.headers["Cache-Control"] = "no-store"
    return response


def _client_has(request: DeliveryRequest, etag: str) -> bool:
    raw = raw_of(request.scope)
    if raw is not None and not raw.if_none_match:  # the lane saw no (or an empty) If-None-Match
        return False
    sent = request.headers.get("if-none-match")
    return sent is not None and etag in {tag.strip() for tag in sent.split(",")}


async def _stage_for(request: DeliveryRequest, channel: Channel) -> str:
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
    if PREVIEW_AT in request.headers and not principal.can(PREVIEW):
        status = HTTP_401_UNAUTHORIZED if principal.kind == "anonymous" else HTTP_403_FORBIDDEN
        raise DeliveryAccessError(status, "Preview-At needs a token with the `preview` scope")
    check_channel_access(principal, channel)
    return "preview" if asks_preview or is_preview_token else "live"


PREVIEW_AT = "preview-at"
"""The header asking for the content as it will be at an instant (RFC 3339, with a time zone)."""


def _preview_instant(request: DeliveryRequest, service: DeliveryService) -> dt.datetime | None:
    """The instant of a `Preview-At` header (its sender's right to it checked by `_stage_for`), None without one;
    BadRequestError naming the header for anything but a future instant with a time zone."""
    text = request.headers.get(PREVIEW_AT)
    if text is None:
        return None
    try:
        instant = coming_instant(
            text,
            example="e.g. Preview-At: 2026-12-01T09:00:00Z",
            in_the_past="a preview shows what will be served (the audit log shows what was)",
        )
    except ValueError as problem:
        raise BadRequestError(f"Preview-At: {problem}") from None
    if service.time_travel is None:
        raise BadRequestError("Preview-At is not available on this server")
    return instant


async def _answer_as_of(
    request: DeliveryRequest,
    service: DeliveryService,
    channel: Channel,
    header_locale: str,
    document: str,
    graphql_request: GraphQLRequest,
    instant: dt.datetime,
    media_type: str,
) -> Response[bytes]:
    """The live answer as it will be at `instant` (cms.workflow.time_travel): computed inside a transaction that
    is rolled back, never put in the response cache, sent `private, no-store`."""
    assert service.time_travel is not None
    context = _context(service, channel, header_locale, LIVE)
    async with service.time_travel(instant):
        status, body = await execute_operation(service, document, graphql_request, context, media_type)
    response = Response(body, status_code=status, media_type=media_type)
    return _cacheable(request, response, channel, "preview", _surrogate_key(channel, context.served))


def check_channel_access(principal: Principal, channel: Channel) -> None:
    """A channel that is not public is read with its `delivery:<channel>` scope (or a preview grant);
    DeliveryAccessError (401 for nobody, 403 for someone else) otherwise. Also `GET /sync/{channel}`'s check."""
    if not channel.public and not (principal.can_deliver(channel.name) or principal.can(PREVIEW)):
        _refuse_protected(principal, channel)


def _refuse_protected(principal: Principal, channel: Channel) -> None:
    if principal.kind == "anonymous":
        raise DeliveryAccessError(
            HTTP_401_UNAUTHORIZED, f"the {channel.name} channel needs a token with the `delivery:{channel.name}` scope"
        )
    raise DeliveryAccessError(
        HTTP_403_FORBIDDEN, f"this token may not read the {channel.name} channel (needs `delivery:{channel.name}`)"
    )


def _wants_html(request: DeliveryRequest) -> bool:
    return "text/html" in request.headers.get("accept", "")
