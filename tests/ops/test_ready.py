"""`/ready` checks the database and the object store: a stopped S3 server makes the instance not ready."""

from __future__ import annotations

import os
import socket
import uuid

import msgspec
import pytest

from cms.app import create_app
from cms.media.storage import storage_for
from tests.conftest import build_client


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_ready_says_when_the_s3_server_cannot_be_reached(settings, model, database) -> None:  # type: ignore[no-untyped-def]
    down = msgspec.structs.replace(
        settings, storage="s3", s3_bucket="media", s3_endpoint_url=f"http://127.0.0.1:{_closed_port()}"
    )
    async with build_client(create_app(down, model)) as client:
        answer = await client.get("/ready")
    assert answer.status_code == 503
    assert answer.json() == {"ready": False, "checks": {"database": "ok", "storage": "unavailable"}}


@pytest.mark.s3
async def test_ready_needs_the_bucket_and_storage_init_makes_it(settings, model, database) -> None:  # type: ignore[no-untyped-def]
    s3 = msgspec.structs.replace(
        settings,
        storage="s3",
        s3_bucket=f"ready-{uuid.uuid4().hex[:8]}",
        s3_endpoint_url=os.environ["CMS_TEST_S3_ENDPOINT"],
        s3_region="us-east-1",
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )
    async with build_client(create_app(s3, model)) as client:
        assert (await client.get("/ready")).json()["checks"]["storage"] == "unavailable"
        assert await storage_for(s3).prepare() is True
        assert await storage_for(s3).prepare() is False
        answer = await client.get("/ready")
    assert (answer.status_code, answer.json()["checks"]) == (200, {"database": "ok", "storage": "ok"})
