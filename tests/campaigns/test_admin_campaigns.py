"""The campaign page in the admin: every channel side by side at an instant, findings, launching and cancelling,
in English and French."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cms.lib.clock import TestClock, use_clock
from cms.store.tables import CampaignLaunch, Schedule
from tests.admin_sign_in import sign_in_as
from tests.campaigns.world import NOW, campaign_data, campaign_members, reviewed
from tests.management_client import Management, token_for


@pytest.fixture
async def world(client: httpx.AsyncClient, model: Any, clean_db: None) -> AsyncIterator[dict[str, Any]]:
    previous = use_clock(TestClock(NOW))
    admin = Management(client, await token_for(model, "management:admin", name="admin"))
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer"))
    ids = await campaign_members(admin, reviewer)
    yield {"admin": admin, "reviewer": reviewer, "ids": ids}
    use_clock(previous)


async def approved_campaign(world: dict[str, Any], **changes: Any) -> str:
    return await reviewed(world["admin"], world["reviewer"], "campaign", campaign_data(world["ids"], **changes))


def channel_cards(page: str, locale: str) -> dict[str, str]:
    """Channel -> the text of its card in `locale` on the campaign page."""
    cards = re.findall(
        rf'<article class="card campaign-channel" data-channel="(\w+)" data-locale="{locale}".*?</article>', page, re.S
    )
    bodies = re.findall(rf'data-locale="{locale}"(.*?)</article>', page, re.S)
    return {channel: html.unescape(body) for channel, body in zip(cards, bodies, strict=True)}


async def test_the_page_shows_every_channel_side_by_side_at_the_launch(
    client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    campaign = await approved_campaign(world)
    await sign_in_as(client, "editor")

    page = await client.get(f"/admin/campaigns/{campaign}")

    assert page.status_code == 200
    english, french = channel_cards(page.text, "en"), channel_cards(page.text, "fr")
    assert set(english) == set(french) == {"web", "app", "kiosk", "email", "social", "assistant", "web_ch"}
    for channel in ("web", "app", "kiosk", "email", "social"):
        assert "Save 25% on garden tools." in english[channel]
        assert "Économisez 25\u00a0% sur les outils de jardin." in french[channel]
    assert "Save 25%" not in english["assistant"] and "Garden fork" in english["assistant"]
    assert 'value="2026-03-01T09:00"' in page.text  # the instant picker starts at the launch
    assert "launching it now would show" in page.text


async def test_the_instant_picker_moves_the_preview(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world)
    await sign_in_as(client, "editor")

    before = await client.get(f"/admin/campaigns/{campaign}", params={"at": "2026-02-28T09:00"})
    wrong = await client.get(f"/admin/campaigns/{campaign}", params={"at": "next week"})

    assert before.status_code == 200
    assert "Save 25%" not in before.text and 'data-rule="not_live"' in before.text
    assert wrong.status_code == 400 and "is not an instant" in html.unescape(wrong.text)


async def test_launching_and_cancelling_from_the_page(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world)
    csrf = await sign_in_as(client, "editor")

    launched = await client.post(f"/admin/campaigns/{campaign}/launch", data={"_csrf": csrf}, follow_redirects=True)

    assert launched.status_code == 200
    assert "Launch scheduled: every channel switches on 2026-03-01 09:00 UTC" in launched.text
    assert (await CampaignLaunch.select(CampaignLaunch.status).first()) == {"status": "scheduled"}
    assert 'id="campaign-cancel"' in launched.text

    cancelled = await client.post(f"/admin/campaigns/{campaign}/cancel", data={"_csrf": csrf}, follow_redirects=True)

    assert "The launch is cancelled." in cancelled.text
    assert {row["status"] for row in await Schedule.select(Schedule.status)} == {"cancelled"}


async def test_a_refusal_is_shown_in_french_naming_the_field(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world, launch_at="2026-02-01T09:00:00Z")
    csrf = await sign_in_as(client, "editor")
    client.cookies.set("cms_admin_lang", "fr")

    refused = await client.post(f"/admin/campaigns/{campaign}/launch", data={"_csrf": csrf})

    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert "Refusé :" in text
    assert "champ de campagne « launch_at » : le lancement est dans le passé (ou absent)" in text
    assert await Schedule.count() == 0


async def test_a_viewer_may_preview_but_not_launch(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world)
    csrf = await sign_in_as(client, "viewer")

    page = await client.get(f"/admin/campaigns/{campaign}")
    refused = await client.post(f"/admin/campaigns/{campaign}/launch", data={"_csrf": csrf})

    assert page.status_code == 200 and 'id="campaign-launch"' not in page.text
    assert refused.status_code == 403
    assert await Schedule.count() == 0


async def test_the_list_names_each_campaign_and_its_launch(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world)
    await world["admin"].ok("mutation($id: ID!) { launchCampaign(id: $id) { status } }", id=campaign)
    await sign_in_as(client, "viewer")

    page = await client.get("/admin/campaigns")

    assert page.status_code == 200
    assert f'href="/admin/campaigns/{campaign}">Spring in the garden</a>' in page.text
    assert "2026-03-01 09:00 UTC → 2026-03-31 18:00 UTC" in html.unescape(page.text)


async def test_the_campaign_editor_links_to_its_page(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    campaign = await approved_campaign(world)
    await sign_in_as(client, "editor")

    editor = await client.get(f"/admin/entries/campaign/{campaign}")
    other = await client.get(f"/admin/entries/brand_message/{world['ids']['message']}")

    assert f'href="/admin/campaigns/{campaign}" id="campaign-page-link"' in editor.text
    assert 'id="campaign-page-link"' not in other.text
