"""The content model: what ships in content_types/, how a broken model is reported, entry data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from cms.app import create_app
from cms.model import ContentModel, InvalidModelError, ModelProblem, load_model, read_model
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.settings import Settings
from tests.model_copies import break_file, copy_shipped_model

if TYPE_CHECKING:
    from pathlib import Path

CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"]

# --- the shipped model ----------------------------------------------------------------------------


def test_shipped_model_declares_the_six_content_types(model: ContentModel) -> None:
    assert set(model.types) == {"product", "category", "brand_message", "tutorial", "offer", "campaign"}


def test_shipped_model_delivers_on_seven_channels_in_declared_order(model: ContentModel) -> None:
    assert list(model.channels) == CHANNELS


def test_shipped_model_defaults_to_english_and_french_falls_back_to_english(
    model: ContentModel,
) -> None:
    assert model.default_locale == "en"
    assert set(model.locales) == {"en", "fr"}
    assert model.fallback_chain("fr") == ["fr", "en"]


def test_shipped_model_uses_every_field_kind(model: ContentModel) -> None:
    used = {field.kind for content_type in model.types.values() for field in content_type.fields}
    assert used == {
        "string", "text", "rich_text", "integer", "decimal", "boolean", "datetime", "enum",
        "slug", "money", "reference", "references", "asset", "assets", "object", "json", "variants",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("type_name", "field_name", "visible_on"),
    [
        ("brand_message", "subject_line", ["email"]),
        ("brand_message", "preheader", ["email"]),
        ("brand_message", "social_text", ["social"]),
        ("brand_message", "title", CHANNELS),
    ],
)
def test_channel_only_fields_are_visible_on_their_channels_only(
    model: ContentModel, type_name: str, field_name: str, visible_on: list[str]
) -> None:
    field = model.types[type_name].field(field_name)
    assert field is not None
    assert [channel for channel in model.channels if field.visible_on(channel)] == visible_on


def test_product_carries_a_unique_gtin_so_a_scanned_product_can_be_looked_up(
    model: ContentModel,
) -> None:
    gtin = model.types["product"].field("gtin")
    assert gtin is not None
    assert (gtin.kind, gtin.format, gtin.unique, gtin.filterable) == ("string", "gtin", True, True)


# --- broken models: every problem as file, key and reason -----------------------------------------


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return copy_shipped_model(tmp_path)


def problems_in(directory: Path) -> list[ModelProblem]:
    model, problems = read_model(directory)
    assert model is None, "a model with problems must not be returned"
    return problems


BRAND_KIND = 'kind = "string"\nlabel = { en = "Brand"'
KIOSK_LOCALE = 'locales = ["en", "fr"]\ndefault_locale = "fr"'  # the kiosk's (the assistant lists "fr" first)
KIOSK_LOCALE_DE = 'locales = ["en", "fr"]\ndefault_locale = "de"'
KINDS_LISTED = ("string", "rich_text", "references", "json")

# (file, text replaced, replacement or None to delete the file, key, parts of the reason)
BROKEN_MODELS = [
    pytest.param("product.toml", BRAND_KIND, BRAND_KIND.replace("string", "strng"),
                 "fields[4].kind", ("'strng'", *KINDS_LISTED), id="bad-kind"),
    pytest.param("product.toml", 'to = "category"', 'to = "categroy"',
                 "fields[8].to", ("'categroy'",), id="unknown-reference-target"),
    pytest.param("product.toml", 'name = "brand"', 'name = "sku"',
                 "fields[4].name", ("duplicate", "'sku'", "fields[3]"), id="duplicate-field"),
    pytest.param("tutorial.toml", 'values = ["beginner", "intermediate", "advanced"]\n', "",
                 "fields[4].values", ("values",), id="enum-without-values"),
    pytest.param("category.toml", 'name = "position"\n', 'name = "position"\ncolour = 1\n',
                 "fields[3]", ("unknown option", "colour"), id="unknown-option"),
    pytest.param("product.toml", 'channels = ["kiosk"]', 'channels = ["kiosque"]',
                 "fields[17].channels", ("'kiosque'",), id="field-on-unknown-channel"),
    pytest.param("channels.toml", KIOSK_LOCALE, KIOSK_LOCALE_DE,
                 "channels.kiosk.default_locale", ("'de'",), id="default-locale-not-served"),
    pytest.param("locales.toml", 'fallback = ["en"]', 'fallback = ["de"]',
                 "locales[1].fallback", ("'de'",), id="unknown-fallback-locale"),
    pytest.param("tutorial.toml", 'name = "cover"', 'name = "cover',
                 "", ("not valid TOML", "line 86"), id="invalid-toml"),
    pytest.param("channels.toml", "", None,
                 "", ("missing",), id="missing-channels-file"),
    pytest.param("product.toml", 'name = "stock"\n', 'name = "stock"\nsearch = "A"\n',
                 "fields[10].search", ("integer fields cannot be searched",), id="search-on-a-number"),
    pytest.param("product.toml", 'search = "A"\nfacet = true', 'search = "D"\nfacet = true',
                 "fields[4].search", ("invalid enum value 'D'",), id="unknown-search-weight"),
    pytest.param("product.toml", "facet_ranges = [25, 50, 100, 200]\n", "",
                 "fields[7].facet_ranges", ("counts by ranges",), id="numeric-facet-without-ranges"),
    pytest.param("product.toml", "facet_ranges = [25, 50, 100, 200]", "facet_ranges = [50, 25]",
                 "fields[7].facet_ranges", ("strictly ascending",), id="facet-ranges-out-of-order"),
    pytest.param("product.toml", 'name = "attributes"\n', 'name = "attributes"\nfacet = true\n',
                 "fields[16].facet", ("json fields cannot be facets",), id="facet-on-json"),
    pytest.param("product.toml", '  name = "value"\n', '  name = "value"\n  localized = true\n',
                 "fields[15].fields[1]", ("localized",), id="localized-sub-field"),
    pytest.param("product.toml", 'kind = "rich_text"\n', 'kind = "rich_text"\nfilterable = true\n',
                 "fields[6].filterable", ("rich_text",), id="filterable-rich-text"),
    pytest.param("category.toml", 'name = "position"', 'name = "id"',
                 "fields[3].name", ("'id'", "reserved"), id="reserved-field-name"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "key", "reason_parts"), BROKEN_MODELS)
def test_a_broken_model_names_the_file_the_key_and_the_reason(
    model_dir: Path, file: str, old: str, new: str | None, key: str, reason_parts: tuple[str, ...]
) -> None:
    # given a copy of the shipped model with one thing broken
    break_file(model_dir, file, old, new)
    # when it is read
    problems = [problem for problem in problems_in(model_dir) if problem.file == file]
    # then the broken file has exactly one problem, at the key, saying why
    assert [problem.key for problem in problems] == [key]
    for part in reason_parts:
        assert part in problems[0].reason


def test_several_problems_are_all_reported_not_only_the_first(model_dir: Path) -> None:
    break_file(model_dir, "product.toml", 'to = "category"', 'to = "categroy"')
    break_file(model_dir, "tutorial.toml", 'values = ["beginner", "intermediate", "advanced"]', "")
    break_file(
        model_dir,
        "channels.toml",
        'locales = ["en", "fr"]\ndefault_locale = "fr"',
        'locales = ["en", "fr"]\ndefault_locale = "de"',
    )
    break_file(model_dir, "locales.toml", 'fallback = ["en"]', 'fallback = ["de"]')

    problems = problems_in(model_dir)

    assert sorted((problem.file, problem.key) for problem in problems) == [
        ("channels.toml", "channels.kiosk.default_locale"),
        ("locales.toml", "locales[1].fallback"),
        ("product.toml", "fields[8].to"),
        ("tutorial.toml", "fields[4].values"),
    ]


def test_loading_and_the_app_refuse_an_invalid_model_with_the_problem_lines(model_dir: Path, tmp_path: Path) -> None:
    break_file(model_dir, "product.toml", 'to = "category"', 'to = "categroy"')
    expected_line = "product.toml: fields[8].to: unknown content type 'categroy'"

    with pytest.raises(InvalidModelError) as loading:
        load_model(model_dir)
    settings = Settings(model_dir=str(model_dir), media_root=str(tmp_path / "media"))
    with pytest.raises(InvalidModelError) as starting:
        create_app(settings)

    assert expected_line in str(loading.value)
    assert expected_line in str(starting.value)


def test_a_type_file_that_fails_to_decode_is_not_also_reported_as_an_unknown_type(
    model_dir: Path,
) -> None:
    # given product.toml with a misspelled kind; other files reference `product`
    break_file(model_dir, "product.toml", BRAND_KIND, BRAND_KIND.replace("string", "strng"))
    # then the typo is the only problem: `product` still exists, it is just broken
    assert [(problem.file, problem.key) for problem in problems_in(model_dir)] == [("product.toml", "fields[4].kind")]


def test_a_problem_in_a_channel_names_the_channel_in_its_key(model_dir: Path) -> None:
    kiosk = 'rich_text = "text"\ntypes = ["product", "category"'
    break_file(model_dir, "channels.toml", kiosk, kiosk.replace('"text"', '"plain"'))
    assert [(problem.file, problem.key) for problem in problems_in(model_dir)] == [
        ("channels.toml", "channels.kiosk.rich_text")
    ]


def test_a_locale_declared_twice_is_reported(model_dir: Path) -> None:
    english_again = 'name = "English"\n\n[[locales]]\ncode = "en"\nname = "Anglais"\n'
    break_file(model_dir, "locales.toml", 'name = "English"\n', english_again)
    assert [(problem.file, problem.key) for problem in problems_in(model_dir)] == [("locales.toml", "locales[1].code")]


# --- entry data against the shipped model ---------------------------------------------------------

# 4006381333931: 4·1 + 0·3 + 0·1 + 6·3 + 3·1 + 8·3 + 1·1 + 3·3 + 3·1 + 3·3 + 9·1 + 3·3 = 89,
# so the check digit is 10 - 9 = 1.
VALID_GTIN_13 = "4006381333931"
KETTLE = {
    "name": "Kettle",
    "slug": "kettle",
    "gtin": VALID_GTIN_13,
    "price": {"amount": "24.90", "currency": "EUR"},
    "category": "category-1",
    "availability": "in_stock",
}
NEWS = {"title": "Spring news", "slug": "spring-news", "body": {"blocks": []}}
EMAIL_SUBJECT = {"en": {"subject_line": "Spring is here"}}
ABSENT = object()


def kettle(**changes: Any) -> EntryData:
    """A valid product in English, with some values changed (or ABSENT)."""
    values = {**KETTLE, **changes}
    return EntryData(base={"en": {name: v for name, v in values.items() if v is not ABSENT}})


def news(**overrides: Any) -> EntryData:
    """A valid brand message in English, with overrides per channel."""
    return EntryData(base={"en": NEWS}, overrides=overrides)


def refusal_reasons(model: ContentModel, type_name: str, data: EntryData) -> dict[str, list[str]]:
    """The reasons given for each refused path."""
    with pytest.raises(InvalidEntryError) as refused:
        validate_entry_data(model, model.types[type_name], data)
    reasons: dict[str, list[str]] = {}
    for error in refused.value.errors:
        reasons.setdefault(error.path, []).append(error.reason)
    return reasons


@pytest.mark.parametrize(
    ("type_name", "data", "path", "reason_part"),
    [
        ("product", kettle(name=ABSENT), "base.en.name", "is required"),
        ("product", kettle(name=""), "base.en.name", "is required"),
        ("product", kettle(name="k" * 125), "base.en.name", "over the limit of 120 by 5"),
        ("product", kettle(gtin="4006381333932"), "base.en.gtin", "not a valid GTIN"),
        ("product", kettle(gtin="4006381333"), "base.en.gtin", "not a valid GTIN"),
        ("product", kettle(gtin="40063813339A1"), "base.en.gtin", "not a valid GTIN"),
        ("product", kettle(price={"amount": "24.999", "currency": "EUR"}),
         "base.en.price.amount", "2 decimal places"),
        ("product", kettle(released_at="2026-03-01T09:00:00"), "base.en.released_at", "timezone"),
        ("product", kettle(availability="sold_out"), "base.en.availability", "'sold_out'"),
        ("product", kettle(colour="red"), "base.en.colour", "unknown field"),
        ("product", EntryData(base={"en": KETTLE, "fr": {"gtin": VALID_GTIN_13}}),
         "base.fr.gtin", "not localized"),
        ("brand_message", news(web={"en": {"preheader": "Hi"}}),
         "overrides.web.en.preheader", "not shown on web"),
        ("brand_message", news(web={"en": {"subject_line": "Hi"}}),
         "overrides.web.en.subject_line", "not shown on web"),
        ("product", EntryData(base={"en": KETTLE}, overrides={"print": {"en": {"name": "Kettle"}}}),
         "overrides.print", "unknown channel"),
    ],
)  # fmt: skip
def test_entry_data_that_does_not_fit_the_model_is_refused_at_its_path(
    model: ContentModel, type_name: str, data: EntryData, path: str, reason_part: str
) -> None:
    reasons = refusal_reasons(model, type_name, data)
    assert any(reason_part in reason for reason in reasons.get(path, [])), reasons


# 96385074: GTIN-8; 036000291452: GTIN-12 (UPC-A); 10012345678902: GTIN-14.
@pytest.mark.parametrize("gtin", [VALID_GTIN_13, "96385074", "036000291452", "10012345678902"])
def test_a_gtin_with_a_correct_check_digit_is_accepted(model: ContentModel, gtin: str) -> None:
    saved = validate_entry_data(model, model.types["product"], kettle(gtin=gtin))
    assert saved.base["en"]["gtin"] == gtin


def test_a_datetime_with_an_offset_is_stored_in_utc(model: ContentModel) -> None:
    data = kettle(released_at="2026-03-01T09:00:00+02:00")
    saved = validate_entry_data(model, model.types["product"], data)
    assert saved.base["en"]["released_at"] == "2026-03-01T07:00:00Z"


def test_an_email_only_field_can_be_set_on_the_email_channel(model: ContentModel) -> None:
    saved = validate_entry_data(model, model.types["brand_message"], news(email=EMAIL_SUBJECT))
    assert saved.overrides == {"email": EMAIL_SUBJECT}


def test_an_empty_string_is_treated_as_absent(model: ContentModel) -> None:
    # given an empty optional summary and an empty web override of the name
    data = EntryData(base={"en": {**KETTLE, "summary": ""}}, overrides={"web": {"en": {"name": ""}}})
    # when it is validated
    saved = validate_entry_data(model, model.types["product"], data)
    # then neither is stored: the base value (or the fallback) applies
    assert (saved.base, saved.overrides) == ({"en": KETTLE}, {})


def test_an_invalid_value_of_a_required_field_is_not_also_reported_as_missing(
    model: ContentModel,
) -> None:
    data = kettle(price={"amount": "24.999", "currency": "EUR"})
    reasons = refusal_reasons(model, "product", data)
    assert reasons == {"base.en.price.amount": ["EUR amounts have at most 2 decimal places"]}


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("money.toml", ("money.toml", "", "the GraphQL type 'Money' made for it clashes with a built-in type: rename")),
        (
            "product_specs.toml",
            (
                "product_specs.toml",
                "",
                "the GraphQL type 'ProductSpecs' made for it clashes with fields[15] of product.toml: rename",
            ),
        ),
        (
            "sync_item.toml",
            ("sync_item.toml", "", "the GraphQL type 'SyncItem' made for it clashes with a built-in type: rename"),
        ),
        (
            "sync_type.toml",
            ("sync_type.toml", "", "the GraphQL type 'SyncType' made for it clashes with a built-in type: rename"),
        ),
        ("sync.toml", ("sync.toml", "", "'sync' is delivery's sync feed field: choose another name")),
    ],
)
def test_a_type_whose_graphql_name_clashes_is_refused(tmp_path, file_name: str, expected: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    directory = copy_shipped_model(tmp_path)
    (directory / file_name).write_text('[[fields]]\nname = "title"\nkind = "string"\n', encoding="utf-8")
    model, problems = read_model(directory)
    assert model is None
    assert [(p.file, p.key, p.reason) for p in problems] == [expected]
