"""The entries of one type as the list page shows them: searched, filtered, sorted by last change, paginated.

Status and type are filtered in SQL; the filters on the data (text, locale, channel override, lint
errors) read each entry's current version, in one query for the whole type. The text search looks at the
title in every locale (a French editor types "casque", an English one "headphones") and the slug. Each row
also carries what an editor scans a list by: a thumbnail (the type's first image field), the price (its first
money field) and the category (its first reference field, titled in the list's language). Fine for thousands of
entries per type; beyond that these filters belong in SQL over the version JSON.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
from babel.numbers import format_currency

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


async def list_entries(
    model: ContentModel, type_name: str, filters: ListFilters, language: str, page_size: int = PAGE_SIZE
) -> ListPage:
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
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(filters.page, 1), pages)
    shown = rows[(page - 1) * page_size : page * page_size]
    await _name_categories(model, shown, language)
    return ListPage(shown, len(rows), page, pages)


def list_columns(model: ContentModel, type_name: str) -> dict[str, str]:
    """Which field fills the thumbnail, price and category columns ("" when the type has none)."""
    fields = model.types[type_name].fields

    def first(*kinds: str) -> str:
        return next((field.name for field in fields if field.kind in kinds), "")

    return {"thumbnail": first("asset", "assets"), "price": first("money"), "category": first("reference")}


async def _name_categories(model: ContentModel, rows: list[dict[str, Any]], language: str) -> None:
    """Replace each row's category id by the category's title (one query for the shown page)."""
    ids = list({row["category_id"] for row in rows if row["category_id"]})
    if not ids:
        return
    entries = await Entry.select().where(Entry.id.is_in(ids))
    versions = await _current_versions(entries)
    titles = {
        str(entry["id"]): entry_title(
            model,
            entry["content_type"],
            _json(versions.get(f"{entry['id']}:{entry['current_version']}", {}).get("data")) or {},
            language,
        )
        for entry in entries
    }
    for row in rows:
        row["category"] = titles.get(row["category_id"], "")


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
    columns = list_columns(model, entry["content_type"])
    defaults = data.get("base", {}).get(model.default_locale, {})
    return entry | {
        "title": entry_title(model, entry["content_type"], data, language),
        "titles": _every_title(model, entry["content_type"], data),
        "thumbnail": _first_asset(defaults.get(columns["thumbnail"])),
        "price": _price(defaults.get(columns["price"]), language),
        "category_id": defaults.get(columns["category"]) if isinstance(defaults.get(columns["category"]), str) else "",
        "category": "",
        "author": version.get("author", ""),
        "locales": sorted(locale for locale, values in data.get("base", {}).items() if values),
        "channels": sorted(channel for channel, by_locale in data.get("overrides", {}).items() if by_locale),
        "lint_errors": sum(1 for finding in findings if finding.get("severity") == "error"),
        "lint_warnings": sum(1 for finding in findings if finding.get("severity") == "warning"),
        "lint_score": (_json(version.get("lint")) or {}).get("score"),
    }


def _every_title(model: ContentModel, type_name: str, data: dict[str, Any]) -> list[str]:
    """The title field's text in every locale (the search looks in all of them)."""
    title_field = model.types[type_name].title_field
    base: dict[str, dict[str, Any]] = data.get("base", {})
    return [text for values in base.values() if isinstance(text := values.get(title_field or ""), str) and text]


def _first_asset(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _price(value: Any, language: str) -> str:
    """`39,90 €` in French, `€39.90` in English; "" when the entry has no price."""
    if not isinstance(value, dict) or value.get("amount") in (None, ""):
        return ""
    try:
        return format_currency(Decimal(str(value["amount"])), str(value.get("currency") or ""), locale=language)
    except (InvalidOperation, ValueError):
        return f"{value.get('amount')} {value.get('currency') or ''}".strip()


def _folded(text: str) -> str:
    """Lower case without accents: "Lampe à poser" is found by "lampe a poser" and "LAMPE À"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _matches(row: dict[str, Any], filters: ListFilters) -> bool:
    needle = _folded(filters.q.strip())
    haystack = [*row["titles"], row["title"], row["slug"] or ""]
    if needle and not any(needle in _folded(text) for text in haystack):
        return False
    if filters.locale and filters.locale not in row["locales"]:
        return False
    if filters.channel and filters.channel not in row["channels"]:
        return False
    return not (filters.errors and not row["lint_errors"])


def _json(value: Any) -> Any:
    return _decode(value) if isinstance(value, str | bytes) else value
