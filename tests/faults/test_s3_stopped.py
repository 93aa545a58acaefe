"""The S3 server stopped under load, then started again: `/ready` says so, uploads and first builds of renditions
are refused with 503 and Retry-After and store nothing, renditions served before keep being served, and the
failures are logged as warnings, not as bugs.

The test owns its moto server (tests/faults/servers.py); the shared one stays up. moto keeps buckets in memory,
so the restarted server is empty: the bucket is made again, as `cms storage init` would.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import msgspec
import pytest
from anyio import to_thread

from cms.app import create_app
from cms.media.storage import S3Storage
from cms.model import ContentModel
from cms.settings import Settings
from cms.store.tables import Asset
from tests.conftest import build_client
from tests.management_client import token_for
from tests.test_media_kit import bearer, encoded, picture

from .servers import PrivateS3


@pytest.fixture
def s3_server() -> Iterator[PrivateS3]:
    server = PrivateS3()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def s3_app(
    settings: Settings, model: ContentModel, s3_server: PrivateS3, clean_db: None
) -> AsyncIterator[tuple[S3Storage, httpx.AsyncClient]]:
    s3_settings = msgspec.structs.replace(
        settings,
        storage="s3",
        s3_bucket="faults",
        s3_endpoint_url=s3_server.url,
        s3_region="us-east-1",
        s3_access_key_id="testing",
        s3_secret_access_key="testing",
    )
    app = create_app(s3_settings, model)
    storage: S3Storage = app.state.media.storage
    assert await storage.prepare() is True
    async with build_client(app) as http:
        yield storage, http


def _image(shade: int) -> dict[str, Any]:
    return {"file": (f"p{shade}.jpg", encoded(picture((640, 480), (shade, 90, 150)), "JPEG"), "image/jpeg")}


async def test_a_stopped_s3_server_refuses_uploads_and_new_renditions_and_serves_those_served_before(
    s3_app: tuple[S3Storage, httpx.AsyncClient],
    s3_server: PrivateS3,
    model: ContentModel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    storage, http = s3_app
    writer = bearer(await token_for(model, "management:write"))
    # Given an asset whose rendition was served, and one whose renditions were never asked for
    served = (await http.post("/media", files=_image(10), headers=writer)).json()
    served_url = served["renditions"]["social_card"]["urls"]["webp"]
    before = await http.get(served_url)
    assert before.status_code == 200
    unbuilt = (await http.post("/media", files=_image(20), headers=writer)).json()
    unbuilt_url = unbuilt["renditions"]["social_card"]["urls"]["webp"]
    assert (await http.get("/ready")).json()["checks"]["storage"] == "ok"

    # When the S3 server stops while requests keep coming
    await to_thread.run_sync(s3_server.stop)
    with caplog.at_level(logging.WARNING):
        renditions, first_builds, uploads = await asyncio.gather(
            asyncio.gather(*[http.get(served_url) for _ in range(20)]),
            asyncio.gather(*[http.get(unbuilt_url) for _ in range(5)]),
            asyncio.gather(*[http.post("/media", files=_image(30 + n), headers=writer) for n in range(5)]),
        )
        ready = await http.get("/ready")

    # Then what was served is served again; first builds and uploads are refused at once, storing nothing
    assert {(answer.status_code, answer.content) for answer in renditions} == {(200, before.content)}
    assert renditions[0].headers["etag"] == before.headers["etag"]
    for answer in [*first_builds, *uploads]:
        assert (answer.status_code, answer.headers.get("retry-after")) == (503, "5"), answer.text
        assert answer.json()["errors"][0]["code"] == "SERVICE_UNAVAILABLE"
    assert await Asset.count() == 2
    assert (ready.status_code, ready.json()["checks"]["storage"]) == (503, "unavailable")
    logged = [(record.levelname, record.name) for record in caplog.records if record.name.startswith("cms")]
    assert ("WARNING", "cms.media.http") in logged and ("WARNING", "cms.media.renditions") in logged
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR], caplog.text

    # When it is back (empty: moto forgets) and the bucket is made again, uploads and renditions work again
    await to_thread.run_sync(s3_server.start)
    assert await storage.prepare() is True
    assert (await http.get("/ready")).status_code == 200
    again = await http.post("/media", files=_image(40), headers=writer)
    assert again.status_code == 201, again.text
    assert (await http.get(again.json()["renditions"]["social_card"]["urls"]["webp"])).status_code == 200
    assert await Asset.count() == 3
