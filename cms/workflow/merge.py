"""Three-way merge of entry data, for a save based on a version that is no longer the current one.

`base` is the version the editor's form was loaded from, `theirs` the version saved meanwhile, `yours` what
the editor submits. The unit is one field in one place: `base.<locale>.<field>` or
`overrides.<channel>.<locale>.<field>` (objects, money, lists and rich text are compared whole). A field only
one side changed takes that side's value; a field both changed to different values is a conflict, left for
the editor to choose (`apply_choices`). Nothing here knows about HTML or the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from cms.model.entry_data import EntryData

Choice = Literal["mine", "theirs"]
ABSENT: Any = None
"""A field with no value in that place (the fallback applies); stored data never holds null."""


class FieldConflict(msgspec.Struct, frozen=True):
    """A field both sides changed, to different values (None: that side removed it)."""

    path: str
    base: Any
    theirs: Any
    yours: Any


class MergeResult(msgspec.Struct, frozen=True):
    data: EntryData
    """Theirs with every change of yours applied; a conflicting field holds yours until chosen."""
    taken_from_theirs: list[str]
    """Fields only they changed: their value is kept (the editor is told)."""
    kept_from_yours: list[str]
    """Fields only you changed (or both changed the same way)."""
    conflicts: list[FieldConflict]


def field_values(data: EntryData) -> dict[str, Any]:
    """Every value of `data` by its path: `base.<locale>.<field>`, `overrides.<channel>.<locale>.<field>`."""
    values = {
        f"base.{locale}.{field}": value
        for locale, fields in data.base.items()
        for field, value in fields.items()
        if value is not None
    }
    for channel, locales in data.overrides.items():
        for locale, fields in locales.items():
            values |= {
                f"overrides.{channel}.{locale}.{field}": value for field, value in fields.items() if value is not None
            }
    return values


def entry_data_from_values(values: Mapping[str, Any]) -> EntryData:
    """The inverse of `field_values`."""
    base: dict[str, dict[str, Any]] = {}
    overrides: dict[str, dict[str, dict[str, Any]]] = {}
    for path, value in values.items():
        layer, rest = path.split(".", 1)
        if layer == "base":
            locale, field = rest.split(".", 1)
            base.setdefault(locale, {})[field] = value
        else:
            channel, locale, field = rest.split(".", 2)
            overrides.setdefault(channel, {}).setdefault(locale, {})[field] = value
    return EntryData(base=base, overrides=overrides)


def merge_entry_data(base: EntryData, theirs: EntryData, yours: EntryData) -> MergeResult:
    """Merge `yours` onto `theirs`, both descended from `base`, field by field."""
    old, current, mine = field_values(base), field_values(theirs), field_values(yours)
    merged = dict(current)
    taken, kept, conflicts = [], [], []
    for path in sorted(old.keys() | current.keys() | mine.keys()):
        before, their_value, my_value = old.get(path), current.get(path), mine.get(path)
        if my_value == before:  # untouched by me: theirs stands, changed or not
            if their_value != before:
                taken.append(path)
        elif my_value == their_value or their_value == before:  # the same change, or only mine
            _put(merged, path, my_value)
            kept.append(path)
        else:
            _put(merged, path, my_value)
            conflicts.append(FieldConflict(path, before, their_value, my_value))
    return MergeResult(entry_data_from_values(merged), taken, kept, conflicts)


def apply_choices(yours: EntryData, theirs: EntryData, choices: Mapping[str, Choice]) -> EntryData:
    """`yours` with the fields the editor chose "theirs" for set to their value (or removed, if they have none)."""
    mine, current = field_values(yours), field_values(theirs)
    for path, choice in choices.items():
        if choice == "theirs":
            _put(mine, path, current.get(path))
    return entry_data_from_values(mine)


def _put(values: dict[str, Any], path: str, value: Any) -> None:
    if value is ABSENT:
        values.pop(path, None)
    else:
        values[path] = value
