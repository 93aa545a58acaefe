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
"""Key under which a kept document holds its projections by the fast path (cms.delivery.fast.run), each
with the characters it `charged` against the bound; None once the document is no longer kept (what it
remembered goes with it, and a document kept alive elsewhere remembers nothing more)."""

DOCUMENTS_KEPT = 4096
"""Most decoded documents kept (the oldest kept is dropped first)."""
DOCUMENT_TEXT_KEPT = 8 * 1024 * 1024
"""Most characters of stored text those documents may add up to; a document over 1/64 of it is not kept."""

_decode = msgspec.json.Decoder().decode
Document = dict[str, Any]


class DecodedDocuments:
    """Decoded documents by locale, then by the hash of the stored text (or the text, for a row without a
    hash): a page's lookups go to one locale's dict (cms.delivery.queries)."""

    def __init__(self, entries: int = DOCUMENTS_KEPT, characters: int = DOCUMENT_TEXT_KEPT) -> None:
        self.entries = entries
        self.characters = characters
        self.size = 0
        self._kept: dict[str, dict[str, Document]] = {}
        self._sizes: dict[tuple[str, str], int] = {}
        """Characters of each kept document's text by (key, locale), oldest first."""
        self.generation = 0
        """Counts the changes of what kept documents remember: a document no longer kept, and (counted by
        cms.delivery.fast.run) a projection replaced or bytes encoded."""

    def __len__(self) -> int:
        return len(self._sizes)

    def get(self, doc_hash: str, locale: str) -> Document | None:
        """The document kept for this hash and locale, if any."""
        kept = self._kept.get(locale)
        return None if kept is None else kept.get(doc_hash)

    def in_locale(self, locale: str) -> dict[str, Document]:
        """The documents kept in `locale` by hash: to read only (it changes as documents are kept)."""
        kept = self._kept.get(locale)
        if kept is None:
            kept = self._kept[locale] = {}
        return kept

    def decode(self, text: str, locale: str, doc_hash: str | None = None) -> Document:
        """The document stored as `text` (whose hash is `doc_hash`, when the row has one), remembering its
        locale: the same dict for the same text while kept."""
        key = text if doc_hash is None else doc_hash
        in_locale = self.in_locale(locale)
        document = in_locale.get(key)
        if document is not None:
            return document
        document = _decode(text)
        document[LOCALE_KEY] = locale
        if self.entries > 0 and len(text) <= self.characters // 64:
            document[PROJECTIONS_KEY] = {}
            sizes = self._sizes
            while sizes and (len(sizes) >= self.entries or self.size + len(text) > self.characters):
                oldest = next(iter(sizes))
                self.size -= sizes.pop(oldest) + _forget(self._kept[oldest[1]].pop(oldest[0]))
                self.generation += 1
            in_locale[key] = document
            sizes[(key, locale)] = len(text)
            self.size += len(text)
        return document

    def charge(self, characters: int) -> None:
        """Count `characters` more (fewer, when negative) against the bound: what a kept document's
        projections remember (their encoded bytes), recorded on them as `charged` and given back when
        the document goes."""
        self.size += characters

    def clear(self) -> None:
        self.generation += 1
        for kept in self._kept.values():
            for document in kept.values():
                _forget(document)
            kept.clear()  # cleared in place: a caller may hold one locale's dict
        self._sizes.clear()
        self.size = 0


def _forget(document: Document) -> int:
    """Drop what a document no longer kept remembers; the characters that had charged."""
    projections = document.get(PROJECTIONS_KEY)
    document[PROJECTIONS_KEY] = None
    return sum(getattr(projection, "charged", 0) for projection in (projections or {}).values())


decoded_documents = DecodedDocuments()


def decode_document(text: str, locale: str, doc_hash: str | None = None) -> Document:
    """The document stored as `text`, remembering its locale; the same dict for the same text while kept."""
    return decoded_documents.decode(text, locale, doc_hash)
