"""Which live content delivery serves now: the content and stock versions, and the current validity windows.

While the invalidation listener is connected (PostgreSQL, cms.delivery.invalidation) the version
comes from its notifications, so a cached answer costs no query. Otherwise it is read per request: on
SQLite a look at the WAL index, selected again only after a commit (cms.store.content_version); on
PostgreSQL with the listener down, one small query. The next window boundary (an offer starting or
ending) is looked up once per version and kept until that instant passes; the stamp of a version and
window is one object, handed out until either changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec

from cms.delivery.cache import Stamp
from cms.delivery.reads import read_rows
from cms.lib.clock import now
from cms.lib.unavailable import is_database_unavailable
from cms.store.content_version import Versions, read_versions

_NEXT_BOUNDARY = (
    "SELECT (SELECT min(valid_from) FROM cms_projection WHERE stage = 'live' AND valid_from > {}) AS opens, "
    "(SELECT min(valid_until) FROM cms_projection WHERE stage = 'live' AND valid_until > {}) AS closes"
)


class _Window(msgspec.Struct, frozen=True):
    stamp: Stamp
    """Handed out as is while the window holds: the hit lane keys its memo of answer keys by its identity."""
    since: dt.datetime

    def holds(self, version: int, moment: dt.datetime) -> bool:
        end = self.stamp.window_end
        return version == self.stamp.version and self.since <= moment and (end is None or moment < end)


class Freshness:
    def __init__(
        self, on_change: Callable[[], Any] = lambda: None, on_stock_change: Callable[[], Any] = lambda: None
    ) -> None:
        self.on_change = on_change
        """Called when a newer content version is seen or the windows move on (the response cache empties
        itself); not for a newer stock version: only the answers showing stock depend on it."""
        self.on_stock_change = on_stock_change
        """Called when a newer stock version is seen (the response cache drops its answers showing stock)."""
        self.listening = False
        self.latest = -1
        self.latest_stock = -1
        self._window: _Window | None = None

    async def stamp(self) -> Stamp:
        """The versions and window end of the content and stock live now."""
        if self.listening:
            version, stock = self.latest, self.latest_stock
        else:
            versions = await read_versions()
            version, stock = self.observe(versions.content), self.observe_stock(versions.stock)
        moment = now()
        window = self._window
        if window is None or not window.holds(version, moment):
            window = _Window(Stamp(version, await next_window_boundary(moment), stock), moment)
            if self._window is not None and self._window.stamp.window_end != window.stamp.window_end:
                self.on_change()
            self._window = window
        elif window.stamp.stock != stock:  # the same content and windows: no boundary to look up again
            window = self._window = _Window(Stamp(version, window.stamp.window_end, stock), window.since)
        return window.stamp

    async def stamp_or_last(self) -> tuple[Stamp, bool]:
        """The stamp of the content live now, or, when the database is down, the last one handed out and True
        (stale): the answers cached for it may be served, marked stale (stale-if-error). Raises when the
        database is down and no stamp was handed out yet."""
        try:
            return await self.stamp(), False
        except Exception as error:
            last = self.last_stamp()
            if last is None or not is_database_unavailable(error):
                raise
            return last, True

    def last_stamp(self) -> Stamp | None:
        """The stamp handed out last (None: none yet): what cached answers are keyed by while the database
        cannot say what is live now (stale-if-error, cms.delivery.http)."""
        return self._window.stamp if self._window is not None else None

    def still_current(self, stamp: Stamp, *, stock: bool = False) -> bool:
        """No newer version seen (nor, for an answer showing stock, a newer stock version) and no window boundary
        passed: an answer computed for `stamp` may be kept."""
        return (
            stamp.version >= self.latest
            and (not stock or stamp.stock >= self.latest_stock)
            and (stamp.window_end is None or now() < stamp.window_end)
        )

    def observe(self, version: int) -> int:
        """Note a committed version (notified or read); a newer one than any seen before is a change."""
        if version > self.latest:
            self.latest = version
            self.on_change()
        return self.latest

    def observe_stock(self, version: int) -> int:
        """Note a committed stock version (notified or read); a newer one drops only the answers showing stock
        (their keys move on), the others stay cached."""
        if version > self.latest_stock:
            self.latest_stock = version
            self.on_stock_change()
        return self.latest_stock

    def start_listening(self, versions: Versions) -> None:
        """The listener is connected and `versions` were read after it started listening: trust notifications."""
        self.observe(versions.content)
        self.observe_stock(versions.stock)
        self.listening = True

    def stop_listening(self) -> None:
        self.listening = False


async def next_window_boundary(moment: dt.datetime) -> dt.datetime | None:
    """The first instant after `moment` at which a live projection starts or stops being served."""
    rows = await read_rows(_NEXT_BOUNDARY, moment, moment)
    instants = [_instant(value) for value in (rows[0]["opens"], rows[0]["closes"]) if value is not None]
    return min(instants) if instants else None


def _instant(value: dt.datetime | str) -> dt.datetime:
    """SQLite answers an aggregate of timestamps as text."""
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
