"""Editorial workflow through the management API: review, publishing, preview, schedules, releases, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cms.lib.clock import TestClock, use_clock
from cms.publishing import publish as publishing
from cms.store.tables import Release
from cms.workflow.schedules import run_due_jobs
from tests.conftest import build_client
from tests.management_client import Management, delivered, token_for

OFFER = {
    "base": {
        "en": {
            "title": "Spring sale",
            "slug": "spring-sale",
            "discount_kind": "percent",
            "discount_percent": "25",
            "starts_at": "2026-03-01T00:00:00Z",
            "ends_at": "2026-04-01T00:00:00Z",
            "legal_terms": "While stocks last.",  # an offer sent by e-mail must carry its legal terms
        }
    }
}


def category(name: str, slug: str = "kitchen") -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": slug}}}


@pytest.fixture
async def admin(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="admin-bot"))


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:write", "management:publish", name="editor-bot"))


CATEGORY_NAME = '{ category(by: { slug: "kitchen" }) { name } }'


async def live_name(client) -> str | None:  # type: ignore[no-untyped-def]
    found = (await delivered(client, "web", CATEGORY_NAME))["category"]
    return None if found is None else found["name"]


async def test_a_type_that_requires_review_publishes_only_the_approved_version(admin, editor) -> None:  # type: ignore[no-untyped-def]
    offer = await editor.create("offer", OFFER)
    refused = await editor.error("mutation($id: ID!) { publishEntry(id: $id) { status } }", id=offer["id"])
    assert refused["extensions"]["code"] == "INVALID_STATE"
    assert "needs review" in refused["message"]
    assert (await editor.act("submitForReview", offer["id"]))["status"] == "in_review"
    not_a_reviewer = await editor.error("mutation($id: ID!) { approveEntry(id: $id) { status } }", id=offer["id"])
    assert not_a_reviewer["extensions"]["code"] == "FORBIDDEN"
    approved = await admin.act("approveEntry", offer["id"])
    assert (approved["status"], approved["approvedVersion"]) == ("approved", 1)
    assert (await editor.act("publishEntry", offer["id"]))["status"] == "published"
    # An edit after approval is a new, unapproved version: it cannot be published.
    await editor.update(offer["id"], 1, {"base": {"en": {**OFFER["base"]["en"], "title": "Spring sale!"}}})
    again = await editor.error("mutation($id: ID!) { publishEntry(id: $id) { status } }", id=offer["id"])
    assert again["extensions"] == {"code": "INVALID_STATE", "approvedVersion": 1}


async def test_rejection_returns_to_draft_with_the_comment_in_the_audit_log(admin, editor) -> None:  # type: ignore[no-untyped-def]
    offer = await editor.create("offer", OFFER)
    await editor.act("submitForReview", offer["id"])
    assert (await admin.act("rejectEntry", offer["id"], ', comment: "Check the dates"'))["status"] == "draft"
    events = await admin.ok('{ auditEvents(action: "reject_entry") { nodes { actor details entryId } } }')
    assert events["auditEvents"]["nodes"] == [
        {"actor": "admin-bot", "details": {"comment": "Check the dates"}, "entryId": offer["id"]}
    ]


async def test_editing_a_published_entry_changes_nothing_live_until_published(client, editor) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    edited = await editor.update(entry["id"], 1, category("Cooking"))
    assert (edited["status"], edited["currentVersion"], edited["publishedVersion"]) == ("draft", 2, 1)
    assert await live_name(client) == "Kitchen"
    await editor.act("publishEntry", entry["id"])
    assert await live_name(client) == "Cooking"


async def test_preview_token_sees_drafts_resolved_as_delivery_would(client, model, editor) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create(
        "category", {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}, "fr": {"name": "Cuisine"}}}
    )
    assert await live_name(client) is None
    preview = {"Authorization": f"Bearer {await token_for(model, 'preview')}"}
    query = '{ category(by: { slug: "kitchen" }, locale: fr) { name } }'
    assert (await delivered(client, "web", query, **preview))["category"] == {"name": "Cuisine"}
    await editor.act("publishEntry", entry["id"])
    await editor.update(
        entry["id"], 1, {"base": {"en": {"name": "Kitchen", "slug": "kitchen"}, "fr": {"name": "Cuisine 2"}}}
    )
    assert (await delivered(client, "web", query))["category"] == {"name": "Cuisine"}
    assert (await delivered(client, "web", query, **preview))["category"] == {"name": "Cuisine 2"}
    anonymous_preview = await client.post("/graphql/web?preview=1", json={"query": query})
    assert anonymous_preview.status_code == 401


async def test_versions_diff_and_rollback_as_a_new_version(editor) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.update(entry["id"], 1, category("Cooking"))
    data = await editor.ok(
        "query($id: ID!) { diff(entryId: $id, fromVersion: 1, toVersion: 2) { path before after } }", id=entry["id"]
    )
    assert data["diff"] == [{"path": "base.en.name", "before": "Kitchen", "after": "Cooking"}]
    rolled = await editor.ok(
        "mutation($id: ID!) { rollbackEntry(id: $id, toVersion: 1, baseVersion: 2) { currentVersion data } }",
        id=entry["id"],
    )
    assert rolled["rollbackEntry"] == {"currentVersion": 3, "data": category("Kitchen") | {"overrides": {}}}
    versions = await editor.ok("query($id: ID!) { entry(id: $id) { versions { number message } } }", id=entry["id"])
    assert versions["entry"]["versions"][0] == {"number": 3, "message": "Rollback to version 1"}


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    test_clock = TestClock(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC))
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


async def test_a_schedule_set_before_a_restart_fires_after_it(settings, model, editor, clock) -> None:  # type: ignore[no-untyped-def]
    from cms.app import create_app

    entry = await editor.create("category", category("Kitchen"))
    job = await editor.ok(
        'mutation($id: ID!) { schedulePublish(id: $id, at: "2026-11-22T10:00:00Z") { id status } }', id=entry["id"]
    )
    assert job["schedulePublish"]["status"] == "pending"
    assert await run_due_jobs(model) == 0  # not due yet

    restarted = create_app(settings, model)  # a new process: nothing in memory survives, the database does
    clock.advance(hours=1)
    assert await run_due_jobs(restarted.state.model) == 1
    async with build_client(restarted) as client:
        assert await live_name(client) == "Kitchen"
    jobs = await editor.ok("{ schedules(status: null) { status attempts } }")
    assert jobs["schedules"] == [{"status": "done", "attempts": 1}]
    assert await run_due_jobs(model) == 0


async def test_scheduling_in_the_past_is_refused(editor, clock) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    refused = await editor.error(
        'mutation($id: ID!) { schedulePublish(id: $id, at: "2026-11-22T08:00:00Z") { id } }', id=entry["id"]
    )
    assert refused["extensions"]["code"] == "INVALID_STATE"
    assert "in the past" in refused["message"]


async def test_a_blank_release_name_is_a_validation_error_naming_the_field(editor) -> None:  # type: ignore[no-untyped-def]
    refused = await editor.error("mutation($name: String!) { createRelease(name: $name) { id } }", name="  ")

    assert refused["message"] == "`name`: a release needs a name (it is blank)"
    assert refused["extensions"] == {
        "code": "VALIDATION",
        "fields": [{"path": "name", "reason": "a release needs a name (it is blank)"}],
    }
    assert await Release.count() == 0


async def test_a_release_publishes_every_entry_together(client, editor) -> None:  # type: ignore[no-untyped-def]
    kitchen = await editor.create("category", category("Kitchen"))
    garden = await editor.create("category", category("Garden", "garden"))
    release = (await editor.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry in (kitchen, garden):
        await editor.ok(
            "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }", r=release, e=entry["id"]
        )
    published = await editor.ok("mutation($r: Int!) { publishRelease(id: $r) { status items { version } } }", r=release)
    assert published["publishRelease"] == {"status": "published", "items": [{"version": 1}, {"version": 1}]}
    names = await delivered(client, "web", "{ categories { nodes { name } } }")
    assert sorted(node["name"] for node in names["categories"]["nodes"]) == ["Garden", "Kitchen"]


async def test_a_release_whose_projection_fails_part_way_publishes_nothing(client, editor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kitchen = await editor.create("category", category("Kitchen"))
    garden = await editor.create("category", category("Garden", "garden"))
    release = (await editor.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry in (kitchen, garden):
        await editor.ok(
            "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }", r=release, e=entry["id"]
        )
    real_rows = publishing.projection_rows

    def failing_for_garden(model, saved, stage=publishing.LIVE):  # type: ignore[no-untyped-def]
        if saved.entry_id == garden["id"] and stage == publishing.LIVE:
            raise RuntimeError("renderer crashed")
        return real_rows(model, saved, stage)

    monkeypatch.setattr(publishing, "projection_rows", failing_for_garden)
    failed = await editor.call("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
    assert failed["errors"][0]["message"] == "Unexpected error."
    assert (await delivered(client, "web", "{ categories { totalCount } }"))["categories"]["totalCount"] == 0
    statuses = await editor.ok("{ entries { nodes { status publishedVersion } } }")
    assert statuses["entries"]["nodes"] == [{"status": "draft", "publishedVersion": None}] * 2


async def test_a_release_whose_database_write_fails_part_way_publishes_nothing(client, editor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kitchen = await editor.create("category", category("Kitchen"))
    garden = await editor.create("category", category("Garden", "garden"))
    release = (await editor.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry in (kitchen, garden):
        await editor.ok(
            "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }", r=release, e=entry["id"]
        )
    real_update = publishing.Entry.update
    calls = {"n": 0}

    def update_failing_second_time(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("connection lost")
        return real_update(*args, **kwargs)

    monkeypatch.setattr(publishing.Entry, "update", update_failing_second_time)
    failed = await editor.call("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
    assert failed["errors"][0]["message"] == "Unexpected error."
    monkeypatch.undo()
    assert (await delivered(client, "web", "{ categories { totalCount } }"))["categories"]["totalCount"] == 0


async def test_audit_log_filters_by_actor_action_and_entry(admin, editor) -> None:  # type: ignore[no-untyped-def]
    first = await editor.create("category", category("Kitchen"))
    await admin.create("category", category("Garden", "garden"))
    await editor.update(first["id"], 1, category("Cooking"))
    by_actor = await admin.ok(
        '{ auditEvents(actor: "editor-bot") { totalCount nodes { action versionBefore versionAfter } } }'
    )
    assert by_actor["auditEvents"]["nodes"] == [
        {"action": "update_entry", "versionBefore": 1, "versionAfter": 2},
        {"action": "create_entry", "versionBefore": None, "versionAfter": 1},
    ]
    by_entry = await admin.ok("query($e: ID!) { auditEvents(entryId: $e) { totalCount } }", e=first["id"])
    assert by_entry["auditEvents"]["totalCount"] == 2
