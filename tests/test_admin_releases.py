"""Releases in the admin over HTTP: create, add and remove entries, publish now or at a UTC instant, refusals shown."""

from __future__ import annotations

import re
from typing import Any

import httpx
import msgspec
import pytest

from cms.auth.principal import user_principal
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import AuditEvent, Entry, Release, ReleaseItem, Schedule
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "editor")


async def category(model: ContentModel, name: str, slug: str, description: str = "") -> dict[str, Any]:
    values = {"name": name, "slug": slug} | ({"description": description} if description else {})
    editor = Editor(model, user_principal(1, "editor@example.test", "editor"))
    return await editor.create("category", msgspec.convert({"base": {"en": values}}, EntryData))


async def new_release(client: httpx.AsyncClient, csrf: str, name: str) -> int:
    created = await client.post("/admin/releases", data={"_csrf": csrf, "name": name})
    assert created.status_code == 303
    found = re.fullmatch(r"/admin/releases/(\d+)", created.headers["location"])
    assert found is not None
    return int(found.group(1))


async def test_a_release_is_created_filled_and_published(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    lamps = await category(model, "Lamps", "lamps")
    release_id = await new_release(client, csrf, "Autumn launch")

    added = await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": lamps["id"]})
    assert added.status_code == 200
    assert f'href="/admin/entries/category/{lamps["id"]}">Lamps</a>' in added.text
    listed = await client.get("/admin/releases")
    assert "Autumn launch" in listed.text

    published = await client.post(f"/admin/releases/{release_id}/publish", data={"_csrf": csrf})
    assert published.status_code == 200
    assert "The release is live." in published.text
    assert (await Entry.select(Entry.published_version).where(Entry.id == lamps["id"]).first()) == {
        "published_version": 1
    }
    assert await AuditEvent.count().where(AuditEvent.action == "publish_release") == 1


async def test_removing_an_entry_takes_it_out(client: httpx.AsyncClient, csrf: str, model: ContentModel) -> None:
    lamps = await category(model, "Lamps", "lamps")
    release_id = await new_release(client, csrf, "Winter")
    await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": lamps["id"]})

    removed = await client.post(f"/admin/releases/{release_id}/items/{lamps['id']}/remove", data={"_csrf": csrf})
    assert "Entry removed." in removed.text
    assert await ReleaseItem.count() == 0


async def test_a_lint_refusal_names_the_entry_and_publishes_nothing(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    fine = await category(model, "Lamps", "lamps")
    cheap = await category(model, "Desks", "desks", description="Our cheap desks for every office.")
    release_id = await new_release(client, csrf, "Spring")
    for entry in (fine, cheap):
        await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": entry["id"]})

    refused = await client.post(f"/admin/releases/{release_id}/publish", data={"_csrf": csrf})
    assert refused.status_code == 409
    assert 'role="alert"' in refused.text
    assert "cheapens the brand" in refused.text
    concerned = refused.text.split("Entries concerned:")[1].split("</ul>")[0]
    assert "Desks" in concerned and "Lamps" not in concerned
    assert await Entry.count().where(Entry.published_version.is_not_null()) == 0
    assert (await Release.select(Release.status).first()) == {"status": "open"}


async def test_a_lint_refusal_lists_its_findings_by_field_label_in_french(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    cheap = await category(model, "Desks", "desks", description="Our cheap desks for every office.")
    release_id = await new_release(client, csrf, "Spring")
    await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": cheap["id"]})
    client.cookies.set("cms_admin_lang", "fr")

    refused = await client.post(f"/admin/releases/{release_id}/publish", data={"_csrf": csrf})

    alert = refused.text.split('role="alert"')[1].split("</div>")[0]
    label = model.types["category"].field("description").label["fr"]  # type: ignore[union-attr]
    assert f"<strong>{label}</strong> (tous les canaux, anglais)" in alert
    assert "<code>description</code>" not in alert


async def test_scheduling_takes_the_instant_as_utc(client: httpx.AsyncClient, csrf: str, model: ContentModel) -> None:
    lamps = await category(model, "Lamps", "lamps")
    release_id = await new_release(client, csrf, "New year")
    await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": lamps["id"]})

    scheduled = await client.post(
        f"/admin/releases/{release_id}/schedule", data={"_csrf": csrf, "at": "2099-01-01T09:30"}
    )
    assert "The release is scheduled." in scheduled.text
    assert "goes live 2099-01-01 09:30 UTC" in scheduled.text
    job = await Schedule.select().first()
    assert job is not None and job["run_at"].isoformat() == "2099-01-01T09:30:00+00:00"

    past = await client.post(f"/admin/releases/{release_id}/schedule", data={"_csrf": csrf, "at": "2001-01-01T00:00"})
    assert past.status_code == 400 and "in the past" in past.text
    garbled = await client.post(f"/admin/releases/{release_id}/schedule", data={"_csrf": csrf, "at": "tomorrow"})
    assert garbled.status_code == 400 and "is not a date and time" in garbled.text
    assert await Schedule.count() == 1


async def test_a_blank_release_name_is_refused_in_french_too(client: httpx.AsyncClient, csrf: str) -> None:
    client.cookies.set("cms_admin_lang", "fr")

    nameless = await client.post("/admin/releases", data={"_csrf": csrf, "name": " "})

    assert nameless.status_code == 400
    assert "Un lot a besoin d’un nom" in nameless.text
    assert await Release.count() == 0


async def test_a_release_needs_a_name_and_a_viewer_cannot_create_one(client: httpx.AsyncClient, csrf: str) -> None:
    nameless = await client.post("/admin/releases", data={"_csrf": csrf, "name": "  "})
    assert nameless.status_code == 400 and "A release needs a name: say what it brings together" in nameless.text
    client.cookies.clear()
    viewer_csrf = await sign_in_as(client, "viewer")
    refused = await client.post("/admin/releases", data={"_csrf": viewer_csrf, "name": "Mine"})
    assert refused.status_code == 403 and "Your role (viewer) does not allow this change." in refused.text
    assert await Release.count() == 0


async def test_an_unknown_release_is_not_found(client: httpx.AsyncClient, csrf: str) -> None:
    assert (await client.get("/admin/releases/999")).status_code == 404
