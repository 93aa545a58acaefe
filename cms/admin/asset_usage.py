"""Where an asset is used: entries whose current or published version names it in an asset(s) field.

Values are looked for everywhere an entry stores them: base values in every locale, channel overrides,
and the sub-fields of (repeatable) objects. Two queries whatever the number of entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from cms.admin.summaries import entry_title
from cms.model.definitions import ContentModel, FieldDef
from cms.store.tables import Entry, EntryVersion

ASSET_KINDS = frozenset({"asset", "assets"})
_decode = msgspec.json.Decoder().decode


def _holds_assets(field: FieldDef) -> bool:
    return field.kind in ASSET_KINDS or any(_holds_assets(sub) for sub in field.fields)


def asset_ids_in(fields: list[FieldDef], values: dict[str, Any]) -> Iterator[str]:
    """The asset ids in one locale's values of `fields` (objects walked, repeatable or not)."""
    for field in fields:
        value = values.get(field.name)
        if value is None:
            continue
        if field.kind == "asset" and isinstance(value, str):
            yield value
        elif field.kind == "assets" and isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))
        elif field.kind == "object" and field.fields:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    yield from asset_ids_in(field.fields, item)


def assets_of_entry(fields: list[FieldDef], data: dict[str, Any]) -> set[str]:
    """Every asset id an entry's data names: base values and channel overrides, in every locale."""
    per_locale: list[dict[str, Any]] = list(data.get("base", {}).values())
    for channel_values in data.get("overrides", {}).values():
        per_locale.extend(channel_values.values())
    return {asset_id for values in per_locale if isinstance(values, dict) for asset_id in asset_ids_in(fields, values)}


async def where_used(model: ContentModel, asset_id: str, language: str) -> list[dict[str, Any]]:
    """Entries (id, type, title, status, which versions) referencing the asset, by title."""
    types = [name for name, content_type in model.types.items() if any(map(_holds_assets, content_type.fields))]
    if not types:
        return []
    entries = await Entry.select().where(Entry.content_type.is_in(types) & (Entry.status != "archived"))
    wanted = {
        f"{row['id']}:{number}": row
        for row in entries
        for number in {row["current_version"], row["published_version"]}
        if number
    }
    if not wanted:
        return []
    versions = await EntryVersion.select(EntryVersion.key, EntryVersion.number, EntryVersion.data).where(
        EntryVersion.key.is_in(list(wanted))
    )
    found: dict[str, dict[str, Any]] = {}
    for version in versions:
        row = wanted[version["key"]]
        data = _decode(version["data"]) if isinstance(version["data"], str | bytes) else version["data"]
        if asset_id not in assets_of_entry(model.types[row["content_type"]].fields, data):
            continue
        use = found.setdefault(row["id"], row | {"versions": [], "title": ""})
        use["versions"].append(version["number"])
        if version["number"] == row["current_version"] or not use["title"]:
            use["title"] = entry_title(model, row["content_type"], data, language)
    return sorted(found.values(), key=lambda use: use["title"].lower())
