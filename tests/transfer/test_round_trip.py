"""Export, import into an empty or populated database, export again: the same file, the same delivered answers."""

from __future__ import annotations

from pathlib import Path

from cms.auth.users import authenticate
from cms.media.storage import storage_for
from cms.settings import get_settings
from cms.store.content_version import read_content_version
from cms.store.database import delete_all_content
from cms.store.tables import Asset, Entry, Event, WebhookSubscription
from cms.transfer.records import AssetRecord, line_decoder
from cms.workflow.entries import Editor
from tests.demo_data import demo_assets, demo_entries
from tests.management_client import delivered
from tests.transfer.helpers import exported, imported
from tests.transfer.world import ADMIN, QUERIES, build_world


async def _answers(client) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {channel: await delivered(client, channel, query) for channel, query in QUERIES.items()}


async def test_round_trip_into_an_empty_database_gives_the_same_file_and_the_same_answers(
    client, model, clean_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(model)
    answers_before = await _answers(client)
    secret_before = (await WebhookSubscription.select(WebhookSubscription.secret).first())["secret"]
    first = await exported(model)
    (tmp_path / "site.ndjson").write_bytes(first)
    asset_key = next(
        record.key for record in map(line_decoder.decode, first.splitlines()) if isinstance(record, AssetRecord)
    )
    await delete_all_content()
    await storage_for(get_settings()).delete(asset_key)  # the image comes back from the file

    report, written = await imported(model, tmp_path / "site.ndjson")

    assert report.refusals == []
    assert written[("entry", "create")] == len(demo_entries())  # the demo's entries, as built
    assert await exported(model) == first
    assert await _answers(client) == answers_before
    assert await storage_for(get_settings()).exists(asset_key)
    assert await Asset.count() == len(demo_assets()) + 1  # the demo's pictures and the kettle
    row = (
        await Entry.select(Entry.status, Entry.published_version, Entry.current_version)
        .where(Entry.id == world["edited"])
        .first()
    )
    assert row == {"status": "draft", "published_version": 2, "current_version": 3}
    # Secrets do not travel: the user sets a password, the webhook has a new secret.
    assert await authenticate("bob@example.test", "a long enough password") is None
    assert (await WebhookSubscription.select(WebhookSubscription.secret).first())["secret"] != secret_before


async def test_importing_the_same_file_again_changes_nothing(client, model, clean_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    await build_world(model)
    first = await exported(model)
    (tmp_path / "site.ndjson").write_bytes(first)
    events, content_version = await Event.count(), await read_content_version()

    report, written = await imported(model, tmp_path / "site.ndjson")

    assert report.refusals == []
    assert {action for _, action in report.counts} == {"unchanged"}
    assert sum(report.counts.values()) == len(first.splitlines()) - 2
    assert written == {}
    assert (await Event.count(), await read_content_version()) == (events, content_version)
    assert await exported(model) == first


async def test_a_populated_database_gets_only_what_it_lacks_and_newer_versions(
    client, model, clean_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(model)
    older = await exported(model)
    editor = Editor(model, ADMIN)
    row = await Entry.select(Entry.current_version).where(Entry.id == world["edited"]).first()
    from tests.transfer.world import _edit

    await _edit(editor, world["edited"], name="Kettle, fourth version")
    await editor.publish(world["edited"])
    newer = await exported(model)
    (tmp_path / "older.ndjson").write_bytes(older)
    (tmp_path / "newer.ndjson").write_bytes(newer)
    await delete_all_content()
    await imported(model, tmp_path / "older.ndjson")
    await Entry.delete().where(Entry.id == world["archived"])

    report, written = await imported(model, tmp_path / "newer.ndjson")

    assert report.refusals == []
    assert written[("entry", "create")] == 1  # the one deleted
    assert written[("entry", "update")] == 1  # the one with a fourth version
    assert row["current_version"] == 3
    assert await exported(model) == newer
    web = await delivered(client, "web", "{ products(first: 100) { nodes { name } } }")
    assert "Kettle, fourth version" in [node["name"] for node in web["products"]["nodes"]]


async def test_a_file_older_than_the_site_is_refused_for_that_entry(client, model, clean_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(model)
    (tmp_path / "older.ndjson").write_bytes(await exported(model))
    from tests.transfer.world import _edit

    await _edit(Editor(model, ADMIN), world["edited"], name="Kettle, edited after the export")

    report, written = await imported(model, tmp_path / "older.ndjson")

    (refusal,) = report.refusals
    assert refusal.path == "current_version"
    assert "this site's entry is at version 4" in refusal.reason
    assert written == {}


async def test_damaged_files_duplicate_unique_values_and_rewritten_history_are_refused_by_field(
    client, model, clean_db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import base64
    import json

    await build_world(model)
    lines = [json.loads(line) for line in (await exported(model)).splitlines()]
    asset = next(n for n, line in enumerate(lines) if line["type"] == "asset")
    lines[asset]["file"] = base64.b64encode(b"not the image").decode()
    products = [n for n, line in enumerate(lines) if line["type"] == "entry" and line["content_type"] == "product"]
    first, second = lines[products[0]], lines[products[1]]
    second["versions"][-1]["data"]["base"]["en"]["slug"] = first["versions"][-1]["data"]["base"]["en"]["slug"]
    lines[products[2]]["versions"][0]["message"] = "history rewritten"
    (tmp_path / "bad.ndjson").write_text("".join(json.dumps(line) + "\n" for line in lines))
    entries_before = await Entry.count()

    report, written = await imported(model, tmp_path / "bad.ndjson")

    refused = {(refusal.line, refusal.path): refusal.reason for refusal in report.refusals}
    last = len(second["versions"]) - 1
    assert refused[(asset + 1, "file")] == "its sha256 is not the record's: the file is damaged"
    assert refused[(products[1] + 1, f"versions[{last}].data.base.en.slug")].startswith("the same value as entry")
    assert refused[(products[2] + 1, "versions[0]")] == "differs from the stored version 1: versions never change"
    assert written == {}  # skip: the refused lines; the others are unchanged
    assert await Entry.count() == entries_before
