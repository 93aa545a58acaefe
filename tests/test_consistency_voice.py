"""Brand voice: each rule of content_types/voice.toml, with copy that must and must not trigger it, in both locales."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.consistency import VoiceConfig, Where, check_voice_names, lint_text, load_voice
from cms.consistency.voice_config import Readability
from cms.model import ContentModel
from cms.model.errors import InvalidModelError

ROOT = Path(__file__).resolve().parents[1]
VOICE = load_voice(ROOT / "content_types" / "voice.toml")
NNBSP = "\u202f"
Found = list[tuple[str, str]]
"""(rule, the text it points at)."""


def rules_found(text: str, locale: str, channel: str = "web", field: str = "body") -> Found:
    findings = lint_text(text, VOICE, Where("brand_message", field, locale, channel))
    return [(f.rule, text[f.start : f.end]) for f in findings if f.rule not in ("average_sentence_length",)]


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        # forbidden terms, with their inflections
        ("en", "A cheap lamp.", [("forbidden_term", "cheap")]),
        ("en", "Cheaper than ever. The cheapest one.", [("forbidden_term", "Cheaper"), ("forbidden_term", "cheapest")]),
        ("en", "Affordable linen for every home.", []),
        ("en", "A cheapskate's guide.", []),  # another word, not an inflection
        ("fr", "Une lampe pas chère.", [("forbidden_term", "pas chère")]),
        ("fr", "Des plaids bon marché.", [("forbidden_term", "bon marché")]),
        ("fr", "Un prix abordable, pas cher du tout.", [("forbidden_term", "pas cher")]),
        ("fr", "Il ne fait pas encore chaud.", []),
        ("fr", "Une offre low-cost.", [("forbidden_term", "low-cost")]),
        ("en", "A cheap lamp.", [("forbidden_term", "cheap")]),
        ("fr", "A cheap lamp.", []),  # the English rule is scoped to English copy
        # preferred terms
        ("en", "Log in to see your orders.", [("preferred_term", "Log in")]),
        ("en", "Sign in to see your orders.", []),
        ("fr", "Recevez notre courriel.", [("preferred_term", "courriel")]),
        ("fr", "Votre premier e-mail.", []),  # "mail" inside a hyphenated word is not the word "mail"
        # canonical names
        ("en", "Welcome to maison lumen.", [("canonical_name", "maison lumen")]),
        ("en", "Shop MaisonLumen today.", [("canonical_name", "MaisonLumen")]),
        ("fr", "Bienvenue chez Maison-Lumen.", [("canonical_name", "Maison-Lumen")]),
        ("fr", "Bienvenue chez Maison Lumen.", []),
        ("en", "Follow #MaisonLumen and visit https://www.maisonlumen.example.", []),
        ("fr", "Une maison lumineuse.", []),
        # claims that need review
        (
            "en",
            "Our best kettle, guaranteed for life.",
            [("claim_needs_review", "best"), ("claim_needs_review", "guaranteed")],
        ),
        ("en", "The number one choice.", [("claim_needs_review", "number one")]),
        ("en", "Better together.", []),
        (
            "fr",
            "Le meilleur moulin, n°1 en France.",
            [("claim_needs_review", "meilleur"), ("claim_needs_review", "n°1")],
        ),
        (
            "fr",
            "Isolation garantie à vie, numéro 1 des ventes.",
            [("claim_needs_review", "garantie"), ("claim_needs_review", "numéro 1")],
        ),
        ("fr", "Les meilleures ventes.", [("claim_needs_review", "meilleures")]),
        ("fr", "Un café bien meilleur le lendemain ? Non.", [("claim_needs_review", "meilleur")]),
        ("fr", "Le garage, numéro 12 de la rue.", []),
    ],
)
def test_terms_names_and_claims(locale: str, text: str, expected: Found) -> None:
    assert rules_found(text, locale) == expected


@pytest.mark.parametrize(
    ("locale", "channel", "field", "text", "expected"),
    [
        ("en", "web", "body", "Welcome!", []),
        ("en", "web", "body", "Welcome! Come in!", [("exclamation", "!")]),
        ("fr", "web", "body", f"Bienvenue{NNBSP}! Entrez{NNBSP}!!", [("exclamation", "!!")]),
        ("en", "kiosk", "headline", "Welcome! Come in! Scan here!", []),  # no limit on kiosks
        ("en", "email", "subject_line", "Spring is here!", [("exclamation", "!")]),
        ("fr", "email", "subject_line", "Le printemps est là.", []),
        ("en", "email", "preheader", "Spring is here!", []),  # the e-mail rule is for subject lines only
    ],
)
def test_exclamation_marks_per_channel_and_field(
    locale: str, channel: str, field: str, text: str, expected: Found
) -> None:
    assert rules_found(text, locale, channel, field) == expected


@pytest.mark.parametrize(
    ("channel", "text", "expected"),
    [
        ("social", "Spring is here 🌸🇫🇷", []),
        ("app", "Spring is here 👍🏽", []),
        ("web", "Spring is here 🌸", [("emoji", "🌸")]),
        (
            "email",
            "La famille 👨\u200d👩\u200d👧\u200d👦 et le printemps 🌸",
            [("emoji", "👨\u200d👩\u200d👧\u200d👦")],
        ),
        ("kiosk", "Aisle 1️⃣", [("emoji", "1\ufe0f\u20e3")]),
        ("web", "Maison Lumen® and Lumen™ ©2026", []),  # symbols, not emoji
    ],
)
def test_emoji_only_on_social_and_app(channel: str, text: str, expected: Found) -> None:
    assert rules_found(text, "en", channel) == expected


def test_one_emoji_finding_per_text_counts_them_all() -> None:
    (finding,) = lint_text("🌸 and 🌿", VOICE, Where("product", "summary", "en", "web"))
    assert finding.message == "2 emoji in summary; emoji are allowed only on social, app"
    assert finding.severity == "error"


LONG_EN = " ".join(["word"] * 41) + "."
LONG_FR = " ".join(["mot"] * 46) + "."


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("en", LONG_EN, ["sentence_too_long", "average_sentence_length"]),
        ("en", " ".join(["word"] * 40) + ".", ["average_sentence_length"]),  # 40 words: allowed, but long on average
        ("en", "Short one. " * 10, []),
        ("fr", LONG_FR, ["sentence_too_long", "average_sentence_length"]),
        ("fr", " ".join(["mot"] * 45) + ".", ["average_sentence_length"]),
        ("fr", "Moudre. Laisser gonfler. Verser. Patienter.", []),
        # a URL is one word however long
        ("en", "Read it at https://www.maisonlumen.example/en/tutorials/a-very-long-path-with-many-words.", []),
    ],
)
def test_readability_bounds_per_locale(locale: str, text: str, expected: list[str]) -> None:
    findings = lint_text(text, VOICE, Where("tutorial", "body", locale, "web"))
    assert [f.rule for f in findings] == expected
    assert all(f.severity == "warning" for f in findings)


def test_average_sentence_length_is_over_all_sentences_and_lines() -> None:
    voice = VoiceConfig(readability={"en": Readability(max_average_sentence_words=3)})
    where = Where("tutorial", "body", "en", "web")
    assert lint_text("One two three.\n- four five six", voice, where) == []
    (finding,) = lint_text("One two three four five. Six seven.", voice, where)
    assert (finding.rule, finding.start, finding.end) == ("average_sentence_length", 0, 35)
    assert finding.message == "sentences average 3.5 words; aim for 3 or fewer"


def test_findings_locate_the_words_and_carry_a_suggestion() -> None:
    text = "Our cheapest lamp."
    (finding,) = lint_text(text, VOICE, Where("product", "summary", "en", "web"))
    assert (finding.rule, finding.severity, finding.start, finding.end) == ("forbidden_term", "error", 4, 12)
    assert finding.message == "“cheapest” cheapens the brand"
    assert finding.suggestion == "affordable, good value"
    assert (finding.field, finding.locale, finding.channel) == ("summary", "en", "web")


def test_rules_scoped_to_types_and_fields_apply_only_there(tmp_path: Path) -> None:
    voice = write_voice(tmp_path, '[[forbidden]]\nterms = ["sale"]\ntypes = ["tutorial"]\nfields = ["steps"]\n')
    assert lint_text("On sale.", voice, Where("tutorial", "steps[2].title", "en", "web")) != []
    assert lint_text("On sale.", voice, Where("tutorial", "body", "en", "web")) == []
    assert lint_text("On sale.", voice, Where("product", "steps[0].title", "en", "web")) == []


def write_voice(directory: Path, text: str) -> VoiceConfig:
    path = directory / "voice.toml"
    path.write_text(text, encoding="utf-8")
    return load_voice(path)


@pytest.mark.parametrize(
    ("toml", "key", "reason"),
    [
        ('[[forbidden]]\nterm = ["x"]\n', "forbidden[0]", "unknown option `term`"),
        ('[[claims]]\nterms = ["x"]\nseverity = "fatal"\n', "claims[0].severity", "invalid enum value 'fatal'"),
        ("[[exclamations]]\nmax = -1\n", "exclamations[0].max", "must be 0 or more"),
        ('[[disclaimers]]\nname = "x"\nmessage = "y"\n', "disclaimers[0]", "set require_field, pattern or both"),
        (
            '[[disclaimers]]\nname = "x"\nmessage = "y"\npattern = { en = "(" }\n',
            "disclaimers[0].pattern.en",
            "bad pattern",
        ),
        ('[offers]\ntime_zone = "Mars/Olympus"\n', "offers.time_zone", "unknown time zone"),
        (
            "[readability.en]\nmax_sentence_words = 'ten'\n",
            "readability.en.max_sentence_words",
            "expected `int | null`",
        ),
        ("forbidden = [", "", "not valid TOML"),
    ],
)
def test_a_bad_voice_file_is_refused_naming_file_key_and_reason(
    tmp_path: Path, toml: str, key: str, reason: str
) -> None:
    with pytest.raises(InvalidModelError) as raised:
        write_voice(tmp_path, toml)
    (problem,) = raised.value.problems
    assert (problem.file, problem.key) == ("voice.toml", key)
    assert reason in problem.reason


def test_a_missing_voice_file_is_named() -> None:
    with pytest.raises(InvalidModelError, match=r"voice\.toml: file is missing"):
        load_voice(ROOT / "no-such-dir" / "voice.toml")


def test_the_shipped_voice_names_only_channels_types_and_locales_of_the_model(model: ContentModel) -> None:
    assert check_voice_names(VOICE, model) == []


def test_a_misspelt_channel_or_locale_in_the_voice_is_named(tmp_path: Path, model: ContentModel) -> None:
    voice = write_voice(
        tmp_path,
        '[[claims]]\nterms = ["best"]\nchannels = ["webb"]\n[readability.de]\n'
        '[stock]\nin_stock = { de = ["auf Lager"] }\n',
    )
    assert [(problem.key, problem.reason) for problem in check_voice_names(voice, model)] == [
        ("claims[0].channels", "unknown channel 'webb' (known: app, assistant, email, kiosk, social, web, web_ch)"),
        ("readability", "unknown locale 'de' (known: en, fr)"),
        ("stock.in_stock", "unknown locale 'de' (known: en, fr)"),
    ]
