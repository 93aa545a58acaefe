"""Shared steps of the sync feed's tests: categories published through the Editor, a consumer mirroring a
channel from the feed, and what delivery itself serves."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.auth.principal import SCHEDULER
from cms.delivery.queries import fetch_by_entry_ids
from cms.events.sync import SyncPage, SyncQuery, sync
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor

Key = tuple[str, str]
"""(entry id, locale)."""


def editor_for(model: ContentModel) -> Editor:
    return Editor(model, SCHEDULER)


def category_data(slug: str, name: str) -> EntryData:
    return EntryData(base={"en": {"name": name, "slug": slug}, "fr": {"name": f"{name} (fr)"}})


async def published_category(editor: Editor, slug: str, name: str | None = None) -> str:
    """A category created and published (in English and French); its id."""
    created = await editor.create("category", category_data(slug, name or slug.title()))
    await editor.publish(created["id"])
    return str(created["id"])


def documents_of(page: SyncPage) -> dict[Key, Any]:
    return {(item.id, item.locale): msgspec.json.decode(item.document) for item in page.items}


class Mirror:
    """A consumer of the feed: documents by (entry, locale), kept current by applying every page."""

    def __init__(self, model: ContentModel, channel: str, **filters: Any) -> None:
        self.model, self.channel, self.filters = model, channel, filters
        self.documents: dict[Key, Any] = {}
        self.cursor: str | None = None
        self.pages: list[SyncPage] = []

    async def page(self, first: int = 100) -> SyncPage:
        """Fetch and apply one page: an entry's removal drops it in every locale, an item replaces its key."""
        page = await sync(self.model, SyncQuery(self.channel, self.cursor, first=first, **self.filters))
        for removal in page.removed:
            self.documents = {key: doc for key, doc in self.documents.items() if key[0] != removal.id}
        self.documents.update(documents_of(page))
        self.cursor = page.next_cursor
        self.pages.append(page)
        return page

    async def catch_up(self, first: int = 100) -> dict[Key, Any]:
        """Pages until the feed says nothing more waits; the documents mirrored."""
        while (await self.page(first)).has_more:
            pass
        return self.documents


async def delivered(channel: str, locales: list[str], entry_ids: list[str]) -> dict[Key, Any]:
    """What delivery serves now of these entries, read by its own batch loader's query (internal keys left out)."""
    served: dict[Key, Any] = {}
    for locale in locales:
        for entry_id, document in (await fetch_by_entry_ids("live", channel, locale, entry_ids)).items():
            served[(entry_id, locale)] = {key: value for key, value in document.items() if not key.startswith("__")}
    return served
