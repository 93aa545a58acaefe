"""The one source of "now": the system clock, or a test clock that tests move by hand; and, for one task
(a preview "as of" an instant, cms.workflow.time_travel), an instant that stands in for both."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class TestClock(Clock):
    """A clock that stands still until told to move: schedules become testable without sleeping."""

    __test__ = False  # not a pytest test class

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> dt.datetime:
        self.current += dt.timedelta(**delta)
        return self.current

    def set(self, instant: dt.datetime) -> None:
        self.current = instant


_clock: Clock = Clock()
_instant: ContextVar[dt.datetime | None] = ContextVar("cms_instant", default=None)


def now() -> dt.datetime:
    instant = _instant.get()
    return _clock.now() if instant is None else instant


@contextlib.contextmanager
def at_instant(instant: dt.datetime) -> Iterator[dt.datetime]:
    """Within the block, and only in this task (a context variable), `now()` is `instant`."""
    token = _instant.set(instant)
    try:
        yield instant
    finally:
        _instant.reset(token)


def use_clock(clock: Clock) -> Clock:
    """Install `clock` as the process clock; returns the previous one (tests restore it)."""
    global _clock
    previous, _clock = _clock, clock
    return previous
