"""The one source of "now": the system clock, or a test clock that tests move by hand."""

from __future__ import annotations

import datetime as dt


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


def now() -> dt.datetime:
    return _clock.now()


def use_clock(clock: Clock) -> Clock:
    """Install `clock` as the process clock; returns the previous one (tests restore it)."""
    global _clock
    previous, _clock = _clock, clock
    return previous
