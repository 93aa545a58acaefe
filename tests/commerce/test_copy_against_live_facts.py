"""Copy against live facts (issue 19, item 4): a product's "in stock" checked against the stock of each channel's
locations, a quoted price against what each channel charges (its price list, the offers in force); warnings in
the lint report, never blocking a publish, and listed over live copy (`liveFactMismatches`, `cms lint --live`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

from cms import cli
from cms.admin.feedback import feedback_context
from cms.admin.i18n import Translator
from cms.admin.problems import ProblemWords
from cms.consistency import Finding, Money, OfferFacts
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.facts import channel_facts
from tests.commerce.helpers import T2, line, put_stock
from tests.management_client import token_for
from tests.test_admin_feedback import render_feedback
from tests.test_consistency_publish import LINT, PUBLISH, Desk, admin, desk, editor, product  # noqa: F401

MISMATCHES = """query($channel: String) {
  liveFactMismatches(channel: $channel) {
    contentType slug said actual
    finding { rule severity field locale channel message }
  }
}"""
SKU = "CLR-01"
NOW = dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
async def oms(model: ContentModel, desk: Desk) -> str:  # noqa: F811
    return await token_for(model, "inventory:write", name="oms")


async def published_product(desk: Desk, **english: Any) -> str:  # noqa: F811
    data = product(sku=SKU, **english)
    entry_id = await desk.draft("product", data)
    assert (await desk.editor.ok(PUBLISH, id=entry_id))["publishEntry"]["status"] == "published"
    return entry_id


def rows(body: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {
        (item["finding"]["rule"], item["finding"]["channel"], item["said"], item["actual"])
        for item in body["liveFactMismatches"]
    }


async def test_in_stock_copy_over_a_sold_out_product_publishes_with_a_warning_per_channel(desk, oms) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # When copy saying "In stock" is published before any stock, which then arrives at the warehouse only
    entry_id = await published_product(desk, summary="In stock and ready to ship.")
    await put_stock(desk.editor.client, oms, [line(SKU, "central_warehouse", 20, T2)])
    report = (await desk.editor.ok(LINT, id=entry_id))["lint"]

    # Then the stored report (linted at save, before any stock) warns on every channel selling from a location
    claims = {(f["channel"], f["rule"]) for f in report["findings"] if f["rule"] == "stock_claim"}
    assert claims == {(channel, "stock_claim") for channel in ("web", "app", "kiosk", "web_ch")}
    assert report["errors"] == 0

    # And the live listing, with stock now, names only the kiosk, whose stores have none
    listed = rows(await desk.editor.ok(MISMATCHES))
    assert listed == {("stock_claim", "kiosk", "In stock", "OUT"), ("stock_claim", "kiosk", "ready to ship", "OUT")}


async def test_the_listing_follows_stock_as_it_runs_out(desk, oms) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    await published_product(desk, summary="In stock.")
    await put_stock(
        desk.editor.client,
        oms,
        [line(SKU, "central_warehouse", 5), line(SKU, "paris_store", 1), line(SKU, "lyon_store", 0)],
    )
    assert (await desk.editor.ok(MISMATCHES))["liveFactMismatches"] == []

    # When the warehouse sells out
    await put_stock(desk.editor.client, oms, [line(SKU, "central_warehouse", 0, T2)])

    # Then marketing sees the headline on the channels selling from it, and only those
    listed = rows(await desk.editor.ok(MISMATCHES))
    assert listed == {("stock_claim", channel, "In stock", "OUT") for channel in ("web", "app", "web_ch")}
    web_only = rows(await desk.editor.ok(MISMATCHES, channel="web"))
    assert web_only == {("stock_claim", "web", "In stock", "OUT")}


async def test_a_quoted_price_is_checked_against_each_channels_price_list(desk, oms) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # Given a product at €12.99 (CHF 12.35 on the Swiss site: × 0.95 in 5-centime steps) quoting its price
    await published_product(desk, summary="Yours for €12.99.")

    # Then the Swiss site, which charges francs, is named with what it charges
    listed = rows(await desk.editor.ok(MISMATCHES))
    assert listed == {("price_live", "web_ch", "€12.99", "CHF12.35")}  # as Babel writes francs in English


async def test_an_unknown_channel_has_no_mismatches(desk) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    await published_product(desk, summary="In stock.")  # no stock anywhere: a mismatch on every channel with locations
    assert len((await desk.editor.ok(MISMATCHES))["liveFactMismatches"]) > 0

    assert (await desk.editor.ok(MISMATCHES, channel="moon"))["liveFactMismatches"] == []


def test_cms_lint_live_refuses_an_unknown_channel_before_touching_the_database() -> None:
    result = CliRunner().invoke(cli.main, ["lint", "--live", "--channel", "moon"])

    assert result.exit_code == 1
    assert "unknown channel 'moon'" in result.output


def test_the_facts_of_a_channel_are_its_price_list_after_the_offer_in_force(model: ContentModel) -> None:
    data = EntryData(base={"en": product(sku=SKU)["base"]["en"]})
    sale = OfferFacts(
        slug="quarter-off",
        discount_kind="percent",
        discount_percent=Decimal(25),
        starts_at=NOW - dt.timedelta(days=1),
        ends_at=NOW + dt.timedelta(days=1),
        product_ids=("the-lamp",),
    )
    units = {SKU: {"central_warehouse": 0, "paris_store": 4}}

    facts = channel_facts(model, model.types["product"], "the-lamp", data, {"quarter-off": sale}, units, NOW)

    eur, chf = (lambda amount: Money(Decimal(amount), "EUR")), (lambda amount: Money(Decimal(amount), "CHF"))
    assert facts["web"].charged == (eur("9.74"),)  # 12.99 × 0.75, rounded half up
    assert set(facts["web"].prices) == {eur("9.74"), eur("12.99")}  # and the compare-at price
    assert facts["web_ch"].charged == (chf("9.25"),)  # CHF 12.35 × 0.75 to 5 centimes
    assert (facts["web"].availability, facts["kiosk"].availability) == ("OUT", "IN_STOCK")
    assert facts["social"].availability is None  # sells from no location
    after = channel_facts(model, model.types["product"], "the-lamp", data, {"quarter-off": sale}, units, sale.ends_at)
    assert after["web"].charged == (eur("12.99"),)


def test_the_admin_words_live_findings_in_french(model: ContentModel) -> None:
    words = ProblemWords(Translator("fr"), model)
    claim = Finding(
        rule="stock_claim",
        severity="warning",
        field="summary",
        locale="fr",
        channel="kiosk",
        start=0,
        end=8,
        message="says “En stock” but kiosk has none left at its locations now (OUT)",
        params=(("actual", "OUT"), ("fact", "none"), ("said", "En stock")),
    )
    price = Finding(
        rule="price_live",
        severity="warning",
        field="summary",
        locale="fr",
        channel="web_ch",
        start=0,
        end=7,
        message="says 12,99 € but web_ch charges 12,35 CHF now",
        params=(("actual", "12,35\u00a0CHF"), ("said", "12,99 €")),
    )

    assert words.finding(claim, "product").startswith("indique « En stock » alors que ")
    assert "n’en a plus aucun" in words.finding(claim, "product")
    assert words.finding(price, "product").startswith("indique 12,99 € alors que ")
    assert words.finding(price, "product").endswith("facture 12,35\u00a0CHF actuellement")
    assert words.suggestion(price, "product") is not None


async def test_the_editors_live_panel_warns_in_french_while_the_copy_is_typed(model: ContentModel, desk) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # Given the product published (its SKU known) with none anywhere, and its French copy typed as « En stock »
    await published_product(desk, summary="A lamp.")
    oms = await token_for(model, "inventory:write", name="oms")
    await put_stock(desk.editor.client, oms, [line(SKU, "central_warehouse", 0)])
    data = EntryData(base={"en": product(sku=SKU)["base"]["en"], "fr": {"summary": "En stock à Paris."}})

    context = await feedback_context(model, "product", data, locale="fr", channel="kiosk")

    warnings = context["lint"].warnings
    claims = {(view.finding.channel, view.finding.locale) for view in warnings if view.finding.rule == "stock_claim"}
    assert claims == {(channel, "fr") for channel in ("web", "app", "kiosk", "web_ch")}
    assert context["lint"].errors == []
    html = render_feedback(context, "fr")
    assert "indique « En stock » alors que" in html
