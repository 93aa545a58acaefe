"""The storage ABC: immutable objects under validated keys; blocking I/O runs in a worker thread."""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread

from cms.lib.unavailable import STORAGE_UNAVAILABLE, ServiceUnavailableError

# Keys are made by the pipeline (`originals/<sha256>.png`), never taken from a client; checked anyway so
# that no key can climb out of the storage root: no `..`, no leading dot or slash, no backslash.
_KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)*$")
MAX_KEY_LENGTH = 512


class InvalidKeyError(ValueError):
    pass


def check_key(key: str) -> str:
    """`key` itself when it is a safe relative key, else InvalidKeyError naming the problem."""
    if len(key) > MAX_KEY_LENGTH or not _KEY.match(key) or ".." in key:
        raise InvalidKeyError(
            f"invalid media key {key!r}: lower-case letters, digits, '.', '_', '-' in '/'-separated parts,"
            " no part starting with a dot, no '..'"
        )
    return key


class StorageUnavailableError(ServiceUnavailableError):
    """The storage cannot be reached or used now (server down, bucket missing, credentials refused): its text
    says why (for the log); requests needing the storage are answered 503 with Retry-After (cms.lib.unavailable)."""

    message = STORAGE_UNAVAILABLE


T = TypeVar("T")


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: dt.datetime
    """When it was written (timezone-aware)."""


class MediaStorage(ABC):
    """Where media objects live. Objects are content-addressed, so a key never changes its content."""

    async def put(self, key: str, data: bytes, content_type: str) -> bool:
        """Store `data` under `key` unless it is already there; True when this call wrote it."""
        return await self._run(self._put, check_key(key), data, content_type)

    async def get(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""
        return await self._run(self._get, check_key(key))

    async def exists(self, key: str) -> bool:
        return await self._run(self._exists, check_key(key))

    async def delete(self, key: str) -> None:
        """Remove the object; no error when it is not there."""
        await self._run(self._delete, check_key(key))

    async def keys(self, prefix: str = "") -> list[str]:
        """Every key starting with `prefix`, sorted."""
        return sorted(await self._run(self._keys, prefix))

    async def objects(self, prefix: str = "") -> list[StoredObject]:
        """Every object whose key starts with `prefix`, with its size and age, sorted by key (one listing)."""
        return sorted(await self._run(self._objects, prefix), key=lambda stored: stored.key)

    async def prepare(self) -> bool:
        """Make the place objects go (the bucket, the root folder) when it is missing; True when made now."""
        return await self._run(self._prepare)

    async def reachable(self) -> None:
        """Raise StorageUnavailableError, saying why, unless objects can be listed right now (readiness)."""
        try:
            await to_thread.run_sync(self._keys, "probes/")
        except Exception as error:
            raise StorageUnavailableError(f"{type(error).__name__}: {error}") from error

    async def _run(self, call: Callable[..., T], *arguments: Any) -> T:
        """`call` in a worker thread; a failure to reach the storage raised as StorageUnavailableError."""
        try:
            return await to_thread.run_sync(call, *arguments)
        except Exception as error:
            if not isinstance(error, StorageUnavailableError) and self.is_unavailability(error):
                raise StorageUnavailableError(f"{type(error).__name__}: {error}") from error
            raise

    def is_unavailability(self, error: Exception) -> bool:
        """`error` says the storage cannot be reached or used now, rather than that a call was wrong."""
        return False

    async def presigned_url(self, key: str, expires_in: int) -> str | None:
        """A URL a client can fetch the object from directly, or None when the backend has none."""
        return None

    @abstractmethod
    def _put(self, key: str, data: bytes, content_type: str) -> bool: ...

    @abstractmethod
    def _get(self, key: str) -> bytes | None: ...

    @abstractmethod
    def _exists(self, key: str) -> bool: ...

    @abstractmethod
    def _delete(self, key: str) -> None: ...

    @abstractmethod
    def _keys(self, prefix: str) -> list[str]: ...

    @abstractmethod
    def _objects(self, prefix: str) -> list[StoredObject]: ...

    @abstractmethod
    def _prepare(self) -> bool: ...
