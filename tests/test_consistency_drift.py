"""Drift: figures written by hand that contradict the offer the copy refers to, or the product's own price."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cms.consistency import Money, OfferFacts, find_drift, referenced_offers

NBSP, NNBSP = "\u00a0", "\u202f"
PARIS = "Europe/Paris"
SPRING = OfferFacts(
    slug="spring-sale",
    discount_kind="percent",
    discount_percent=Decimal("25.00"),
    code="BEAUXJOURS",
    starts_at=dt.datetime(2026, 3, 19, 23, 0, tzinfo=dt.UTC),  # 20 March in Paris
    ends_at=dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC),  # last day: 31 March in Paris
    title={"en": "Spring garden days", "fr": "Les beaux jours au jardin"},
)
BUNDLE = OfferFacts(
    slug="coffee-bundle",
    discount_kind="amount",
    discount_amount=Money(Decimal("38.70"), "EUR"),
    price=Money(Decimal("169.00"), "EUR"),
    starts_at=dt.datetime(2026, 5, 1, 7, 0, tzinfo=dt.UTC),
    ends_at=dt.datetime(2027, 4, 30, 22, 0, tzinfo=dt.UTC),
    title={"en": "The slow coffee bundle", "fr": "Le coffret café filtre"},
)
OFFERS = [SPRING, BUNDLE]


def drift(text: str, locale: str, own_price: Money | None = None) -> list[tuple[str, str, str]]:
    """(rule, the figure pointed at, message) for each finding; all of them errors."""
    findings = find_drift(text, locale, referenced_offers(text, OFFERS), own_price, time_zone=PARIS)
    assert all(finding.severity == "error" for finding in findings)
    return [(f.rule, text[f.start : f.end], f.message) for f in findings]


def warnings(text: str, locale: str) -> list[tuple[str, str, str]]:
    """(rule, the figure pointed at, message) for each finding; all of them warnings."""
    findings = find_drift(text, locale, referenced_offers(text, OFFERS), None, time_zone=PARIS)
    assert all(finding.severity == "warning" for finding in findings)
    return [(f.rule, text[f.start : f.end], f.message) for f in findings]


@pytest.mark.parametrize(
    ("locale", "text", "figure", "message"),
    [
        # percentages, by token, title or code
        ("fr", "Les beaux jours au jardin : 30 % de remise.", "30 %", f"says 30 % but offer spring-sale is 25{NBSP}%"),
        (
            "fr",
            f"{{{{offer:spring-sale.title}}}}{NNBSP}: -30{NNBSP}% sur le jardin.",
            f"30{NNBSP}%",
            f"says 30{NNBSP}% but offer spring-sale is 25{NBSP}%",
        ),
        ("fr", "Avec BEAUXJOURS, 30% de réduction.", "30%", f"says 30% but offer spring-sale is 25{NBSP}%"),
        ("en", "Spring garden days: 30% off everything.", "30%", "says 30% but offer spring-sale is 25%"),
        # money, against the offer price and discount
        (
            "fr",
            "Le coffret café filtre à 179,00 €.",
            "179,00 €",
            f"says 179,00 € but offer coffee-bundle is 169,00{NBSP}€",
        ),
        (
            "fr",
            "Le coffret café filtre : 179€ seulement.",
            "179€",
            f"says 179€ but offer coffee-bundle is 169,00{NBSP}€",
        ),
        ("en", "The slow coffee bundle, now €179.", "€179", "says €179 but offer coffee-bundle is €169.00"),
        (
            "en",
            "The slow coffee bundle for 179.00 EUR.",
            "179.00 EUR",
            "says 179.00 EUR but offer coffee-bundle is €169.00",
        ),
        ("en", "The slow coffee bundle for $169.", "$169", "says $169 but offer coffee-bundle is €169.00"),
        # dates, against the first and last day
        (
            "en",
            "Spring garden days: until 31 March 2027.",
            "31 March 2027",
            "says 31 March 2027 but offer spring-sale runs from March 20, 2026 to March 31, 2026",
        ),
        (
            "en",
            "Spring garden days start on April 1.",
            "April 1",
            "says April 1 but offer spring-sale runs from March 20, 2026 to March 31, 2026",
        ),
        (
            "en",
            "Spring garden days end April 5.",
            "April 5",
            "says April 5 but offer spring-sale runs from March 20, 2026 to March 31, 2026",
        ),
        (
            "fr",
            "Les beaux jours au jardin, dès le 15 mars.",
            "15 mars",
            "says 15 mars but offer spring-sale runs from 20 mars 2026 to 31 mars 2026",
        ),
        # codes
        (
            "en",
            "Spring garden days: use code SPRING25.",
            "SPRING25",
            "says code SPRING25 but offer spring-sale has code BEAUXJOURS",
        ),
        (
            "fr",
            f"Les beaux jours au jardin avec le code promo{NNBSP}: BEAUXJOUR.",
            "BEAUXJOUR",
            "says code BEAUXJOUR but offer spring-sale has code BEAUXJOURS",
        ),
        (
            "en",
            "The slow coffee bundle with code COFFEE10.",
            "COFFEE10",
            "says code COFFEE10 but offer coffee-bundle has no code",
        ),
    ],
)
def test_figures_contradicting_the_offer_are_errors(locale: str, text: str, figure: str, message: str) -> None:
    assert drift(text, locale) == [("offer_drift", figure, message)]


UNDERSTATED = ": the copy promises less than the offer gives"


@pytest.mark.parametrize(
    ("locale", "text", "figure", "message"),
    [
        # an end earlier than the real end, a start later than the real start: the offer gives more
        (
            "en",
            "Spring garden days end March 30.",
            "March 30",
            f"says March 30 but offer spring-sale runs from March 20, 2026 to March 31, 2026{UNDERSTATED}",
        ),
        (
            "fr",
            "Les beaux jours au jardin, jusqu’au 30 mars.",
            "30 mars",
            f"says 30 mars but offer spring-sale runs from 20 mars 2026 to 31 mars 2026{UNDERSTATED}",
        ),
        (
            "fr",
            "Les beaux jours au jardin, jusqu’au 30/03/2026.",
            "30/03/2026",
            f"says 30/03/2026 but offer spring-sale runs from 20 mars 2026 to 31 mars 2026{UNDERSTATED}",
        ),
        (
            "en",
            "Spring garden days from March 25.",
            "March 25",
            f"says March 25 but offer spring-sale runs from March 20, 2026 to March 31, 2026{UNDERSTATED}",
        ),
        # a smaller discount than the offer's
        (
            "en",
            "Save 20 percent with code BEAUXJOURS.",
            "20 percent",
            f"says 20 percent but offer spring-sale is 25%{UNDERSTATED}",
        ),
    ],
)
def test_copy_promising_less_than_the_offer_gives_is_a_warning(
    locale: str, text: str, figure: str, message: str
) -> None:
    assert warnings(text, locale) == [("offer_understated", figure, message)]


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "Spring garden days: 25% off with code BEAUXJOURS until March 31."),
        ("fr", f"Les beaux jours au jardin{NNBSP}: 25{NBSP}% de remise du 20 mars au 31 mars 2026."),
        ("fr", "Les beaux jours au jardin : 25 % off, 25% aussi, et 25,00 % encore."),
        ("en", "{{offer:spring-sale.discount}} off until {{offer:spring-sale.ends_at}}, that is 25 % off."),
        ("fr", "Le coffret café filtre à 169,00 €, soit 38,70 € d’économie."),
        ("en", "The slow coffee bundle: €169 instead of €207.70."),  # a reference price, not a claim about the offer
        ("fr", "Le coffret café filtre : 169 € au lieu de 207,70 €."),
        ("en", "Spring garden days, since 2026, in 12 stores."),  # a year and a count, not figures
        ("fr", "Les beaux jours au jardin : un arrosoir de 1,5 L et une bâche de 2,5 m."),
        ("en", "Our linen is 100% flax. Spring garden days are here."),  # 100 % is not about the offer
        ("fr", "Un plaid 100 % lin."),  # no offer referred to at all
        ("en", "Save 30% on everything."),  # no offer referred to: nothing to compare with
        ("en", "Spring garden days are back on 20/03."),
        ("en", "Spring garden days: free delivery over €50."),
    ],
)
def test_figures_that_agree_or_are_not_about_the_offer_do_not_fire(locale: str, text: str) -> None:
    assert drift(text, locale) == []


OWN = Money(Decimal("12.99"), "EUR")


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en", "Yours for €12.99.", []),
        ("fr", "À vous pour 12,99 €.", []),
        ("fr", "À vous pour 12,99€.", []),
        ("en", "Yours for 12.99 EUR.", []),
        ("fr", "À vous pour €12.99.", []),
        ("fr", "À vous pour 12.99 EUR.", []),
        ("fr", "Un pichet de 1,5 L, édition 2026.", []),
        ("en", "Yours for €14.99.", [("price_drift", "€14.99", "says €14.99 but the price is €12.99")]),
        ("fr", "À vous pour 14,99 €.", [("price_drift", "14,99 €", f"says 14,99 € but the price is 12,99{NBSP}€")]),
        ("en", "Was €19.99, now €12.99.", []),
        ("fr", "Livraison offerte dès 50 €.", []),
        ("en", "A 1.5 L jug, 2026 edition, 4.5 stars.", []),
    ],
)
def test_a_price_stated_in_copy_must_be_the_products_own(
    locale: str, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert drift(text, locale, OWN) == expected


def test_offers_are_referred_to_by_token_code_or_title() -> None:
    assert referenced_offers("Use {{offer:coffee-bundle.price}}.", OFFERS) == [BUNDLE]
    assert referenced_offers("Use BEAUXJOURS today.", OFFERS) == [SPRING]
    assert referenced_offers("Use beauxjours today.", OFFERS) == []  # codes are case-sensitive
    assert referenced_offers("LES BEAUX JOURS AU JARDIN et le coffret café filtre", OFFERS) == [SPRING, BUNDLE]
    assert referenced_offers("Spring days in the garden.", OFFERS) == []


def test_the_finding_is_placed_where_it_is_asked() -> None:
    (finding,) = find_drift("BEAUXJOURS: 30% off.", "en", [SPRING], None, field="headline", channel="social")
    assert (finding.field, finding.locale, finding.channel, finding.start, finding.end) == (
        "headline",
        "en",
        "social",
        12,
        15,
    )
    assert finding.suggestion == "write {{offer:spring-sale.discount}} instead"
