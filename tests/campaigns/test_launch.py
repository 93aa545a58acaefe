"""Launching a campaign: one release at the window's start switches every channel together, the window's end
takes down on every channel what the launch took live, and refusals name the field in English and French."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cms.campaigns.campaign import Campaign
from cms.campaigns.errors import CampaignRefused
from cms.campaigns.launch import check_window
from cms.lib.clock import TestClock, use_clock
from cms.store.tables import AuditEvent, Entry, Event, Projection, Release, ReleaseItem, Schedule, WebhookDelivery
from cms.workflow.schedules import run_due_jobs
from tests.campaigns.world import (
    END,
    HEADLINE,
    LAUNCH,
    MESSAGE_CHANNELS,
    NOW,
    PRODUCT,
    PRODUCT_CHANNELS,
    campaign_data,
    campaign_members,
    reviewed,
)
from tests.management_client import Management, delivered, token_for
from tests.webhooks.helpers import subscribe

LAUNCH_MUTATION = "mutation($id: ID!) { launchCampaign(id: $id) { id status releaseId endJobId launchAt endAt ends } }"
CANCEL_MUTATION = "mutation($id: ID!) { cancelCampaignLaunch(id: $id) { status } }"


@pytest.fixture
async def world(client: httpx.AsyncClient, model: Any, clean_db: None) -> AsyncIterator[dict[str, Any]]:
    clock = TestClock(NOW)
    previous = use_clock(clock)
    admin = Management(client, await token_for(model, "management:admin", name="admin"))
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer"))
    preview = {"authorization": f"Bearer {await token_for(model, 'preview', name='preview')}"}
    ids = await campaign_members(admin, reviewer)
    yield {"admin": admin, "reviewer": reviewer, "preview": preview, "ids": ids, "clock": clock}
    use_clock(previous)


async def approved_campaign(world: dict[str, Any], **changes: Any) -> str:
    return await reviewed(world["admin"], world["reviewer"], "campaign", campaign_data(world["ids"], **changes))


async def headlines(client: httpx.AsyncClient, locale: str, **headers: str) -> dict[str, Any]:
    """Each message channel's answer: the headline, or None when the channel does not show the message."""
    answers = {}
    for channel in MESSAGE_CHANNELS:
        found = (await delivered(client, channel, HEADLINE % locale, **headers))["brandMessage"]
        answers[channel] = found and found["headline"]
    return answers


async def products(client: httpx.AsyncClient, **headers: str) -> dict[str, Any]:
    return {c: (await delivered(client, c, PRODUCT, **headers))["product"] for c in PRODUCT_CHANNELS}


def at(instant: dt.datetime) -> dict[str, str]:
    return {"preview-at": instant.isoformat()}


async def test_every_channel_switches_together_at_the_launch_and_stops_at_the_end(
    client: httpx.AsyncClient, model: Any, world: dict[str, Any]
) -> None:
    # Given an approved campaign grouping the approved offer and message and a draft product, launched
    admin, preview, clock = world["admin"], world["preview"], world["clock"]
    campaign = await approved_campaign(world)
    launch = (await admin.ok(LAUNCH_MUTATION, id=campaign))["launchCampaign"]
    assert launch["status"] == "scheduled"
    assert dt.datetime.fromisoformat(launch["launchAt"]) == LAUNCH
    assert sorted(launch["ends"]) == sorted([campaign, *world["ids"].values()])
    # (one release: the campaign and every member at its current version, none live yet)
    items = await ReleaseItem.select(ReleaseItem.entry, ReleaseItem.version).where(
        ReleaseItem.release == launch["releaseId"]
    )
    assert sorted((i["entry"], i["version"]) for i in items) == sorted(
        (entry_id, 1) for entry_id in (campaign, *world["ids"].values())
    )

    # Then before the launch a preview at the launch instant shows the campaign's copy on every channel, in
    # every locale, with the offer rendered, while live delivery shows none of it
    expected_en = {channel: "Save 25% on garden tools." for channel in MESSAGE_CHANNELS}
    # (a no-break space before %, as French sets it)
    expected_fr = {channel: "Économisez 25\u00a0% sur les outils de jardin." for channel in MESSAGE_CHANNELS}
    assert await headlines(client, "en", **preview, **at(LAUNCH)) == expected_en
    assert await headlines(client, "fr", **preview, **at(LAUNCH)) == expected_fr
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)
    assert await products(client) == dict.fromkeys(PRODUCT_CHANNELS)

    # When the clock reaches a second before the launch, the scheduler runs nothing
    clock.set(LAUNCH - dt.timedelta(seconds=1))
    assert await run_due_jobs(model) == 0
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)

    # When it reaches the launch, one scheduler run switches every channel
    clock.set(LAUNCH)
    assert await run_due_jobs(model) == 1
    assert await headlines(client, "en") == expected_en
    assert await headlines(client, "fr") == expected_fr
    assert await products(client) == {channel: {"name": "Garden fork"} for channel in PRODUCT_CHANNELS}
    # And every channel's documents of the campaign went live in the same second (one transaction)
    published = await Projection.select(Projection.published_at, Projection.channel).where(
        Projection.entry.is_in(list(world["ids"].values())) & (Projection.stage == "live")
    )
    assert {row["channel"] for row in published} >= set(PRODUCT_CHANNELS)
    assert {row["published_at"] for row in published} == {LAUNCH}
    launched = await Event.select(Event.at, Event.entry).where(Event.kind == "campaign.launched")
    assert launched == [{"at": LAUNCH, "entry": campaign}]

    # When the clock reaches the end, one scheduler run takes it all down on every channel
    clock.set(END)
    assert await run_due_jobs(model) == 1
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)
    assert await products(client) == dict.fromkeys(PRODUCT_CHANNELS)
    ended = await Event.select(Event.at, Event.entry).where(Event.kind == "campaign.ended")
    assert ended == [{"at": END, "entry": campaign}]
    state = await admin.ok("query($id: ID!) { campaignLaunch(campaignId: $id) { status } }", id=campaign)
    assert state["campaignLaunch"]["status"] == "ended"


async def test_a_subscription_to_campaign_events_is_owed_the_launch_and_the_end(
    model: Any, world: dict[str, Any]
) -> None:
    # Given a webhook subscribed to the campaign events only, and a launched campaign
    admin, clock = world["admin"], world["clock"]
    subscription, _ = await subscribe(admin, "http://127.0.0.1:9/hooks", events=["campaign.launched", "campaign.ended"])
    campaign = await approved_campaign(world)
    await admin.ok(LAUNCH_MUTATION, id=campaign)

    # When the window opens and closes
    for instant in (LAUNCH, END):
        clock.set(instant)
        await run_due_jobs(model)

    # Then the subscription is owed exactly those two events, in order, naming the campaign and its channels
    owed = await WebhookDelivery.select(WebhookDelivery.event).where(WebhookDelivery.subscription == subscription)
    events = (
        await Event.select(Event.kind, Event.data)
        .where(Event.id.is_in([row["event"] for row in owed]))
        .order_by(Event.id)
    )
    assert [event["kind"] for event in events] == ["campaign.launched", "campaign.ended"]
    launched = json.loads(events[0]["data"]) if isinstance(events[0]["data"], str) else events[0]["data"]
    assert launched["campaignId"] == campaign
    assert set(launched["channels"]) == set(PRODUCT_CHANNELS)


async def test_launching_is_audited_and_needs_the_publish_permission(
    client: httpx.AsyncClient, model: Any, world: dict[str, Any]
) -> None:
    campaign = await approved_campaign(world)
    writer = Management(client, await token_for(model, "management:write", name="writer"))

    refused = await writer.error(LAUNCH_MUTATION, id=campaign)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert await Schedule.count() == 0

    await world["admin"].ok(LAUNCH_MUTATION, id=campaign)
    audit = await AuditEvent.select(AuditEvent.actor).where(
        (AuditEvent.action == "launch_campaign") & (AuditEvent.entry == campaign)
    )
    assert audit == [{"actor": "admin"}]


async def refusal(world: dict[str, Any], campaign: str) -> dict[str, Any]:
    """The refusal of launching `campaign`; nothing may have been stored by it."""
    error = await world["admin"].error(LAUNCH_MUTATION, id=campaign)
    assert await Schedule.count() == 0
    assert await Release.count() == 0
    return error


async def test_a_window_in_the_past_is_refused_naming_launch_at(world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world, launch_at="2026-02-01T00:00:00Z")

    error = await refusal(world, campaign)

    assert error["extensions"]["field"] == "launch_at"
    assert "launch_at" in error["message"] and "past" in error["message"]
    assert "passé" in error["extensions"]["messages"]["fr"]


async def test_an_end_not_after_the_launch_is_refused_at_save_naming_end_at(world: dict[str, Any]) -> None:
    query = "mutation($t: String!, $d: JSON!) { createEntry(type: $t, data: $d) { id } }"

    error = await world["admin"].error(query, t="campaign", d=campaign_data(world["ids"], end_at=LAUNCH.isoformat()))

    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["fields"] == [
        {
            "path": "base.en.end_at",
            "reason": "must come after launch_at (2026-03-01T09:00:00Z), got 2026-03-01T09:00:00Z",
        }
    ]
    assert await Entry.count().where(Entry.content_type == "campaign") == 0


def test_the_launch_checks_the_window_again_naming_end_at() -> None:
    # (the model refuses such a campaign at save; the launch does not rely on the model saying so)
    launch = dt.datetime(2099, 3, 1, tzinfo=dt.UTC)  # in the future whatever the clock
    campaign = Campaign(
        id="c", version=1, status="approved", approved_version=1, slug="c", title={},
        launch_at=launch, end_at=launch, members={},
    )  # fmt: skip
    with pytest.raises(CampaignRefused) as refused:
        check_window(campaign)
    assert refused.value.extensions["field"] == "end_at"
    assert (
        refused.value.extensions["messages"]["fr"]
        == "champ de campagne « end_at » : la fin doit venir après le lancement"
    )


async def test_a_campaign_not_approved_is_refused(world: dict[str, Any]) -> None:
    campaign = (await world["admin"].create("campaign", campaign_data(world["ids"])))["id"]

    error = await refusal(world, campaign)

    assert error["extensions"]["field"] == "status"
    assert "not approved" in error["message"]
    assert "n'est pas approuvée" in error["extensions"]["messages"]["fr"]


async def test_an_unapproved_member_is_refused_naming_its_field(world: dict[str, Any]) -> None:
    admin = world["admin"]
    await admin.update(world["ids"]["message"], 1, message_with("Spring savings on garden tools."))
    campaign = await approved_campaign(world)

    error = await refusal(world, campaign)

    assert error["extensions"]["field"] == "messages"
    assert world["ids"]["message"] in error["message"]


async def test_a_member_the_consistency_gate_would_refuse_is_refused(world: dict[str, Any]) -> None:
    # Given the message edited to use a term the brand voice forbids (an error of the gate), approved
    admin, reviewer = world["admin"], world["reviewer"]
    await admin.update(world["ids"]["message"], 1, message_with("Cheap garden tools for every garden"))
    await admin.act("submitForReview", world["ids"]["message"])
    await reviewer.act("approveEntry", world["ids"]["message"])
    campaign = await approved_campaign(world)

    error = await refusal(world, campaign)

    assert error["extensions"]["code"] == "LINT"
    assert error["extensions"]["field"] == "messages"
    assert [(f["field"], f["rule"]) for f in error["extensions"]["findings"]] == [("headline", "forbidden_term")]


async def test_a_second_launch_is_refused_until_the_first_is_cancelled(world: dict[str, Any]) -> None:
    admin = world["admin"]
    campaign = await approved_campaign(world)
    await admin.ok(LAUNCH_MUTATION, id=campaign)

    again = await admin.error(LAUNCH_MUTATION, id=campaign)
    assert again["extensions"]["field"] == "launch_at"
    assert "cancel" in again["message"]

    assert (await admin.ok(CANCEL_MUTATION, id=campaign))["cancelCampaignLaunch"]["status"] == "cancelled"
    assert (await admin.ok(LAUNCH_MUTATION, id=campaign))["launchCampaign"]["status"] == "scheduled"


async def test_a_cancelled_launch_never_runs(client: httpx.AsyncClient, model: Any, world: dict[str, Any]) -> None:
    # Given a launched campaign whose launch is cancelled before it runs
    admin, clock = world["admin"], world["clock"]
    campaign = await approved_campaign(world)
    await admin.ok(LAUNCH_MUTATION, id=campaign)
    await admin.ok(CANCEL_MUTATION, id=campaign)

    # Then its release and jobs are gone, and at the launch nothing goes live
    assert await Release.count() == 0
    assert {row["status"] for row in await Schedule.select(Schedule.status)} == {"cancelled"}
    clock.set(LAUNCH)
    assert await run_due_jobs(model) == 0
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)
    assert await AuditEvent.count().where(AuditEvent.action == "cancel_campaign_launch") == 1


async def test_a_launch_that_ran_cannot_be_cancelled(model: Any, world: dict[str, Any]) -> None:
    admin, clock = world["admin"], world["clock"]
    campaign = await approved_campaign(world)
    await admin.ok(LAUNCH_MUTATION, id=campaign)
    clock.set(LAUNCH)
    await run_due_jobs(model)

    error = await admin.error(CANCEL_MUTATION, id=campaign)

    assert error["extensions"]["field"] == "launch_at"
    assert "already launched" in error["message"]
    assert "déjà été lancée" in error["extensions"]["messages"]["fr"]


def message_with(headline: str) -> dict[str, Any]:
    from tests.test_offers_delivery import message

    data = message()
    data["base"]["en"]["headline"] = headline
    return data


async def test_a_release_published_by_hand_before_the_launch_still_ends_with_the_window(
    client: httpx.AsyncClient, model: Any, world: dict[str, Any]
) -> None:
    # Given a launched campaign whose release someone published early from its release page
    admin, clock = world["admin"], world["clock"]
    campaign = await approved_campaign(world)
    release = (await admin.ok(LAUNCH_MUTATION, id=campaign))["launchCampaign"]["releaseId"]
    await admin.ok("mutation($id: Int!) { publishRelease(id: $id) { status } }", id=release)

    # When the launch comes, then the end
    clock.set(LAUNCH)
    await run_due_jobs(model)
    launched = await Schedule.select(Schedule.status).where(Schedule.action == "campaign_launch")
    clock.set(END)
    await run_due_jobs(model)

    # Then the launch job did not fail, and the end took the campaign down everywhere
    assert launched == [{"status": "done"}]
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)
    assert await Event.count().where(Event.kind == "campaign.ended") == 1


async def test_a_launch_that_failed_when_it_ran_says_so_and_may_be_launched_again(
    client: httpx.AsyncClient, model: Any, world: dict[str, Any]
) -> None:
    # Given a launched campaign whose product is archived before the launch (publishing it will be refused)
    admin, clock = world["admin"], world["clock"]
    campaign = await approved_campaign(world)
    first = (await admin.ok(LAUNCH_MUTATION, id=campaign))["launchCampaign"]
    await admin.act("archiveEntry", world["ids"]["product"])

    # When the launch comes
    clock.set(LAUNCH)
    await run_due_jobs(model)

    # Then nothing went live, and the launch reads as failed
    assert await headlines(client, "en") == dict.fromkeys(MESSAGE_CHANNELS)
    state = await admin.ok("query($id: ID!) { campaignLaunch(campaignId: $id) { status } }", id=campaign)
    assert state["campaignLaunch"]["status"] == "failed"
    # And once the campaign no longer names the product and is approved again, it launches anew (a new window)
    later = {"launch_at": "2026-03-05T09:00:00Z", "products": []}
    await admin.update(campaign, 1, campaign_data(world["ids"], **later))
    await admin.act("submitForReview", campaign)
    await world["reviewer"].act("approveEntry", campaign)
    second = (await admin.ok(LAUNCH_MUTATION, id=campaign))["launchCampaign"]
    assert second["status"] == "scheduled"
    # (the failed launch's end will not run)
    ends = await Schedule.select(Schedule.status).where(Schedule.id == first["endJobId"])
    assert ends == [{"status": "cancelled"}]
