"""The records of an export file, one per line (see docs/export-format.md), and the model's hash.

Every record is a msgspec struct tagged by its `type`; the file is written with dictionary keys sorted, so
the same content gives the same bytes whatever the database it comes from (PostgreSQL's jsonb reorders
keys, SQLite keeps them as written).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import msgspec

from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData

FORMAT = "cms-export"
FORMAT_VERSION = 1


class Header(msgspec.Struct, tag="header", tag_field="type", forbid_unknown_fields=True):
    """The first line: what the file is, and the model its entries were written for."""

    format: str
    version: int
    model_hash: str
    model_parts: dict[str, str]
    """Hash of each content type (`type:<name>`) and of the locales (`locales`): says what differs."""


class Version(msgspec.Struct, forbid_unknown_fields=True):
    number: int
    data: EntryData
    author: str
    message: str
    created_at: dt.datetime
    lint: Any = None


class EntryRecord(msgspec.Struct, tag="entry", tag_field="type", forbid_unknown_fields=True):
    """An entry with its whole history (offers are entries of the `offer` type)."""

    id: str
    content_type: str
    slug: str | None
    status: str
    current_version: int
    published_version: int | None
    approved_version: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    versions: list[Version]


class AssetRecord(msgspec.Struct, tag="asset", tag_field="type", forbid_unknown_fields=True):
    id: str
    sha256: str
    mime: str
    byte_size: int
    width: int
    height: int
    blurhash: str
    dominant_color: str
    focal_x: float
    focal_y: float
    alt: dict[str, str]
    filename: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    key: str
    """The original's key in media storage."""
    file: str | None = None
    """The original's bytes in base64; None when exported with `--no-files` (the storage is shared)."""


class UserRecord(msgspec.Struct, tag="user", tag_field="type", forbid_unknown_fields=True):
    """A user, without a password: imported users set one before signing in."""

    email: str
    name: str
    role: str
    active: bool
    created_at: dt.datetime


class ReleaseItemRecord(msgspec.Struct, forbid_unknown_fields=True):
    entry: str
    version: int


class ReleaseRecord(msgspec.Struct, tag="release", tag_field="type", forbid_unknown_fields=True):
    ref: int
    """The release's number in this file (schedules name it); ids are the database's own."""
    name: str
    status: str
    publish_at: dt.datetime | None
    published_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    items: list[ReleaseItemRecord]


class ScheduleRecord(msgspec.Struct, tag="schedule", tag_field="type", forbid_unknown_fields=True):
    action: str
    entry: str | None
    version: int | None
    release: int | None
    """The `ref` of a release record of this file."""
    run_at: dt.datetime
    status: str
    attempts: int
    last_error: str
    created_by: str
    created_at: dt.datetime


class WebhookRecord(msgspec.Struct, tag="webhook", tag_field="type", forbid_unknown_fields=True):
    """A subscription without its secret: the import gives it a new one."""

    url: str
    description: str
    events: list[str]
    content_types: list[str]
    channels: list[str]
    active: bool
    disabled_reason: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class AuditRecord(msgspec.Struct, tag="audit", tag_field="type", forbid_unknown_fields=True):
    at: dt.datetime
    actor: str
    actor_kind: str
    action: str
    entry: str | None
    content_type: str | None
    version_before: int | None
    version_after: int | None
    details: dict[str, Any]


class End(msgspec.Struct, tag="end", tag_field="type", forbid_unknown_fields=True):
    """The last line: a file without it was cut short."""

    records: int
    """Records between the header and this line."""


Record = AssetRecord | UserRecord | EntryRecord | ReleaseRecord | ScheduleRecord | WebhookRecord | AuditRecord
Line = Header | Record | End

encoder = msgspec.json.Encoder(order="deterministic")
line_decoder = msgspec.json.Decoder(Line)


def encode_line(record: Line) -> bytes:
    return encoder.encode(record) + b"\n"


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Every instant is written in UTC (SQLite gives back the zone it was written with)."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def model_parts(model: ContentModel) -> dict[str, str]:
    """A short hash of each content type's definition and of the locales: what the stored data depends on."""
    parts = {f"type:{name}": _digest(content_type) for name, content_type in model.types.items()}
    parts["locales"] = _digest({"default": model.default_locale, "locales": model.locales})
    return dict(sorted(parts.items()))


def model_hash(parts: dict[str, str]) -> str:
    return hashlib.sha256(encoder.encode(parts)).hexdigest()[:16]


def model_differences(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """What differs between the file's model (`theirs`) and this site's (`ours`), one phrase per part."""
    differences = []
    for part in sorted(set(ours) | set(theirs)):
        if part not in ours:
            differences.append(f"{part} is in the file's model, not in this site's")
        elif part not in theirs:
            differences.append(f"{part} is in this site's model, not in the file's")
        elif ours[part] != theirs[part]:
            differences.append(f"{part} is defined differently")
    return differences


def _digest(value: Any) -> str:
    return hashlib.sha256(encoder.encode(msgspec.to_builtins(value))).hexdigest()[:12]


def header_for(model: ContentModel) -> Header:
    parts = model_parts(model)
    return Header(format=FORMAT, version=FORMAT_VERSION, model_hash=model_hash(parts), model_parts=parts)
