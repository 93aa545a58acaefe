"""`GET /email/messages/{slug}` and `GET /email/campaigns/{slug}`: ready-to-send email as JSON or XML.

Query parameters: `locale` (default: the email channel's), `sendAt` (an instant with a time zone: the email as
it will be then), `message` (for a campaign: which of its brand messages, by slug; default its first), `format`
(`json` or `xml`; else `Accept: application/xml` asks for XML), `utmSource`, and `token` (a feed token) or
`feed` and `signature` (a signed URL: `cms token sign-url`), for tools that cannot send headers. Answers carry a
strong ETag and honour `If-None-Match` (304). Errors are `{"errors": [{"message", "extensions": {"code",
"parameter"}}]}` (or the same as XML), with a 4xx status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import MultiDict
from litestar.status_codes import HTTP_304_NOT_MODIFIED, HTTP_400_BAD_REQUEST, HTTP_422_UNPROCESSABLE_ENTITY

from cms.delivery.http import DeliveryService
from cms.delivery.locale import match_locale
from cms.email.access import URL_PARAMETERS, email_reader
from cms.email.compose import EmailTooLargeError, compose_email
from cms.email.content import EmailAnswer
from cms.email.errors import EmailFeedError
from cms.email.formats import MEDIA_TYPES, Format, encode
from cms.email.reading import EMAIL_CHANNEL, EmailQuery, Links, read_email
from cms.lib.instants import coming_instant
from cms.settings import Settings

PARAMETERS = ("locale", "sendAt", "format", "utmSource", "message", *URL_PARAMETERS)
CACHE_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Accept, Authorization"}
"""Private (a token may be in the URL) and revalidated every time (`If-None-Match` makes that a 304)."""
_UTM_VALUE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


@get("/email/messages/{slug:str}", name="email-message")
async def email_message(request: Request[Any, Any, Any], slug: str) -> Response[bytes]:
    """One brand message as a ready-to-send email."""
    return await _respond(request, "message", slug)


@get("/email/campaigns/{slug:str}", name="email-campaign")
async def email_campaign(request: Request[Any, Any, Any], slug: str) -> Response[bytes]:
    """A campaign's email: one of its brand messages (`?message=`, default the first), its offer, products and
    tutorials."""
    return await _respond(request, "campaign", slug)


EMAIL_ROUTES = [email_message, email_campaign]


async def _respond(request: Request[Any, Any, Any], kind: str, slug: str) -> Response[bytes]:
    output = _format_of(request)
    try:
        await email_reader(request, request.query_params, request.url.path)
        query = _query(request, kind, slug)
        content, utm = await read_email(request.app.state.delivery, query)
        composed = compose_email(content, utm)
    except EmailFeedError as error:
        return _refused(error, output)
    except EmailTooLargeError as error:
        return _refused(EmailFeedError(HTTP_422_UNPROCESSABLE_ENTITY, "too_large", str(error)), output)
    answer = EmailAnswer(
        kind=content.kind,
        slug=slug,
        locale=content.locale,
        send_at=query.send_at,
        subject=content.subject,
        preheader=content.preheader,
        headline=content.headline,
        html=composed.html,
        text=composed.text,
        html_bytes=composed.html_bytes,
        utm=utm,
        offer=content.offer,
        products=content.products,
        tutorials=content.tutorials,
    )
    return _with_etag(request, encode(answer, output, root="email"), output)


def _with_etag(request: Request[Any, Any, Any], body: bytes, output: Format) -> Response[bytes]:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {**CACHE_HEADERS, "ETag": etag}
    sent = request.headers.get("if-none-match")
    if sent is not None and (sent.strip() == "*" or etag in {tag.strip() for tag in sent.split(",")}):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type=MEDIA_TYPES[output], headers=headers)


def _query(request: Request[Any, Any, Any], kind: str, slug: str) -> EmailQuery:
    params = request.query_params
    _check_parameters(params)
    service: DeliveryService = request.app.state.delivery
    settings: Settings = request.app.state.settings
    channel = service.model.channels[EMAIL_CHANNEL]
    public_base_url = (settings.public_base_url or str(request.base_url)).rstrip("/")
    if params.get("format") not in (None, "json", "xml"):
        raise _bad("format", f"{params['format'][:20]!r} is not a format: use json or xml")
    utm_source = params.get("utmSource") or settings.email_utm_source
    if not _UTM_VALUE.fullmatch(utm_source):
        raise _bad("utmSource", f"{utm_source[:70]!r} is not a UTM value: 1-64 letters, digits, '_', '.' or '-'")
    return EmailQuery(
        kind=kind,
        slug=slug,
        locale=_locale(params.get("locale"), channel.locales, channel.default_locale),
        send_at=_send_at(params.get("sendAt")),
        links=Links(
            site_url=settings.site_url or public_base_url, public_base_url=public_base_url, utm_source=utm_source
        ),
        message=_message(kind, params.get("message")),
    )


def _message(kind: str, slug: str | None) -> str | None:
    if slug is not None and kind != "campaign":
        raise _bad("message", "`message` chooses one of a campaign's messages: a brand message's feed has one")
    return slug


def _check_parameters(params: MultiDict[str]) -> None:
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise _bad(unknown[0], f"unknown query parameter {unknown[0]!r}: use {', '.join(PARAMETERS)}")
    for name in PARAMETERS:
        if len(params.getall(name, [])) > 1:
            raise _bad(name, f"send `{name}` once")


def _locale(value: str | None, available: list[str], default: str) -> str:
    if value is None:
        return default
    matched = match_locale(value, available)
    if matched is None:
        raise _bad("locale", f"locale {value[:40]!r} is not served by email: use one of {', '.join(available)}")
    return matched


def _send_at(value: str | None) -> dt.datetime | None:
    """The send time: an ISO 8601 instant with a time zone, not in the past (a minute of leeway)."""
    if value is None:
        return None
    try:
        return coming_instant(
            value.replace(" ", "+"),  # a `+` left unescaped in a URL arrives as a space
            example="e.g. sendAt=2026-12-01T09:00:00Z",
            in_the_past="give the instant the email will be sent",
        )
    except ValueError as problem:
        raise _bad("sendAt", str(problem)) from None


def _format_of(request: Request[Any, Any, Any]) -> Format:
    asked = request.query_params.get("format")
    if asked in ("json", "xml"):
        return asked  # type: ignore[return-value]
    accept = request.headers.get("accept", "")
    return "xml" if asked is None and "xml" in accept and "json" not in accept else "json"


def _bad(parameter: str, message: str) -> EmailFeedError:
    return EmailFeedError(HTTP_400_BAD_REQUEST, "bad_parameter", f"`{parameter}`: {message}", parameter=parameter)


def _refused(error: EmailFeedError, output: Format) -> Response[bytes]:
    extensions: dict[str, str] = {"code": error.code}
    if error.parameter is not None:
        extensions["parameter"] = error.parameter
    errors = [{"message": error.message, "extensions": extensions}]
    body = encode({"errors": errors} if output == "json" else errors, output, root="errors")
    return Response(
        body, status_code=error.status, media_type=MEDIA_TYPES[output], headers={"Cache-Control": "no-store"}
    )
