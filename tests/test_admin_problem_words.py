"""The catalogue of problem sentences: every code in English and French, French plurals and numbers, no raw keys."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cms.admin.i18n import Translator
from cms.admin.messages.problems import PROBLEMS
from cms.admin.problems import ProblemWords, plural_category, say
from cms.consistency import Budget, check_budget, lint_entry, load_voice
from cms.model import ContentModel
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError, validate_entry_data
from cms.model.variants import VARIANT_KEYS
from cms.richtext import rich_text_from_paragraphs

ROOT = Path(__file__).resolve().parents[1]
VOICE = load_voice(ROOT / "content_types" / "voice.toml")
PLACEHOLDER = re.compile(r"\{(\w+)(?::[^{}|]*\|[^{}]*)?\}")
# Words that would betray an English sentence left in the French interface.
ENGLISH_WORDS = re.compile(r"\b(is|the|over|by|expected|not|characters|add|long|shows|only|allowed|marks?)\b")


def french(model: ContentModel) -> ProblemWords:
    return ProblemWords(Translator("fr"), model)


@pytest.mark.parametrize("key", sorted(PROBLEMS))
def test_every_sentence_exists_in_english_and_french_with_the_same_placeholders(key: str) -> None:
    sentences = PROBLEMS[key]

    assert set(sentences) == {"en", "fr"}
    assert all(sentence.strip() for sentence in sentences.values())
    assert set(PLACEHOLDER.findall(sentences["en"])) == set(PLACEHOLDER.findall(sentences["fr"]))


def test_every_code_the_model_gives_a_value_problem_has_a_sentence() -> None:
    values = (ROOT / "cms" / "model" / "values.py").read_text()
    entry_data = (ROOT / "cms" / "model" / "entry_data.py").read_text()
    variants = (ROOT / "cms" / "model" / "variants.py").read_text()
    codes = set(re.findall(r'code="(\w+)"', values + variants))
    # entry_data.py passes its codes positionally after the English reason: the snake_case literals there
    codes |= set(re.findall(r'"([a-z]+(?:_[a-z]+)+|required)"', entry_data + variants))
    codes -= set(VARIANT_KEYS)  # the keys of a variant (`compare_at`) are no problem codes

    assert len(codes) > 30
    assert sorted(code for code in codes if f"value.{code}" not in PROBLEMS) == []


def test_every_got_kind_has_a_word() -> None:
    assert {"text", "boolean", "number", "list", "object", "nothing", "other"} <= {
        key.removeprefix("got.") for key in PROBLEMS if key.startswith("got.")
    }


@pytest.mark.parametrize(
    ("language", "count", "category"),
    [
        ("fr", 0, "one"),
        ("fr", 1, "one"),
        ("fr", "1.5", "one"),
        ("fr", 2, "other"),
        ("en", 0, "other"),
        ("en", 1, "one"),
    ],
)
def test_plural_categories_follow_each_languages_rules(language: str, count: object, category: str) -> None:
    assert plural_category(count, language) == category


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (1, "compte 1 caractère, 1 de plus que la limite de 0"),
        (0, "compte 0 caractère, 0 de plus que la limite de 0"),
        (1234, "compte 1\u202f234 caractères, 1\u202f234 de plus que la limite de 0"),
    ],
)
def test_french_sentences_use_french_plurals_and_number_formats(length: int, expected: str) -> None:
    assert say("value.too_long", "fr", {"length": length, "limit": 0, "over": length}) == expected


def test_english_counts_zero_as_plural() -> None:
    assert say("value.too_long", "en", {"length": 0, "limit": 0, "over": 0}) == (
        "is 0 characters long, over the limit of 0 by 0"
    )


def test_a_refused_decimal_reads_in_french_and_names_what_was_typed(model: ContentModel) -> None:
    error = FieldError("base.en.rating", "'abc' is not a decimal number", "not_decimal", {"value": "abc"})

    assert french(model).error(error) == "« abc » n’est pas un nombre décimal"


def test_an_error_without_a_code_keeps_its_own_words(model: ContentModel) -> None:
    assert french(model).error(FieldError("base.en.name", "something else")) == "something else"


def test_validation_gives_codes_the_admin_renders_in_french(model: ContentModel) -> None:
    data = EntryData(base={"en": {"name": "Lamp", "price": {"amount": "abc", "currency": "EUR"}}})
    with pytest.raises(InvalidEntryError) as refused:
        validate_entry_data(model, model.types["product"], data)

    words = {error.path: french(model).error(error) for error in refused.value.errors}

    assert words["base.en.price.amount"] == "« abc » n’est pas un nombre décimal"
    assert words["base.en.slug"] == "est obligatoire"


def test_a_budget_finding_reads_in_french_with_the_field_and_channel_labels(model: ContentModel) -> None:
    finding = check_budget("x" * 84, Budget(hard=60), field="name", channel="app", locale="fr")[0]
    words = french(model)

    assert words.finding(finding, "product") == (
        "Nom compte 84 caractères, soit 24 de plus que le budget de 60 sur Application mobile"
    )
    assert words.suggestion(finding, "product") == (
        "raccourcissez-le de 24 caractères, ou ajoutez un remplacement pour Application mobile"
    )


def test_every_finding_of_a_french_brand_message_reads_in_french(model: ContentModel) -> None:
    headline = "Des lampes pas chères !!! 🎉 Le meilleur du monde garanti"
    base = {"title": "Printemps", "slug": "printemps", "headline": headline, "social_text": "x" * 300}
    data = EntryData(
        base={"en": {"title": "Spring", "slug": "spring", "body": rich_text_from_paragraphs("Linen.")}, "fr": base}
    )
    now = dt.datetime(2026, 3, 25, tzinfo=dt.UTC)
    report = lint_entry(model, model.types["brand_message"], data, VOICE, model.budgets, {}, now)
    words = french(model)

    rules = {finding.rule for finding in report.findings}
    assert {"forbidden_term", "claim_needs_review", "emoji", "exclamation", "budget_hard"} <= rules
    for finding in report.findings:
        sentence = f"{words.finding(finding, 'brand_message')} {words.suggestion(finding, 'brand_message') or ''}"
        assert not ENGLISH_WORDS.search(sentence), sentence
        assert "social_text" not in sentence and "_" not in sentence, sentence
