"""One test suite for every storage backend (local files, S3), through one parametrized fixture."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from anyio import to_thread

from cms.media.storage import InvalidKeyError, LocalStorage, MediaStorage, S3Storage, check_key, storage_for
from cms.settings import settings_from_environment


def s3_storage(bucket: str, prefix: str = "") -> S3Storage:
    """A storage on the S3 server the CI starts (moto), with throwaway credentials."""
    return S3Storage(
        bucket,
        prefix=prefix,
        endpoint_url=os.environ["CMS_TEST_S3_ENDPOINT"],
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
    )


async def new_bucket() -> str:
    """A bucket of its own for one test, created on the server."""
    bucket = f"cms-test-{uuid.uuid4().hex[:12]}"
    client = s3_storage(bucket).client
    await to_thread.run_sync(lambda: client.create_bucket(Bucket=bucket))
    return bucket


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MediaStorage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "media")
    else:
        yield s3_storage(await new_bucket(), prefix="site-a")


async def test_an_object_comes_back_as_it_was_stored(storage: MediaStorage) -> None:
    assert await storage.put("originals/abc.png", b"\x89PNG-bytes", "image/png") is True
    assert await storage.get("originals/abc.png") == b"\x89PNG-bytes"
    assert await storage.exists("originals/abc.png")


async def test_storing_the_same_key_twice_writes_once(storage: MediaStorage) -> None:
    assert await storage.put("originals/abc.png", b"first", "image/png") is True
    assert await storage.put("originals/abc.png", b"second", "image/png") is False
    assert await storage.get("originals/abc.png") == b"first"  # content-addressed keys never change content


async def test_a_missing_object_is_none(storage: MediaStorage) -> None:
    assert await storage.get("originals/missing.png") is None
    assert not await storage.exists("originals/missing.png")


async def test_deleting_removes_the_object_and_is_idempotent(storage: MediaStorage) -> None:
    await storage.put("originals/abc.png", b"x", "image/png")
    await storage.delete("originals/abc.png")
    await storage.delete("originals/abc.png")
    assert await storage.get("originals/abc.png") is None


async def test_keys_are_listed_by_prefix(storage: MediaStorage) -> None:
    for key in ("originals/b.png", "originals/a.jpg", "renditions/a/web_400-1.webp"):
        await storage.put(key, b"x", "image/png")
    assert await storage.keys() == ["originals/a.jpg", "originals/b.png", "renditions/a/web_400-1.webp"]
    assert await storage.keys("renditions/") == ["renditions/a/web_400-1.webp"]


async def test_objects_are_listed_by_prefix_with_their_size_and_when_they_were_written(storage: MediaStorage) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
    await storage.put("renditions/a/web_400-1.webp", b"four", "image/webp")
    await storage.put("originals/a.png", b"x", "image/png")

    [stored] = await storage.objects("renditions/")

    assert (stored.key, stored.size) == ("renditions/a/web_400-1.webp", 4)
    assert before <= stored.modified <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    "key",
    [
        "../outside.png",
        "originals/../../etc/passwd",
        "/etc/passwd",
        ".hidden",
        "originals/.env",
        "a\\b.png",
        "Originals/A.PNG",
        "",
        "originals//a.png",
        "originals/a.png/",
        "a" * 600,
    ],
)
async def test_keys_that_could_escape_the_root_are_refused(storage: MediaStorage, key: str) -> None:
    with pytest.raises(InvalidKeyError):
        await storage.put(key, b"x", "image/png")
    with pytest.raises(InvalidKeyError):
        await storage.get(key)
    assert await storage.keys() == []


def test_safe_keys_pass() -> None:
    assert check_key("renditions/ab12/social_card-0f3a.webp") == "renditions/ab12/social_card-0f3a.webp"


async def test_local_storage_has_no_presigned_urls(tmp_path: Path) -> None:
    assert await LocalStorage(tmp_path).presigned_url("originals/a.png", 60) is None


@pytest.mark.s3
async def test_a_presigned_url_serves_the_object() -> None:
    storage = s3_storage(await new_bucket())
    await storage.put("renditions/a/web_400-1.webp", b"RIFF-webp", "image/webp")
    url = await storage.presigned_url("renditions/a/web_400-1.webp", 60)
    assert url is not None
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert (response.status_code, response.content) == (200, b"RIFF-webp")
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.s3
async def test_prefixes_keep_instances_apart_in_one_bucket() -> None:
    bucket = await new_bucket()
    first, second = s3_storage(bucket, prefix="site-a/"), s3_storage(bucket, prefix="site-b")
    await first.put("originals/a.png", b"a", "image/png")
    assert (await first.keys(), await second.keys()) == (["originals/a.png"], [])
    assert await second.get("originals/a.png") is None


@pytest.mark.s3
async def test_one_boto3_client_per_storage() -> None:
    storage = s3_storage(await new_bucket())
    await storage.put("originals/a.png", b"a", "image/png")
    client = storage.client
    await storage.get("originals/a.png")
    await storage.keys()
    assert storage.client is client


def test_the_settings_choose_the_backend(tmp_path: Path) -> None:
    local = storage_for(settings_from_environment({"CMS_MEDIA_ROOT": str(tmp_path)}))
    assert isinstance(local, LocalStorage) and local.root == tmp_path.resolve()
    with pytest.raises(ValueError, match="S3 storage needs a bucket: set CMS_S3_BUCKET"):
        storage_for(settings_from_environment({"CMS_STORAGE": "s3"}))
    with pytest.raises(SystemExit, match="storage"):
        settings_from_environment({"CMS_STORAGE": "ftp"})
    s3 = storage_for(settings_from_environment({"CMS_STORAGE": "s3", "CMS_S3_BUCKET": "b", "CMS_S3_PREFIX": "/x/"}))
    assert isinstance(s3, S3Storage) and (s3.bucket, s3.prefix) == ("b", "x/")
