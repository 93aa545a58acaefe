"""Per-request context of a delivery query: channel, locale from the headers, and batch loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from cms.delivery.documents import (  # noqa: F401 - kept where callers and tests import them from
    LOCALE_KEY,
    PROJECTIONS_KEY,
    DecodedDocuments,
    Document,
    decode_document,
    decoded_documents,
)
from cms.delivery.queries import fetch_by_entry_ids
from cms.delivery.sql import JsonDialect
from cms.model.definitions import Channel, ContentModel

DocumentKey = tuple[str, str]


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
        by_locale: dict[str, list[str]] = {}
        for entry_id, locale in keys:
            if (entry_id, locale) not in loaded:
                entry_ids = by_locale.get(locale)
                if entry_ids is None:
                    by_locale[locale] = [entry_id]
                else:
                    entry_ids.append(entry_id)
        for locale, entry_ids in by_locale.items():
            found = await fetch_by_entry_ids(self.stage, self.channel, locale, entry_ids)
            get = found.get
            for entry_id in entry_ids:
                loaded[(entry_id, locale)] = get(entry_id)
            self.served.update(found)
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
