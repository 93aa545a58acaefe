"""The texts of an entry as one channel shows them in one locale: what the linter reads.

Fields of kind string, text and rich_text (rendered to plain text), and string or text sub-fields of
objects (`steps[0].instructions`); slugs and formatted identifiers (GTIN, URL, e-mail) are not copy.
A text that falls back to another locale is read in the locale it is written in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData
from cms.publishing.resolve import MISSING, resolve_field, source_of
from cms.richtext import RichTextError, parse_rich_text, render_plain_text

PROSE_KINDS = frozenset({"string", "text"})


class EntryText(NamedTuple):
    path: str
    """The field name, or a path into an object field such as `steps[0].title`."""
    field: FieldDef
    """The top-level field."""
    text: str
    locale: str
    """The locale the text is written in: the requested one, or the one it falls back to."""


def entry_texts(
    model: ContentModel, content_type: ContentType, data: EntryData, channel: str, locale: str
) -> Iterator[EntryText]:
    for field in content_type.fields:
        if not field.visible_on(channel):
            continue
        value = resolve_field(model, data, field, channel, locale)
        source = source_of(model, data, field, channel, locale)
        if value is MISSING or value is None or source is None:
            continue
        for path, text in _texts(field, value, field.name):
            if text.strip():
                yield EntryText(path, field, text, source[1])


def is_prose(field: FieldDef) -> bool:
    return field.kind in PROSE_KINDS and field.format is None


def _texts(field: FieldDef, value: Any, path: str) -> Iterator[tuple[str, str]]:
    if is_prose(field) and isinstance(value, str):
        yield path, value
    elif field.kind == "rich_text":
        try:
            yield path, render_plain_text(parse_rich_text(value))
        except RichTextError:
            return  # malformed rich text is refused by validation, not by the linter
    elif field.kind == "object":
        items = value if field.repeatable and isinstance(value, list) else [value]
        for index, item in enumerate(items):
            prefix = f"{path}[{index}]" if field.repeatable else path
            for sub in field.fields if isinstance(item, dict) else []:
                if sub.name in item:
                    yield from _texts(sub, item[sub.name], f"{prefix}.{sub.name}")
