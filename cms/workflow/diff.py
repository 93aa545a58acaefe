"""Differences between two versions of an entry, field by field, as paths; and word-level changes in a text."""

from __future__ import annotations

import difflib
import re
from typing import Any, Literal

import msgspec

from cms.model.entry_data import EntryData

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class FieldChange(msgspec.Struct, frozen=True):
    path: str
    before: Any
    after: Any


class Segment(msgspec.Struct, frozen=True):
    """A run of one side of a text diff: unchanged, or removed (old side) / added (new side)."""

    text: str
    kind: Literal["same", "removed", "added"] = "same"


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """`{"base": {"en": {"name": "A"}}}` -> `{"base.en.name": "A"}`; lists and rich text stay whole.

    An empty table (a channel or locale without overrides) holds no value, so it yields no path.
    """
    if isinstance(value, dict) and "blocks" not in value and set(value) != {"amount", "currency"}:
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


def word_diff(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts whole, as runs: words only in `before` marked removed, words only in `after` marked added.

    Words, spaces and punctuation are the units, so one changed word in a long description is one
    marked word on each side, and line breaks between blocks are kept as they are.
    """
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    old_side: list[Segment] = []
    new_side: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = "".join(old[old_start:old_end]), "".join(new[new_start:new_end])
        if operation == "equal":
            _append(old_side, Segment(removed))
            _append(new_side, Segment(added))
            continue
        _append(old_side, Segment(removed, "removed"))
        _append(new_side, Segment(added, "added"))
    return old_side, new_side


def _append(side: list[Segment], segment: Segment) -> None:
    """Adds `segment`, joining it to the previous run of the same kind; a run of spaces alone stays unmarked."""
    if not segment.text:
        return
    if segment.kind != "same" and not segment.text.strip():
        segment = Segment(segment.text)
    if side and side[-1].kind == segment.kind:
        side[-1] = Segment(side[-1].text + segment.text, segment.kind)
    else:
        side.append(segment)
