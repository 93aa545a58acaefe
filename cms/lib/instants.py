"""Instants a client names for "as it will be then" (`Preview-At`, `sendAt`): read the same way everywhere."""

from __future__ import annotations

import datetime as dt

from cms.lib.clock import now

LEEWAY = dt.timedelta(minutes=1)
"""How far in the past such an instant may be (a client's "now", late by the time it took to arrive)."""


def coming_instant(text: str, *, example: str, in_the_past: str) -> dt.datetime:
    """An ISO 8601 instant with a time zone, not in the past; ValueError with the reason otherwise: not an
    instant or without a time zone (`example` shows one), or in the past (`in_the_past` says why that is refused)."""
    shown = repr(text[:40])
    try:
        instant = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{shown} is not an instant ({example})") from None
    if instant.tzinfo is None:
        raise ValueError(f"{shown} has no time zone ({example})")
    if instant < now() - LEEWAY:
        raise ValueError(f"{shown} is in the past: {in_the_past}")
    return instant
