"""Versions that cannot go live yet: warned about when scheduled or put in a release, named by title when refused."""

from __future__ import annotations

import re
from typing import Any

import httpx
import msgspec
import pytest

from cms.auth.principal import user_principal
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import Entry, ReleaseItem, Schedule
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as

BODY = {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Longer days are here."}]}]}


@pytest.fixture
async def csrf(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")


def _editor(model: ContentModel) -> Editor:
    return Editor(model, user_principal(1, "admin@example.test", "admin"))


def _reviewer(model: ContentModel) -> Editor:
    """Someone other than the author (four eyes: the author of a version may not approve it)."""
    return Editor(model, user_principal(2, "reviewer@example.test", "reviewer"))


async def brand_message(model: ContentModel, title: str = "Spring launch") -> dict[str, Any]:
    """A brand message (its type requires review), saved and never approved."""
    values = {"title": title, "slug": "spring-launch", "body": BODY}
    return await _editor(model).create("brand_message", msgspec.convert({"base": {"en": values}}, EntryData))


async def new_release(client: httpx.AsyncClient, csrf: str, name: str) -> int:
    created = await client.post("/admin/releases", data={"_csrf": csrf, "name": name})
    found = re.fullmatch(r"/admin/releases/(\d+)", created.headers["location"])
    assert found is not None
    return int(found.group(1))


async def test_scheduling_an_unapproved_version_is_accepted_with_a_warning(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry = await brand_message(model)
    url = f"/admin/entries/brand_message/{entry['id']}"

    # When I schedule publishing the version nobody approved
    scheduled = await client.post(
        f"{url}/schedule", data={"_csrf": csrf, "action": "publish", "run_at": "2099-05-01T08:00"}
    )
    page = await client.get(scheduled.headers["location"])

    # Then it is scheduled, and the editor says it needs review and approval before that time
    assert await Schedule.count() == 1
    assert "Publishing scheduled." in page.text
    warning = page.text.split('id="publish-warnings"')[1].split("</div>")[0]
    assert "Version 1 needs review and approval: no version of this entry is approved yet." in warning
    assert "before 2099-05-01 08:00 UTC" in warning

    # And once a reviewer approves that version, the warning goes away
    await _editor(model).submit(entry["id"])
    await _reviewer(model).approve(entry["id"])
    assert 'id="publish-warnings"' not in (await client.get(url)).text


async def test_adding_an_unapproved_version_to_a_release_warns_and_lists_it_before_publish(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry = await brand_message(model)
    release_id = await new_release(client, csrf, "Spring")

    added = await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": entry["id"]})

    # The entry is in the release, with a warning naming it and why
    assert added.status_code == 200 and await ReleaseItem.count() == 1
    warning = added.text.split('id="added-warning"')[1].split("</div>")[0]
    assert "“Spring launch” was added, but cannot be published yet:" in warning
    assert "needs review and approval" in warning
    # and the go-live card lists what is not publishable before its Publish button
    go_live = added.text.split('id="publish-heading"')[1]
    not_ready = go_live.split("Not publishable yet (1)")[1].split("Publish now")[0]
    assert "Spring launch" in not_ready and "no version of this entry is approved yet" in not_ready
    # and the entry's editor warns too
    editor = await client.get(f"/admin/entries/brand_message/{entry['id']}")
    assert "before the release “Spring” is published" in editor.text


async def test_a_refused_release_names_the_entry_by_title_not_by_id(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry = await brand_message(model)
    release_id = await new_release(client, csrf, "Spring")
    await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": entry["id"]})

    refused = await client.post(f"/admin/releases/{release_id}/publish", data={"_csrf": csrf})

    assert refused.status_code == 400
    alert = refused.text.split('role="alert"')[1].split("</div>")[0]
    assert "entry “Spring launch” needs review before publishing version 1" in alert
    assert entry["id"] not in alert.split("</p>")[0]
    assert await Entry.count().where(Entry.published_version.is_not_null()) == 0


async def test_a_release_of_approved_entries_is_ready(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry = await brand_message(model)
    await _editor(model).submit(entry["id"])
    await _reviewer(model).approve(entry["id"])
    release_id = await new_release(client, csrf, "Spring")

    added = await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": entry["id"]})

    assert "Every entry of the release can go live." in added.text
    assert "Not publishable yet" not in added.text and 'id="added-warning"' not in added.text


async def test_publishing_an_unapproved_entry_from_its_page_names_it_by_title(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    entry = await brand_message(model)

    refused = await client.post(f"/admin/entries/brand_message/{entry['id']}/workflow/publish", data={"_csrf": csrf})

    refusal = refused.text.split('id="refusal"')[1].split("</div>")[0]
    # On the entry's own page the entry goes without saying: neither its id nor a developer's sentence
    assert "This version must be approved by a reviewer before it is published" in refusal
    assert entry["id"] not in refusal


async def test_an_item_with_lint_errors_is_listed_as_not_publishable_in_french(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    values = {"name": "Desks", "slug": "desks", "description": "Our cheap desks for every office."}
    desks = await _editor(model).create("category", msgspec.convert({"base": {"en": values}}, EntryData))
    release_id = await new_release(client, csrf, "Printemps")
    client.cookies.set("cms_admin_lang", "fr")

    added = await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": desks["id"]})

    assert "Pas encore publiable (1)" in added.text
    assert "1 erreur de relecture à corriger." in added.text


async def test_a_version_live_without_approval_is_named_as_such_in_a_release(
    client: httpx.AsyncClient, csrf: str, model: ContentModel
) -> None:
    # Given a brand message published without a reviewer's approval, as the demo seeds it
    from cms.publishing.publish import publish_versions
    from cms.store import entries as store

    entry = await brand_message(model)
    await publish_versions(model, [await store.load_version(entry["id"])])
    release_id = await new_release(client, csrf, "Spring")

    # When it is put in a release
    added = await client.post(f"/admin/releases/{release_id}/items", data={"_csrf": csrf, "entry": entry["id"]})

    # Then the release says why publishing it would be refused (what publishing checks), not "no version is approved"
    not_ready = added.text.split("Not publishable yet (1)")[1].split("Publish now")[0]
    assert "Version 1 is live, but it went live without a reviewer" in not_ready
    assert "publishing it again is refused until it is reviewed and approved" in not_ready
    refused = await client.post(f"/admin/releases/{release_id}/publish", data={"_csrf": csrf})
    assert refused.status_code == 400 and "needs review before publishing version 1" in refused.text

    # And once approved, it can go live
    await _editor(model).submit(entry["id"])
    await _reviewer(model).approve(entry["id"])
    page = await client.get(f"/admin/releases/{release_id}")
    assert "Every entry of the release can go live." in page.text
