"""The media pipeline on S3 (the real S3 HTTP server the CI starts): upload, renditions, presigned redirects."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest
from anyio import to_thread
from litestar import Litestar
from PIL import Image

from cms.app import create_app
from cms.media.storage import S3Storage
from cms.model import ContentModel
from cms.settings import Settings
from cms.store.tables import Asset
from tests.conftest import build_client
from tests.management_client import token_for
from tests.test_media_kit import bearer, encoded, picture, png_with_text
from tests.test_media_storage import new_bucket

pytestmark = pytest.mark.s3


async def s3_app(settings: Settings, model: ContentModel, **changes: Any) -> Litestar:
    s3_settings = msgspec.structs.replace(
        settings,
        storage="s3",
        s3_bucket=await new_bucket(),
        s3_prefix="cms",
        s3_endpoint_url=os.environ["CMS_TEST_S3_ENDPOINT"],
        s3_region="us-east-1",
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
        **changes,
    )
    return create_app(s3_settings, model)


@pytest.fixture
async def writer(clean_db: None, model: ContentModel) -> dict[str, str]:
    return bearer(await token_for(model, "management:write"))


@pytest.fixture
async def proxied(settings: Settings, model: ContentModel) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient]]:
    app = await s3_app(settings, model)
    async with build_client(app) as http:
        yield app, http


async def test_an_upload_lands_in_the_bucket_and_renditions_are_proxied(
    proxied: tuple[Litestar, httpx.AsyncClient], writer: dict[str, str]
) -> None:
    app, http = proxied
    storage: S3Storage = app.state.media.storage
    image = encoded(picture((1600, 900), (30, 90, 150)), "JPEG")
    response = await http.post("/media", files={"file": ("a.jpg", image, "image/jpeg")}, headers=writer)
    assert response.status_code == 201, response.text
    asset = response.json()
    assert await storage.keys() == [f"originals/{asset['sha256']}.jpg"]
    again = await http.post("/media", files={"file": ("b.jpg", image, "image/jpeg")}, headers=writer)
    assert (again.status_code, again.json()["id"]) == (200, asset["id"])
    rendition = await http.get(asset["renditions"]["social_card"]["urls"]["webp"])
    assert rendition.status_code == 200
    assert Image.open(io.BytesIO(rendition.content)).size == (1200, 630)
    listed = await to_thread.run_sync(lambda: storage.client.list_objects_v2(Bucket=storage.bucket))
    keys = sorted(item["Key"] for item in listed["Contents"])
    assert keys[0] == f"cms/originals/{asset['sha256']}.jpg" and keys[1].startswith("cms/renditions/")
    assert len(keys) == 2


async def test_a_refused_upload_leaves_the_bucket_empty(
    proxied: tuple[Litestar, httpx.AsyncClient], writer: dict[str, str]
) -> None:
    app, http = proxied
    response = await http.post(
        "/media", files={"file": ("a.png", png_with_text("<script>x</script>"), "image/png")}, headers=writer
    )
    assert response.status_code == 422
    assert (await app.state.media.storage.keys(), await Asset.count()) == ([], 0)


async def test_renditions_redirect_to_a_presigned_url_when_configured(
    settings: Settings, model: ContentModel, writer: dict[str, str]
) -> None:
    app = await s3_app(settings, model, media_redirect=True, media_redirect_ttl=600)
    async with build_client(app) as http:
        image = encoded(picture((800, 600), (200, 200, 20)), "PNG")
        asset = (await http.post("/media", files={"file": ("a.png", image)}, headers=writer)).json()
        response = await http.get(asset["renditions"]["web_400"]["urls"]["avif"])
    assert response.status_code == 302
    assert response.headers["cache-control"] == "public, max-age=300"
    async with httpx.AsyncClient() as direct:
        stored = await direct.get(response.headers["location"])
    assert stored.status_code == 200 and stored.headers["content-type"] == "image/avif"
    assert Image.open(io.BytesIO(stored.content)).size == (400, 300)
