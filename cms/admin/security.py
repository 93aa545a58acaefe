"""Security headers of every admin answer: a Content-Security-Policy of the admin's own origin, no framing,
no MIME sniffing, no referrer outside the admin, no powerful browser features.

They are Litestar `response_headers` of the admin's routers (pages and static files), and added to the admin's
error pages too (cms.admin.errors), which exception handlers build outside the routers' layers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar.datastructures import ResponseHeader

from cms.settings import Settings


def content_security_policy(settings: Settings) -> str:
    """Scripts, styles, frames and requests from the admin's origin only.

    Style *attributes* stay allowed (`style-src-attr 'unsafe-inline'`): the email preview is email HTML, whose
    styles are inline by nature, shown in a sandboxed `srcdoc` frame that inherits this policy; thumbnails set
    their colour and placeholder the same way. No inline script, no `<style>` element (htmx's own is turned off
    in base.html), no eval. Images may also come from where renditions are served (a CDN, S3 redirects)."""
    images = ["'self'", "data:", "blob:", *_media_origins(settings)]
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "style-src-attr": "'unsafe-inline'",
        "img-src": " ".join(images),
        "connect-src": "'self'",
        "frame-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(settings: Settings) -> list[ResponseHeader]:
    return [ResponseHeader(name=name, value=value) for name, value in header_values(settings).items()]


def header_values(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def with_security_headers(response: Any, settings: Settings) -> Any:
    """`response` (an error page built by an exception handler) with the headers the routers add."""
    response.headers.update(header_values(settings))
    return response


def _media_origins(settings: Settings) -> list[str]:
    origins = []
    base = urlsplit(settings.media_base_url)
    if base.scheme and base.netloc:
        origins.append(f"{base.scheme}://{base.netloc}")
    if settings.storage == "s3" and settings.media_redirect:
        endpoint = urlsplit(settings.s3_endpoint_url)
        # Presigned URLs name the bucket's own host (AWS: per bucket and region).
        origins.append(f"{endpoint.scheme}://{endpoint.netloc}" if endpoint.netloc else "https://*.amazonaws.com")
    return origins
