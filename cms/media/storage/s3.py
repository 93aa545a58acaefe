"""Media in an S3-compatible bucket (AWS S3, MinIO, moto) through ONE boto3 client, made on first use."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from anyio import to_thread
from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from cms.media.storage.base import MediaStorage, StoredObject, check_key

# Objects are content-addressed: whatever caches them may keep them for good.
IMMUTABLE = "public, max-age=31536000, immutable"
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


class S3Storage(MediaStorage):
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str = "",
        region: str = "",
        access_key_id: str = "",
        secret_access_key: str = "",
    ) -> None:
        if not bucket:
            raise ValueError("S3 storage needs a bucket: set CMS_S3_BUCKET")
        self.bucket = bucket
        self.prefix = check_key(prefix.strip("/")) + "/" if prefix.strip("/") else ""
        self._options: dict[str, Any] = {
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "aws_access_key_id": access_key_id or None,
            "aws_secret_access_key": secret_access_key or None,
            # MinIO and moto serve buckets by path; AWS picks virtual hosts itself.
            # Short connect timeout and two tries: a store that is down fails a request in seconds, not in
            # boto3's default minute of retries (uploads and first renditions answer 503, /ready says so).
            "config": Config(
                signature_version="s3v4",
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                connect_timeout=3,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        }
        self._client: Any = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The one boto3 client of this storage (making one costs ~150 ms; calls on it are thread-safe)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = boto3.session.Session().client("s3", **self._options)
        return self._client

    async def presigned_url(self, key: str, expires_in: int) -> str | None:
        params = {"Bucket": self.bucket, "Key": self.prefix + check_key(key)}
        return await to_thread.run_sync(self._presign, params, expires_in)

    def _presign(self, params: dict[str, str], expires_in: int) -> str:
        return str(self.client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in))

    def is_unavailability(self, error: Exception) -> bool:
        """No connection, a dropped or timed-out one, the server's own failure (5xx) or a missing bucket."""
        if isinstance(error, (BotocoreConnectionError, HTTPClientError)):
            return True
        if isinstance(error, ClientError):
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            return status >= 500 or error.response.get("Error", {}).get("Code") == "NoSuchBucket"
        return False

    def _put(self, key: str, data: bytes, content_type: str) -> bool:
        if self._exists(key):
            return False
        self.client.put_object(
            Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type, CacheControl=IMMUTABLE
        )
        return True

    def _get(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as error:
            if _is_missing(error):
                return None
            raise
        return bytes(answer["Body"].read())

    def _exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as error:
            if _is_missing(error):
                return False
            raise
        return True

    def _delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def _keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        return [item["Key"][len(self.prefix) :] for page in pages for item in page.get("Contents", [])]

    def _objects(self, prefix: str) -> list[StoredObject]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        return [
            StoredObject(item["Key"][len(self.prefix) :], int(item["Size"]), item["LastModified"])
            for page in pages
            for item in page.get("Contents", [])
        ]

    def _prepare(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return False
        except ClientError as error:
            if not _is_missing(error):
                raise
        region = self._options["region_name"]
        options = (
            {"CreateBucketConfiguration": {"LocationConstraint": region}} if region and region != "us-east-1" else {}
        )
        self.client.create_bucket(Bucket=self.bucket, **options)
        return True


def _is_missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING
