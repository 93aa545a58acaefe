"""The versions page: two chosen versions side by side, grouped by locale and channel override, words marked.

Every changed field shows its whole text on both sides (never a truncated opening), with the
words that differ marked; rich text is compared on its plain text, block by block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cms.admin.entry_view import summary
from cms.admin.i18n import Translator
from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData
from cms.richtext import parse_rich_text
from cms.richtext.render import render_plain_text
from cms.workflow.diff import FieldChange, Segment, diff_versions, word_diff

WHOLE_TEXT_KINDS = frozenset({"string", "text", "slug", "rich_text"})


@dataclass
class DiffRow:
    """One changed field: its label and both sides as runs of text (`removed`/`added` runs are marked)."""

    label: str
    before: list[Segment]
    after: list[Segment]
    long: bool


@dataclass
class DiffGroup:
    """The changes in one place values live: the base text in a locale, or a channel's override in a locale."""

    title: str
    locale: str
    rows: list[DiffRow] = field(default_factory=list)


def compare_versions(
    model: ContentModel, content_type: ContentType, before: EntryData, after: EntryData, t: Translator
) -> list[DiffGroup]:
    """The changes from `before` to `after`, base locales first, then each channel's overrides."""
    groups: dict[tuple[str, ...], DiffGroup] = {}
    for change in diff_versions(before, after):
        parts = change.path.split(".")
        place = tuple(parts[:2] if parts[0] == "base" else parts[:3])
        if len(parts) <= len(place):
            continue  # not a field's value: nothing an editor wrote
        group = groups.get(place) or groups.setdefault(place, _group(model, place, t))
        group.rows.append(_row(content_type, change, parts[len(place) :], t))
    return [groups[place] for place in sorted(groups, key=lambda place: (place[0] != "base", place))]


def _group(model: ContentModel, place: tuple[str, ...], t: Translator) -> DiffGroup:
    if place[0] == "base":
        return DiffGroup(t("entries.diff_base", locale=t.locale_name(place[1])), place[1])
    channel = model.channels.get(place[1])
    name = (channel.label.get(t.language) or channel.label.get("en") if channel else None) or place[1]
    return DiffGroup(t("entries.diff_override", channel=name, locale=t.locale_name(place[2])), place[2])


def _row(content_type: ContentType, change: FieldChange, rest: list[str], t: Translator) -> DiffRow:
    definition = content_type.field(rest[0])
    label = (definition.label.get(t.language) or definition.label.get("en") if definition else None) or rest[0]
    if len(rest) > 1:
        label = f"{label} › {'.'.join(rest[1:])}"
    before, after = _text(definition, change.before), _text(definition, change.after)
    old, new = word_diff(before, after)
    long = definition is not None and definition.kind in ("text", "rich_text")
    return DiffRow(label, old, new, long)


def _text(definition: FieldDef | None, value: Any) -> str:
    """The whole value as text: rich text as its plain text (one paragraph per block), other kinds as summarised."""
    if value is None:
        return ""
    if definition is None:
        return str(value)
    if definition.kind == "rich_text" and isinstance(value, dict):
        return render_plain_text(parse_rich_text(value))
    if definition.kind in WHOLE_TEXT_KINDS:
        return str(value)
    return summary(definition, value, limit=None)
