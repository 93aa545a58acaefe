"""The demo's data (cms/demo/demo.ndjson) honours the content model: counts, references, pictures, limits,
barcodes and fallbacks.

The model is read straight from `content_types/*.toml`, so the demo stays in step with the files
editors change rather than with a copy of them kept here; the entries are each one's current version.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cms.demo.load import DEMO_FILE, DEMO_MEDIA
from cms.richtext import parse_rich_text
from cms.transfer.reading import records
from tests.demo_data import DemoEntry, demo_assets, demo_entries, demo_records

if TYPE_CHECKING:
    from collections.abc import Iterator

MODEL_DIRECTORY = Path(__file__).resolve().parents[1] / "content_types"
NOT_CONTENT_TYPES = {"channels.toml", "locales.toml", "voice.toml"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _read_toml(name: str) -> dict[str, Any]:
    return tomllib.loads((MODEL_DIRECTORY / name).read_text(encoding="utf-8"))


TYPES = {
    path.stem: _read_toml(path.name)
    for path in sorted(MODEL_DIRECTORY.glob("*.toml"))
    if path.name not in NOT_CONTENT_TYPES
}
CHANNELS: dict[str, dict[str, Any]] = _read_toml("channels.toml")["channels"]
DEFAULT_LOCALE: str = _read_toml("locales.toml")["default"]
ENTRIES = demo_entries()
RECORDS = demo_records()


# --- helpers ----------------------------------------------------------------------------------


def fields_of(content_type: str) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in TYPES[content_type]["fields"]}


def slug_field_of(content_type: str) -> str:
    return next(name for name, field in fields_of(content_type).items() if field["kind"] == "slug")


def slug_of(entry: DemoEntry) -> str:
    return entry.base[DEFAULT_LOCALE][slug_field_of(entry.content_type)]


def entries_of(content_type: str) -> list[DemoEntry]:
    return [entry for entry in ENTRIES if entry.content_type == content_type]


def stored_values(entry: DemoEntry) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every (path, field definition, value) of an entry, in its base and in every override."""
    fields = fields_of(entry.content_type)
    layers = [(f"base.{locale}", values) for locale, values in entry.base.items()]
    layers += [
        (f"overrides.{channel}.{locale}", values)
        for channel, by_locale in entry.overrides.items()
        for locale, values in by_locale.items()
    ]
    for prefix, values in layers:
        for name, value in values.items():
            yield f"{slug_of(entry)}.{prefix}.{name}", fields[name], value


def gtin13_is_valid(code: str) -> bool:
    """Weights 1, 3, 1, 3… from the right, check digit included: the total is a multiple of 10."""
    if not re.fullmatch(r"\d{13}", code):
        return False
    digits = [int(digit) for digit in reversed(code)]
    total = sum(digit * (3 if position % 2 else 1) for position, digit in enumerate(digits))
    return total % 10 == 0


def strings_in(value: Any) -> Iterator[str]:
    """Every piece of prose in a stored value, rich-text inlines included, link targets left out."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in {"href", "type", "marks"}:
                yield from strings_in(item)


# --- size of the demo -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "minimum"),
    [("product", 60), ("category", 6), ("tutorial", 5), ("offer", 2), ("brand_message", 4)],
)
def test_demo_has_enough_entries_of_each_type(content_type: str, minimum: int) -> None:
    assert len(entries_of(content_type)) >= minimum


def test_every_demo_entry_is_of_a_type_in_the_model() -> None:
    assert {entry.content_type for entry in ENTRIES} <= set(TYPES)


def test_every_demo_entry_is_published_at_its_current_version() -> None:
    drafts = [e.slug for e in RECORDS if e.status != "published" or e.published_version != e.current_version]
    assert drafts == []


def test_the_file_holds_content_only() -> None:
    # A user in it would stop `cms demo` from making its admin sign-in (made only when there is no user).
    kinds = {type(record).__name__ for _, record in records(DEMO_FILE)}
    assert kinds == {"AssetRecord", "EntryRecord", "AuditRecord"}


# --- the model's rules ------------------------------------------------------------------------


def test_every_required_field_is_set_in_the_default_locale() -> None:
    missing = [
        f"{slug_of(entry)}.{name}"
        for entry in ENTRIES
        for name, field in fields_of(entry.content_type).items()
        if field.get("required") and entry.base[DEFAULT_LOCALE].get(name) in (None, "", [])
    ]
    assert missing == []


def test_every_field_is_declared_by_the_entry_type() -> None:
    unknown = [
        f"{entry.content_type}.{name}"
        for entry in ENTRIES
        for values in [
            *entry.base.values(),
            *(v for by_locale in entry.overrides.values() for v in by_locale.values()),
        ]
        for name in values
        if name not in fields_of(entry.content_type)
    ]
    assert unknown == []


def test_only_localized_fields_have_values_outside_the_default_locale() -> None:
    misplaced = [
        path
        for entry in ENTRIES
        for path, field, _ in stored_values(entry)
        if not field.get("localized") and f".{DEFAULT_LOCALE}." not in path
    ]
    assert misplaced == []


def test_every_text_respects_its_max_length_in_every_locale_and_override() -> None:
    too_long = []
    for entry in ENTRIES:
        for path, field, value in stored_values(entry):
            if "max_length" in field and len(value) > field["max_length"]:
                too_long.append(f"{path}: {len(value)} > {field['max_length']}")
            for sub in field.get("fields", []):
                for index, item in enumerate(value if isinstance(value, list) else [value]):
                    text = item.get(sub["name"], "")
                    if "max_length" in sub and len(text) > sub["max_length"]:
                        too_long.append(f"{path}[{index}].{sub['name']}")
    assert too_long == []


def test_enum_values_are_among_those_listed_in_the_model() -> None:
    wrong = [
        f"{path}={value!r}"
        for entry in ENTRIES
        for path, field, value in stored_values(entry)
        if field["kind"] == "enum" and value not in field["values"]
    ]
    assert wrong == []


def test_numbers_stay_within_their_bounds_and_scale() -> None:
    wrong = []
    for entry in ENTRIES:
        for path, field, value in stored_values(entry):
            if field["kind"] not in {"integer", "decimal"}:
                continue
            number = Decimal(value) if field["kind"] == "decimal" else Decimal(int(value))
            places = -number.as_tuple().exponent  # type: ignore[operator]
            if not field.get("min", number) <= number <= field.get("max", number):
                wrong.append(f"{path}={value} out of bounds")
            if "scale" in field and places > field["scale"]:
                wrong.append(f"{path}={value} has {places} decimal places")
    assert wrong == []


def test_money_is_a_euro_amount_with_cents() -> None:
    for entry in ENTRIES:
        for path, field, value in stored_values(entry):
            if field["kind"] == "money":
                assert value["currency"] == "EUR", path
                assert re.fullmatch(r"\d+\.\d{2}", value["amount"]), path


def test_slugs_are_well_formed_and_unique_within_each_type() -> None:
    for content_type in TYPES:
        slugs = [slug_of(entry) for entry in entries_of(content_type)]
        assert [slug for slug in slugs if not SLUG.match(slug)] == []
        assert [slug for slug, count in Counter(slugs).items() if count > 1] == []


def test_every_reference_points_to_a_demo_entry_of_the_target_type() -> None:
    ids = {(entry.content_type, entry.id) for entry in ENTRIES}
    dangling = []
    for entry in ENTRIES:
        for path, field, value in stored_values(entry):
            if field["kind"] not in {"reference", "references"}:
                continue
            targets = value if field["kind"] == "references" else [value]
            dangling += [f"{path} -> {field['to']}:{target}" for target in targets if (field["to"], target) not in ids]
    assert dangling == []


def test_every_product_shows_one_picture_of_its_own_with_alt_text_in_its_languages() -> None:
    assets = {asset.id: asset for asset in demo_assets()}
    pictures = []
    for product in entries_of("product"):
        (picture,) = product.base[DEFAULT_LOCALE]["images"]
        pictures.append(picture)
        names = {locale: values["name"] for locale, values in product.base.items() if "name" in values}
        assert assets[picture].alt == names, slug_of(product)
    assert sorted(pictures) == sorted(assets)


def test_every_picture_is_beside_the_file_at_its_storage_key() -> None:
    for asset in demo_assets():
        data = (DEMO_MEDIA / asset.key).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (asset.byte_size, asset.sha256), asset.filename


def test_product_barcodes_are_valid_unique_gtin13() -> None:
    assert gtin13_is_valid("4006381333931")  # a real EAN-13, to be sure the check itself works
    assert not gtin13_is_valid("4006381333932")
    gtins = [entry.base[DEFAULT_LOCALE]["gtin"] for entry in entries_of("product")]
    assert [gtin for gtin in gtins if not gtin13_is_valid(gtin)] == []
    assert len(set(gtins)) == len(gtins)


def test_every_rich_text_value_is_a_valid_document() -> None:
    for entry in ENTRIES:
        for _path, field, value in stored_values(entry):
            if field["kind"] == "rich_text":
                parse_rich_text(value)


def test_every_entry_passes_the_models_validation_unchanged() -> None:
    # The store normalizes what it saves; demo values must already be in that stored form.
    from cms.model import load_model
    from cms.model.entry_data import EntryData, validate_entry_data

    model = load_model(MODEL_DIRECTORY)
    for entry in ENTRIES:
        data = EntryData(base=entry.base, overrides=entry.overrides)
        normalized = validate_entry_data(model, model.types[entry.content_type], data)
        unchanged = (normalized.base, normalized.overrides) == (entry.base, entry.overrides)
        assert unchanged, slug_of(entry)


# --- channel overrides ------------------------------------------------------------------------


def test_overrides_only_set_fields_shown_on_their_channel() -> None:
    misplaced = []
    for entry in ENTRIES:
        for channel, by_locale in entry.overrides.items():
            exposed = CHANNELS[channel].get("types")
            if exposed is not None and entry.content_type not in exposed:
                misplaced.append(f"{slug_of(entry)}: {entry.content_type} not on {channel}")
            for values in by_locale.values():
                for name in values:
                    field = fields_of(entry.content_type)[name]
                    if channel not in field.get("channels", [channel]) or field["kind"] == "slug":
                        misplaced.append(f"{slug_of(entry)}.overrides.{channel}.{name}")
    assert misplaced == []


def test_overrides_only_hold_values_that_differ_from_the_base() -> None:
    redundant = [
        f"{slug_of(entry)}.overrides.{channel}.{locale}.{name}"
        for entry in ENTRIES
        for channel, by_locale in entry.overrides.items()
        for locale, values in by_locale.items()
        for name, value in values.items()
        if entry.base.get(locale, {}).get(name) == value
    ]
    assert redundant == []


def test_brand_messages_are_tailored_for_email_social_and_kiosk() -> None:
    messages = entries_of("brand_message")
    for message in messages:
        for locale in ("en", "fr"):
            assert {"subject_line", "preheader"} <= set(message.base[locale]), slug_of(message)
            social = message.overrides["social"][locale]
            assert social["social_text"], slug_of(message)
            assert len(social["headline"]) < len(message.base[locale]["headline"]), slug_of(message)
    for channel in ("email", "kiosk"):
        overridden = [message for message in messages if "headline" in message.overrides.get(channel, {}).get("fr", {})]
        assert overridden, f"no brand message has a {channel} headline"


# --- shape of each type -----------------------------------------------------------------------


def test_products_list_two_to_four_specs_in_each_language_they_are_written_in() -> None:
    for product in entries_of("product"):
        for locale, values in product.base.items():
            if "specs" in values:
                assert 2 <= len(values["specs"]) <= 4, f"{slug_of(product)}.{locale}"


def test_tutorials_use_one_to_four_products_and_three_to_five_steps() -> None:
    for tutorial in entries_of("tutorial"):
        assert len(tutorial.base["en"]["products"]) in range(1, 5), slug_of(tutorial)
        for locale, values in tutorial.base.items():
            if "steps" in values:
                assert 3 <= len(values["steps"]) <= 5, f"{slug_of(tutorial)}.{locale}"


def test_offers_start_before_they_end_and_one_runs_into_2027() -> None:
    offers = entries_of("offer")
    assert all(offer.base["en"]["starts_at"] < offer.base["en"]["ends_at"] for offer in offers)
    assert any(offer.base["en"]["ends_at"].startswith("2027") for offer in offers)
    assert all(offer.base["en"]["starts_at"].startswith("2026") for offer in offers)


# --- languages --------------------------------------------------------------------------------


def test_some_products_fall_back_to_english_in_french() -> None:
    products = entries_of("product")
    named_only = [p for p in products if "fr" in p.base and "summary" not in p.base["fr"]]
    not_translated = [p for p in products if "fr" not in p.base]
    translated = [p for p in products if "summary" in p.base.get("fr", {})]
    assert len(named_only) >= 5
    assert len(not_translated) >= 1
    assert len(translated) >= len(products) * 3 // 4


def test_one_tutorial_is_not_translated_yet() -> None:
    assert any("fr" not in tutorial.base for tutorial in entries_of("tutorial"))


def test_french_copy_uses_typographic_apostrophes_and_spaces() -> None:
    sloppy = [
        f"{path}: {text!r}"
        for entry in ENTRIES
        for path, _field, value in stored_values(entry)
        if ".fr." in path
        for text in strings_in(value)
        if "'" in text or re.search(r" [:;!?»]", text)
    ]
    assert sloppy == []
