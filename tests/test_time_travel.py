"""Previews "as of" an instant: a `preview` token sends `Preview-At: <instant>` to any channel and gets what
that channel will serve then, scheduled versions, releases and offer windows resolved as publishing will
resolve them (cms.workflow.time_travel); nothing of it is stored or cached."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar

from cms.lib.clock import TestClock, use_clock
from cms.store.tables import AuditEvent, ContentVersion, Entry, Projection, Schedule
from tests.management_client import Management, delivered, token_for
from tests.test_offers_delivery import ENDS, OFFER, message

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
"""The test clock: the spring sale (1 March to 1 April 2026) is on."""
TOMORROW = NOW + dt.timedelta(days=1)
MICROSECOND = dt.timedelta(microseconds=1)
CATEGORY = '{ category(by: {slug: "%s"}, locale: en) { name } }'


def at(instant: dt.datetime) -> dict[str, str]:
    return {"preview-at": instant.isoformat()}


@pytest.fixture
async def world(client: httpx.AsyncClient, model: Any, clean_db: None) -> AsyncIterator[dict[str, Any]]:
    """An admin, a reviewer (four eyes), a preview token's headers, and the clock standing at NOW."""
    previous = use_clock(TestClock(NOW))
    admin = Management(client, await token_for(model, "management:admin", name="admin"))
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer"))
    preview = {"authorization": f"Bearer {await token_for(model, 'preview', name='preview')}"}
    yield {"admin": admin, "reviewer": reviewer, "preview": preview}
    use_clock(previous)


async def published_category(admin: Management, name: str, slug: str) -> dict[str, Any]:
    entry = await admin.create("category", {"base": {"en": {"name": name, "slug": slug}}})
    await admin.act("publishEntry", entry["id"])
    return entry


async def edited(admin: Management, entry: dict[str, Any], name: str, slug: str) -> None:
    await admin.update(entry["id"], 1, {"base": {"en": {"name": name, "slug": slug}}})


async def stored_state() -> tuple[Any, ...]:
    """What a preview must leave as it found: live rows, entries, jobs, the content version, the audit log."""
    return (
        await Projection.select(Projection.key, Projection.version)
        .where(Projection.stage == "live")
        .order_by(Projection.key),
        await Entry.select(Entry.id, Entry.status, Entry.published_version).order_by(Entry.id),
        await Schedule.select(Schedule.id, Schedule.status).order_by(Schedule.id),
        await ContentVersion.select(),
        await AuditEvent.count(),
    )


async def test_a_scheduled_version_shows_at_its_instant_and_not_before(
    client: httpx.AsyncClient, app: Litestar, world: dict[str, Any]
) -> None:
    # Given "Lighting", published, edited into version 2 scheduled for tomorrow
    admin, preview = world["admin"], world["preview"]
    entry = await published_category(admin, "Lighting", "lighting")
    await edited(admin, entry, "Lamps and lighting", "lighting")
    schedule = "mutation($id: ID!, $at: DateTime!) { schedulePublish(id: $id, at: $at, version: 2) { status } }"
    await admin.ok(schedule, id=entry["id"], at=TOMORROW.isoformat())
    before = await stored_state()

    # When nobody asks at an instant, then a preview token asks as of tomorrow and as of just before
    # (the live answer first: it replaces whatever the cache held for older content, so the count after it
    # says what the previews added)
    live = await delivered(client, "web", CATEGORY % "lighting")
    cached = len(app.state.delivery.cache)
    tomorrow = await delivered(client, "web", CATEGORY % "lighting", **preview, **at(TOMORROW))
    just_before = await delivered(client, "web", CATEGORY % "lighting", **preview, **at(TOMORROW - MICROSECOND))

    # Then tomorrow shows version 2, before it and today version 1
    assert tomorrow["category"] == {"name": "Lamps and lighting"}
    assert just_before["category"] == {"name": "Lighting"}
    assert live["category"] == {"name": "Lighting"}
    # And nothing was stored, run or cached by the previews
    assert await stored_state() == before
    assert len(app.state.delivery.cache) == cached


async def test_the_answer_at_an_instant_is_private_and_never_cached(
    client: httpx.AsyncClient, app: Litestar, world: dict[str, Any]
) -> None:
    await published_category(world["admin"], "Lighting", "lighting")
    cached = len(app.state.delivery.cache)

    for _ in range(2):
        response = await client.post(
            "/graphql/web", json={"query": CATEGORY % "lighting"}, headers={**world["preview"], **at(TOMORROW)}
        )
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "private, no-store"

    assert len(app.state.delivery.cache) == cached


async def test_a_scheduled_release_switches_all_its_entries_at_its_instant(
    client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    # Given two published categories, both edited, their new versions in a release scheduled for tomorrow
    admin, preview = world["admin"], world["preview"]
    lamps = await published_category(admin, "Lamps", "lamps")
    rugs = await published_category(admin, "Rugs", "rugs")
    await edited(admin, lamps, "Spring lamps", "lamps")
    await edited(admin, rugs, "Spring rugs", "rugs")
    release = (await admin.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry in (lamps, rugs):
        add = "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }"
        await admin.ok(add, r=release, e=entry["id"])
    schedule = "mutation($r: Int!, $at: DateTime!) { scheduleRelease(id: $r, at: $at) { status } }"
    await admin.ok(schedule, r=release, at=TOMORROW.isoformat())
    both = (
        '{ lamps: category(by: {slug: "lamps"}, locale: en) { name }'
        ' rugs: category(by: {slug: "rugs"}, locale: en) { name } }'
    )

    # Then at its instant both show their new version, and a microsecond before, neither does
    for channel in ("web", "app", "kiosk"):
        assert await delivered(client, channel, both, **preview, **at(TOMORROW)) == {
            "lamps": {"name": "Spring lamps"},
            "rugs": {"name": "Spring rugs"},
        }
        assert await delivered(client, channel, both, **preview, **at(TOMORROW - MICROSECOND)) == {
            "lamps": {"name": "Lamps"},
            "rugs": {"name": "Rugs"},
        }


async def test_an_offer_expired_at_the_instant_is_not_served(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    # Given the spring sale and a message naming it, both published
    admin, reviewer, preview = world["admin"], world["reviewer"], world["preview"]
    for data, type_name in ((OFFER, "offer"), (message(), "brand_message")):
        entry = await admin.create(type_name, data)
        await admin.act("submitForReview", entry["id"])
        await reviewer.act("approveEntry", entry["id"])
        await admin.act("publishEntry", entry["id"])
    query = '{ offer(by: {slug: "spring-sale"}, locale: en) { title } brandMessage(by: {slug: "spring-garden"}, locale: en) { headline } }'  # noqa: E501

    # Then as of its end the offer is gone and the sentence naming it dropped, as delivery does then
    assert await delivered(client, "web", query, **preview, **at(ENDS)) == {
        "offer": None,
        "brandMessage": {"headline": None},
    }
    assert await delivered(client, "web", query, **preview, **at(ENDS - MICROSECOND)) == {
        "offer": {"title": "Spring sale"},
        "brandMessage": {"headline": "Save 25% on garden tools."},
    }


@pytest.mark.parametrize(
    ("scopes", "status", "message"),
    [
        ((), 401, "Preview-At needs a token with the `preview` scope"),
        (("delivery:*", "management:admin"), 403, "Preview-At needs a token with the `preview` scope"),
    ],
)
async def test_preview_at_without_the_preview_scope_is_refused(
    client: httpx.AsyncClient, model: Any, world: dict[str, Any], scopes: tuple[str, ...], status: int, message: str
) -> None:
    headers = at(TOMORROW)
    if scopes:
        headers["authorization"] = f"Bearer {await token_for(model, *scopes, name='reader')}"

    response = await client.post("/graphql/web", json={"query": CATEGORY % "lighting"}, headers=headers)

    assert (response.status_code, response.json()) == (status, {"errors": [{"message": message}]})
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tomorrow", "Preview-At: 'tomorrow' is not an instant (e.g. Preview-At: 2026-12-01T09:00:00Z)"),
        (
            "2026-03-21T09:00:00",
            "Preview-At: '2026-03-21T09:00:00' has no time zone (e.g. Preview-At: 2026-12-01T09:00:00Z)",
        ),
        (
            "2026-03-01T00:00:00Z",
            "Preview-At: '2026-03-01T00:00:00Z' is in the past: a preview shows what will be served (the audit log"
            " shows what was)",
        ),
    ],
)
async def test_a_preview_at_that_is_not_a_future_instant_is_a_bad_request(
    client: httpx.AsyncClient, world: dict[str, Any], value: str, message: str
) -> None:
    response = await client.post(
        "/graphql/web", json={"query": CATEGORY % "lighting"}, headers={**world["preview"], "preview-at": value}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == message


async def test_an_anonymous_get_remembered_by_the_hit_lane_is_refused_with_preview_at(
    client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    # Given a GET the hit lane has answered and remembered (cms.delivery.hits)
    await published_category(world["admin"], "Lighting", "lighting")
    params = {"query": CATEGORY % "lighting"}
    for _ in range(2):
        assert (await client.get("/graphql/web", params=params)).status_code == 200

    # When the same GET carries Preview-At, without a token
    response = await client.get("/graphql/web", params=params, headers=at(TOMORROW))

    # Then the endpoint, not the lane, answers it: refused
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Preview-At needs a token with the `preview` scope"}]}
