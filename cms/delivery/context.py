"""Per-request context of a delivery query: channel, locale from the headers, and batch loaders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import msgspec
from strawberry.dataloader import DataLoader

from cms.delivery.queries import fetch_by_entry_ids
from cms.delivery.sql import JsonDialect
from cms.model.definitions import Channel, ContentModel

LOCALE_KEY = "__locale"
"""Key under which a served document remembers its locale, so its references load in the same one."""

PROJECTIONS_KEY = "__projections"
"""Key under which a kept document holds its projections by the fast path (cms.delivery.fast.run)."""

_decode = msgspec.json.Decoder().decode
DocumentKey = tuple[str, str]

DOCUMENTS_KEPT = 4096
"""Most decoded documents kept (the oldest kept is dropped first)."""
DOCUMENT_TEXT_KEPT = 8 * 1024 * 1024
"""Most characters of stored text those documents may add up to; a document over 1/64 of it is not kept."""


class DecodedDocuments:
    """Decoded documents by their stored text and locale: the same text always decodes to the same
    document, so a kept one is never stale and needs no invalidation. Documents are shared between
    requests and never changed once decoded (delivery only reads them)."""

    def __init__(self, entries: int = DOCUMENTS_KEPT, characters: int = DOCUMENT_TEXT_KEPT) -> None:
        self.entries = entries
        self.characters = characters
        self.size = 0
        self._kept: dict[tuple[str, str], dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def decode(self, text: str, locale: str) -> dict[str, Any]:
        key = (text, locale)
        document = self._kept.get(key)
        if document is not None:
            return document
        document = _decode(text)
        document[LOCALE_KEY] = locale
        if self.entries > 0 and len(text) <= self.characters // 64:
            document[PROJECTIONS_KEY] = {}
            kept = self._kept
            while kept and (len(kept) >= self.entries or self.size + len(text) > self.characters):
                oldest = next(iter(kept))
                del kept[oldest]
                self.size -= len(oldest[0])
            kept[key] = document
            self.size += len(text)
        return document

    def clear(self) -> None:
        self._kept.clear()
        self.size = 0


decoded_documents = DecodedDocuments()


def decode_document(text: str, locale: str) -> dict[str, Any]:
    """The document stored as `text`, remembering its locale; the same dict for the same text while kept."""
    return decoded_documents.decode(text, locale)


class DocumentsByEntryIdLoader(DataLoader[DocumentKey, dict[str, Any] | None]):
    """Loads published documents by (entry id, locale): one query per locale per batch."""

    def __init__(self, stage: str, channel: str, served: set[str] | None = None) -> None:
        self.stage = stage
        self.channel = channel
        self.served = served if served is not None else set()
        self.loaded: dict[DocumentKey, dict[str, Any] | None] = {}
        """What this request loaded so far, whichever way (absent documents as None)."""
        super().__init__(load_fn=self._load)

    async def fetch_many(self, keys: list[DocumentKey]) -> list[dict[str, Any] | None]:
        """`load_many` without a future per key (the fast path): the same batches, the same queries."""
        loaded = self.loaded
        missing = [key for key in dict.fromkeys(keys) if key not in loaded]
        if missing:
            await self._load(missing)
        return [loaded[key] for key in keys]

    async def _load(self, keys: list[DocumentKey]) -> list[dict[str, Any] | None]:
        loaded = self.loaded
        by_locale: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            if key not in loaded:
                by_locale[key[1]].append(key[0])
        for locale, entry_ids in by_locale.items():
            found = await fetch_by_entry_ids(self.stage, self.channel, locale, entry_ids)
            for entry_id in entry_ids:
                text = found.get(entry_id)
                loaded[(entry_id, locale)] = None if text is None else decode_document(text, locale)
                if text is not None:
                    self.served.add(entry_id)
        return [loaded[key] for key in keys]


@dataclass
class DeliveryContext:
    model: ContentModel
    channel: Channel
    header_locale: str
    dialect: JsonDialect
    stage: str = "live"
    """`live`, or `preview` for a request carrying a preview token."""
    served: set[str] = field(default_factory=set)
    """Ids of the entries this answer shows (for the Surrogate-Key header)."""
    documents: DocumentsByEntryIdLoader = field(init=False)

    def __post_init__(self) -> None:
        self.documents = DocumentsByEntryIdLoader(self.stage, self.channel.name, self.served)
