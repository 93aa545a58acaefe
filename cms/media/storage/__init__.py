"""Media storage backends (`local`, `s3`) behind one ABC, and the storage the settings choose."""

from __future__ import annotations

import functools

from cms.media.storage.base import InvalidKeyError, MediaStorage, StorageUnavailableError, StoredObject, check_key
from cms.media.storage.local import LocalStorage
from cms.media.storage.s3 import S3Storage
from cms.settings import Settings

__all__ = [
    "InvalidKeyError",
    "LocalStorage",
    "MediaStorage",
    "S3Storage",
    "StorageUnavailableError",
    "StoredObject",
    "check_key",
    "storage_for",
]


@functools.cache
def storage_for(settings: Settings) -> MediaStorage:
    """The storage of these settings; one per process, so S3 reuses one boto3 client."""
    if settings.storage == "s3":
        return S3Storage(
            settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
        )
    return LocalStorage(settings.media_root)
