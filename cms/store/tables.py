"""Piccolo tables of the store: entries, their immutable versions, and delivery projections."""

from __future__ import annotations

from piccolo.columns import JSONB, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Entry(Table, tablename="cms_entry"):
    """One piece of content of a type; its data lives in versions."""

    id = Varchar(length=36, primary_key=True)
    content_type = Varchar(length=64, index=True)
    slug = Varchar(length=200, null=True, default=None)
    status = Varchar(length=20, default="draft")
    current_version = Integer(default=0)
    published_version = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class EntryVersion(Table, tablename="cms_entry_version"):
    """An immutable snapshot of an entry's data; every save appends one."""

    key = Varchar(length=80, unique=True)
    """`<entry id>:<number>`: makes (entry, number) unique on every database."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    data = JSONB()
    author = Varchar(length=200, default="")
    message = Text(default="")
    created_at = Timestamptz()


class UniqueValue(Table, tablename="cms_unique_value"):
    """Claims a value of a unique field for one entry; the database refuses a second claim."""

    key = Varchar(length=500, unique=True)
    """`<type>:<field>:<value>`."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)


class Projection(Table, tablename="cms_projection"):
    """The resolved document of a published entry for one channel and locale, as delivery serves it."""

    key = Varchar(length=200, unique=True)
    """`<entry id>:<channel>:<locale>`."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)
    content_type = Varchar(length=64)
    channel = Varchar(length=64)
    locale = Varchar(length=16)
    slug = Varchar(length=200, null=True, default=None)
    doc = JSONB()
    version = Integer()
    published_at = Timestamptz()


TABLES: list[type[Table]] = [Entry, EntryVersion, UniqueValue, Projection]
