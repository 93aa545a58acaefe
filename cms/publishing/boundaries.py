"""Changes nobody saves: offer windows opening and closing, written to the change log as they pass.

Offers and the copy naming them are stored as rows valid for a window (cms.publishing.offers); delivery
switches rows at the instant without any write. So that webhooks, CDN purges and the sync feed hear of
it, `record_window_changes` (run by every worker's scheduler loop) looks for rows whose window started
or ended since the instant it last looked up to, and appends `offer.started` / `offer.ended` for offers
and `entry.changed` for copy, bumping the content version, in one transaction with moving that instant.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from cms.events.log import ENTRY_CHANGED, OFFER_ENDED, OFFER_STARTED
from cms.lib.clock import now
from cms.publishing.events import entry_change, record_entry_event
from cms.publishing.offers import OFFER_TYPE
from cms.store.content_version import bump_content_version
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import EventClock, Projection


async def record_window_changes() -> int:
    """Append an event per entry whose served documents switched since the last look; returns how many."""
    at = now()
    async with write_transaction():
        since = await _watched_until()
        if since is not None and at <= since:
            return 0
        await _watch_until(at)
        if since is None:
            return 0  # the first look: nothing is known to have passed yet
        rows = await _switched_rows(since, at)
        if rows:
            await bump_content_version()  # before the events: it orders them (see cms.events.log)
        for entry_id, entry_rows in _by_entry(rows).items():
            await record_entry_event(*_event_of(entry_id, entry_rows, since, at))
        return len({row["entry"] for row in rows})


def _event_of(entry_id: str, rows: list[dict[str, Any]], since: dt.datetime, at: dt.datetime) -> tuple[str, Any]:
    started = {_key(r) for r in rows if r["valid_from"] is not None and since < r["valid_from"] <= at}
    ended = {_key(r) for r in rows if r["valid_until"] is not None and since < r["valid_until"] <= at}
    first = rows[0]
    # Rows that ended were served before, rows that started are served after: the change lies between.
    change = entry_change(entry_id, first["content_type"], first["slug"], first["version"], ended, started)
    if first["content_type"] == OFFER_TYPE:
        kind = OFFER_ENDED if ended and not started else OFFER_STARTED
    else:
        kind = ENTRY_CHANGED
    return kind, change


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["channel"], row["locale"], row["valid_from"], row["valid_until"])


def _by_entry(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["entry"]].append(row)
    return grouped


async def _switched_rows(since: dt.datetime, at: dt.datetime) -> list[dict[str, Any]]:
    started = (Projection.valid_from > since) & (Projection.valid_from <= at)
    ended = (Projection.valid_until > since) & (Projection.valid_until <= at)
    return list(
        await Projection.select(
            Projection.entry,
            Projection.content_type,
            Projection.slug,
            Projection.version,
            Projection.channel,
            Projection.locale,
            Projection.valid_from,
            Projection.valid_until,
        )
        .where((Projection.stage == "live") & (started | ended))
        .order_by(Projection.entry)
    )


async def _watched_until() -> dt.datetime | None:
    lock = " FOR UPDATE" if is_postgres(get_engine()) else ""  # one worker looks at a time
    rows = await EventClock.raw("SELECT watched_until FROM cms_event_clock WHERE id = 1" + lock)
    if not rows or rows[0]["watched_until"] is None:
        return None
    value = rows[0]["watched_until"]
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


async def _watch_until(at: dt.datetime) -> None:
    await EventClock.raw(
        "INSERT INTO cms_event_clock (id, watched_until) VALUES (1, {}) "
        "ON CONFLICT (id) DO UPDATE SET watched_until = excluded.watched_until",
        at,
    )
