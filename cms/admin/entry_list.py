"""The entries of one type as the list page shows them: searched, filtered, sorted by last change, paginated.

Status and type are filtered in SQL; the filters on the data (text, locale, channel override, lint
errors) read each entry's current version, in one query for the whole type. Fine for thousands of
entries per type; beyond that these filters belong in SQL over the version JSON.
"""

from __future__ import annotations

from typing import Any

import msgspec

from cms.admin.summaries import entry_title
from cms.model.definitions import ContentModel
from cms.store.tables import Entry, EntryVersion

PAGE_SIZE = 25
BATCH = 500
_decode = msgspec.json.Decoder().decode


class ListFilters(msgspec.Struct, frozen=True):
    """What the list page was asked for (query parameters, already checked)."""

    q: str = ""
    status: str = ""
    locale: str = ""
    channel: str = ""
    errors: bool = False
    oldest_first: bool = False
    page: int = 1


class ListPage(msgspec.Struct, frozen=True):
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


async def list_entries(model: ContentModel, type_name: str, filters: ListFilters, language: str) -> ListPage:
    where: Any = Entry.content_type == type_name
    if filters.status:
        where &= Entry.status == filters.status
    entries = await Entry.select().where(where).order_by(Entry.updated_at, ascending=filters.oldest_first)
    versions = await _current_versions(entries)
    rows = []
    for entry in entries:
        version = versions.get(f"{entry['id']}:{entry['current_version']}", {})
        row = _row(model, entry, version, language)
        if _matches(row, filters):
            rows.append(row)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    return ListPage(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], len(rows), page, pages)


async def _current_versions(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    keys = [f"{entry['id']}:{entry['current_version']}" for entry in entries]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), BATCH):
        rows = await EntryVersion.select(
            EntryVersion.key, EntryVersion.data, EntryVersion.lint, EntryVersion.author
        ).where(EntryVersion.key.is_in(keys[start : start + BATCH]))
        found.update({row["key"]: row for row in rows})
    return found


def _row(model: ContentModel, entry: dict[str, Any], version: dict[str, Any], language: str) -> dict[str, Any]:
    data = _json(version.get("data")) or {}
    findings = (_json(version.get("lint")) or {}).get("findings", [])
    return entry | {
        "title": entry_title(model, entry["content_type"], data, language),
        "author": version.get("author", ""),
        "locales": sorted(locale for locale, values in data.get("base", {}).items() if values),
        "channels": sorted(channel for channel, by_locale in data.get("overrides", {}).items() if by_locale),
        "lint_errors": sum(1 for finding in findings if finding.get("severity") == "error"),
        "lint_warnings": sum(1 for finding in findings if finding.get("severity") == "warning"),
        "lint_score": (_json(version.get("lint")) or {}).get("score"),
    }


def _matches(row: dict[str, Any], filters: ListFilters) -> bool:
    needle = filters.q.strip().lower()
    if needle and needle not in row["title"].lower() and needle not in (row["slug"] or "").lower():
        return False
    if filters.locale and filters.locale not in row["locales"]:
        return False
    if filters.channel and filters.channel not in row["channels"]:
        return False
    return not (filters.errors and not row["lint_errors"])


def _json(value: Any) -> Any:
    return _decode(value) if isinstance(value, str | bytes) else value
