"""Scheduling in the editor's time zone: typed as wall time in the browser's zone, stored in UTC, shown with it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import httpx
import pytest

from cms.admin.time_zone import local_instant, utc_from_local, zone_label
from cms.model import ContentModel
from cms.store import entries as store
from cms.store.tables import Schedule
from tests.test_admin_entries import _category, _create_product, _product_form, admin  # noqa: F401

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2030-01-15T10:00", dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC)),  # winter: UTC+1
        ("2030-07-15T10:00", dt.datetime(2030, 7, 15, 8, 0, tzinfo=dt.UTC)),  # summer: UTC+2
    ],
)
def test_a_wall_time_in_paris_is_stored_as_the_utc_instant(typed: str, stored: dt.datetime) -> None:
    assert utc_from_local(typed, PARIS) == stored


def test_an_instant_is_shown_in_the_zone_the_languages_way_with_its_offset() -> None:
    instant = dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC)

    assert local_instant(instant, PARIS, "fr") == "15 janv. 2030, 10:00 (UTC+01:00)"
    assert local_instant(instant, ZoneInfo("UTC"), "en") == "15 Jan 2030, 09:00 UTC"
    assert zone_label(PARIS, instant) == "Europe/Paris, UTC+01:00"


def test_a_time_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError):
        utc_from_local("tomorrow", PARIS)


@pytest.fixture
def csrf(admin: str) -> str:  # noqa: F811
    return admin


async def test_scheduling_from_a_french_editor_in_paris_stores_utc_and_shows_paris_time(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, csrf, await _category(model))
    client.cookies.set("cms_admin_lang", "fr")
    client.cookies.set("cms_admin_tz", "Europe%2FParis")

    done = await client.post(
        f"/admin/entries/product/{entry_id}/schedule",
        data={"_csrf": csrf, "action": "publish", "run_at": "2099-01-15T10:00"},
    )
    page = await client.get(f"/admin/entries/product/{entry_id}")

    assert done.status_code == 303
    job = await Schedule.select(Schedule.run_at).where(Schedule.entry == entry_id).first()
    assert job["run_at"].astimezone(dt.UTC) == dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC)
    assert "Programmé : publier le 15 janv. 2099, 10:00 (UTC+01:00)" in page.text
    assert "Europe/Paris, UTC+01:00" in page.text  # the zone typed in is named beside the input


async def test_an_unknown_zone_falls_back_to_utc_and_says_so(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, csrf, await _category(model))
    client.cookies.set("cms_admin_tz", "Mars/Olympus")

    await client.post(
        f"/admin/entries/product/{entry_id}/schedule",
        data={"_csrf": csrf, "action": "publish", "run_at": "2099-01-15T10:00"},
    )
    page = await client.get(f"/admin/entries/product/{entry_id}")

    job = await Schedule.select(Schedule.run_at).where(Schedule.entry == entry_id).first()
    assert job["run_at"].astimezone(dt.UTC) == dt.datetime(2099, 1, 15, 10, 0, tzinfo=dt.UTC)
    assert "Scheduled: publish on 15 Jan 2099, 10:00 UTC" in page.text


async def test_a_past_time_is_refused_in_french_and_nothing_is_scheduled(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry_id = await _create_product(client, csrf, await _category(model))
    client.cookies.set("cms_admin_lang", "fr")

    refused = await client.post(
        f"/admin/entries/product/{entry_id}/schedule",
        data={"_csrf": csrf, "action": "publish", "run_at": "2001-01-01T10:00"},
    )

    assert refused.status_code == 400
    assert "Ce moment est déjà passé" in refused.text
    assert await Schedule.count().where(Schedule.entry == entry_id) == 0


async def test_a_date_field_is_typed_and_shown_as_wall_time_in_the_editors_zone(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    category = await _category(model)
    entry_id = await _create_product(client, csrf, category)
    client.cookies.set("cms_admin_tz", "Europe%2FParis")

    form = _product_form(category, **{"base.en.released_at": "2030-07-15T10:00"})
    saved = await client.post(f"/admin/entries/product/{entry_id}", data=form | {"_csrf": csrf, "base_version": "1"})
    page = await client.get(f"/admin/entries/product/{entry_id}")

    assert saved.status_code == 303
    assert (await store.load_version(entry_id)).data.base["en"]["released_at"] == "2030-07-15T08:00:00Z"
    assert 'name="base.en.released_at" value="2030-07-15T10:00:00"' in page.text
