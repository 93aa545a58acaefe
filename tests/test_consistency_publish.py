"""The consistency gate through the management API: contradictions, over-budget copy and forbidden terms are
refused at publish with a message naming them; clean copy publishes; warnings are shown but never block."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from cms.consistency.counting import count_length
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.richtext import rich_text_from_paragraphs
from cms.store.entries import create_entry
from cms.store.tables import Entry, EntryVersion, UniqueValue
from tests.factories import gtin13
from tests.management_client import Management, token_for

CMS = Path(sys.executable).with_name("cms")
PUBLISH = "mutation($id: ID!) { publishEntry(id: $id) { status publishedVersion } }"
LINT = """query($id: ID!, $version: Int) {
  lint(entryId: $id, version: $version) {
    version score errors warnings
    findings { rule severity field locale channel start end message suggestion }
  }
}"""
SPRING_SALE = {
    "base": {
        "en": {
            "title": "Spring sale",
            "slug": "spring-sale",
            "discount_kind": "percent",
            "discount_percent": "25",
            "starts_at": "2020-03-01T00:00:00Z",
            "ends_at": "2099-04-01T00:00:00Z",
            "legal_terms": "While stocks last.",
        },
        "fr": {"title": "Les beaux jours", "legal_terms": "Dans la limite des stocks disponibles."},
    }
}
X_WEIGHTED_SPARKLES = "✨" * 140
"""140 emoji that X counts as 280: over the social budget while under the field's 280 characters."""


def brand_message(english: dict[str, Any] | None = None, french: dict[str, Any] | None = None) -> dict[str, Any]:
    base = {"title": "Linen days", "slug": "linen-days", "body": rich_text_from_paragraphs("Linen is back.")}
    return {"base": {"en": {**base, **(english or {})}, **({"fr": french} if french else {})}}


def product(**english: Any) -> dict[str, Any]:
    """A product priced €12.99; `category` is filled in by the `create` helper below."""
    values = {
        "name": "Clair table lamp",
        "slug": "clair-table-lamp",
        "gtin": gtin13(4242),
        "price": {"amount": "12.99", "currency": "EUR"},
        "availability": "in_stock",
        **english,
    }
    return {"base": {"en": values}}


@pytest.fixture
async def admin(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="admin-bot"))


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:write", "management:publish", name="editor-bot"))


@pytest.fixture
async def spring_sale(desk: Desk) -> str:
    """The published 25 % offer `spring-sale` ("Les beaux jours" in French), running from 2020 to 2099."""
    offer = await desk.draft("offer", SPRING_SALE)
    assert (await desk.editor.act("publishEntry", offer))["status"] == "published"
    return offer


@dataclass
class Desk:
    """An editor who writes and publishes, and an admin who approves what needs review."""

    editor: Management
    admin: Management
    model: ContentModel

    async def draft(self, type_name: str, data: dict[str, Any]) -> str:
        """A new entry, approved when its type requires review, so that only the linter stands in the way."""
        if type_name == "product":
            category = await self.editor.create("category", {"base": {"en": {"name": "Lighting", "slug": "lighting"}}})
            data["base"]["en"]["category"] = category["id"]
        entry_id = str((await self.editor.create(type_name, data))["id"])
        await self.approve(entry_id, type_name)
        return entry_id

    async def approve(self, entry_id: str, type_name: str = "brand_message") -> None:
        if self.model.types[type_name].requires_review:
            await self.editor.act("submitForReview", entry_id)
            await self.admin.act("approveEntry", entry_id)


@pytest.fixture
def desk(editor: Management, admin: Management, model: ContentModel) -> Desk:
    return Desk(editor, admin, model)


ADVERSARIAL = [
    pytest.param("brand_message", brand_message({"headline": "Cheap lamps for every room"}), "forbidden_term",
                 "headline", id="forbidden-term"),
    pytest.param("brand_message", brand_message({"headline": "{{offer:winter-sale.discount}} off every lamp"}),
                 "unknown_offer", "headline", id="unknown-offer-token"),
    pytest.param("brand_message", brand_message({"headline": "Spring sale: 30% off every lamp."}), "offer_drift",
                 "headline", id="offer-drift-en"),
    pytest.param("brand_message", brand_message(french={"headline": "Les beaux jours : 30 % de remise."}),
                 "offer_drift", "headline", id="offer-drift-fr"),
    pytest.param("product", product(summary="Yours for €14.99."), "price_drift", "summary", id="price-drift"),
    # A social post over X's 280 is refused at save already (the field's max_length is counted X's way):
    # a channel's budget under the field's own limit is what publishing still refuses.
    pytest.param("product", product(name="Clair table lamp in brushed brass with a linen shade and dimmer"),
                 "budget_hard", "name", id="product-name-over-app-budget"),
    pytest.param("brand_message", brand_message({"headline": "Light up with maison lumen"}), "canonical_name",
                 "headline", id="misspelt-brand-name"),
    pytest.param("brand_message", brand_message({"subject_line": "Linen days are here 🌷"}), "emoji",
                 "subject_line", id="emoji-in-subject-line"),
]  # fmt: skip


@pytest.mark.parametrize(("type_name", "data", "rule", "field"), ADVERSARIAL)
async def test_publishing_copy_that_breaks_a_rule_is_refused_naming_it(
    desk: Desk, spring_sale: str, type_name: str, data: dict[str, Any], rule: str, field: str
) -> None:
    entry_id = await desk.draft(type_name, data)
    refused = await desk.editor.error(PUBLISH, id=entry_id)
    assert refused["extensions"]["code"] == "LINT"
    assert f"field {field} (" in refused["message"] and f"[{rule}]" in refused["message"]
    findings = refused["extensions"]["findings"]
    assert (rule, field) in {(finding["rule"], finding["field"]) for finding in findings}
    assert {finding["severity"] for finding in findings} == {"error"}
    assert set(findings[0]) == {
        "rule",
        "severity",
        "field",
        "locale",
        "channel",
        "start",
        "end",
        "message",
        "suggestion",
    }
    entry = await desk.editor.ok("query($id: ID!) { entry(id: $id) { publishedVersion } }", id=entry_id)
    assert entry["entry"]["publishedVersion"] is None


CLEAN = [
    pytest.param("brand_message", brand_message(
        {
            "headline": "{{offer:spring-sale.discount}} off every linen lamp",
            "subject_line": "Linen days: {{offer:spring-sale.discount}} off",
            "preheader": "Spring sale: 25% off linen lamps at Maison Lumen.",
            "social_text": "Spring sale at Maison Lumen: {{offer:spring-sale.discount}} off linen lamps ✨",
        },
        {"title": "Les jours du lin", "headline": "Les beaux jours : 25 % de remise sur les lampes en lin."},
    ), id="brand-message-with-offer-tokens"),
    pytest.param("product", {
        **product(summary="Yours for €12.99, instead of €19.99."),
        # the Swiss site charges francs (cms.consistency.live_facts): its copy quotes them
        "overrides": {"web_ch": {"en": {"summary": "Yours for CHF 12.35, instead of CHF 19.00."}}},
    }, id="product-stating-its-price"),
]  # fmt: skip


@pytest.mark.parametrize(("type_name", "data"), CLEAN)
async def test_clean_copy_publishes_without_false_alarms(
    desk: Desk, spring_sale: str, type_name: str, data: dict[str, Any]
) -> None:
    entry_id = await desk.draft(type_name, data)
    assert (await desk.editor.ok(PUBLISH, id=entry_id))["publishEntry"] == {
        "status": "published",
        "publishedVersion": 1,
    }
    report = (await desk.editor.ok(LINT, id=entry_id))["lint"]
    assert (report["errors"], report["findings"]) == (0, [])
    assert report["score"] == 100


async def test_warnings_do_not_block_but_show_in_the_lint_report(desk: Desk, spring_sale: str) -> None:
    soft = "Linen days are here, in every room of the house. " * 5 + "Come in."  # 258 of 280 on X
    entry_id = await desk.draft(
        "brand_message", brand_message({"headline": "Our best linen lamps", "social_text": soft})
    )
    assert (await desk.editor.ok(PUBLISH, id=entry_id))["publishEntry"]["status"] == "published"
    report = (await desk.editor.ok(LINT, id=entry_id))["lint"]
    found = {(finding["rule"], finding["field"], finding["severity"]) for finding in report["findings"]}
    assert found == {("claim_needs_review", "headline", "warning"), ("budget_soft", "social_text", "warning")}
    assert (report["errors"], report["warnings"], report["score"]) == (0, 2, 90)


LONG_URL = "https://www.example.com/journal/linen-days/" + "why-linen-keeps-you-cool-" * 8
X_POST_WITH_LONG_URL = f"Linen days are here: lamps, throws and cushions in washed linen. Read why: {LONG_URL} " + (
    "Come and see them in store this week." * 4
)
"""Over 280 code points, but 250 or fewer as X counts (the URL weighs 23): within the social budget."""


async def test_an_x_post_with_a_long_url_is_saved_and_published_when_x_would_accept_it(
    desk: Desk, spring_sale: str
) -> None:
    assert len(X_POST_WITH_LONG_URL) > 280
    assert count_length(X_POST_WITH_LONG_URL, "x_weighted") <= 250
    entry_id = await desk.draft("brand_message", brand_message({"social_text": X_POST_WITH_LONG_URL}))

    published = await desk.editor.ok(PUBLISH, id=entry_id)

    assert published["publishEntry"] == {"status": "published", "publishedVersion": 1}
    report = (await desk.editor.ok(LINT, id=entry_id))["lint"]
    assert [finding["rule"] for finding in report["findings"] if finding["field"] == "social_text"] == []


@pytest.mark.parametrize(
    ("data", "path", "length"),
    [
        (brand_message({"social_text": f"Linen days are here. {X_WEIGHTED_SPARKLES}"}), "base.en.social_text", 301),
        (
            {**brand_message(), "overrides": {"social": {"fr": {"social_text": "Les jours du lin ! " + "✨" * 135}}}},
            "overrides.social.fr.social_text",
            289,
        ),
    ],
)
async def test_a_post_x_would_refuse_is_refused_at_save_naming_the_field_and_its_count(
    editor: Management, data: dict[str, Any], path: str, length: int
) -> None:
    refused = await editor.error('mutation($d: JSON!) { createEntry(type: "brand_message", data: $d) { id } }', d=data)

    assert refused["extensions"]["code"] == "VALIDATION"
    reason = f"is {length} characters long as social counts them (x_weighted), over the limit of 280 by {length - 280}"
    assert refused["extensions"]["fields"] == [{"path": path, "reason": reason}]
    assert (await editor.ok("{ entries { totalCount } }"))["entries"]["totalCount"] == 0


async def test_a_draft_promising_less_than_the_offer_publishes_with_a_warning(desk: Desk, spring_sale: str) -> None:
    # The offer runs until 31 March 2099; the copy says it ends on 30 March 2099
    entry_id = await desk.draft("brand_message", brand_message({"headline": "Spring sale: until 30 March 2099."}))

    assert (await desk.editor.ok(PUBLISH, id=entry_id))["publishEntry"]["status"] == "published"
    report = (await desk.editor.ok(LINT, id=entry_id))["lint"]
    found = [(finding["rule"], finding["severity"]) for finding in report["findings"]]
    assert found == [("offer_understated", "warning")]


async def test_a_draft_promising_more_than_the_offer_is_refused(desk: Desk, spring_sale: str) -> None:
    # The offer runs until 31 March 2099; the copy says it runs until 30 April 2099
    entry_id = await desk.draft("brand_message", brand_message({"headline": "Spring sale: until 30 April 2099."}))

    refused = await desk.editor.error(PUBLISH, id=entry_id)

    assert refused["extensions"]["code"] == "LINT"
    assert [finding["rule"] for finding in refused["extensions"]["findings"]] == ["offer_drift"]


async def test_the_lint_of_each_version_is_stored_with_it(desk: Desk, spring_sale: str) -> None:
    entry_id = await desk.draft("brand_message", brand_message({"headline": "Cheap lamps"}))
    await desk.editor.update(entry_id, 1, brand_message({"headline": "Linen lamps"}))
    stored = await EntryVersion.select(EntryVersion.lint).where(EntryVersion.key == f"{entry_id}:1").first()
    assert stored is not None and stored["lint"] is not None
    first = (await desk.editor.ok(LINT, id=entry_id, version=1))["lint"]
    stored_report = msgspec.json.decode(stored["lint"]) if isinstance(stored["lint"], str) else stored["lint"]
    assert (first["version"], first["score"]) == (1, stored_report["score"]) == (1, 75)
    assert [finding["rule"] for finding in first["findings"]] == ["forbidden_term"]
    current = await desk.editor.ok(
        """query($id: ID!) { entry(id: $id) {
             lintScore lint { version errors }
             versions { number lintScore lint { errors } }
           } }""",
        id=entry_id,
    )
    assert current["entry"] == {
        "lintScore": 100,
        "lint": {"version": 2, "errors": 0},
        "versions": [
            {"number": 2, "lintScore": 100, "lint": {"errors": 0}},
            {"number": 1, "lintScore": 75, "lint": {"errors": 1}},
        ],
    }


async def test_a_rollback_to_a_refused_version_is_linted_again(desk: Desk, spring_sale: str) -> None:
    entry_id = await desk.draft("brand_message", brand_message({"headline": "Cheap lamps"}))
    await desk.editor.update(entry_id, 1, brand_message({"headline": "Linen lamps"}))
    await desk.editor.act("rollbackEntry", entry_id, ", toVersion: 1, baseVersion: 2")
    await desk.approve(entry_id)
    assert (await desk.editor.ok(LINT, id=entry_id))["lint"]["errors"] == 1
    assert (await desk.editor.error(PUBLISH, id=entry_id))["extensions"]["code"] == "LINT"


async def test_a_release_with_one_refused_entry_publishes_nothing(desk: Desk, spring_sale: str) -> None:
    clean = await desk.draft("brand_message", brand_message({"headline": "Linen lamps"}))
    over = brand_message({"headline": "Spring sale: 30% off every lamp."})
    over["base"]["en"]["slug"] = "drifting"
    drifting = await desk.draft("brand_message", over)
    release = (await desk.editor.ok('mutation { createRelease(name: "Linen") { id } }'))["createRelease"]["id"]
    for entry_id in (clean, drifting):
        await desk.editor.ok(
            "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }", r=release, e=entry_id
        )
    refused = await desk.editor.error("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
    assert refused["extensions"]["code"] == "LINT" and drifting in refused["message"]
    assert await Entry.count().where(Entry.published_version.is_not_null()) == 1  # the offer only


async def test_a_release_may_publish_an_offer_with_the_copy_that_refers_to_it(
    desk: Desk,
) -> None:
    offer = await desk.draft("offer", SPRING_SALE)
    copy = await desk.draft("brand_message", brand_message({"headline": "{{offer:spring-sale.discount}} off"}))
    assert (await desk.editor.error(PUBLISH, id=copy))["extensions"]["code"] == "LINT"  # the offer is not live yet
    release = (await desk.editor.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
    for entry_id in (offer, copy):
        await desk.editor.ok(
            "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }", r=release, e=entry_id
        )
    published = await desk.editor.ok("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
    assert published["publishRelease"]["status"] == "published"


def run_lint(*args: str) -> subprocess.CompletedProcess[str]:
    """`cms lint` in a fresh process, on the tests' database."""
    return subprocess.run([str(CMS), "lint", *args], env=dict(os.environ), capture_output=True, text=True, timeout=120)


async def test_cms_lint_passes_the_demo_and_fails_on_an_adversarial_draft(model: ContentModel, demo_db: None) -> None:
    clean = run_lint()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 error(s)" in clean.stderr
    assert "\twarning\t" in clean.stdout and "\terror\t" not in clean.stdout

    data = EntryData(base={"en": brand_message({"headline": "Cheap lamps for every room"})["base"]["en"]})
    saved = await create_entry(model, model.types["brand_message"], data)
    try:
        failing = run_lint("--type", "brand_message", "--errors-only")
        assert failing.returncode == 1, failing.stdout + failing.stderr
        assert failing.stdout.splitlines() == [
            "brand_message\tlinen-days\theadline\ten\tall\terror\tforbidden_term\t“Cheap” cheapens the brand"
        ]
    finally:  # leave the shared demo as it was
        await UniqueValue.delete().where(UniqueValue.entry == saved.entry_id)
        await EntryVersion.delete().where(EntryVersion.entry == saved.entry_id)
        await Entry.delete().where(Entry.id == saved.entry_id)


def test_cms_lint_help_names_its_options() -> None:
    shown = subprocess.run([str(CMS), "lint", "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert "--type" in shown.stdout and "--errors-only" in shown.stdout and "Exits 1" in shown.stdout
