"""Renditions served lately, kept in memory (bounded, least recently used out first) so they can still be
served while the media storage cannot be reached. Keys are content-addressed: a kept rendition never goes
stale, and the asset row is read before it is served, so a deleted asset's renditions are not."""

from __future__ import annotations

from collections import OrderedDict


class RecentRenditions:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._renditions: OrderedDict[str, bytes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._renditions)

    def get(self, key: str) -> bytes | None:
        data = self._renditions.get(key)
        if data is not None:
            self._renditions.move_to_end(key)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` unless it is already kept or over an eighth of the budget (it would push out many)."""
        if key in self._renditions or len(data) * 8 > self.max_bytes:
            return
        self._renditions[key] = data
        self.size += len(data)
        while self.size > self.max_bytes:
            _, dropped = self._renditions.popitem(last=False)
            self.size -= len(dropped)
