"""A campaign in Chromium: opened from the admin's campaigns, previewed on every channel at its launch and at
another instant, launched, its launch cancelled; in English and French."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import msgspec

from cms.auth.principal import user_principal
from cms.model import load_model
from cms.model.entry_data import EntryData
from cms.store.tables import CampaignLaunch, Schedule
from cms.workflow.entries import Editor
from tests.browser.conftest import Shots, new_page, sign_in
from tests.conftest import ROOT
from tests.test_offers_delivery import OFFER, message


def _minute(instant: dt.datetime) -> dt.datetime:
    return instant.replace(second=0, microsecond=0)


async def _approved(author: Editor, reviewer: Editor, type_name: str, data: dict[str, Any]) -> str:
    entry = await author.create(type_name, msgspec.convert(data, EntryData))
    await author.submit(entry["id"])
    await reviewer.approve(entry["id"])
    return str(entry["id"])


async def _campaign(world: dict[str, str], launch: dt.datetime, end: dt.datetime) -> str:
    """The spring sale (running around the window: the server's clock is the real one), its message, a campaign."""
    model = load_model(ROOT / "content_types")
    author = Editor(model, user_principal(2, world["editor"], "editor"))
    reviewer = Editor(model, user_principal(3, world["reviewer"], "reviewer"))
    offer = copy.deepcopy(OFFER)
    offer["base"]["en"] |= {
        "starts_at": (launch - dt.timedelta(days=1)).isoformat(),
        "ends_at": (end + dt.timedelta(days=1)).isoformat(),
    }
    members = {
        "offer": await _approved(author, reviewer, "offer", offer),
        "messages": [await _approved(author, reviewer, "brand_message", message())],
    }
    values = {"title": "Spring in the garden", "slug": "spring-garden-campaign", **members}
    values |= {"launch_at": launch.isoformat(), "end_at": end.isoformat()}
    data = {"base": {"en": values, "fr": {"title": "Le printemps au jardin"}}}
    return await _approved(author, reviewer, "campaign", data)


async def test_campaign_walk(live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots) -> None:
    launch = _minute(dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    end = launch + dt.timedelta(days=7)
    campaign = await _campaign(admin_world, launch, end)
    page = await new_page(browser, live_server, width=1600)
    await sign_in(page, admin_world["editor"])

    # Opened from the campaigns list, it shows every channel at the launch, the copy rendered with its offer
    await page.get_by_role("link", name="Campaigns").click()
    await page.get_by_role("link", name="Spring in the garden").click()
    await page.get_by_role("heading", name=f"As it will be on {launch:%Y-%m-%d %H:%M} UTC").wait_for()
    for channel in ("web", "app", "kiosk", "email", "social"):
        card = page.get_by_role("article", name=f"{channel} · en")
        assert "Save 25% on garden tools." in await card.inner_text()
    assert "Save 25%" not in await page.get_by_role("article", name="assistant · en").inner_text()
    assert (
        await page.get_by_label("Show every channel as it will be at (UTC)").input_value() == f"{launch:%Y-%m-%dT%H:%M}"
    )
    await shots.take(page, "campaign-at-its-launch")

    # A minute before the launch nothing of it shows, and the findings say so
    await page.get_by_label("Show every channel as it will be at (UTC)").fill(
        f"{launch - dt.timedelta(minutes=1):%Y-%m-%dT%H:%M}"
    )
    await page.get_by_role("button", name="Show").click()
    await page.get_by_role(
        "heading", name=f"As it will be on {launch - dt.timedelta(minutes=1):%Y-%m-%d %H:%M} UTC"
    ).wait_for()
    assert "Save 25%" not in await page.get_by_role("article", name="web · en").inner_text()
    assert "will not be live on any channel" in await page.locator("#campaign-findings").inner_text()
    await shots.take(page, "campaign-before-its-launch")

    # Launched from the page, then cancelled
    await page.get_by_role("button", name="Launch the campaign").click()
    await page.get_by_text("Launch scheduled: every channel switches on").wait_for()
    assert (await CampaignLaunch.select(CampaignLaunch.status).where(CampaignLaunch.campaign == campaign)) == [
        {"status": "scheduled"}
    ]
    await shots.take(page, "campaign-launched")
    await page.get_by_label("Language").select_option("fr")
    await page.get_by_role("button", name="Annuler le lancement").wait_for()
    await shots.take(page, "campagne-lancee")
    await page.get_by_role("button", name="Annuler le lancement").click()
    await page.get_by_text("Le lancement est annulé.").wait_for()
    assert {row["status"] for row in await Schedule.select(Schedule.status)} == {"cancelled"}
    await shots.take(page, "lancement-annule")
