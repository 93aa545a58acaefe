"""Media on the local file system, under one root directory (`media/` by default)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from cms.media.storage.base import InvalidKeyError, MediaStorage, StorageUnavailableError, StoredObject


class LocalStorage(MediaStorage):
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):  # belt and braces: keys are already checked
            raise InvalidKeyError(f"media key {key!r} points outside the storage root")
        return path

    def _put(self, key: str, data: bytes, content_type: str) -> bool:
        path = self._path(key)
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside, then rename: a reader never sees half an object. Hidden names are not keys.
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        return True

    def _get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def _exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _keys(self, prefix: str) -> list[str]:
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.rglob("*"):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.root).parts):
                found.append(key)
        return [key for key in found if key.startswith(prefix)]

    def _objects(self, prefix: str) -> list[StoredObject]:
        found = []
        for key in self._keys(prefix):
            try:
                status = self._path(key).stat()
            except FileNotFoundError:  # deleted since it was listed
                continue
            modified = dt.datetime.fromtimestamp(status.st_mtime, dt.UTC)
            found.append(StoredObject(key, status.st_size, modified))
        return found

    def _prepare(self) -> bool:
        made = not self.root.is_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        return made

    async def reachable(self) -> None:
        if not self.root.is_dir() or not os.access(self.root, os.W_OK):
            raise StorageUnavailableError(f"{self.root} is not a writable folder")
