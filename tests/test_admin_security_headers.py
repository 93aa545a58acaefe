"""Security headers on every admin answer (pages, error pages, static files), none of it weakened by inline code."""

from __future__ import annotations

import re

import httpx
import pytest

from cms.admin.security import content_security_policy
from cms.settings import Settings
from tests.admin_sign_in import sign_in_as

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "camera=()" in response.headers["permissions-policy"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/", 200),
        ("/admin/audit", 200),
        ("/admin/users", 200),
        ("/admin/entries/product/new", 200),
        ("/admin/entries/product/no-such-entry", 404),
        ("/admin/no-such-page", 404),
        ("/admin/static/admin.js", 200),
        ("/admin/static/admin.css", 200),
    ],
)
async def test_every_admin_answer_carries_the_security_headers(
    client: httpx.AsyncClient, clean_db: None, path: str, status: int
) -> None:
    await sign_in_as(client, "admin")
    response = await client.get(path)
    assert response.status_code == status
    assert_secured(response)


async def test_the_sign_in_page_and_the_redirect_to_it_are_secured_too(
    client: httpx.AsyncClient, database: None
) -> None:
    assert_secured(await client.get("/admin/login"))
    response = await client.get("/admin/")
    assert response.status_code in (302, 303)
    assert response.headers["x-frame-options"] == "DENY"


async def test_pages_hold_no_inline_script_or_handler(client: httpx.AsyncClient, clean_db: None) -> None:
    """What the policy would refuse: a <script> without src, an on…= attribute, a <style> element."""
    await sign_in_as(client, "admin")
    for path in ("/admin/", "/admin/media", "/admin/users", "/admin/webhooks", "/admin/entries/offer/new"):
        page = (await client.get(path)).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"\son[a-z]+=", page), path
        assert "<style" not in page, path
    assert '"includeIndicatorStyles": false' in page


def test_images_may_come_from_where_renditions_are_served() -> None:
    cdn = Settings(media_base_url="https://cdn.example.com/media")
    assert "img-src 'self' data: blob: https://cdn.example.com;" in content_security_policy(cdn)
    redirected = Settings(storage="s3", media_redirect=True, s3_endpoint_url="http://127.0.0.1:9000")
    assert "img-src 'self' data: blob: http://127.0.0.1:9000;" in content_security_policy(redirected)


async def test_delivery_and_the_management_api_are_not_framed_by_admin_headers(
    client: httpx.AsyncClient, database: None
) -> None:
    response = await client.post("/graphql/web", json={"query": "{ __typename }"})
    assert "content-security-policy" not in response.headers
