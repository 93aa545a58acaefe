"""Offer tokens: rendered per locale and channel, withheld exactly when the offer is not active."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cms.consistency import (
    Money,
    OfferFacts,
    check_offer_tokens,
    expand_offer_tokens,
    next_offer_change,
    offer_facts_from_entry,
    render_offer_tokens,
    render_offer_tokens_in_rich_text,
)
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.richtext import parse_rich_text, rich_text_from_paragraphs

NBSP = "\u00a0"
PARIS = "Europe/Paris"
STARTS = dt.datetime(2026, 3, 19, 23, 0, tzinfo=dt.UTC)  # 20 March, midnight in Paris
ENDS = dt.datetime(2026, 4, 5, 22, 0, tzinfo=dt.UTC)  # 6 April, midnight in Paris: the 5th is the last day
DURING = dt.datetime(2026, 3, 25, 12, 0, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)

SPRING = OfferFacts(
    slug="spring-sale",
    discount_kind="percent",
    discount_percent=Decimal("25.00"),
    code="BEAUXJOURS",
    starts_at=STARTS,
    ends_at=ENDS,
    title={"en": "Spring garden days", "fr": "Les beaux jours au jardin"},
    legal_terms={"en": "One use per customer.", "fr": "Une utilisation par client."},
)
BUNDLE = OfferFacts(
    slug="coffee-bundle",
    discount_kind="amount",
    discount_amount=Money(Decimal("38.70"), "EUR"),
    price=Money(Decimal("169.00"), "EUR"),
    starts_at=STARTS,
    ends_at=ENDS,
    legal_terms={"en": "Bought together.", "fr": "Achetés ensemble."},
)
OFFERS = {offer.slug: offer for offer in (SPRING, BUNDLE)}


def render(text: str, locale: str = "en", now: dt.datetime = DURING, channel: str = "web") -> str:
    rendered = render_offer_tokens(text, OFFERS, locale, channel, now, legal_terms_channels=["email"], time_zone=PARIS)
    return rendered.text


@pytest.mark.parametrize(
    ("token", "en", "fr"),
    [
        ("{{offer:spring-sale.discount}}", "25%", f"25{NBSP}%"),
        ("{{offer:coffee-bundle.discount}}", "€38.70", f"38,70{NBSP}€"),
        ("{{offer:coffee-bundle.price}}", "€169.00", f"169,00{NBSP}€"),
        ("{{offer:spring-sale.code}}", "BEAUXJOURS", "BEAUXJOURS"),
        ("{{offer:spring-sale.title}}", "Spring garden days", "Les beaux jours au jardin"),
        ("{{offer:spring-sale.starts_at}}", "March 20, 2026", "20 mars 2026"),
        ("{{offer:spring-sale.ends_at}}", "April 5, 2026", "5 avril 2026"),  # ends_at is exclusive
        ("{{offer:spring-sale.legal_terms}}", "One use per customer.", "Une utilisation par client."),
        ("{{ offer:spring-sale.code }}", "BEAUXJOURS", "BEAUXJOURS"),
    ],
)
def test_tokens_render_per_locale(token: str, en: str, fr: str) -> None:
    assert render(token, "en") == en
    assert render(token, "fr") == fr


def test_a_fractional_percentage_keeps_its_decimals() -> None:
    half = OfferFacts(
        slug="half", discount_kind="percent", discount_percent=Decimal("12.5"), starts_at=STARTS, ends_at=ENDS
    )
    assert render_offer_tokens("{{offer:half.discount}}", {"half": half}, "fr", "web", DURING).text == f"12,5{NBSP}%"


@pytest.mark.parametrize(
    ("now", "served"),
    [
        (STARTS - MICROSECOND, False),
        (STARTS, True),
        (ENDS - MICROSECOND, True),
        (ENDS, False),
        (ENDS + dt.timedelta(days=30), False),
    ],
)
def test_an_offer_is_served_from_its_start_until_its_end_exclusive(now: dt.datetime, served: bool) -> None:
    rendered = render_offer_tokens("Spring is here. Save {{offer:spring-sale.discount}} now.", OFFERS, "en", "web", now)
    assert rendered.text == ("Spring is here. Save 25% now." if served else "Spring is here.")
    assert rendered.dropped is not served
    assert SPRING.is_active(now) is served


AFTER = ENDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Save {{offer:spring-sale.discount}}!", ""),
        (
            "New linen. Save {{offer:spring-sale.discount}} with {{offer:spring-sale.code}}. Made in France.",
            "New linen. Made in France.",
        ),
        ("Save {{offer:spring-sale.discount}} today! Linen is back.", "Linen is back."),
        ("Linen is back.\n\nSave {{offer:spring-sale.discount}}.\n\nSee you soon.", "Linen is back.\n\nSee you soon."),
        ("Linen is back. Save {{offer:spring-sale.discount}}.\n\nSee you soon.", "Linen is back.\n\nSee you soon."),
        ("Linen is back.\n\nSave {{offer:spring-sale.discount}}. See you soon.", "Linen is back.\n\nSee you soon."),
        ("- Linen\n- {{offer:spring-sale.discount}} off\n- Rattan", "- Linen\n- Rattan"),
        ("No offer here.", "No offer here."),
    ],
)
def test_when_the_offer_is_over_the_sentence_holding_its_token_is_dropped(text: str, expected: str) -> None:
    rendered = render_offer_tokens(text, OFFERS, "en", "web", AFTER)
    assert rendered.text == expected
    assert rendered.dropped is (expected != text)


@pytest.mark.parametrize(
    "text",
    [
        "Hello. Save {{offer:winter-sale.discount}} now.",  # unknown offer
        "Hello. Save {{offer:spring-sale.percent}} now.",  # unknown field
        "Hello. Pay {{offer:spring-sale.price}} now.",  # a percent offer has no price
        "Hello. Save {{offer:spring-sale}} now.",  # no field at all
    ],
)
def test_a_token_that_cannot_render_is_never_served_raw(text: str) -> None:
    rendered = render_offer_tokens(text, OFFERS, "en", "web", DURING)
    assert rendered == rendered.__class__("Hello.", True)


def test_channels_that_require_legal_terms_get_them_appended_once() -> None:
    text = "Save {{offer:spring-sale.discount}} with {{offer:spring-sale.code}}. Or {{offer:spring-sale.discount}}."
    assert render(text, "fr", channel="email").endswith(f"25{NBSP}%.\n\nUne utilisation par client.")
    assert "client" not in render(text, "fr", channel="web")
    shown = "{{offer:spring-sale.legal_terms}}"
    assert render(shown, "en", channel="email") == "One use per customer."
    assert render("Save {{offer:spring-sale.discount}}.", "en", AFTER, channel="email") == ""


RICH = {
    "blocks": [
        {"type": "heading", "level": 2, "children": [{"type": "text", "text": "Spring"}]},
        {
            "type": "paragraph",
            "children": [
                {"type": "text", "text": "Save {{offer:spring-sale.discount}}", "marks": ["bold"]},
                {"type": "text", "text": " with code {{offer:spring-sale.code}}."},
            ],
        },
        {
            "type": "list",
            "ordered": False,
            "items": [
                [{"type": "text", "text": "Linen"}],
                [
                    {
                        "type": "link",
                        "href": "https://x.example",
                        "children": [{"type": "text", "text": "Bundle at {{offer:coffee-bundle.price}}"}],
                    }
                ],
            ],
        },
    ]
}


def test_rich_text_tokens_render_inside_their_inlines() -> None:
    rendered = render_offer_tokens_in_rich_text(RICH, OFFERS, "fr", "web", DURING, time_zone=PARIS)
    assert rendered.dropped is False
    paragraph, items = rendered.value["blocks"][1], rendered.value["blocks"][2]["items"]
    assert [inline["text"] for inline in paragraph["children"]] == [f"Save 25{NBSP}%", " with code BEAUXJOURS."]
    assert paragraph["children"][0]["marks"] == ["bold"]
    assert items[1][0]["children"][0]["text"] == f"Bundle at 169,00{NBSP}€"
    parse_rich_text(rendered.value)  # still a valid stored document for the channel renderers


def test_rich_text_drops_the_block_or_list_item_holding_an_inactive_offer() -> None:
    only_bundle = {"coffee-bundle": BUNDLE}  # spring-sale unknown: its paragraph goes, the bundle item stays
    rendered = render_offer_tokens_in_rich_text(RICH, only_bundle, "en", "web", DURING)
    assert [block["type"] for block in rendered.value["blocks"]] == ["heading", "list"]
    assert rendered.dropped is True
    after = render_offer_tokens_in_rich_text(RICH, OFFERS, "en", "web", AFTER)
    assert [block["type"] for block in after.value["blocks"]] == ["heading", "list"]
    assert after.value["blocks"][1]["items"] == [[{"type": "text", "text": "Linen"}]]


def test_rich_text_on_email_ends_with_the_legal_terms_of_offers_it_shows() -> None:
    value = rich_text_from_paragraphs("Save {{offer:spring-sale.discount}}.")
    rendered = render_offer_tokens_in_rich_text(value, OFFERS, "en", "email", DURING, legal_terms_channels=["email"])
    assert [block["children"][0]["text"] for block in rendered.value["blocks"]] == [
        "Save 25%.",
        "One use per customer.",
    ]


def test_a_token_cut_by_formatting_is_withheld_rather_than_served_raw() -> None:
    value = {
        "blocks": [
            {
                "type": "paragraph",
                "children": [
                    {"type": "text", "text": "Save {{offer:spring"},
                    {"type": "text", "text": "-sale.discount}}"},
                ],
            }
        ]
    }
    rendered = render_offer_tokens_in_rich_text(value, OFFERS, "en", "web", DURING)
    assert rendered.value["blocks"] == []
    assert rendered.dropped is True


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("Save {{offer:spring-sale.discount}}.", DURING, []),
        ("Save {{offer:sprnig-sale.discount}}.", DURING, [("unknown_offer", "error", "did you mean spring-sale?")]),
        (
            "Save {{offer:spring-sale.percentage}}.",
            DURING,
            [
                (
                    "unknown_offer_field",
                    "error",
                    "use one of: title, discount, price, code, starts_at, ends_at, legal_terms",
                )
            ],
        ),
        (
            "Pay {{offer:spring-sale.price}}.",
            DURING,
            [("empty_offer_field", "error", "fill it in on the offer, or remove the token")],
        ),
        (
            "Save {{offer:spring-sale.discount}}.",
            ENDS,
            [("offer_ended", "warning", "remove the sentence or refer to a current offer")],
        ),
        ("Save {{offer:spring-sale.discount}}.", STARTS - MICROSECOND, []),  # prepared ahead of the start: fine
    ],
)
def test_token_checks_at_lint_time(text: str, now: dt.datetime, expected: list[tuple[str, str, str]]) -> None:
    findings = check_offer_tokens(text, OFFERS, locale="en", now=now, field="body", channel="web")
    assert [(f.rule, f.severity, f.suggestion) for f in findings] == expected
    assert all(text[f.start : f.end].startswith("{{offer:") and text[f.end - 2 : f.end] == "}}" for f in findings)


def test_unknown_offer_message_names_the_slug() -> None:
    (finding,) = check_offer_tokens("{{offer:nope.discount}}", OFFERS, locale="fr")
    assert finding.message == "refers to offer “nope”, which does not exist"


def test_budgets_count_tokens_as_rendered() -> None:
    assert expand_offer_tokens("{{offer:spring-sale.code}} {{offer:x.y}}", OFFERS, "en") == "BEAUXJOURS {{offer:x.y}}"


def test_offer_facts_are_built_from_the_offer_entry(model: ContentModel) -> None:
    data = EntryData(
        base={
            "en": {
                "title": "Spring garden days",
                "slug": "spring-sale",
                "discount_kind": "percent",
                "discount_percent": "25.00",
                "code": "BEAUXJOURS",
                "starts_at": "2026-03-19T23:00:00Z",
                "ends_at": "2026-04-05T22:00:00Z",
                "categories": ["garden"],
                "legal_terms": "One use per customer.",
            },
            "fr": {"title": "Les beaux jours au jardin"},
        },
        overrides={"email": {"en": {"legal_terms": "One use per customer, by e-mail."}}},
    )
    facts = offer_facts_from_entry(model, model.types["offer"], data)
    assert facts == OfferFacts(
        slug="spring-sale",
        discount_kind="percent",
        discount_percent=Decimal("25.00"),
        code="BEAUXJOURS",
        starts_at=STARTS,
        ends_at=ENDS,
        title={"en": "Spring garden days", "fr": "Les beaux jours au jardin"},
        legal_terms={"en": "One use per customer.", "fr": "One use per customer."},  # French falls back to English
        category_ids=("garden",),
    )
    on_email = offer_facts_from_entry(model, model.types["offer"], data, channel="email")
    assert on_email.legal_terms["en"] == "One use per customer, by e-mail."


def test_an_incomplete_offer_is_refused(model: ContentModel) -> None:
    with pytest.raises(ValueError, match="not a complete offer"):
        offer_facts_from_entry(model, model.types["offer"], EntryData(base={"en": {"slug": "x"}}))


def test_next_offer_change_is_when_copy_must_be_rendered_again() -> None:
    assert next_offer_change(OFFERS.values(), STARTS - MICROSECOND) == STARTS
    assert next_offer_change(OFFERS.values(), STARTS) == ENDS
    assert next_offer_change(OFFERS.values(), ENDS) is None
