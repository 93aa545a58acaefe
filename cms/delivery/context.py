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

_decode = msgspec.json.Decoder().decode
DocumentKey = tuple[str, str]


def decode_document(text: str, locale: str) -> dict[str, Any]:
    document = _decode(text)
    document[LOCALE_KEY] = locale
    return document


class DocumentsByEntryIdLoader(DataLoader[DocumentKey, dict[str, Any] | None]):
    """Loads published documents by (entry id, locale): one query per locale per batch."""

    def __init__(self, stage: str, channel: str, served: set[str] | None = None) -> None:
        self.stage = stage
        self.channel = channel
        self.served = served if served is not None else set()
        super().__init__(load_fn=self._load)

    async def _load(self, keys: list[DocumentKey]) -> list[dict[str, Any] | None]:
        by_locale: dict[str, list[str]] = defaultdict(list)
        for entry_id, locale in keys:
            by_locale[locale].append(entry_id)
        found: dict[DocumentKey, dict[str, Any]] = {}
        for locale, entry_ids in by_locale.items():
            for entry_id, text in (await fetch_by_entry_ids(self.stage, self.channel, locale, entry_ids)).items():
                found[(entry_id, locale)] = decode_document(text, locale)
                self.served.add(entry_id)
        return [found.get(key) for key in keys]


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
