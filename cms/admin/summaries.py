"""Entries as lists show them: a title in the reader's language, status, type; read in one query per list."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.model.definitions import ContentModel
from cms.store.tables import Entry, EntryVersion

_decode = msgspec.json.Decoder().decode


def _json(value: Any) -> Any:
    return _decode(value) if isinstance(value, str | bytes) else value


def entry_title(model: ContentModel, content_type: str, data: dict[str, Any], language: str) -> str:
    """The entry's title field in `language`, else in the fallback chain, else its slug, else '(untitled)'."""
    type_ = model.types.get(content_type)
    fields = [type_.title_field] if type_ and type_.title_field else []
    if type_ and type_.slug_field:
        fields.append(type_.slug_field.name)
    return next((text for field in fields if (text := _text_of(model, field, data, language))), "(untitled)")


def typed_title(model: ContentModel, content_type: str, data: dict[str, Any], language: str) -> str | None:
    """The title field alone (no slug) in `language` or its fallback chain; None when it is empty."""
    type_ = model.types.get(content_type)
    return _text_of(model, type_.title_field, data, language) if type_ and type_.title_field else None


def _text_of(model: ContentModel, field: str, data: dict[str, Any], language: str) -> str | None:
    base: dict[str, dict[str, Any]] = data.get("base", {})
    for locale in model.fallback_chain(language) if language in model.locales else [model.default_locale]:
        value = base.get(locale, {}).get(field)
        if isinstance(value, str) and value.strip():
            return value
    return None


async def summaries(model: ContentModel, rows: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Entry rows with `title`, `author` (of the current version) and `lint_errors` added."""
    if not rows:
        return []
    keys = [f"{row['id']}:{row['current_version']}" for row in rows]
    versions = await EntryVersion.select(
        EntryVersion.key, EntryVersion.data, EntryVersion.author, EntryVersion.lint
    ).where(EntryVersion.key.is_in(keys))
    by_key = {version["key"]: version for version in versions}
    result = []
    for row in rows:
        version = by_key.get(f"{row['id']}:{row['current_version']}", {})
        lint = _json(version.get("lint")) or {}
        findings = lint.get("findings", [])
        result.append(
            row
            | {
                "title": entry_title(model, row["content_type"], _json(version.get("data")) or {}, language),
                "author": version.get("author", ""),
                "lint_errors": sum(1 for finding in findings if finding.get("severity") == "error"),
                "lint_warnings": sum(1 for finding in findings if finding.get("severity") == "warning"),
                "lint_score": lint.get("score"),
            }
        )
    return result


async def entries_by_ids(ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return list(await Entry.select().where(Entry.id.is_in(ids)))
