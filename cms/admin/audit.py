"""The audit log in the admin: newest first, filtered by actor, action, entry and dates (UTC), paged; each event's
details expand in place, and events about an entry link to its editor. Admins see every event, others their own."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, get
from litestar.response import Template

from cms.admin.gate import principal
from cms.admin.i18n import MESSAGES, admin_language
from cms.admin.render import model_of, render, translator
from cms.admin.summaries import entries_by_ids, summaries
from cms.auth.principal import ADMIN, Principal
from cms.store.tables import AuditEvent
from cms.workflow.audit import visible_to

PAGE_SIZE = 50
_decode = msgspec.json.Decoder().decode
_pretty = msgspec.json.Encoder(order="sorted")


def _day(text: str) -> dt.datetime | None:
    """A `YYYY-MM-DD` date as midnight UTC; None when empty; ValueError when it is not a date."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC) if text else None


def _where(
    reader: Principal, actor: str, action: str, entry: str, since: dt.datetime | None, until: dt.datetime | None
) -> Any:
    where: Any = visible_to(reader)
    for column, value in ((AuditEvent.actor, actor), (AuditEvent.action, action), (AuditEvent.entry, entry)):
        if value:
            where &= column == value
    if since is not None:
        where &= AuditEvent.at >= since
    if until is not None:
        where &= AuditEvent.at < until + dt.timedelta(days=1)  # the "until" day is included
    return where


@get("/audit", name="admin:audit")
async def audit_log(
    request: Request[Any, Any, Any],
    actor: str = "",
    action: str = "",
    entry: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Template:
    filters = {"actor": actor.strip(), "action": action, "entry": entry.strip(), "since": since, "until": until}
    try:
        where = _where(principal(request), filters["actor"], action, filters["entry"], _day(since), _day(until))
    except ValueError:
        return await _page(request, filters, [], 1, 1, 0, error=translator(request)("audit.bad_date"))
    total = await AuditEvent.count().where(where)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await AuditEvent.select()
        .where(where)
        .order_by(AuditEvent.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return await _page(request, filters, list(rows), page, pages, total)


async def _page(
    request: Request[Any, Any, Any],
    filters: dict[str, str],
    rows: list[dict[str, Any]],
    page: int,
    pages: int,
    total: int,
    error: str | None = None,
) -> Template:
    entries = await entries_by_ids(sorted({row["entry"] for row in rows if row["entry"]}))
    titled = {row["id"]: row for row in await summaries(model_of(request), entries, admin_language(request))}
    events = [row | {"details": _details(row["details"]), "about": titled.get(row["entry"] or "")} for row in rows]
    reader = principal(request)
    actions = [
        row["action"]
        for row in await AuditEvent.select(AuditEvent.action)
        .where(visible_to(reader))
        .distinct()
        .order_by(AuditEvent.action)
    ]
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(
        request,
        "audit/log.html",
        status_code=400 if error else 200,
        events=events,
        action_name=lambda code: _action_name(code, admin_language(request)),
        actions=actions,
        filters=filters,
        query=query,
        page=page,
        pages=pages,
        total=total,
        error=error,
        own_only=not reader.can(ADMIN),
    )


def _details(stored: Any) -> str:
    """The event's details as indented JSON ('' when there are none)."""
    value = _decode(stored) if isinstance(stored, str | bytes) else stored
    return msgspec.json.format(_pretty.encode(value), indent=2).decode() if value else ""


ROUTES: list[Any] = [audit_log]


def _action_name(code: str, language: str) -> str:
    """An audit action in words in `language`; an action the admin has no words for shows its code."""
    return MESSAGES.get(f"audit.action.{code}", {}).get(language) or code
