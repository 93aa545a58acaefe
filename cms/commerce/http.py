"""`PUT /inventory`: an order management system writes stock in batches of up to 100,000 lines.

The body is a JSON array (`Content-Type: application/json`) or NDJSON (`application/x-ndjson`) of
`{sku, location, quantity, updated_at}`. It needs a token with the `inventory:write` scope. Answers:

- 200 with the report (`StockReport`): every line applied, already applied, or stale (older than what is
  stored: last write wins by `updated_at`, so a stale line is reported and not applied);
- 422 with the same report when some line is refused (unknown sku or location, negative quantity,
  malformed): nothing is applied, unless `?partial=true`, which applies the good lines and answers 200;
- 400 (a body that is not a batch: not JSON, an NDJSON line that is not JSON, no lines), 413 (over
  100,000 lines or 32 MiB), 415 (another content type): nothing is applied.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, put
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from cms.auth.principal import INVENTORY_WRITE
from cms.auth.request import AccessError, principal_of
from cms.commerce.lines import MalformedBatchError, read_batch
from cms.commerce.stock import apply_stock
from cms.lib.graphql_http import error_response
from cms.model.definitions import ContentModel

MAX_BODY_BYTES = 32 * 1024 * 1024
"""100,000 lines of ~100 bytes fit with room to spare (Litestar's default of 10 MB would not)."""
JSON_TYPES = frozenset({"application/json"})
NDJSON_TYPES = frozenset({"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"})
NO_STORE = {"Cache-Control": "no-store"}
_encode = msgspec.json.Encoder().encode


@put("/inventory", name="inventory", request_max_body_size=MAX_BODY_BYTES, status_code=HTTP_200_OK)
async def inventory_endpoint(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Apply a stock batch; the report says what became of each line that was not applied."""
    try:
        principal = await principal_of(request)
    except AccessError as error:
        return _refused(error.status, error.message)
    if not principal.can(INVENTORY_WRITE):
        return _refused(HTTP_403_FORBIDDEN, f"writing stock needs a token with the {INVENTORY_WRITE} scope")
    try:
        partial = _partial(request)
        ndjson = _is_ndjson(request.headers.get("content-type", ""))
    except _Refusal as refusal:
        return _refused(refusal.status, str(refusal))
    try:
        lines, refused = read_batch(await request.body(), ndjson=ndjson)
    except MalformedBatchError as error:
        return _refused(HTTP_413_REQUEST_ENTITY_TOO_LARGE if error.too_large else HTTP_400_BAD_REQUEST, str(error))
    model: ContentModel = request.app.state.model
    report = await apply_stock(model, lines, refused, partial=partial)
    status = HTTP_422_UNPROCESSABLE_ENTITY if report.refused and not partial else HTTP_200_OK
    return Response(_encode(report), status_code=status, media_type="application/json", headers=NO_STORE)


class _Refusal(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _partial(request: Request[Any, Any, Any]) -> bool:
    unknown = sorted(set(request.query_params) - {"partial"})
    if unknown:
        raise _Refusal(HTTP_400_BAD_REQUEST, f"unknown query parameter {unknown[0]!r}: the only one is `partial`")
    value = request.query_params.get("partial", "false").lower()
    if value not in ("true", "false"):
        raise _Refusal(HTTP_400_BAD_REQUEST, f"`partial` must be true or false, got {value[:20]!r}")
    return value == "true"


def _is_ndjson(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type in JSON_TYPES:
        return False
    if media_type in NDJSON_TYPES:
        return True
    raise _Refusal(
        HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        f"Content-Type {media_type or '(none)'!r} is not a stock batch: send application/json (an array) "
        "or application/x-ndjson (one line per stock line)",
    )


def _refused(status: int, message: str) -> Response[bytes]:
    response = error_response(status, message)
    response.headers.update(NO_STORE)
    return response
