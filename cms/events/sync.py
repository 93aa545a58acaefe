"""The sync feed of one channel (after Contentful's Sync API), read from the change log.

The first call pages through every document the channel serves now; each later call, from the cursor it
was given, returns the documents upserted and the entries removed since. Items are the stored projection
documents, as delivery serves them. The items of an entry in one answer are all the documents it has
served now (in the locale asked for, or every locale): a consumer may replace what it holds of that entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from cms.events import sync_reads as reads
from cms.events.sync_cursor import (
    FORMAT,
    INCREMENTAL,
    INITIAL,
    StaleSyncCursorError,
    SyncCursor,
    SyncError,
    check_cursor_channel,
    decode_sync_cursor,
    encode_sync_cursor,
)
from cms.model.definitions import ContentModel

DEFAULT_FIRST = 100
MAX_FIRST = 1000
EVENTS_PER_CALL = 10_000
"""Most events one incremental call reads (an entry published again and again counts once among `first`)."""

__all__ = [
    "DEFAULT_FIRST",
    "MAX_FIRST",
    "StaleSyncCursorError",
    "SyncError",
    "SyncItem",
    "SyncPage",
    "SyncQuery",
    "SyncRemoval",
    "sync",
]


class SyncQuery(msgspec.Struct, frozen=True):
    """One call of the feed: a cursor from the last call (None: from scratch), filters and a page size."""

    channel: str
    cursor: str | None = None
    locale: str | None = None
    """None: every locale of the channel (or, with a cursor, the cursor's own); with a cursor, a locale filters
    what follows the cursor's position."""
    types: tuple[str, ...] | None = None
    """Content type names; None or empty: every type (or, with a cursor, None: the cursor's own)."""
    first: int = DEFAULT_FIRST


class SyncItem(msgspec.Struct, frozen=True):
    id: str
    type: str
    locale: str
    version: int
    document: msgspec.Raw
    """The stored document's JSON text, as delivery serves it on the channel."""


class SyncRemoval(msgspec.Struct, frozen=True):
    id: str
    type: str


class SyncPage(msgspec.Struct, frozen=True, rename="camel"):
    items: list[SyncItem]
    removed: list[SyncRemoval]
    next_cursor: str
    has_more: bool
    """More is waiting: call again with `next_cursor` at once (else, later, to hear of new changes)."""


async def sync(model: ContentModel, query: SyncQuery) -> SyncPage:
    """One page of the feed; SyncError names what is wrong with the request."""
    cursor = await _cursor_for(model, query)
    if cursor.phase == INITIAL:
        return await _initial_page(cursor, query.first)
    return await _changes(cursor, query.first)


async def _cursor_for(model: ContentModel, query: SyncQuery) -> SyncCursor:
    channel = model.channels.get(query.channel)
    if channel is None:
        raise SyncError(f"unknown channel {query.channel!r}: the channels are {', '.join(model.channels)}")
    if not 1 <= query.first <= MAX_FIRST:
        raise SyncError(f"`first` must be between 1 and {MAX_FIRST}, got {query.first}")
    if query.locale is not None and query.locale not in channel.locales:
        raise SyncError(
            f"unknown locale {query.locale!r} for the {channel.name} channel: use one of {', '.join(channel.locales)}"
        )
    types = None if query.types is None else tuple(sorted(set(query.types)))
    exposed = [content_type.name for content_type in model.channel_types(channel.name)]
    unknown = sorted(set(types or ()) - set(exposed))
    if unknown:
        raise SyncError(
            f"the {channel.name} channel has no type {', '.join(map(repr, unknown))}: use {', '.join(exposed)}"
        )
    if query.cursor is None:
        # The mark first: whatever changes while the pages are read is replayed from it afterwards.
        mark = await reads.last_event_id()
        return SyncCursor(FORMAT, channel.name, query.locale, types or (), INITIAL, mark)
    cursor = decode_sync_cursor(query.cursor)
    check_cursor_channel(cursor, channel.name)
    # A cursor is a position in the channel's change log, not a subscription: a locale or types sent with it
    # filter what follows from there (a consumer switching them gets no backlog: it syncs afresh for that).
    locale = cursor.locale if query.locale is None else query.locale
    return msgspec.structs.replace(cursor, locale=locale, types=cursor.types if types is None else types)


async def _initial_page(cursor: SyncCursor, first: int) -> SyncPage:
    """`first` documents served now after the cursor's position; after the last one, the incremental phase."""
    rows = await reads.served_documents(
        cursor.channel, cursor.locale, cursor.types, after=cursor.after, limit=first + 1
    )
    items = [_item(row) for row in rows[:first]]
    if len(rows) > first:
        following = msgspec.structs.replace(cursor, after=(items[-1].id, items[-1].locale))
        return SyncPage(items, [], encode_sync_cursor(following), True)
    following = msgspec.structs.replace(cursor, phase=INCREMENTAL, after=None)
    waiting = await reads.changes_after(cursor.channel, cursor.mark, 1)
    return SyncPage(items, [], encode_sync_cursor(following), bool(waiting))


async def _changes(cursor: SyncCursor, first: int) -> SyncPage:
    """Whole events after the mark until they name `first` entries; what each of those entries serves now."""
    changed, mark, has_more = await _entries_changed(cursor.channel, cursor.mark, first)
    if not changed:
        if mark > await reads.last_event_id():
            raise StaleSyncCursorError(
                "this cursor is ahead of the change log (the store was reset): sync again without a cursor"
            )
        return SyncPage([], [], encode_sync_cursor(cursor), False)
    rows = await reads.served_documents(cursor.channel, cursor.locale, cursor.types, entries=list(changed))
    types = {**changed, **await reads.entry_types(list(changed))}
    served = {row["entry"] for row in rows}
    removed = [
        SyncRemoval(entry, types[entry] or "")
        for entry in sorted(changed)
        if entry not in served and _kept(types[entry], cursor.types)
    ]
    following = msgspec.structs.replace(cursor, mark=mark)
    return SyncPage([_item(row) for row in rows], removed, encode_sync_cursor(following), has_more)


async def _entries_changed(channel: str, mark: int, first: int) -> tuple[dict[str, str | None], int, bool]:
    """Entries named by whole events after `mark` (with the type an event gives), until at least `first`;
    the last event read, and whether more events wait."""
    entries: dict[str, str | None] = {}
    read = 0
    while True:
        events = await reads.changes_after(channel, mark, first + 1)
        for event in events:
            if len(entries) >= first or read >= EVENTS_PER_CALL:
                return entries, mark, True
            for entry in event.entries:
                entries.setdefault(entry, event.content_type)
            mark, read = event.id, read + 1
        if len(events) <= first:
            return entries, mark, False


def _kept(content_type: str | None, types: Sequence[str]) -> bool:
    return not types or content_type in types


def _item(row: dict[str, Any]) -> SyncItem:
    return SyncItem(row["entry"], row["content_type"], row["locale"], row["version"], msgspec.Raw(row["doc"]))
