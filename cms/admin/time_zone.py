"""The editor's time zone: instants are stored in UTC and shown, and typed, in the zone of the editor's browser.

`admin.js` keeps the browser's IANA zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`) in the
`cms_admin_tz` cookie; a missing or unknown zone is UTC. Every instant shown names its zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime
from litestar import Request

TIME_ZONE_COOKIE = "cms_admin_tz"
UTC = ZoneInfo("UTC")


def admin_time_zone(request: Request[Any, Any, Any]) -> ZoneInfo:
    """The zone of the editor's browser (from its cookie), else UTC."""
    name = unquote(request.cookies.get(TIME_ZONE_COOKIE, ""))
    if not name or name not in _zone_names():
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _zone_names() -> set[str]:
    return available_timezones() | {"UTC"}


def zone_label(zone: ZoneInfo, at: dt.datetime | None = None) -> str:
    """`Europe/Paris, UTC+01:00`: the zone's name and its offset at `at` (now by default); `UTC` alone."""
    return "UTC" if zone.key == "UTC" else f"{zone.key}, {_offset(zone, at or dt.datetime.now(dt.UTC))}"


def _offset(zone: ZoneInfo, at: dt.datetime) -> str:
    offset = at.astimezone(zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def local_instant(value: dt.datetime, zone: ZoneInfo, language: str) -> str:
    """An instant in `zone`, written the `language`'s way, with its offset: `6 déc. 2026, 10:00 (UTC+01:00)`."""
    instant = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    shown = format_datetime(instant, "d MMM y, HH:mm", tzinfo=zone, locale=language)
    return f"{shown} UTC" if zone.key == "UTC" else f"{shown} ({_offset(zone, instant)})"


def utc_from_local(typed: str, zone: ZoneInfo) -> dt.datetime:
    """A `datetime-local` value (`2026-12-06T10:00`) read as a wall time in `zone`, as a UTC instant.

    ValueError when it is not a date and time.
    """
    wall = dt.datetime.fromisoformat(typed)
    if wall.tzinfo is not None:
        return wall.astimezone(dt.UTC)
    return wall.replace(tzinfo=zone).astimezone(dt.UTC)
