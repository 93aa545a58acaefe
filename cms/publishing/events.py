"""What publishing tells the change log: which documents of which entries changed, on which channels.

Called inside publishing's transactions (cms.events.log is the outbox). A document changed when the set
of (hash, validity window) rows served for its channel and locale differs before and after the change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from cms.events.log import ENTRY_CHANGED, ENTRY_PUBLISHED, NewEvent, record_event, record_events
from cms.store.bulk import ProjectionRow
from cms.store.tables import Projection

LIVE = "live"
Served = dict[str, set[tuple[Any, ...]]]
"""Per entry: its live rows as (channel, locale, doc_hash, valid_from, valid_until)."""


async def live_rows(entry_ids: Iterable[str]) -> Served:
    """What delivery serves of these entries right now (read inside the transaction that changes it)."""
    entry_ids = list(entry_ids)
    served: Served = defaultdict(set)
    if not entry_ids:
        return served
    rows = await Projection.select(
        Projection.entry,
        Projection.channel,
        Projection.locale,
        Projection.doc_hash,
        Projection.valid_from,
        Projection.valid_until,
    ).where(Projection.entry.is_in(entry_ids) & (Projection.stage == LIVE))
    for row in rows:
        served[row["entry"]].add(_fingerprint(row))
    return served


def rows_served(rows: Iterable[Projection | ProjectionRow]) -> Served:
    """The same fingerprints for projection rows about to be written."""
    served: Served = defaultdict(set)
    for row in rows:
        served[row.entry].add(  # type: ignore[index]
            (row.channel, row.locale, row.doc_hash, row.valid_from, row.valid_until)
        )
    return served


def _fingerprint(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["channel"], row["locale"], row["doc_hash"], row["valid_from"], row["valid_until"])


def entry_change(
    entry_id: str, content_type: str, slug: str | None, version: int | None, before: set[Any], after: set[Any]
) -> dict[str, Any]:
    """The data of an entry's event: what changed where, and the surrogate keys a CDN purges.

    `entry-<id>` names every cached answer that showed the entry (delivery's `Surrogate-Key`); where the
    entry appears on a channel for the first time, answers that could now list it do not name it, so that
    channel's key (`channel-<name>`, on every answer of the channel) is added too.
    """
    documents = sorted({(c, loc) for c, loc, *_ in before ^ after})
    channels = sorted({channel for channel, _ in documents})
    appeared = sorted({c for c, *_ in after} - {c for c, *_ in before})
    return {
        "entryId": entry_id,
        "contentType": content_type,
        "slug": slug,
        "version": version,
        "channels": channels,
        "locales": sorted({locale for _, locale in documents}),
        "documents": [{"channel": channel, "locale": locale} for channel, locale in documents],
        "surrogateKeys": [f"entry-{entry_id}", *(f"channel-{channel}" for channel in appeared)],
    }


def entry_event(kind: str, change: dict[str, Any]) -> NewEvent:
    """The event recording an entry's change (see `entry_change`)."""
    return NewEvent(
        kind,
        change,
        entry=change["entryId"],
        content_type=change["contentType"],
        entries=(change["entryId"],) if change["documents"] else (),
        channels=tuple(change["channels"]),
    )


async def record_entry_event(kind: str, change: dict[str, Any]) -> None:
    event = entry_event(kind, change)
    await record_event(
        kind, change, entry=event.entry, content_type=event.content_type, entries=event.entries, channels=event.channels
    )


async def record_published(
    published: Iterable[tuple[str, str, str | None, int]],
    reprojected: Iterable[tuple[str, str, str | None, int]],
    before: Served,
    after: Served,
) -> None:
    """`entry.published` for each published (entry, type, slug, version); `entry.changed` for copy projected
    again (it names an offer that changed) whose documents did change."""
    events = [
        entry_event(
            ENTRY_PUBLISHED, entry_change(entry_id, content_type, slug, version, before[entry_id], after[entry_id])
        )
        for entry_id, content_type, slug, version in published
    ]
    for entry_id, content_type, slug, version in reprojected:
        change = entry_change(entry_id, content_type, slug, version, before[entry_id], after[entry_id])
        if change["documents"]:
            events.append(entry_event(ENTRY_CHANGED, change))
    await record_events(events)
