"""Four eyes: on types that require review, the author of a version may not approve it; an admin may override,
and the override is in the audit log."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.admin_sign_in import sign_in_as
from tests.management_client import Management, token_for
from tests.test_workflow import OFFER

APPROVE = "mutation($id: ID!, $override: Boolean! = false) { approveEntry(id: $id, override: $override) { status approvedVersion } }"  # noqa: E501
OVERRIDES = '{ auditEvents(action: "approve_entry") { nodes { actor details } } }'


@pytest.fixture
async def bots(client: httpx.AsyncClient, model: Any, clean_db: None) -> dict[str, Management]:
    """An admin token and two reviewers' tokens (`management:admin` is the scope that carries `review`)."""
    return {
        name: Management(client, await token_for(model, "management:admin", name=name))
        for name in ("admin-bot", "ana", "bob")
    }


async def offer_in_review(author: Management) -> str:
    entry = await author.create("offer", OFFER)
    await author.act("submitForReview", entry["id"])
    return str(entry["id"])


async def test_the_author_of_a_version_may_not_approve_it(bots: dict[str, Management]) -> None:
    # Given an offer Ana wrote and submitted
    offer = await offer_in_review(bots["ana"])
    # When Ana approves it herself
    refused = await bots["ana"].error(APPROVE, id=offer)
    # Then it is forbidden, saying why and what to do, and nothing changed
    assert refused["extensions"] == {"code": "FORBIDDEN", "author": "ana", "version": 1}
    assert refused["message"] == (
        f"'ana' wrote version 1 of entry {offer} and may not approve it too (four eyes): ask another reviewer to"
        " approve it (an admin may override with `override: true`)"
    )
    assert (await bots["bob"].ok(f'{{ entry(id: "{offer}") {{ status approvedVersion }} }}'))["entry"] == {
        "status": "in_review",
        "approvedVersion": None,
    }
    # And Bob may approve it
    assert (await bots["bob"].ok(APPROVE, id=offer))["approveEntry"] == {"status": "approved", "approvedVersion": 1}


async def test_the_author_is_that_of_the_version_approved(bots: dict[str, Management]) -> None:
    # Given Ana's offer, which Bob edits into version 2 and submits
    entry = await bots["ana"].create("offer", OFFER)
    await bots["bob"].update(entry["id"], 1, {"base": {"en": {**OFFER["base"]["en"], "title": "Spring sale!"}}})
    await bots["bob"].act("submitForReview", entry["id"])
    # Then Bob may not approve version 2, and Ana may
    assert (await bots["bob"].error(APPROVE, id=entry["id"]))["extensions"]["version"] == 2
    assert (await bots["ana"].ok(APPROVE, id=entry["id"]))["approveEntry"]["approvedVersion"] == 2


async def test_an_admin_may_override_and_the_override_is_audited(bots: dict[str, Management]) -> None:
    offer = await offer_in_review(bots["admin-bot"])
    assert (await bots["admin-bot"].error(APPROVE, id=offer))["extensions"]["code"] == "FORBIDDEN"
    approved = await bots["admin-bot"].ok(APPROVE, id=offer, override=True)
    assert approved["approveEntry"] == {"status": "approved", "approvedVersion": 1}
    [event] = (await bots["admin-bot"].ok(OVERRIDES))["auditEvents"]["nodes"]
    assert event == {"actor": "admin-bot", "details": {"override": "four_eyes", "author": "admin-bot"}}


async def test_only_an_admin_may_override(client: httpx.AsyncClient, model: Any, clean_db: None) -> None:
    # A user with the reviewer role (not admin) who wrote the version
    reviewer = await _user_session(client, "reviewer")
    entry = await reviewer.create("offer", OFFER)
    await reviewer.act("submitForReview", entry["id"])
    refused = await reviewer.error(APPROVE, id=entry["id"], override=True)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert refused["message"].startswith("only an admin may override the four-eyes rule: 'reviewer@example.test'")


async def test_types_without_review_are_not_concerned(bots: dict[str, Management]) -> None:
    category = await bots["ana"].create("category", {"base": {"en": {"name": "Lamps", "slug": "lamps"}}})
    await bots["ana"].act("submitForReview", category["id"])
    assert (await bots["ana"].ok(APPROVE, id=category["id"]))["approveEntry"]["status"] == "approved"


async def test_the_admin_refuses_self_approval_in_its_language_and_offers_admins_the_override(
    client: httpx.AsyncClient, model: Any, clean_db: None
) -> None:
    # Given an admin signed in to the admin, who wrote and submitted an offer
    session = await _user_session(client, "admin")
    csrf = session.headers["X-CSRF-Token"]
    entry = await session.create("offer", OFFER)
    await session.act("submitForReview", entry["id"])
    page = (await client.get(f"/admin/entries/offer/{entry['id']}")).text
    assert 'name="override"' in page
    approve = f"/admin/entries/offer/{entry['id']}/workflow/approve"
    # When they approve without ticking the override, in French
    client.cookies.set("cms_admin_lang", "fr")
    refused = await client.post(approve, data={"_csrf": csrf})
    # Then the page says why, in French, and the offer stays in review
    assert refused.status_code == 403
    assert "Vous avez écrit la version 1 : un autre relecteur doit l&#39;approuver (quatre yeux)." in refused.text
    # And ticking it approves, recorded as an override
    done = await client.post(approve, data={"_csrf": csrf, "override": "1"})
    assert done.status_code == 303
    events = (await session.ok(OVERRIDES))["auditEvents"]["nodes"]
    assert events == [
        {"actor": "admin@example.test", "details": {"override": "four_eyes", "author": "admin@example.test"}}
    ]


async def _user_session(client: httpx.AsyncClient, role: str) -> Management:
    """The management API called with a browser session of a user with `role` (signed in through /admin/login)."""
    csrf = await sign_in_as(client, role)
    session = Management(client, "")
    session.headers = {"X-CSRF-Token": csrf}
    return session
