"""Copy against live facts (pure): stock phrases against a channel's availability, quoted prices against what
the channel charges now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cms.consistency import Money, OfferFacts
from cms.consistency.live_facts import ChannelFacts, check_live_facts
from cms.consistency.voice_config import StockPhrases

EUR_12_99 = Money(Decimal("12.99"), "EUR")
PHRASES = StockPhrases()


def stock(availability: str | None) -> ChannelFacts:
    return ChannelFacts(prices=(EUR_12_99,), charged=(EUR_12_99,), availability=availability)


def found(text: str, locale: str, facts: ChannelFacts, offers: list[OfferFacts] | None = None) -> list[tuple[str, str]]:
    findings = check_live_facts(text, locale, facts, PHRASES, offers or [], field="summary", channel="web")
    assert {finding.severity for finding in findings} <= {"warning"}  # stock moves after publishing: never blocks
    return [(finding.rule, text[finding.start : finding.end]) for finding in findings]


STOCK_CASES = [
    ("In stock and ready to ship.", "en", "OUT", [("stock_claim", "In stock"), ("stock_claim", "ready to ship")]),
    ("In stock now.", "en", "LOW", []),
    ("In stock now.", "en", "IN_STOCK", []),
    ("Sold out, back in spring.", "en", "IN_STOCK", [("stock_claim", "Sold out")]),
    ("Sold out, back in spring.", "en", "OUT", []),
    ("Not in stock at the moment.", "en", "IN_STOCK", [("stock_claim", "Not in stock")]),
    ("Not in stock at the moment.", "en", "OUT", []),  # "in stock" inside "not in stock" is no claim of stock
    ("Available now in three finishes.", "en", "OUT", [("stock_claim", "Available now")]),
    ("En stock dans nos boutiques.", "fr", "OUT", [("stock_claim", "En stock")]),
    ("Disponible en trois finitions.", "fr", "OUT", [("stock_claim", "Disponible")]),
    ("Modèle épuisé.", "fr", "LOW", [("stock_claim", "épuisé")]),
    ("Actuellement en rupture de stock.", "fr", "IN_STOCK", [("stock_claim", "en rupture de stock")]),
    ("Rupture de stock.", "fr", "IN_STOCK", [("stock_claim", "Rupture de stock")]),
    ("Ce modèle n’est plus disponible.", "fr", "OUT", []),  # "plus disponible" says it is out: true
    ("Indisponible en boutique.", "fr", "OUT", []),
    ("In stock.", "fr", "OUT", []),  # phrases are per language: English words in French copy are not read
    ("In stock.", "en", None, []),  # a channel selling from no location has no stock to compare
]


@pytest.mark.parametrize(("text", "locale", "availability", "expected"), STOCK_CASES)
def test_a_stock_phrase_is_checked_against_the_channels_availability(
    text: str, locale: str, availability: str | None, expected: list[tuple[str, str]]
) -> None:
    assert found(text, locale, stock(availability)) == expected


PRICE_CASES = [
    ("Yours for €12.99.", "en", []),
    ("Yours for €14.99.", "en", [("price_live", "€14.99")]),
    ("Le vôtre pour 12,99 €.", "fr", []),
    ("Le vôtre pour 14,99 €.", "fr", [("price_live", "14,99 €")]),
    ("Yours for 12.99 EUR.", "en", []),
    ("Yours for CHF 12.35.", "en", [("price_live", "CHF 12.35")]),  # francs quoted where euros are charged
    ("Free delivery over €50.", "en", []),  # a bound, not the price
    ("Yours for €12.99, instead of €19.99.", "en", []),  # a former price is the drift rule's business
]


@pytest.mark.parametrize(("text", "locale", "expected"), PRICE_CASES)
def test_a_quoted_price_is_checked_against_what_the_channel_charges(
    text: str, locale: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, locale, stock(None)) == expected


def test_the_price_before_the_offer_and_an_offers_own_amount_are_prices_too() -> None:
    before, during = Money(Decimal("19.99"), "EUR"), Money(Decimal("14.99"), "EUR")
    facts = ChannelFacts(prices=(during, before), charged=(during,), availability=None)
    instant = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    offer = OfferFacts(
        slug="five-off",
        discount_kind="amount",
        discount_amount=Money(Decimal("5"), "EUR"),
        starts_at=instant,
        ends_at=instant + dt.timedelta(days=7),
    )

    assert found("Now €14.99, down from €19.99: €5 off.", "en", facts, [offer]) == []
    assert found("Now €13.99.", "en", facts, [offer]) == [("price_live", "€13.99")]


def test_a_finding_names_the_quoted_fact_and_the_live_one_in_its_params() -> None:
    [price] = check_live_facts("Only €9.99!", "en", stock(None), PHRASES, [], field="summary", channel="web_ch")
    [claim] = check_live_facts("Épuisé.", "fr", stock("IN_STOCK"), PHRASES, [], field="summary", channel="kiosk")

    assert (price.channel, dict(price.params)) == ("web_ch", {"said": "€9.99", "actual": "€12.99"})
    assert price.message == "says €9.99 but web_ch charges €12.99 now"
    assert (claim.channel, dict(claim.params)) == ("kiosk", {"said": "Épuisé", "actual": "IN_STOCK", "fact": "some"})


def test_the_voice_file_may_replace_a_languages_phrases() -> None:
    phrases = StockPhrases(in_stock={"en": ["on the shelf"]})
    findings = check_live_facts(
        "On the shelf today, in stock.", "en", stock("OUT"), phrases, [], field="summary", channel="web"
    )

    assert [finding.params for finding in findings] == [(("actual", "OUT"), ("fact", "none"), ("said", "On the shelf"))]
