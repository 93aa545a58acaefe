"""The audit log in the admin over HTTP: newest first, filters, pages, details, links to entries."""

from __future__ import annotations

import datetime as dt

import httpx
import msgspec
import pytest

from cms.auth.principal import Principal, user_principal
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.store.tables import AuditEvent
from cms.workflow.audit import record
from cms.workflow.entries import Editor
from tests.admin_sign_in import sign_in_as

ROBOT = Principal(kind="token", name="storefront build")


def rows_of(page: httpx.Response) -> str:
    """The events table's body (the filter form lists every action too)."""
    return page.text.split("<tbody>")[1] if "<tbody>" in page.text else ""


@pytest.fixture
async def signed_in(client: httpx.AsyncClient, clean_db: None) -> str:
    return await sign_in_as(client, "admin")  # the whole log is for admins (others see their own actions)


async def test_events_are_newest_first_with_their_details(client: httpx.AsyncClient, signed_in: str) -> None:
    await record(ROBOT, "asset_uploaded", details={"asset": "a-1", "bytes": 1234})
    await record(ROBOT, "revoke_token", details={"token": "tok-9"})
    page = await client.get("/admin/audit")
    assert page.status_code == 200
    table = rows_of(page)
    assert table.index("Token revoked") < table.index("Image uploaded") < table.index("Signed in")
    assert "&#34;bytes&#34;: 1234" in table and "<details>" in table


async def test_actions_read_as_words_in_the_admins_language_and_filter_by_code(
    client: httpx.AsyncClient, signed_in: str
) -> None:
    await record(ROBOT, "revoke_token", details={"token": "tok-9"})
    await record(ROBOT, "some_future_action")
    client.cookies.set("cms_admin_lang", "fr")

    page = await client.get("/admin/audit")

    assert "<td>Jeton révoqué</td>" in rows_of(page) and "revoke_token" not in rows_of(page)
    assert '<option value="revoke_token" >Jeton révoqué</option>' in page.text  # the filter still sends the code
    assert "<td>some_future_action</td>" in rows_of(page)  # an action without words shows its code


async def test_filters_narrow_the_log(client: httpx.AsyncClient, signed_in: str, model: ContentModel) -> None:
    editor = Editor(model, user_principal(1, "ed@example.test", "editor"))
    lamps = await editor.create(
        "category", msgspec.convert({"base": {"en": {"name": "Lamps", "slug": "l"}}}, EntryData)
    )
    await record(ROBOT, "revoke_token", details={"token": "tok-9"})

    by_actor = await client.get("/admin/audit", params={"actor": "storefront build"})
    assert "Token revoked" in rows_of(by_actor) and "Entry created" not in rows_of(by_actor)
    by_action = await client.get("/admin/audit", params={"action": "create_entry"})
    assert "Entry created" in rows_of(by_action) and "tok-9" not in rows_of(by_action)
    by_entry = await client.get("/admin/audit", params={"entry": lamps["id"]})
    assert f'href="/admin/entries/category/{lamps["id"]}">Lamps</a>' in rows_of(by_entry)
    assert "tok-9" not in rows_of(by_entry)
    today = dt.datetime.now(dt.UTC).date()
    for since, until, shown in ((today, today, True), (today + dt.timedelta(days=1), None, False)):
        params = {"since": since.isoformat()} | ({"until": until.isoformat()} if until else {})
        dated = await client.get("/admin/audit", params=params)
        assert ("tok-9" in rows_of(dated)) is shown
    bad = await client.get("/admin/audit", params={"since": "yesterday"})
    assert bad.status_code == 400 and "is not a date" in bad.text


async def test_the_log_pages_and_keeps_its_filters(client: httpx.AsyncClient, signed_in: str) -> None:
    for number in range(55):
        await record(ROBOT, "asset_changed", details={"asset": f"n{number:02d}"})
    first = await client.get("/admin/audit", params={"action": "asset_changed"})
    assert "n54" in rows_of(first) and "n04" not in rows_of(first)
    assert 'href="/admin/audit?action=asset_changed&page=2"' in first.text
    second = await client.get("/admin/audit", params={"action": "asset_changed", "page": 2})
    assert "n04" in rows_of(second) and "n54" not in rows_of(second) and "Page 2 of 2" in second.text
    assert await AuditEvent.count().where(AuditEvent.action == "asset_changed") == 55
