"""The `management:review` token scope: an automation that approves and rejects, and does nothing else.

It reads what review needs (entries, versions, diffs, lint) and holds the `review` permission only: no
create, edit, submit, publish, schedule, release or archive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.management_client import Management, token_for
from tests.test_auth import run_cms
from tests.test_workflow import OFFER

ENTRY = "{ status currentVersion approvedVersion publishedVersion }"
APPROVE = f"mutation($id: ID!) {{ approveEntry(id: $id) {ENTRY} }}"
REJECT = f'mutation($id: ID!) {{ rejectEntry(id: $id, comment: "Say which stores") {ENTRY} }}'


@pytest.fixture
async def people(client: httpx.AsyncClient, model: Any, clean_db: None) -> dict[str, Management]:
    """An author (`management:write` + `management:publish`) and a review bot (`management:review` only)."""
    author = await token_for(model, "management:write", "management:publish", name="copywriter")
    bot = await token_for(model, "management:review", name="review-bot")
    return {"author": Management(client, author), "bot": Management(client, bot)}


async def offer_in_review(author: Management) -> str:
    entry = await author.create("offer", OFFER)
    await author.act("submitForReview", entry["id"])
    return str(entry["id"])


async def test_a_review_token_approves_an_entry_in_review(people: dict[str, Management]) -> None:
    offer = await offer_in_review(people["author"])

    approved = await people["bot"].ok(APPROVE, id=offer)

    assert approved["approveEntry"] == {
        "status": "approved",
        "currentVersion": 1,
        "approvedVersion": 1,
        "publishedVersion": None,
    }
    # The author may now publish what the bot approved
    assert (await people["author"].act("publishEntry", offer))["publishedVersion"] == 1


async def test_a_review_token_rejects_an_entry_back_to_draft(people: dict[str, Management]) -> None:
    offer = await offer_in_review(people["author"])

    rejected = await people["bot"].ok(REJECT, id=offer)

    assert rejected["rejectEntry"]["status"] == "draft"
    assert rejected["rejectEntry"]["approvedVersion"] is None


async def test_a_review_token_reads_what_it_reviews(people: dict[str, Management]) -> None:
    offer = await offer_in_review(people["author"])

    read = await people["bot"].ok(f'{{ entry(id: "{offer}") {{ status data }} }}')

    assert read["entry"]["status"] == "in_review"
    assert read["entry"]["data"]["base"]["en"]["title"] == OFFER["base"]["en"]["title"]


@pytest.mark.parametrize(
    ("mutation", "action", "permission"),
    [
        ('createEntry(type: "offer", data: {base: {en: {title: "x"}}})', "create entries", "write"),
        ('updateEntry(id: "$ID", baseVersion: 1, data: {base: {en: {title: "x"}}})', "edit entries", "write"),
        ('submitForReview(id: "$ID")', "submit entries for review", "write"),
        ('publishEntry(id: "$ID")', "publish entries", "publish"),
        ('unpublishEntry(id: "$ID")', "unpublish entries", "publish"),
        ('archiveEntry(id: "$ID")', "archive entries", "write"),
    ],
)
async def test_a_review_token_is_refused_anything_but_review(
    people: dict[str, Management], mutation: str, action: str, permission: str
) -> None:
    offer = await offer_in_review(people["author"])
    before = await people["author"].ok(f'{{ entry(id: "{offer}") {ENTRY} }}')

    refused = await people["bot"].error(f"mutation {{ {mutation.replace('$ID', offer)} {{ id }} }}")

    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert refused["message"] == f"token 'review-bot' may not {action} (needs the {permission} permission)"
    assert await people["author"].ok(f'{{ entry(id: "{offer}") {ENTRY} }}') == before


async def test_four_eyes_holds_for_tokens_by_name(client: httpx.AsyncClient, model: Any, clean_db: None) -> None:
    """Four eyes compares the version's author with the approver's name: for a token, its name.

    A review token never writes, so it never approves its own work; but a review token carrying the name
    of the version's author (the same automation holding two tokens) is refused like the author would be.
    """
    author = Management(client, await token_for(model, "management:write", name="pipeline"))
    same_name = Management(client, await token_for(model, "management:review", name="pipeline"))
    offer = await offer_in_review(author)

    refused = await same_name.error(APPROVE, id=offer)

    assert refused["extensions"] == {"code": "FORBIDDEN", "author": "pipeline", "version": 1}
    assert "may not approve it too (four eyes)" in refused["message"]
    # And `override` is an admin's only: the review scope does not carry it
    overridden = await same_name.error(
        f"mutation($id: ID!) {{ approveEntry(id: $id, override: true) {ENTRY} }}", id=offer
    )
    assert overridden["message"].startswith("only an admin may override the four-eyes rule: 'pipeline'")


def test_cms_token_create_accepts_the_review_scope_and_help_lists_it(tmp_path: Path) -> None:
    created = run_cms(tmp_path, "token", "create", "--name", "review-bot", "--scope", "management:review")
    listed = run_cms(tmp_path, "token", "list")
    helped = run_cms(tmp_path, "token", "create", "--help")

    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().startswith("cms_")
    assert "review-bot" in listed.stdout and "management:review" in listed.stdout
    assert helped.returncode == 0 and "management:review" in helped.stdout
