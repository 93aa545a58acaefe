"""Media over HTTP: `POST /media` (upload), `GET`/`PATCH`/`DELETE /media/{asset}` (metadata, deletion),
`GET /media/{asset}/{preset}` (renditions)."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.types import ExceptionHandlersMap

from cms.auth.principal import WRITE
from cms.auth.request import AccessError, check_csrf, principal_of
from cms.lib.unavailable import retry_after_headers
from cms.media.errors import AssetInUse, InvalidAssetChange, MediaError, UploadRefused
from cms.media.form import read_upload_form
from cms.media.library import MediaLibrary, require, require_read
from cms.media.renditions import find_rendition, rendition_bytes, rendition_redirect
from cms.media.storage import StorageUnavailableError

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
JSON = "application/json"
_encode = msgspec.json.Encoder().encode
logger = logging.getLogger(__name__)


def _errors(status: int, problems: list[dict[str, Any]]) -> Response[bytes]:
    return Response(_encode({"errors": problems}), status_code=status, media_type="application/json")


def _media_error(request: Request[Any, Any, Any], error: MediaError) -> Response[bytes]:
    if error.status >= 500:  # ours, not the client's (an original missing from storage): someone must look
        logger.error("media request failed: %s %s: %s", request.method, request.url.path, error.reason)
    if isinstance(error, InvalidAssetChange):
        return _errors(error.status, [{"message": f"{f}: {m}", "field": f} for f, m in error.problems])
    if isinstance(error, AssetInUse):
        return _errors(error.status, [{"message": error.reason, "usedBy": error.uses}])
    return _errors(error.status, [{"message": error.reason}])


def _access_error(request: Request[Any, Any, Any], error: AccessError) -> Response[bytes]:
    return _errors(error.status, [{"message": error.message}])


def _storage_unavailable(request: Request[Any, Any, Any], error: StorageUnavailableError) -> Response[bytes]:
    """503 with Retry-After; nothing was stored (an upload writes its asset row only after its file)."""
    logger.warning("media storage unavailable: %s %s: %s", request.method, request.url.path, error)
    problems = [{"message": error.message, "code": "SERVICE_UNAVAILABLE"}]
    return Response(_encode({"errors": problems}), status_code=503, media_type=JSON, headers=retry_after_headers())


ERRORS: ExceptionHandlersMap = {
    MediaError: _media_error,
    AccessError: _access_error,
    StorageUnavailableError: _storage_unavailable,
}


@post("/media", name="media:upload", request_max_body_size=None, exception_handlers=ERRORS)
async def upload_media(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Multipart form: `file` (the image) and optional `alt.<locale>` texts. 201 when new, 200 when known.
    The size limit is enforced by `read_upload_form` as the body streams in (Litestar's own limit is off)."""
    library = _library(request)
    principal = await principal_of(request)
    check_csrf(request, principal)
    require(principal, WRITE, "uploading", UploadRefused)
    form = await read_upload_form(request, library.settings.upload_max_bytes)
    assert form.file is not None
    uploaded = await library.upload(bytes(form.file), form.filename, form.declared_type, form.alt, principal)
    headers = {"Location": f"/media/{uploaded.asset['id']}"}
    return Response(_encode(uploaded.asset), status_code=201 if uploaded.created else 200, headers=headers)


@get("/media/{asset_id:str}", name="media:asset", exception_handlers=ERRORS)
async def asset_metadata(request: Request[Any, Any, Any], asset_id: str) -> Response[bytes]:
    """The asset's metadata; needs the `read` permission (it names who uploaded it)."""
    require_read(await principal_of(request))
    return Response(_encode(await _library(request).asset(asset_id)), media_type="application/json")


@patch("/media/{asset_id:str}", name="media:change", exception_handlers=ERRORS)
async def change_asset(request: Request[Any, Any, Any], asset_id: str) -> Response[bytes]:
    """JSON `{focalPoint: {x, y}, alt: {locale: text | null}}`; needs `write` (and X-CSRF-Token for sessions)."""
    principal = await principal_of(request)
    check_csrf(request, principal)
    document = await _library(request).change(asset_id, await request.body(), principal)
    return Response(_encode(document), media_type="application/json")


@delete("/media/{asset_id:str}", name="media:delete", exception_handlers=ERRORS)
async def delete_asset(request: Request[Any, Any, Any], asset_id: str) -> None:
    """204 once deleted; 409 with `usedBy` while an entry's current or published version uses the asset.
    Needs `write` (and X-CSRF-Token for sessions)."""
    principal = await principal_of(request)
    check_csrf(request, principal)
    await _library(request).delete(asset_id, principal)


@get("/media/{asset_id:str}/{preset:str}", name="media:rendition", exception_handlers=ERRORS)
async def rendition(request: Request[Any, Any, Any], asset_id: str, preset: str) -> Response[bytes]:
    """Public. `?format=` picks one of the preset's formats (default: its first). Immutable when `v` is the
    rendition's current digest (the URLs in asset metadata carry it), else revalidated with the ETag."""
    library = _library(request)
    ref = await find_rendition(library, asset_id, preset, request.query_params.get("format"))
    versioned = request.query_params.get("v") == ref.digest
    headers = {"ETag": ref.etag, "Cache-Control": IMMUTABLE if versioned else REVALIDATE}
    if _matches(request.headers.get("if-none-match", ""), ref.etag):
        return Response(b"", status_code=304, headers=headers)
    if library.settings.media_redirect and (url := await rendition_redirect(library, ref)):
        # A presigned URL expires: a cache may keep the redirect for half its life.
        cache = f"public, max-age={library.settings.media_redirect_ttl // 2}"
        return Response(b"", status_code=302, headers={"Location": url, "Cache-Control": cache})
    data = await rendition_bytes(library, ref)
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(data, media_type=ref.media_type, headers=headers)


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}
    return etag in candidates or "*" in candidates


def _library(request: Request[Any, Any, Any]) -> MediaLibrary:
    library: MediaLibrary = request.app.state.media
    return library


MEDIA_ROUTES = [upload_media, asset_metadata, change_asset, delete_asset, rendition]
