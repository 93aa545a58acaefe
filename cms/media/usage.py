"""Where an asset is used: entries (not archived) whose current or published version names it in an asset(s) field.

Values are looked for everywhere an entry stores them: base values in every locale, channel overrides,
and the sub-fields of (repeatable) objects. Two queries whatever the number of entries. The same list blocks
deleting the asset (`MediaLibrary.delete`) and is shown on the admin's asset page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from cms.model.definitions import ContentModel, FieldDef
from cms.store.tables import Entry, EntryVersion

ASSET_KINDS = frozenset({"asset", "assets"})
CURRENT, PUBLISHED = "current", "published"
_decode = msgspec.json.Decoder().decode


@dataclass(frozen=True)
class AssetUse:
    """An entry using the asset, and in which of its versions (`current`, `published` or both)."""

    entry: dict[str, Any]
    """The `cms_entry` row (id, content_type, slug, status, current_version, published_version, …)."""
    versions: dict[int, tuple[str, ...]]
    """Version number -> its roles: `("current",)`, `("published",)` or both when they are one version."""
    data: dict[str, Any]
    """The data of the newest version using the asset (titles are read from it)."""

    @property
    def entry_id(self) -> str:
        return str(self.entry["id"])

    @property
    def content_type(self) -> str:
        return str(self.entry["content_type"])


def holds_assets(field: FieldDef) -> bool:
    return field.kind in ASSET_KINDS or field.kind == "variants" or any(holds_assets(sub) for sub in field.fields)


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
        elif field.kind == "variants" and isinstance(value, list):
            yield from (image for item in value if isinstance(item, dict) for image in item.get("images") or [])
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


def roles_of(entry: dict[str, Any], number: int) -> tuple[str, ...]:
    """What version `number` is to its entry: current, published, or both."""
    return tuple(
        role
        for role, holder in ((CURRENT, entry["current_version"]), (PUBLISHED, entry["published_version"]))
        if holder == number
    )


def plain_title(model: ContentModel, content_type: str, data: dict[str, Any]) -> str:
    """The title field in the default locale, else the first locale that has one; '' when there is none."""
    type_ = model.types.get(content_type)
    field = type_.title_field if type_ else None
    base: dict[str, dict[str, Any]] = data.get("base", {})
    locales = [model.default_locale, *(code for code in base if code != model.default_locale)]
    texts = (base.get(locale, {}).get(field) for locale in locales) if field else ()
    return next((text.strip() for text in texts if isinstance(text, str) and text.strip()), "")


def describe_use(model: ContentModel, use: AssetUse) -> str:
    """`category “Lamps” (slug lamps, id …): published version 1, current version 2` (for error messages);
    one version that is both reads `current and published version 3`."""
    title = plain_title(model, use.content_type, use.data)
    named = " ".join(part for part in (use.content_type, f"“{title}”" if title else "") if part)
    slug = f"slug {use.entry['slug']}, " if use.entry.get("slug") else ""
    versions = ", ".join(f"{' and '.join(roles)} version {number}" for number, roles in sorted(use.versions.items()))
    return f"{named} ({slug}id {use.entry_id}): {versions}"


def use_document(model: ContentModel, use: AssetUse) -> dict[str, Any]:
    """A use as JSON (the `usedBy` of a refusal over HTTP and GraphQL)."""
    return {
        "entryId": use.entry_id,
        "type": use.content_type,
        "title": plain_title(model, use.content_type, use.data),
        "slug": use.entry.get("slug"),
        "versions": [
            {"number": number, "role": role} for number, roles in sorted(use.versions.items()) for role in roles
        ],
    }


async def asset_uses(model: ContentModel, asset_id: str) -> list[AssetUse]:
    """The entries (not archived) whose current or published version names the asset, in no particular order."""
    types = [name for name, content_type in model.types.items() if any(map(holds_assets, content_type.fields))]
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
    found: dict[str, AssetUse] = {}
    for version in sorted(versions, key=lambda version: version["number"]):
        row = wanted[version["key"]]
        data = _decode(version["data"]) if isinstance(version["data"], str | bytes) else version["data"]
        if asset_id not in assets_of_entry(model.types[row["content_type"]].fields, data):
            continue
        number = version["number"]
        previous = found.get(row["id"])
        versions_so_far = previous.versions if previous else {}
        found[row["id"]] = AssetUse(row, {**versions_so_far, number: roles_of(row, number)}, data)
    return list(found.values())
