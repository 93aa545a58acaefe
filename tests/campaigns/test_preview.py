"""The campaign preview: every channel's rendering at an instant (the launch by default), side by side, and the
findings across them; a preview stores nothing, launched or not."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cms.campaigns.preview import CampaignPreview, preview_campaign
from cms.lib.clock import TestClock, use_clock
from cms.store.tables import AuditEvent, CampaignLaunch, Release, Schedule
from cms.workflow.schedules import run_due_jobs
from tests.campaigns.world import END, LAUNCH, NOW, campaign_data, campaign_members, reviewed
from tests.management_client import Management, token_for
from tests.test_offers_delivery import OFFER, message

LAUNCH_MUTATION = "mutation($id: ID!) { launchCampaign(id: $id) { status } }"
FRENCH_HEADLINE = "Économisez 25\u00a0% sur les outils de jardin."


@pytest.fixture
async def world(client: httpx.AsyncClient, model: Any, clean_db: None) -> AsyncIterator[dict[str, Any]]:
    clock = TestClock(NOW)
    previous = use_clock(clock)
    admin = Management(client, await token_for(model, "management:admin", name="admin"))
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer"))
    yield {"admin": admin, "reviewer": reviewer, "clock": clock}
    use_clock(previous)


async def campaign(world: dict[str, Any], offer: dict[str, Any] = OFFER, **changes: Any) -> tuple[str, dict[str, str]]:
    ids = await campaign_members(world["admin"], world["reviewer"], offer=offer)
    data = campaign_data(ids, **changes)
    return await reviewed(world["admin"], world["reviewer"], "campaign", data), ids


def shown(preview: CampaignPreview, channel: str, locale: str, field: str) -> dict[str, str]:
    """What the channel shows of each entry in that locale: entry id -> the value of `field`."""
    rendering = next(r for r in preview.renderings if (r.channel, r.locale) == (channel, locale))
    return {item.entry_id: dict(item.fields).get(field, "") for item in rendering.shown}


def rules(preview: CampaignPreview) -> set[tuple[str, str | None]]:
    return {(finding.rule, finding.entry_id) for finding in preview.findings}


async def stored() -> tuple[int, ...]:
    return (await Schedule.count(), await Release.count(), await CampaignLaunch.count(), await AuditEvent.count())


async def test_the_preview_at_the_launch_shows_every_channel_in_every_locale(model: Any, world: dict[str, Any]) -> None:
    # Given an approved campaign not launched yet
    campaign_id, ids = await campaign(world)
    before = await stored()

    # When it is previewed (at its launch, by default)
    preview = await preview_campaign(model, campaign_id)

    # Then the launch was simulated, and every channel exposing messages shows the message, offer rendered
    assert preview.instant == LAUNCH and preview.launch_simulated
    for channel in ("web", "app", "kiosk", "email", "social"):
        assert shown(preview, channel, "en", "headline")[ids["message"]] == "Save 25% on garden tools."
        assert (
            shown(preview, channel, "fr", "headline")[ids["message"]]
            == "Économisez 25\u00a0% sur les outils de jardin."
        )
    # And the channels that do not expose messages show the rest only
    assistant = shown(preview, "assistant", "en", "name")
    assert ids["message"] not in assistant and assistant[ids["product"]] == "Garden fork"
    # And there is nothing to report; nothing was stored
    assert preview.findings == []
    assert await stored() == before


async def test_the_preview_of_a_launched_campaign_reads_its_scheduled_launch(model: Any, world: dict[str, Any]) -> None:
    campaign_id, ids = await campaign(world)
    await world["admin"].ok(LAUNCH_MUTATION, id=campaign_id)
    before = await stored()

    preview = await preview_campaign(model, campaign_id)

    assert not preview.launch_simulated
    assert shown(preview, "email", "en", "headline")[ids["message"]] == "Save 25% on garden tools."
    assert await stored() == before


async def test_before_the_launch_nothing_of_the_campaign_is_shown(model: Any, world: dict[str, Any]) -> None:
    campaign_id, ids = await campaign(world)

    preview = await preview_campaign(model, campaign_id, LAUNCH - dt.timedelta(seconds=1))

    assert all(not rendering.shown for rendering in preview.renderings)
    assert {("not_live", entry_id) for entry_id in ids.values()} <= rules(preview)


async def test_an_offer_ending_before_the_campaign_is_a_finding_for_it_and_the_message_naming_it(
    model: Any, world: dict[str, Any]
) -> None:
    # Given a campaign running until 15 April while its offer ends on 1 April
    campaign_id, ids = await campaign(world, end_at="2026-04-15T00:00:00Z")

    preview = await preview_campaign(model, campaign_id)

    assert {("offer_ends_before_campaign", ids["offer"]), ("offer_ends_before_campaign", ids["message"])} <= rules(
        preview
    )
    finding = next(f for f in preview.findings if f.entry_id == ids["message"])
    assert finding.severity == "error"
    assert "2026-04-01 00:00 UTC" in finding.messages["en"] and "avant la fin" in finding.messages["fr"]


async def test_at_an_instant_after_the_offer_ended_the_copy_is_gone_and_the_finding_says_why(
    model: Any, world: dict[str, Any]
) -> None:
    campaign_id, ids = await campaign(world, end_at="2026-04-15T00:00:00Z")

    preview = await preview_campaign(model, campaign_id, dt.datetime(2026, 4, 2, tzinfo=dt.UTC))

    # The offer is no longer served anywhere; the message names an offer that is not on
    assert all(ids["offer"] not in shown(preview, r.channel, r.locale, "title") for r in preview.renderings)
    assert ("offer_expired", ids["message"]) in rules(preview)


async def test_an_offer_stating_another_code_on_one_channel_is_a_finding(model: Any, world: dict[str, Any]) -> None:
    # Given the offer's code overridden on social
    offer = copy.deepcopy(OFFER)
    offer["overrides"] = {"social": {"en": {"code": "SOCIAL30"}}}
    campaign_id, ids = await campaign(world, offer=offer)

    preview = await preview_campaign(model, campaign_id)

    drift = [f for f in preview.findings if f.rule == "offer_facts_differ"]
    # (French falls back to the English override: it differs there too)
    assert [(f.entry_id, f.field, f.locale) for f in drift] == [
        (ids["offer"], "code", "en"),
        (ids["offer"], "code", "fr"),
    ]
    assert "social" in drift[0].messages["en"] and "SPRING25" in drift[0].messages["fr"]


async def test_a_campaign_that_cannot_launch_says_why_in_both_languages(model: Any, world: dict[str, Any]) -> None:
    # Given a campaign whose message is not approved
    campaign_id, ids = await campaign(world)
    edited = message()
    edited["base"]["en"]["title"] = "Spring, edited"
    await world["admin"].update(ids["message"], 1, edited)

    preview = await preview_campaign(model, campaign_id)

    refused = [f for f in preview.findings if f.rule == "launch_refused"]
    assert [(f.field, f.severity) for f in refused] == [("messages", "error")]
    assert "is not approved" in refused[0].messages["en"] and "n'est pas approuvée" in refused[0].messages["fr"]
    assert not preview.launch_simulated


PREVIEW_QUERY = """
query($id: ID!, $at: DateTime) {
  campaignPreview(campaignId: $id, at: $at) {
    at launchSimulated
    renderings { channel locale entries { entryId role texts { name text } } missing }
    findings { rule severity entryId messages { language text } }
  }
}"""


async def test_the_management_api_gives_the_same_preview(model: Any, world: dict[str, Any]) -> None:
    campaign_id, ids = await campaign(world, end_at="2026-04-15T00:00:00Z")

    answer = (await world["admin"].ok(PREVIEW_QUERY, id=campaign_id))["campaignPreview"]

    assert answer["at"] == "2026-03-01T09:00:00+00:00" and answer["launchSimulated"] is True
    social_fr = next(r for r in answer["renderings"] if (r["channel"], r["locale"]) == ("social", "fr"))
    message = next(e for e in social_fr["entries"] if e["entryId"] == ids["message"])
    assert {"name": "headline", "text": FRENCH_HEADLINE} in message["texts"] and message["role"] == "messages"
    ending = [f for f in answer["findings"] if f["rule"] == "offer_ends_before_campaign"]
    assert {f["entryId"] for f in ending} == {ids["offer"], ids["message"]}
    assert {m["language"] for m in ending[0]["messages"]} == {"en", "fr"}


async def test_the_api_preview_refuses_an_instant_without_a_time_zone_and_finds_no_unknown_campaign(
    world: dict[str, Any],
) -> None:
    campaign_id, ids = await campaign(world)

    naive = await world["admin"].error(PREVIEW_QUERY, id=campaign_id, at="2026-03-01T09:00:00")
    not_a_campaign = (await world["admin"].ok(PREVIEW_QUERY, id=ids["message"]))["campaignPreview"]
    unknown = (await world["admin"].ok(PREVIEW_QUERY, id="no-such-entry"))["campaignPreview"]

    assert "time zone" in naive["message"] and "`at`" in naive["message"]
    assert not_a_campaign is None and unknown is None


async def test_an_ended_campaign_is_previewed_without_launching_it_again(model: Any, world: dict[str, Any]) -> None:
    # Given a campaign launched, then ended by the scheduler
    campaign_id, _ = await campaign(world)
    await world["admin"].ok(LAUNCH_MUTATION, id=campaign_id)
    for instant in (LAUNCH, END):
        world["clock"].set(instant)
        await run_due_jobs(model)

    # When it is previewed an hour after its end
    preview = await preview_campaign(model, campaign_id, END + dt.timedelta(hours=1))

    # Then no launch is simulated nor refused, and no channel shows it any more
    assert not preview.launch_simulated
    assert "launch_refused" not in {finding.rule for finding in preview.findings}
    assert all(not rendering.shown for rendering in preview.renderings)
