"""Differences between two versions of an entry, field by field, as paths."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.model.entry_data import EntryData


class FieldChange(msgspec.Struct, frozen=True):
    path: str
    before: Any
    after: Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """`{"base": {"en": {"name": "A"}}}` -> `{"base.en.name": "A"}`; lists and rich text stay whole."""
    if isinstance(value, dict) and value and "blocks" not in value and set(value) != {"amount", "currency"}:
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else key))
        return flat
    return {prefix: value} if prefix else {}


def diff_versions(before: EntryData, after: EntryData) -> list[FieldChange]:
    old, new = flatten(msgspec.to_builtins(before)), flatten(msgspec.to_builtins(after))
    return [
        FieldChange(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]
