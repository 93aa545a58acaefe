"""lint_entry: every prose field as each channel resolves it, scored; the demo content lints clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cms.consistency import Budget, Finding, LintReport, OfferFacts, lint_entry, load_voice, offer_facts_from_entry
from cms.consistency.findings import score
from cms.consistency.voice_config import Disclaimer, VoiceConfig
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.richtext import rich_text_from_paragraphs
from tests.demo_data import demo_entries

ROOT = Path(__file__).resolve().parents[1]
VOICE = load_voice(ROOT / "content_types" / "voice.toml")
NOW = dt.datetime(2026, 3, 25, 12, 0, tzinfo=dt.UTC)
SOCIAL_POST = Budget(hard=280, soft=250, count="x_weighted")
BUDGETS = {"social": {"brand_message.social_text": SOCIAL_POST, "product.social_text": SOCIAL_POST}}


def brand_message(overrides: dict[str, Any] | None = None, **english: Any) -> EntryData:
    base = {"title": "Spring", "slug": "spring", "body": rich_text_from_paragraphs("Linen is back."), **english}
    return EntryData(base={"en": base}, overrides=overrides or {})


def lint(model: ContentModel, data: EntryData, type_name: str = "brand_message", **kwargs: Any) -> LintReport:
    options: dict[str, Any] = {"budgets": BUDGETS, "offers": {}, "now": NOW, **kwargs}
    return lint_entry(model, model.types[type_name], data, VOICE, options["budgets"], options["offers"], options["now"])


def summary(report: LintReport) -> list[tuple[str, str, str, str | None]]:
    return [(f.rule, f.field, f.locale, f.channel) for f in report.findings]


def test_demo_content_lints_without_errors(model: ContentModel) -> None:
    entries = demo_entries()
    offers = {}
    for entry in (entry for entry in entries if entry.content_type == "offer"):
        facts = offer_facts_from_entry(
            model, model.types["offer"], EntryData(base=entry.base, overrides=entry.overrides)
        )
        offers[facts.slug] = facts
    errors = []
    for entry in entries:
        data = EntryData(base=entry.base, overrides=entry.overrides)
        report = lint_entry(model, model.types[entry.content_type], data, VOICE, BUDGETS, offers, NOW)
        errors += [(entry.content_type, entry.slug, f.field, f.message) for f in report.errors]
    assert errors == []


def test_a_problem_in_the_shared_value_is_reported_once_for_every_channel(model: ContentModel) -> None:
    report = lint(model, brand_message(headline="Cheap lamps for all"))
    assert summary(report) == [("forbidden_term", "headline", "en", None)]


def test_a_value_falling_back_to_another_locale_is_checked_once_in_its_own_language(model: ContentModel) -> None:
    data = brand_message(headline="Cheap lamps")  # French readers see the English headline
    assert summary(lint(model, data)) == [("forbidden_term", "headline", "en", None)]
    french = EntryData(base={**data.base, "fr": {"headline": "Des lampes pas chères"}})
    assert summary(lint(model, french)) == [
        ("forbidden_term", "headline", "en", None),
        ("forbidden_term", "headline", "fr", None),
    ]


def test_a_problem_in_one_channels_override_names_that_channel(model: ContentModel) -> None:
    data = brand_message({"social": {"en": {"headline": "Cheap lamps"}}}, headline="Lamps")
    assert summary(lint(model, data)) == [("forbidden_term", "headline", "en", "social")]


def test_a_channel_rule_on_the_shared_value_names_the_channel_it_applies_to(model: ContentModel) -> None:
    report = lint(model, brand_message(headline="Hello! Come in!"))
    assert {(f.rule, f.channel) for f in report.findings} == {("exclamation", "web")}


def test_a_field_shown_on_one_channel_only_names_that_channel(model: ContentModel) -> None:
    report = lint(model, brand_message(subject_line="Spring is here!"))
    assert summary(report) == [("exclamation", "subject_line", "en", "email")]
    assert report.blocks_publishing


def test_rich_text_is_checked_as_its_plain_text(model: ContentModel) -> None:
    body = {
        "blocks": [
            {"type": "heading", "level": 2, "children": [{"type": "text", "text": "New"}]},
            {
                "type": "paragraph",
                "children": [
                    {"type": "text", "text": "The ", "marks": []},
                    {"type": "text", "text": "cheapest", "marks": ["bold"]},
                ],
            },
        ]
    }
    report = lint(model, brand_message(body=body))
    (finding,) = report.findings
    assert (finding.field, finding.start, finding.end) == ("body", 9, 17)  # in "New\n\nThe cheapest"


def test_object_sub_fields_are_checked_with_their_path(model: ContentModel) -> None:
    data = EntryData(
        base={
            "en": {
                "title": "Brew",
                "slug": "brew",
                "body": rich_text_from_paragraphs("Brew."),
                "difficulty": "beginner",
                "steps": [{"title": "Grind", "instructions": "Use a cheap grinder."}],
            }
        }
    )
    assert ("forbidden_term", "steps[0].instructions", "en", None) in summary(lint(model, data, "tutorial"))


def test_social_budget_blocks_a_post_over_280_weighted_characters(model: ContentModel) -> None:
    post = "字" * 141  # 282 weighted characters
    report = lint(model, brand_message(social_text=post))
    assert [(f.rule, f.severity, f.channel) for f in report.findings] == [("budget_hard", "error", "social")]


def test_unknown_offers_and_fields_block_publishing(model: ContentModel) -> None:
    body = rich_text_from_paragraphs("Save {{offer:nope.discount}}.", "Or {{offer:spring-sale.rebate}}.")
    report = lint(model, brand_message(body=body), offers={"spring-sale": spring_sale()})
    assert {f.rule for f in report.errors} == {"unknown_offer", "unknown_offer_field"}


def test_copy_contradicting_a_referenced_offer_is_an_error(model: ContentModel) -> None:
    body = rich_text_from_paragraphs("Spring garden days: 30 % off with {{offer:spring-sale.code}}.")
    report = lint(model, brand_message(body=body), offers={"spring-sale": spring_sale()})
    (finding,) = report.errors
    assert (finding.rule, finding.message, finding.channel) == (
        "offer_drift",
        "says 30 % but offer spring-sale is 25%",
        None,
    )


def test_an_offer_is_checked_against_the_version_being_linted(model: ContentModel) -> None:
    data = offer_data(title="Spring garden days: 30 % off")
    published = {"spring-sale": spring_sale(discount="30")}
    report = lint(model, data, "offer", offers=published)
    assert ("offer_drift", "title", "en", None) in summary(report)


def test_an_offer_on_email_must_carry_its_legal_terms(model: ContentModel) -> None:
    report = lint(model, offer_data(legal_terms=None), "offer")
    assert summary(report) == [
        ("missing_disclaimer", "legal_terms", "en", "email"),
        ("missing_disclaimer", "legal_terms", "fr", "email"),
    ]
    assert report.errors[0].message == "offer_legal_terms: an offer sent by e-mail must carry its legal terms"
    assert lint(model, offer_data(), "offer").findings == []


UNSUBSCRIBE = VoiceConfig(
    disclaimers=[
        Disclaimer(
            name="unsubscribe",
            types=["brand_message"],
            channels=["email"],
            fields=["body"],
            pattern={"en": "(?i)unsubscribe", "fr": "(?i)désinscri"},
            message="say how to unsubscribe",
            severity="warning",
        )
    ]
)


@pytest.mark.parametrize(
    ("english", "french", "missing"),
    [
        ("Linen is back.", "Le lin est de retour.", ["en", "fr"]),
        ("Linen is back. Unsubscribe at any time.", "Le lin est de retour.", ["fr"]),
        ("Linen is back. Unsubscribe at any time.", "Désinscrivez-vous à tout moment.", []),
        ("Linen is back.", "Désinscription en un clic.", ["en"]),
    ],
)
def test_a_disclaimer_pattern_must_appear_in_its_fields_on_its_channels(
    model: ContentModel, english: str, french: str, missing: list[str]
) -> None:
    data = EntryData(
        base={
            "en": {"title": "Spring", "slug": "spring", "body": rich_text_from_paragraphs(english)},
            "fr": {"body": rich_text_from_paragraphs(french)},
        }
    )
    report = lint_entry(model, model.types["brand_message"], data, UNSUBSCRIBE, {}, {}, NOW)
    assert [(f.rule, f.field, f.locale, f.channel) for f in report.findings] == [
        ("missing_disclaimer", "body", locale, "email") for locale in missing
    ]


def test_a_products_own_price_stated_wrongly_is_price_drift(model: ContentModel) -> None:
    data = EntryData(
        base={
            "en": {
                "name": "Kettle",
                "slug": "kettle",
                "gtin": "4006381333931",
                "summary": "A kettle for €14.99.",
                "price": {"amount": "12.99", "currency": "EUR"},
            }
        }
    )
    report = lint(model, data, "product")
    assert [(f.rule, f.message, f.channel) for f in report.errors] == [
        ("price_drift", "says €14.99 but the price is €12.99", None)
    ]


@pytest.mark.parametrize(
    ("errors", "warnings", "expected"), [(0, 0, 100), (1, 0, 75), (0, 3, 85), (2, 3, 35), (4, 1, 0)]
)
def test_score_is_100_minus_25_per_error_and_5_per_warning_floored_at_0(
    errors: int, warnings: int, expected: int
) -> None:
    findings = [finding("error", index) for index in range(errors)] + [
        finding("warning", index) for index in range(warnings)
    ]
    assert score(findings) == expected


def test_the_report_is_deterministic(model: ContentModel) -> None:
    data = brand_message(headline="Cheap! Cheaper! The best!", subject_line="maison lumen!")
    first, second = lint(model, data), lint(model, data)
    assert first == second
    assert first.score == max(0, 100 - 25 * len(first.errors) - 5 * len(first.warnings))


# --- small factories ----------------------------------------------------------------------------


def finding(severity: Any, index: int) -> Finding:
    return Finding(
        rule="r", severity=severity, field="f", locale="en", channel=None, start=index, end=index, message="m"
    )


def spring_sale(discount: str = "25") -> OfferFacts:
    from decimal import Decimal

    return OfferFacts(
        slug="spring-sale",
        discount_kind="percent",
        discount_percent=Decimal(discount),
        code="BEAUXJOURS",
        starts_at=dt.datetime(2026, 3, 19, 23, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 4, 5, 22, 0, tzinfo=dt.UTC),
        title={"en": "Spring garden days"},
    )


def offer_data(title: str = "Spring garden days", legal_terms: str | None = "One use per customer.") -> EntryData:
    values = {
        "title": title,
        "slug": "spring-sale",
        "discount_kind": "percent",
        "discount_percent": "25.00",
        "code": "BEAUXJOURS",
        "starts_at": "2026-03-19T23:00:00Z",
        "ends_at": "2026-04-05T22:00:00Z",
        "legal_terms": legal_terms,
    }
    return EntryData(base={"en": {key: value for key, value in values.items() if value is not None}})
