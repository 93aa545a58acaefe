"""The media library in the admin: a grid with blurhash placeholders, drag-and-drop upload, and an asset's page
(focal point, alt text per locale, metadata, where it is used, deletion). Every write goes through the
`MediaLibrary`, the same path as `POST /media`, `PATCH` and `DELETE /media/{asset}`, so the same checks, refusals
and audit events apply."""

from __future__ import annotations

import base64
import functools
import io
import math
from typing import Any
from urllib.parse import quote

import blurhash
import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from piccolo.query import WhereRaw
from PIL import Image

from cms.admin.asset_usage import where_used
from cms.admin.gate import principal
from cms.admin.i18n import admin_language
from cms.admin.problems import say
from cms.admin.render import model_of, render, translator
from cms.media.errors import AssetInUse, InvalidAssetChange, MediaError
from cms.media.form import read_upload_form
from cms.media.library import MediaLibrary
from cms.store.tables import Asset

PAGE_SIZE = 24
CROP_PREVIEWS = ("social_card", "social_square")
"""The cover crops shown beside the focal-point picker (they move when it moves)."""
_encode = msgspec.json.Encoder().encode


def _library(request: Request[Any, Any, Any]) -> MediaLibrary:
    library: MediaLibrary = request.app.state.media
    return library


@functools.lru_cache(maxsize=1024)
def placeholder_url(hash_text: str) -> str:
    """The blurhash decoded to a tiny PNG as a data: URL (the browser scales it up, blurred by design)."""
    if not hash_text:
        return ""
    try:
        rows = blurhash.decode(hash_text, 8, 6)
    except ValueError:
        return ""
    image = Image.new("RGB", (8, 6))
    image.putdata([tuple(int(channel) for channel in pixel) for row in rows for pixel in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def thumbnail_url(library: MediaLibrary, document: dict[str, Any]) -> str:
    """The narrowest uncropped rendition (a grid thumbnail), in its preset's first format."""
    widths = _plain_presets(library)
    return _first_url(document, min(widths, key=widths.__getitem__)) if widths else ""


def picture_url(library: MediaLibrary, document: dict[str, Any], max_width: int = 1600) -> str:
    """The widest uncropped rendition up to `max_width` px (else the narrowest): the picture on the asset's page."""
    widths = _plain_presets(library)
    fitting = {name: width for name, width in widths.items() if width <= max_width} or widths
    return _first_url(document, max(fitting, key=fitting.__getitem__)) if fitting else ""


def _plain_presets(library: MediaLibrary) -> dict[str, int]:
    """Preset name -> width of the presets that scale without cropping (every preset if there is none)."""
    plain = [named for named in library.presets.values() if named.preset.fit == "width"]
    return {named.name: named.preset.width for named in plain or library.presets.values()}


def _first_url(document: dict[str, Any], preset: str) -> str:
    return next(iter(document["renditions"][preset]["urls"].values()))


def card(library: MediaLibrary, row: dict[str, Any]) -> dict[str, Any]:
    document = library.document(row)
    return document | {"thumb": thumbnail_url(library, document), "placeholder": placeholder_url(row["blurhash"])}


def _search(query: str) -> Any:
    pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return WhereRaw(
        "(lower(filename) LIKE {} ESCAPE '\\' OR lower(CAST(alt AS TEXT)) LIKE {} ESCAPE '\\')", pattern, pattern
    )


@get("/media", name="admin:media")
async def media_library(request: Request[Any, Any, Any], q: str = "", page: int = 1, deleted: str = "") -> Template:
    library, query = _library(request), q.strip()
    where = _search(query) if query else Asset.id.is_not_null()
    total = await Asset.count().where(where)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await Asset.select()
        .where(where)
        .order_by(Asset.created_at, ascending=False)
        .order_by(Asset.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .output(load_json=True)
    )
    grid = {"assets": [card(library, row) for row in rows], "q": query, "page": page, "pages": pages, "total": total}
    if deleted:
        grid["notice"] = translator(request)("media.deleted", name=deleted[:255])
    only_grid = request.headers.get("hx-target") == "media-grid"
    return render(request, "media/_grid.html" if only_grid else "media/library.html", **grid)


def refusal_words(refusal: MediaError, language: str) -> str:
    """Why the media pipeline refused, in the admin's language (its English reason when it has no code)."""
    return (say(f"upload.{refusal.code}", language, refusal.params) if refusal.code else None) or refusal.reason


@post("/media/upload", name="admin:media-upload", request_max_body_size=None)
async def upload(request: Request[Any, Any, Any]) -> Response[bytes]:
    """One file per request (the page sends each dropped file on its own, with its progress).
    JSON: the new asset's card, or `{"error": reason}` with the pipeline's status; nothing stored then."""
    library = _library(request)
    try:
        form = await read_upload_form(request, library.settings.upload_max_bytes)
        assert form.file is not None
        uploaded = await library.upload(bytes(form.file), form.filename, form.declared_type, {}, principal(request))
    except MediaError as refusal:
        return _json({"error": refusal_words(refusal, admin_language(request))}, refusal.status)
    asset = uploaded.asset
    answer = {
        "id": asset["id"],
        "filename": asset["filename"],
        "created": uploaded.created,
        "url": f"/admin/media/{asset['id']}",
    }
    return _json(answer, 201 if uploaded.created else 200)


SAVED_NOTICES = {"focal-point": "media.focal_saved", "alt": "media.alt_saved", "asset": "media.both_saved"}
"""`?saved=` after a change (POST, then redirect, so reloading the page never sends the form again)."""


@get("/media/{asset_id:str}", name="admin:asset")
async def asset_page(request: Request[Any, Any, Any], asset_id: str, saved: str = "") -> Template:
    try:
        document = await _library(request).asset(asset_id)
    except MediaError:
        return render(request, "media/missing.html", status_code=404)
    notice = translator(request)(SAVED_NOTICES[saved]) if saved in SAVED_NOTICES else None
    return await _asset_page(request, document, notice=notice)


@post("/media/{asset_id:str}", name="admin:asset-save")
async def save_asset(request: Request[Any, Any, Any], asset_id: str) -> Template | Redirect:
    """The asset page's one form: focal point and alt texts in one change, so saving either never drops the
    other's unsaved edit (a focal point clicked, then "Save" under the alt texts)."""
    form = await request.form()
    focal, alt = _focal_point(form), _alt_texts(request, form)
    if focal is None:
        problem = ("focalPoint", translator(request)("media.focal_numbers"))
        return await _change_refused(request, asset_id, [problem], typed={"alt": alt})
    return await _change(request, asset_id, {"focalPoint": focal, "alt": alt}, "asset")


@post("/media/{asset_id:str}/focal-point", name="admin:asset-focal-point")
async def save_focal_point(request: Request[Any, Any, Any], asset_id: str) -> Template | Redirect:
    focal = _focal_point(await request.form())
    if focal is None:
        return await _change_refused(request, asset_id, [("focalPoint", translator(request)("media.focal_numbers"))])
    return await _change(request, asset_id, {"focalPoint": focal}, "focal-point")


@post("/media/{asset_id:str}/alt", name="admin:asset-alt")
async def save_alt(request: Request[Any, Any, Any], asset_id: str) -> Template | Redirect:
    return await _change(request, asset_id, {"alt": _alt_texts(request, await request.form())}, "alt")


def _focal_point(form: Any) -> dict[str, float] | None:
    try:
        return {"x": float(form.get("x", "")), "y": float(form.get("y", ""))}
    except ValueError:
        return None


def _alt_texts(request: Request[Any, Any, Any], form: Any) -> dict[str, str | None]:
    return {locale: (str(form.get(f"alt.{locale}") or "").strip() or None) for locale in model_of(request).locales}


@post("/media/{asset_id:str}/delete", name="admin:asset-delete")
async def delete_asset(request: Request[Any, Any, Any], asset_id: str) -> Template | Redirect:
    """Delete an unused asset, then back to the library; refused (409) while entries use it: the page again,
    saying so above its where-used list."""
    library = _library(request)
    try:
        document = await library.asset(asset_id)
        await library.delete(asset_id, principal(request))
    except AssetInUse:
        return await _asset_page(request, document, delete_refused=True, status_code=409)
    except MediaError as refusal:
        return render(request, "media/missing.html", status_code=refusal.status, reason=refusal.reason)
    name = quote(document["filename"] or document["id"])
    return Redirect(f"/admin/media?deleted={name}", status_code=HTTP_303_SEE_OTHER)


async def _change(
    request: Request[Any, Any, Any], asset_id: str, change: dict[str, Any], saved: str
) -> Template | Redirect:
    try:
        await _library(request).change(asset_id, _encode(change), principal(request))
    except InvalidAssetChange as invalid:
        return await _change_refused(request, asset_id, invalid.problems, typed=change)
    except MediaError as refusal:
        return render(request, "media/missing.html", status_code=refusal.status, reason=refusal.reason)
    return Redirect(f"/admin/media/{asset_id}?saved={saved}", status_code=HTTP_303_SEE_OTHER)


async def _change_refused(
    request: Request[Any, Any, Any],
    asset_id: str,
    problems: list[tuple[str, str]],
    typed: dict[str, Any] | None = None,
) -> Template:
    """The page again, saying why, with what was typed still in the form (nothing was saved)."""
    document = await _library(request).asset(asset_id)
    if typed and "alt" in typed:
        typed = typed | {"alt": {locale: text for locale, text in typed["alt"].items() if text}}
    return await _asset_page(request, document | (typed or {}), problems=problems, status_code=422)


async def _asset_page(
    request: Request[Any, Any, Any],
    document: dict[str, Any],
    *,
    notice: str | None = None,
    problems: list[tuple[str, str]] | None = None,
    delete_refused: bool = False,
    status_code: int = 200,
) -> Template:
    model = model_of(request)
    crops = {name: document["renditions"][name] for name in CROP_PREVIEWS if name in document["renditions"]}
    return render(
        request,
        "media/asset.html",
        status_code=status_code,
        asset=document,
        picture=picture_url(_library(request), document),
        placeholder=placeholder_url(document["blurhash"]),
        crops=crops,
        locales=model.locales,
        used_by=await where_used(model, document["id"], admin_language(request)),
        notice=notice,
        problems=problems or [],
        delete_refused=delete_refused,
    )


def _json(value: dict[str, Any], status: int) -> Response[bytes]:
    return Response(_encode(value), status_code=status, media_type="application/json")


ROUTES: list[Any] = [media_library, upload, asset_page, save_asset, save_focal_point, save_alt, delete_asset]
