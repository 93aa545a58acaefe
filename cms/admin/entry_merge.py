"""Saving an entry whose form was loaded from an older version: merge field by field, or ask per field.

The editor's save goes through `save_merging`: based on the current version it is a plain save; based on an
older one, `cms.workflow.merge` folds in what was saved meanwhile. Fields only one side changed merge on
their own (the save goes through, and the editor is told which of theirs were kept); fields both changed
come back as a three-way view (theirs, yours, the base) where the editor chooses per field. The choice is
posted with the form (`conflict` = path, `resolve.<path>` = `mine` | `theirs`, `merge_base` = the base shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cms.admin.editor_page import field_path_label
from cms.admin.forms import FormValues, decode_form, form_from_entry_data, input_text
from cms.model.definitions import ContentModel, FieldDef
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError
from cms.store import entries as store
from cms.store.entries import ConflictError
from cms.store.tables import EntryVersion
from cms.workflow.entries import Editor, EntryRow
from cms.workflow.merge import Choice, FieldConflict, apply_choices, field_values, merge_entry_data

MERGE_ATTEMPTS = 3
"""Saves merged on top of a version that moves again before the save commits are retried this many times."""


@dataclass
class ConflictRow:
    """One field both sides changed: the three values as text, and what the editor chose (if anything)."""

    path: str
    label: str
    field: FieldDef | None
    base: str
    theirs: str
    mine: str
    choice: str = ""


@dataclass
class ConflictView:
    number: int
    """The version saved meanwhile ("theirs"), which a resolved save goes on top of."""
    author: str
    saved_at: Any
    base_number: int
    rows: list[ConflictRow]
    merged: list[str] = field(default_factory=list)
    """Labels of the fields only they changed, already merged into the form."""
    unresolved: bool = False
    """The form came back without a choice for some field."""


@dataclass
class SaveOutcome:
    saved: EntryRow | None = None
    merged_from: int = 0
    """The version merged with (0: a plain save)."""
    merged: list[str] = field(default_factory=list)
    """Paths of their fields kept by the merge."""
    conflict: ConflictView | None = None
    data: EntryData | None = None
    """The form's data to show again with the conflict: yours, with everything that merged already in."""


def normalised(model: ContentModel, type_name: str, data: EntryData) -> EntryData:
    """Stored data as the form would post it back, so that a field the editor did not touch compares equal."""
    return decode_form(model, type_name, form_from_entry_data(model, type_name, data))[0]


async def version_data(model: ContentModel, type_name: str, entry_id: str, number: int) -> EntryData:
    """A version's data, normalised; a base_version that is not one of the entry's versions names the field."""
    try:
        return normalised(model, type_name, (await store.load_version(entry_id, number)).data)
    except LookupError:
        raise InvalidEntryError([FieldError("base_version", f"{number} is not a version of this entry")]) from None


def posted_choices(form: FormValues) -> tuple[list[str], dict[str, Choice]]:
    """The conflicting fields the form was shown with, and the editor's choice for each one answered."""
    paths = _all(form, "conflict")
    choices: dict[str, Choice] = {}
    for path in paths:
        chosen = form.get(f"resolve.{path}")
        if chosen == "mine":
            choices[path] = "mine"
        elif chosen == "theirs":
            choices[path] = "theirs"
    return paths, choices


async def save_merging(
    editor: Editor, type_name: str, entry_id: str, based_on: int, mine: EntryData, message: str, language: str
) -> SaveOutcome:
    """Save `mine`; if it was based on an older version, merge with what was saved since (see the module)."""
    try:
        return SaveOutcome(saved=await editor.update(entry_id, based_on, mine, message))
    except ConflictError:
        pass
    model = editor.model
    base = await version_data(model, type_name, entry_id, based_on)
    for _attempt in range(MERGE_ATTEMPTS):
        current = await store.load_version(entry_id)
        result = merge_entry_data(base, normalised(model, type_name, current.data), mine)
        if result.conflicts:
            view = await conflict_view(model, type_name, entry_id, based_on, current.number, result.conflicts, language)
            view.merged = [field_path_label(model, type_name, path, language) for path in result.taken_from_theirs]
            return SaveOutcome(conflict=view, data=result.data)
        try:
            saved = await editor.update(entry_id, current.number, result.data, message)
        except ConflictError:
            continue
        return SaveOutcome(saved=saved, merged_from=current.number, merged=result.taken_from_theirs)
    raise ConflictError(entry_id, based_on, (await store.load_version(entry_id)).number)


async def settle_choices(
    model: ContentModel, type_name: str, entry_id: str, form: FormValues, based_on: int, mine: EntryData, language: str
) -> tuple[EntryData, ConflictView | None]:
    """Apply the posted per-field choices to `mine` (theirs = the version the form is now based on); while a
    field has no choice, the three-way view again, marked unresolved."""
    paths, choices = posted_choices(form)
    if not paths:
        return mine, None
    theirs = await version_data(model, type_name, entry_id, based_on)
    if len(choices) == len(paths):
        return apply_choices(mine, theirs, choices), None
    base_number = _int(form.get("merge_base"), based_on)
    base = await version_data(model, type_name, entry_id, base_number)
    old, current, typed = field_values(base), field_values(theirs), field_values(mine)
    conflicts = [FieldConflict(path, old.get(path), current.get(path), typed.get(path)) for path in paths]
    view = await conflict_view(model, type_name, entry_id, base_number, based_on, conflicts, language, choices)
    view.unresolved = True
    return mine, view


async def conflict_view(
    model: ContentModel,
    type_name: str,
    entry_id: str,
    base_number: int,
    their_number: int,
    conflicts: list[FieldConflict],
    language: str,
    choices: dict[str, Choice] | None = None,
) -> ConflictView:
    version = (
        await EntryVersion.select(EntryVersion.author, EntryVersion.created_at)
        .where(EntryVersion.key == f"{entry_id}:{their_number}")
        .first()
    )
    content_type = model.types[type_name]
    rows = [
        ConflictRow(
            conflict.path,
            field_path_label(model, type_name, conflict.path, language),
            content_type.field(conflict.path.split(".")[-1]),
            _whole(model, type_name, conflict.path, conflict.base),
            _whole(model, type_name, conflict.path, conflict.theirs),
            _whole(model, type_name, conflict.path, conflict.yours),
            (choices or {}).get(conflict.path, ""),
        )
        for conflict in conflicts
    ]
    author, saved_at = (version["author"], version["created_at"]) if version else ("", None)
    return ConflictView(their_number, author, saved_at, base_number, rows)


def _whole(model: ContentModel, type_name: str, path: str, value: Any) -> str:
    """A value in full (the editor compares it word by word), as its input shows it."""
    if value is None:
        return ""
    definition = model.types[type_name].field(path.split(".")[-1])
    if definition is None:
        return str(value)
    if definition.kind == "money" and isinstance(value, dict):
        return f"{value.get('amount')} {value.get('currency')}"
    if definition.kind == "variants" and isinstance(value, list):
        return "\n".join(
            ", ".join(
                [str(row.get("sku", "")), str(row.get("gtin", "")), *map(str, (row.get("options") or {}).values())]
            )
            for row in value
            if isinstance(row, dict)
        )
    if isinstance(value, list) and definition.kind != "object":
        return ", ".join(str(item) for item in value)
    if definition.kind == "object":
        rows = value if isinstance(value, list) else [value]
        return "\n".join(", ".join(str(item) for item in row.values()) for row in rows if isinstance(row, dict))
    return input_text(definition, value)


def _all(form: FormValues, name: str) -> list[str]:
    value = form.get(name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except ValueError:
        return default
