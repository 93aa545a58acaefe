"""Decoded documents kept between requests, by the hash of their stored text (or the text itself).

The same text always decodes to the same document, so a kept one is never stale and needs no
invalidation: a publish writes new text under a new hash. Documents are shared between requests and
never changed once decoded (delivery only reads them), apart from the projections the fast path
remembers on them (cms.delivery.fast.run).

Delivery queries select each row's hash and read the texts of the documents not kept only
(cms.delivery.queries): a kept document's text is not read at all.
"""

from __future__ import annotations

from typing import Any

import msgspec

LOCALE_KEY = "__locale"
"""Key under which a served document remembers its locale, so its references load in the same one."""

PROJECTIONS_KEY = "__projections"
"""Key under which a kept document holds its projections by the fast path (cms.delivery.fast.run)."""

DOCUMENTS_KEPT = 4096
"""Most decoded documents kept (the oldest kept is dropped first)."""
DOCUMENT_TEXT_KEPT = 8 * 1024 * 1024
"""Most characters of stored text those documents may add up to; a document over 1/64 of it is not kept."""

_decode = msgspec.json.Decoder().decode
Document = dict[str, Any]


class DecodedDocuments:
    """Decoded documents by (hash of the stored text, locale), or (text, locale) for a row without a hash."""

    def __init__(self, entries: int = DOCUMENTS_KEPT, characters: int = DOCUMENT_TEXT_KEPT) -> None:
        self.entries = entries
        self.characters = characters
        self.size = 0
        self._kept: dict[tuple[str, str], Document] = {}
        self._sizes: dict[tuple[str, str], int] = {}

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, doc_hash: str, locale: str) -> Document | None:
        """The document kept for this hash and locale, if any."""
        return self._kept.get((doc_hash, locale))

    def decode(self, text: str, locale: str, doc_hash: str | None = None) -> Document:
        """The document stored as `text` (whose hash is `doc_hash`, when the row has one), remembering its
        locale: the same dict for the same text while kept."""
        key = (text if doc_hash is None else doc_hash, locale)
        document = self._kept.get(key)
        if document is not None:
            return document
        document = _decode(text)
        document[LOCALE_KEY] = locale
        if self.entries > 0 and len(text) <= self.characters // 64:
            document[PROJECTIONS_KEY] = {}
            kept, sizes = self._kept, self._sizes
            while kept and (len(kept) >= self.entries or self.size + len(text) > self.characters):
                oldest = next(iter(kept))
                del kept[oldest]
                self.size -= sizes.pop(oldest)
            kept[key] = document
            sizes[key] = len(text)
            self.size += len(text)
        return document

    def clear(self) -> None:
        self._kept.clear()
        self._sizes.clear()
        self.size = 0


decoded_documents = DecodedDocuments()


def decode_document(text: str, locale: str, doc_hash: str | None = None) -> Document:
    """The document stored as `text`, remembering its locale; the same dict for the same text while kept."""
    return decoded_documents.decode(text, locale, doc_hash)
