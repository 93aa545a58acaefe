"""Write and read entries: each save appends an immutable version, based on the version it edits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from cms.lib.clock import now
from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError, validate_entry_data
from cms.model.variants import variant_codes
from cms.store.database import write_transaction
from cms.store.tables import Entry, EntryVersion, UniqueValue

_encode_data = msgspec.json.Encoder().encode
_decode_data = msgspec.json.Decoder(EntryData).decode


class EntryNotFoundError(LookupError):
    def __init__(self, entry_id: str) -> None:
        super().__init__(f"no entry with id {entry_id!r}")
        self.entry_id = entry_id


class VersionNotFoundError(LookupError):
    """An entry that exists has no version of this number."""


class ConflictError(Exception):
    """The edit was based on an older version than the current one: nothing was saved."""

    def __init__(self, entry_id: str, based_on: int, current: int) -> None:
        super().__init__(
            f"entry {entry_id} is at version {current}, but this edit was based on version {based_on}:"
            " reload, reapply your change and save again"
        )
        self.entry_id, self.based_on, self.current = entry_id, based_on, current


class SavedVersion(msgspec.Struct, frozen=True):
    entry_id: str
    content_type: str
    number: int
    data: EntryData


async def create_entry(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    *,
    author: str = "",
    message: str = "",
    entry_id: str | None = None,
) -> SavedVersion:
    """Validate `data` and store it as version 1 of a new entry."""
    data = validate_entry_data(model, content_type, data)
    entry_id = entry_id or str(uuid.uuid4())
    async with write_transaction():
        await _check_references(model, content_type, data)
        moment = now()
        await Entry.insert(
            Entry(
                id=entry_id,
                content_type=content_type.name,
                slug=_slug_of(model, content_type, data),
                current_version=1,
                created_at=moment,
                updated_at=moment,
            )
        )
        await claim_unique_values(model, content_type, entry_id, data, fresh=True)
        await _insert_version(entry_id, 1, data, author, message, moment)
    return SavedVersion(entry_id, content_type.name, 1, data)


async def save_version(
    model: ContentModel,
    entry_id: str,
    data: EntryData,
    *,
    based_on: int,
    author: str = "",
    message: str = "",
) -> SavedVersion:
    """Append a version; ConflictError when `based_on` is not the current version."""
    async with write_transaction():
        row = await _entry_row(entry_id)
        content_type = model.types[row["content_type"]]
        data = validate_entry_data(model, content_type, data)
        await _check_references(model, content_type, data)
        number = based_on + 1
        # The compare-and-set is the conflict check: a concurrent save that won moved current_version on.
        updated = (
            await Entry.update(
                {
                    Entry.current_version: number,
                    Entry.updated_at: now(),
                    Entry.slug: _slug_of(model, content_type, data),
                }
            )
            .where((Entry.id == entry_id) & (Entry.current_version == based_on))
            .returning(Entry.id)
        )
        if not updated:
            current = await _entry_row(entry_id)
            raise ConflictError(entry_id, based_on, current["current_version"])
        await claim_unique_values(model, content_type, entry_id, data, fresh=False)
        await _insert_version(entry_id, number, data, author, message, now())
    return SavedVersion(entry_id, content_type.name, number, data)


async def load_version(entry_id: str, number: int | None = None) -> SavedVersion:
    """A stored version (the current one when `number` is None)."""
    row = await _entry_row(entry_id)
    number = row["current_version"] if number is None else number
    version = await EntryVersion.select(EntryVersion.data).where(EntryVersion.key == f"{entry_id}:{number}").first()
    if version is None:
        raise VersionNotFoundError(f"entry {entry_id} has no version {number}")
    return SavedVersion(entry_id, row["content_type"], number, _decode_data(version["data"]))


async def _entry_row(entry_id: str) -> dict[str, Any]:
    row = await Entry.select(Entry.content_type, Entry.current_version).where(Entry.id == entry_id).first()
    if row is None:
        raise EntryNotFoundError(entry_id)
    return row


async def _insert_version(
    entry_id: str, number: int, data: EntryData, author: str, message: str, moment: dt.datetime
) -> None:
    await EntryVersion.insert(
        EntryVersion(
            key=f"{entry_id}:{number}",
            entry=entry_id,
            number=number,
            data=_encode_data(data).decode(),
            author=author,
            message=message,
            created_at=moment,
        )
    )


def _slug_of(model: ContentModel, content_type: ContentType, data: EntryData) -> str | None:
    field = content_type.slug_field
    return data.base.get(model.default_locale, {}).get(field.name) if field else None


async def _check_references(model: ContentModel, content_type: ContentType, data: EntryData) -> None:
    """Every referenced id must be an entry of the field's target type (one query for all)."""
    wanted: dict[str, tuple[str, str]] = {}
    for path, field, value in _reference_values(model, content_type, data):
        for entry_id in value if isinstance(value, list) else [value]:
            wanted.setdefault(entry_id, (path, field.to or ""))
    if not wanted:
        return
    rows = await Entry.select(Entry.id, Entry.content_type).where(Entry.id.is_in(list(wanted)))
    found = {row["id"]: row["content_type"] for row in rows}
    errors = [
        FieldError(path, f"no {target} entry with id {entry_id!r}")
        for entry_id, (path, target) in wanted.items()
        if found.get(entry_id) != target
    ]
    if errors:
        raise InvalidEntryError(errors)


def _reference_values(model: ContentModel, content_type: ContentType, data: EntryData):  # type: ignore[no-untyped-def]
    layers = [("base", data.base)] + [(f"overrides.{c}", by_locale) for c, by_locale in data.overrides.items()]
    for prefix, by_locale in layers:
        for locale, values in by_locale.items():
            for name, value in values.items():
                field = content_type.field(name)
                if field is not None and field.kind in ("reference", "references"):
                    yield f"{prefix}.{locale}.{name}", field, value


async def claim_unique_values(
    model: ContentModel, content_type: ContentType, entry_id: str, data: EntryData, *, fresh: bool
) -> None:
    """Claim every unique value of the entry (its unique fields, and its variants' SKUs and GTINs in the
    same `<type>:sku:` / `<type>:gtin:` keys as the fields), refusing values another entry holds, named."""
    claims = unique_claims(model, content_type, data)
    if not fresh:
        await UniqueValue.delete().where(UniqueValue.entry == entry_id)
    if not claims:
        return
    taken = await UniqueValue.select(UniqueValue.key, UniqueValue.entry).where(UniqueValue.key.is_in(list(claims)))
    if taken:
        holders = await _describe_entries([str(row["entry"]) for row in taken])
        errors = [
            # The code and parameters let the admin word it per language and link to the holding entry.
            FieldError(
                claims[row["key"]],
                f"is already used by another entry: {holders[str(row['entry'])][0]}",
                "taken",
                holders[str(row["entry"])][1],
            )
            for row in taken
        ]
        raise InvalidEntryError(errors)
    await UniqueValue.insert(*[UniqueValue(key=key, entry=entry_id) for key in claims])


def unique_claims(model: ContentModel, content_type: ContentType, data: EntryData) -> dict[str, str]:
    """Claim key (`<type>:<field>:<value>`) -> the path of the value claiming it (`base.en.gtin`,
    `base.en.variants[1].sku`; a variant repeating the entry's own code shares its claim)."""
    prefix = f"base.{model.default_locale}"
    values = data.base.get(model.default_locale, {})
    claims = {
        f"{content_type.name}:{field.name}:{values[field.name]}": f"{prefix}.{field.name}"
        for field in content_type.fields
        if field.unique and field.name in values
    }
    variants = content_type.variants_field
    for code, value, index in variant_codes(variants, values):
        assert variants is not None
        claims.setdefault(f"{content_type.name}:{code}:{value}", f"{prefix}.{variants.name}[{index}].{code}")
    return claims


async def _describe_entries(entry_ids: list[str]) -> dict[str, tuple[str, dict[str, str | int]]]:
    """`product "oak-lamp" (id …)` for each entry, so an editor can find the one holding a value, and the
    same as parameters (`type`, `entry`, `holder`: its slug, else its id)."""
    rows = await Entry.select(Entry.id, Entry.content_type, Entry.slug).where(Entry.id.is_in(entry_ids))
    return {
        str(row["id"]): (
            f"{row['content_type']} {row['slug']!r} (id {row['id']})"
            if row["slug"]
            else f"{row['content_type']} {row['id']}",
            {"type": row["content_type"], "entry": str(row["id"]), "holder": row["slug"] or str(row["id"])},
        )
        for row in rows
    }
