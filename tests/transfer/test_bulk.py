"""The bulk path of `cms import` (cms.transfer.bulk) writes the rows the per-entry reference path writes.

The same files are imported twice into the same database, emptied in between: once through `apply_entries`
(each entry, version and claim on its own, projected by `project_preview` and `publish_versions`), once through
`apply_entries_in_bulk`; every table either path writes is then read whole and compared, leaving out only row
ids and the instants of writing. A subscription to every event is there from the start, so each import's events
owe deliveries; the reference path records its events one by one (`record_event`), the bulk path in batches
(`record_events`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from piccolo.querystring import QueryString

from cms.publishing import events as publishing_events
from cms.store.content_version import read_content_version
from cms.store.database import delete_all_content, get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Entry
from cms.transfer import entries, importing
from cms.webhooks.subscriptions import Webhooks, WebhookSpec
from cms.workflow.entries import Editor
from tests.events.test_record_events import record_one_by_one
from tests.transfer.helpers import exported, imported
from tests.transfer.world import ADMIN, _edit, build_world

WRITTEN_AT = {"id", "published_at", "at", "created_at", "next_attempt_at"}
"""Columns that differ between two imports of one file: row ids and the instants rows are written (an entry's and
a version's `created_at` come from the file, and are compared)."""


async def _rows(sql: str) -> list[dict[str, Any]]:
    return await get_engine().run_querystring(QueryString(sql))


async def _snapshot() -> dict[str, Any]:
    """Every row the import of entries writes, without ids and instants of writing; events in their order."""
    tables: dict[str, Any] = {}
    for table in ("cms_entry", "cms_entry_version", "cms_unique_value", "cms_projection", "cms_search_word"):
        keep = ("created_at",) if table in ("cms_entry", "cms_entry_version") else ()
        rows = await _rows(f"SELECT * FROM {table}")
        tables[table] = sorted(
            repr(sorted((k, v) for k, v in row.items() if k not in WRITTEN_AT or k in keep)) for row in rows
        )
    search = (
        "SELECT s.*, d.document::text AS text FROM cms_search s JOIN cms_search d ON d.id = s.id"
        if is_postgres(get_engine())
        else "SELECT s.*, t.a, t.b, t.c FROM cms_search s JOIN cms_search_text t ON t.rowid = s.id"
    )
    tables["cms_search"] = sorted(
        repr(sorted((k, v) for k, v in row.items() if k not in ("id", "document"))) for row in await _rows(search)
    )
    events = await _rows("SELECT * FROM cms_event ORDER BY id")
    order = {event["id"]: index for index, event in enumerate(events)}
    tables["cms_event"] = [{k: v for k, v in event.items() if k not in WRITTEN_AT} for event in events]
    deliveries = await _rows("SELECT * FROM cms_webhook_delivery ORDER BY id")
    tables["cms_webhook_delivery"] = [
        {**{k: v for k, v in row.items() if k not in WRITTEN_AT | {"subscription"}}, "event": order[row["event"]]}
        for row in deliveries
    ]
    return tables


EVERY_EVENT = WebhookSpec(url="http://127.0.0.1:9/everything", description="every event of the import")


async def _import_each(model: Any, files: list[Path], monkeypatch: pytest.MonkeyPatch, bulk: bool) -> dict[str, Any]:
    """Import `files` in turn into an emptied database; the rows written and how many times the content
    version moved."""
    await delete_all_content()
    await Webhooks(model, ADMIN, allow_private_targets=True).create(EVERY_EVENT)
    with monkeypatch.context() as patch:
        if not bulk:
            patch.setattr(importing, "apply_entries_in_bulk", entries.apply_entries)
            patch.setattr(publishing_events, "record_events", record_one_by_one)
        start = await read_content_version()
        for file in files:
            report, _ = await imported(model, file)
            assert report.refusals == []
    return {**await _snapshot(), "content version bumps": await read_content_version() - start}


async def test_bulk_import_writes_the_rows_of_the_per_entry_path(
    model, clean_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # Given a site with every workflow state, offers and a webhook subscription, exported; then changed (an entry
    # edited and published again, one unpublished, one archived) and exported again
    world = await build_world(model)
    (tmp_path / "older.ndjson").write_bytes(await exported(model))
    editor = Editor(model, ADMIN)
    await _edit(editor, world["edited"], name="Kettle, fourth version")
    await editor.publish(world["edited"])
    published = await Entry.select(Entry.id).where(
        Entry.published_version.is_not_null() & (Entry.content_type == "product") & (Entry.id != world["edited"])
    )
    await editor.unpublish(published[0]["id"])
    await editor.archive(published[1]["id"])
    (tmp_path / "newer.ndjson").write_bytes(await exported(model))
    files = [tmp_path / "older.ndjson", tmp_path / "newer.ndjson"]

    # When both files are imported in turn, through the reference path then through the bulk path
    reference = await _import_each(model, files, monkeypatch, bulk=False)
    bulk = await _import_each(model, files, monkeypatch, bulk=True)

    # Then every row is the same, event for event, delivery for delivery (every event owes one to the subscription
    # made before the import, the second file's `entry.published` one more to the world's own subscription)
    assert reference["cms_projection"] and reference["cms_search"] and reference["cms_webhook_delivery"]
    for table, rows in reference.items():
        assert bulk[table] == rows, table
