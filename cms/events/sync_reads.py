"""What the sync feed reads: the change log after a mark, and the live documents served now.

Events are read in id order, and a mark moves past every event read. That skips no event committed later
only if ids are handed out in commit order: every transaction writing an event that lists entries must bump
the content version (one row, locked until its commit) before inserting the event. SQLite serializes
writers anyway; on PostgreSQL that lock does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from cms.lib.clock import now
from cms.store.engine import is_postgres
from cms.store.tables import Entry, Event, Projection

LIVE = "live"
IDS_PER_QUERY = 500
"""Entries named in one query (a release may list thousands; both databases cap bound parameters)."""
_decode_ids = msgspec.json.Decoder(list[str]).decode


class LoggedChange(msgspec.Struct, frozen=True):
    """An event of the change log, as the feed reads it: its id, the entries it changed, their type."""

    id: int
    entries: list[str]
    content_type: str | None


async def last_event_id() -> int:
    """The change log's high-water mark (0 while it is empty)."""
    row = await Event.select(Event.id).order_by(Event.id, ascending=False).first()
    return int(row["id"]) if row else 0


async def changes_after(channel: str, mark: int, limit: int) -> list[LoggedChange]:
    """Events after `mark`, in order, that changed documents of `channel` (events naming no entry, such as
    an asset's, are none of the feed's business)."""
    if is_postgres(Event._meta.db):
        on_channel = "jsonb_exists(channels, {}) AND jsonb_array_length(entries) > 0"
    else:
        on_channel = "EXISTS (SELECT 1 FROM json_each(channels) WHERE value = {}) AND json_array_length(entries) > 0"
    rows = await Event.raw(
        f"SELECT id, entries, content_type FROM cms_event WHERE id > {{}} AND {on_channel} ORDER BY id LIMIT {{}}",
        mark,
        channel,
        limit,
    )
    return [LoggedChange(row["id"], _ids(row["entries"]), row["content_type"]) for row in rows]


def _ids(value: Any) -> list[str]:
    return value if isinstance(value, list) else _decode_ids(value)


async def served_documents(
    channel: str,
    locale: str | None,
    types: Sequence[str],
    *,
    entries: Sequence[str] | None = None,
    after: tuple[str, str] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Live rows of `channel` served now (entry, content_type, locale, version, doc as text), ordered by
    (entry, locale): of `entries` when given, else a page of `limit` rows after the (entry, locale) `after`."""
    conditions = _scope(channel, locale, types, now())
    if after is not None:
        entry, locale_before = after
        same_entry = (Projection.entry == entry) & (Projection.locale > locale_before)
        conditions.append((Projection.entry > entry) | same_entry)
    if entries is None:
        return await _rows(conditions, limit)
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(entries):
        rows += await _rows([*conditions, Projection.entry.is_in(chunk)], None)
    return sorted(rows, key=lambda row: (row["entry"], row["locale"]))


def _scope(channel: str, locale: str | None, types: Sequence[str], moment: dt.datetime) -> list[Any]:
    """Live rows of the channel (and locale, and types) whose validity window holds `moment`."""
    conditions = [
        Projection.stage == LIVE,
        Projection.channel == channel,
        Projection.valid_from.is_null() | (Projection.valid_from <= moment),
        Projection.valid_until.is_null() | (Projection.valid_until > moment),
    ]
    if locale is not None:
        conditions.append(Projection.locale == locale)
    if types:
        conditions.append(Projection.content_type.is_in(list(types)))
    return conditions


async def _rows(conditions: list[Any], limit: int | None) -> list[dict[str, Any]]:
    query = (
        Projection.select(
            Projection.entry, Projection.content_type, Projection.locale, Projection.version, Projection.doc
        )
        .where(*conditions)
        .order_by(Projection.entry, Projection.locale)
    )
    return await (query.limit(limit) if limit is not None else query)


async def entry_types(entry_ids: Sequence[str]) -> dict[str, str]:
    """The content type of each entry that still exists."""
    types: dict[str, str] = {}
    for chunk in _chunks(entry_ids):
        rows = await Entry.select(Entry.id, Entry.content_type).where(Entry.id.is_in(chunk))
        types.update((row["id"], row["content_type"]) for row in rows)
    return types


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield list(ids[start : start + IDS_PER_QUERY])
