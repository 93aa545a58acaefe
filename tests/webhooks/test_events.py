"""What the change log records for each kind of change, in the change's own transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from cms.lib.clock import TestClock, use_clock
from cms.publishing.boundaries import record_window_changes
from cms.store.content_version import read_content_version
from cms.store.tables import Event
from cms.workflow.schedules import run_due_jobs
from tests.management_client import Management, token_for
from tests.test_offers_delivery import ENDS, OFFER, STARTS, message
from tests.webhooks.helpers import category


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    test_clock = TestClock(dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


@pytest.fixture
async def admin(client, model, clean_db, clock) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="admin-bot"))


async def events() -> list[dict[str, Any]]:
    rows = await Event.select().order_by(Event.id).output(load_json=True)
    return [
        {**row, "data": row["data"] if isinstance(row["data"], dict) else msgspec.json.decode(row["data"])}
        for row in rows
    ]


async def test_a_release_records_each_entry_and_the_release_itself(admin) -> None:  # type: ignore[no-untyped-def]
    first = await admin.create("category", category("Kitchen", "kitchen"))
    second = await admin.create("category", category("Garden", "garden"))
    release = (await admin.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry in (first, second):
        add = "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }"
        await admin.ok(add, r=release, e=entry["id"])
    await admin.ok("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
    recorded = await events()
    assert [e["kind"] for e in recorded] == ["entry.published", "entry.published", "release.published"]
    assert {e["entry"] for e in recorded[:2]} == {first["id"], second["id"]}
    assert all(e["data"]["release"] == release for e in recorded[:2])
    data = recorded[2]["data"]
    assert (data["releaseId"], data["name"]) == (release, "Spring")
    assert sorted(data["surrogateKeys"]) == sorted(f"entry-{e['id']}" for e in (first, second))


async def test_a_scheduled_publish_records_the_publish_and_that_the_schedule_fired(admin, model, clock) -> None:  # type: ignore[no-untyped-def]
    entry = await admin.create("category", category("Kitchen", "kitchen"))
    at = (clock.now() + dt.timedelta(hours=1)).isoformat()
    job = await admin.ok(f'mutation($id: ID!) {{ schedulePublish(id: $id, at: "{at}") {{ id }} }}', id=entry["id"])
    clock.advance(hours=1)
    assert await run_due_jobs(model) == 1
    published, fired = await events()
    assert (published["kind"], published["data"]["schedule"]) == ("entry.published", job["schedulePublish"]["id"])
    assert fired["kind"] == "schedule.fired"
    assert fired["data"] | {"runAt": None} == {
        "scheduleId": job["schedulePublish"]["id"],
        "action": "publish",
        "entryId": entry["id"],
        "version": None,
        "releaseId": None,
        "runAt": None,
    }


async def test_unpublish_and_archive_record_what_left_every_channel(admin) -> None:  # type: ignore[no-untyped-def]
    entry = await admin.create("category", category("Kitchen", "kitchen"))
    await admin.act("publishEntry", entry["id"])
    await admin.act("unpublishEntry", entry["id"])
    await admin.act("publishEntry", entry["id"])
    await admin.act("archiveEntry", entry["id"])
    kinds = [(e["kind"], len(e["data"]["documents"]) > 0) for e in await events()]
    assert kinds == [
        ("entry.published", True),
        ("entry.unpublished", True),
        ("entry.published", True),
        ("entry.archived", True),
    ]


async def test_offer_windows_opening_and_closing_are_recorded_at_their_instant(admin, clock, client, model) -> None:  # type: ignore[no-untyped-def]
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer-bot"))  # four eyes
    offer = await admin.create("offer", OFFER)
    copy = await admin.create("brand_message", message())
    for entry in (offer, copy):
        await admin.act("submitForReview", entry["id"])
        await reviewer.act("approveEntry", entry["id"])
        await admin.act("publishEntry", entry["id"])
    published = len(await events())
    assert await record_window_changes() == 0  # the first look only notes the instant
    clock.set(STARTS - dt.timedelta(seconds=1))
    assert await record_window_changes() == 0
    version = await read_content_version()
    clock.set(STARTS + dt.timedelta(seconds=1))
    assert await record_window_changes() == 2
    assert await read_content_version() > version, "caches keyed by the content version see the change"
    clock.set(ENDS)
    assert await record_window_changes() == 2
    assert await record_window_changes() == 0
    recorded = [(e["kind"], e["entry"]) for e in (await events())[published:]]
    assert sorted(recorded[:2]) == sorted([("offer.started", offer["id"]), ("entry.changed", copy["id"])])
    assert sorted(recorded[2:]) == sorted([("offer.ended", offer["id"]), ("entry.changed", copy["id"])])
    started = next(e for e in await events() if e["kind"] == "offer.started")
    assert started["data"]["surrogateKeys"] == [f"entry-{offer['id']}", *(f"channel-{c}" for c in started["channels"])]
    ended = next(e for e in await events() if e["kind"] == "offer.ended")
    assert ended["data"]["surrogateKeys"] == [f"entry-{offer['id']}"]
    assert ended["data"]["locales"] == ["en", "fr"]


async def test_an_upload_records_the_new_asset_once(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    token = {"Authorization": f"Bearer {await token_for(model, 'management:write')}"}
    for _ in range(2):  # the same image twice is one asset
        response = await client.post("/media", files={"file": ("red.png", buffer.getvalue())}, headers=token)
        assert response.status_code in (200, 201), response.text
    [created] = await events()
    assert created["kind"] == "asset.created"
    assert (created["data"]["mime"], created["data"]["width"], created["data"]["height"]) == ("image/png", 64, 48)
