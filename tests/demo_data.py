"""The demo's content as tests read it: the records of cms/demo/demo.ndjson, the file `cms demo` imports."""

from __future__ import annotations

import copy
import functools
from typing import Any, NamedTuple

import msgspec

from cms.demo.load import DEMO_FILE, DEMO_STOCK
from cms.model.entry_data import EntryData
from cms.transfer.reading import records
from cms.transfer.records import AssetRecord, EntryRecord


class DemoEntry(NamedTuple):
    """A demo entry at its current version (references are ids, as stored)."""

    id: str
    content_type: str
    slug: str | None
    base: dict[str, dict[str, Any]]
    overrides: dict[str, dict[str, dict[str, Any]]]

    @property
    def data(self) -> EntryData:
        return EntryData(base=self.base, overrides=self.overrides)


@functools.cache
def demo_records() -> tuple[EntryRecord, ...]:
    """The file's entry records, each with its whole history (as read: do not change them)."""
    return tuple(record for _, record in records(DEMO_FILE) if isinstance(record, EntryRecord))


def demo_entries() -> list[DemoEntry]:
    """Every demo entry in the file's order; a fresh copy on each call, so a test may change it."""
    entries = []
    for record in demo_records():
        data = next(version.data for version in record.versions if version.number == record.current_version)
        base, overrides = copy.deepcopy(data.base), copy.deepcopy(data.overrides)
        entries.append(DemoEntry(record.id, record.content_type, record.slug, base, overrides))
    return entries


def demo_assets() -> list[AssetRecord]:
    """The demo's pictures (their records: the files are in cms/demo/media/)."""
    return [record for _, record in records(DEMO_FILE) if isinstance(record, AssetRecord)]


def demo_entry_id(content_type: str, slug: str) -> str:
    """The id of the demo's `content_type` entry with that slug."""
    return next(entry.id for entry in demo_records() if (entry.content_type, entry.slug) == (content_type, slug))


def demo_stock_locations() -> set[str]:
    """The locations the demo's stock file counts units at."""
    lines = DEMO_STOCK.read_bytes().splitlines()
    return {msgspec.json.decode(line)["location"] for line in lines if line.strip()}
