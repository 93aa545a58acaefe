"""Resolution order: channel override in locale -> override in fallbacks -> base in locale -> base in fallbacks."""

from __future__ import annotations

import pytest

from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.resolve import MISSING, resolve_field, source_of

EN, FR = "en", "fr"


def data(base: dict | None = None, social: dict | None = None) -> EntryData:  # type: ignore[type-arg]
    return EntryData(base=base or {}, overrides={"social": social} if social else {})


@pytest.mark.parametrize(
    ("entry", "channel", "locale", "expected", "source"),
    [
        # The social override in the requested locale wins over everything.
        (
            data({EN: {"name": "Base en"}, FR: {"name": "Base fr"}}, {FR: {"name": "Social fr"}}),
            "social",
            FR,
            "Social fr",
            ("override", FR),
        ),
        # An override in a fallback locale wins over the base value in the requested locale.
        (
            data({EN: {"name": "Base en"}, FR: {"name": "Base fr"}}, {EN: {"name": "Social en"}}),
            "social",
            FR,
            "Social en",
            ("override", EN),
        ),
        # Other channels never see the social override.
        (
            data({EN: {"name": "Base en"}, FR: {"name": "Base fr"}}, {FR: {"name": "Social fr"}}),
            "web",
            FR,
            "Base fr",
            ("base", FR),
        ),
        # No override: the base value in the locale.
        (data({EN: {"name": "Base en"}, FR: {"name": "Base fr"}}), "social", FR, "Base fr", ("base", FR)),
        # No French at all: English, through the fallback chain.
        (data({EN: {"name": "Base en"}}), "web", FR, "Base en", ("base", EN)),
        # English never falls back to French.
        (data({EN: {}, FR: {"name": "Base fr"}}), "web", EN, MISSING, None),
    ],
)
def test_resolution_order(
    model: ContentModel, entry: EntryData, channel: str, locale: str, expected: object, source: object
) -> None:
    field = model.types["product"].field("name")
    assert field is not None
    assert resolve_field(model, entry, field, channel, locale) == expected
    assert source_of(model, entry, field, channel, locale) == source


def test_a_non_localized_field_has_one_value_for_every_locale(model: ContentModel) -> None:
    field = model.types["product"].field("brand")
    assert field is not None and not field.localized
    entry = data({EN: {"brand": "Lumen"}})
    assert resolve_field(model, entry, field, "web", FR) == "Lumen"
    assert (
        resolve_field(model, data({EN: {"brand": "Lumen"}}, {EN: {"brand": "LUMEN"}}), field, "social", FR) == "LUMEN"
    )


def test_fallback_chain_ends_with_the_default_locale_without_repeats(model: ContentModel) -> None:
    assert model.fallback_chain(FR) == [FR, EN]
    assert model.fallback_chain(EN) == [EN]
