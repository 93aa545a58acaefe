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
PREFETCHED_MOST = 256
"""Most documents a page query reads ahead for the loads expected after it."""


class DocumentsByEntryIdLoader(DataLoader[DocumentKey, dict[str, Any] | None]):
    """Loads published documents by (entry id, locale): one query per locale per batch."""

    def __init__(self, stage: str, channel: str, served: set[str] | None = None) -> None:
        self.stage = stage
        self.channel = channel
        self.served = served if served is not None else set()
        self.loaded: dict[DocumentKey, dict[str, Any] | None] = {}
        """What this request loaded so far, whichever way (absent documents as None)."""
        self.expected: tuple[DocumentKey, ...] = ()
        """What this request is expected to load (cms.delivery.fast.run): read by its first page query."""
        self.prefetched: dict[DocumentKey, dict[str, Any] | None] = {}
        """Documents read ahead with a page, loaded from here when asked for (and only then served)."""
        super().__init__(load_fn=self._load)

    def take_expected(self, locale: str) -> list[str] | None:
        """Entry ids of the documents in `locale` this request is expected to load and has not: to be read
        with the page about to be queried (once per request)."""
        expected, self.expected = self.expected, ()
        loaded = self.loaded
        entry_ids = [entry for entry, in_locale in expected if in_locale == locale and (entry, locale) not in loaded]
        return entry_ids[:PREFETCHED_MOST] or None

    def read_ahead(self, locale: str, documents: dict[str, dict[str, Any] | None]) -> None:
        """Documents read with a page (cms.delivery.queries.fetch_page), by entry id, for later loads."""
        prefetched = self.prefetched
        for entry_id, document in documents.items():
            prefetched[(entry_id, locale)] = document

    async def fetch_many(self, keys: list[DocumentKey]) -> list[dict[str, Any] | None]:
        """`load_many` without a future per key (the fast path): the same batches, the same queries."""
        loaded = self.loaded
        missing = [key for key in dict.fromkeys(keys) if key not in loaded]
        if missing:
            await self._load(missing)
        return [loaded[key] for key in keys]

    async def _load(self, keys: list[DocumentKey]) -> list[dict[str, Any] | None]:
        loaded = self.loaded
        prefetched = self.prefetched
        by_locale: dict[str, list[str]] = {}
        for entry_id, locale in keys:
            if (entry_id, locale) not in loaded:
                if prefetched and (entry_id, locale) in prefetched:
                    document = loaded[(entry_id, locale)] = prefetched.pop((entry_id, locale))
                    if document is not None:
                        self.served.add(entry_id)
                    continue
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
    stock: Any = None
    """Stock by SKU for `inventory` (cms.delivery.stock_field), made on first use."""

    def __post_init__(self) -> None:
        self.documents = DocumentsByEntryIdLoader(self.stage, self.channel.name, self.served)
