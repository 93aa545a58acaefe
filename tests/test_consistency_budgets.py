"""Channel budgets: text is counted as the target platform counts it, limits warn or block, delivery truncates."""

from __future__ import annotations

from typing import Any

import pytest

from cms.consistency import (
    Budget,
    check_budget,
    check_budget_keys,
    count_length,
    decode_budgets,
    truncate_to_budget,
)
from cms.model import ContentModel
from cms.model.errors import InvalidModelError

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # man, woman, girl, boy joined by ZWJ
FLAG = "🇫🇷"
THUMB_DARK = "👍🏽"
E_ACUTE_COMBINING = "e\u0301"
KEYCAP_ONE = "1\ufe0f\u20e3"


@pytest.mark.parametrize(
    ("text", "graphemes", "utf16", "x_weighted"),
    [
        ("hello", 5, 5, 5),
        ("Café crème", 10, 10, 10),
        (FAMILY, 1, 11, 2),
        (FLAG, 1, 4, 2),
        (THUMB_DARK, 1, 4, 2),
        (KEYCAP_ONE, 1, 3, 2),
        ("❤️", 1, 2, 2),
        (E_ACUTE_COMBINING, 1, 2, 1),
        (f"caf{E_ACUTE_COMBINING}", 4, 5, 4),
        ("日本語", 3, 3, 6),
        ("한국어 ok", 6, 6, 9),
        ("©", 1, 1, 1),
        ("“quoted” – dash…", 16, 16, 17),  # curly quotes and en dash weigh 1, the ellipsis 2
        ("https://www.maisonlumen.example/fr/tutorials/brew-a-better-pour-over", 68, 68, 23),
        ("see www.example.com.", 20, 20, 28),
        ("see maisonlumen.example/fr now", 30, 30, 31),
        ("Hi 👋 https://a.example", 22, 23, 29),
        ("", 0, 0, 0),
    ],
)
def test_text_is_counted_as_each_platform_counts_it(text: str, graphemes: int, utf16: int, x_weighted: int) -> None:
    assert count_length(text, "graphemes") == graphemes
    assert count_length(text, "utf16") == utf16
    assert count_length(text, "x_weighted") == x_weighted


def test_an_x_post_of_280_latin_characters_fits_and_140_cjk_characters_fill_it() -> None:
    assert count_length("a" * 280, "x_weighted") == 280
    assert count_length("字" * 140, "x_weighted") == 280


SOCIAL = Budget(hard=20, soft=10, count="x_weighted")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short post", []),  # 10: at the soft limit, not over it
        ("a post of 11", [("budget_soft", "warning", 10, 12)]),
        ("exactly twenty chars", [("budget_soft", "warning", 10, 20)]),
        ("twenty-one characters", [("budget_hard", "error", 20, 21)]),
        ("日本語のテキストです", [("budget_soft", "warning", 5, 10)]),  # 10 CJK characters weigh 20
        ("日本語のテキストですね", [("budget_hard", "error", 10, 11)]),
        ("https://example.com/a/very/long/path", [("budget_hard", "error", 0, 36)]),  # any URL weighs 23
        ("go https://x.example", [("budget_hard", "error", 3, 20)]),  # the URL is what crosses the limit
    ],
)
def test_budget_warns_over_soft_and_blocks_over_hard_limit(
    text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    findings = check_budget(text, SOCIAL, field="social_text", channel="social", locale="en")
    assert [(f.rule, f.severity, f.start, f.end) for f in findings] == expected


def test_budget_error_says_by_how_much_and_suggests_an_override() -> None:
    (finding,) = check_budget("x" * 25, Budget(hard=20), field="headline", channel="social", locale="fr")
    assert finding.message == "headline is 25 characters long, over the budget of 20 on social by 5"
    assert finding.suggestion == "shorten it by 5 characters or add a social override"
    assert (finding.field, finding.locale, finding.channel) == ("headline", "fr", "social")


@pytest.mark.parametrize(
    ("text", "budget", "expected"),
    [
        ("within budget", Budget(hard=20), "within budget"),
        ("no hard limit at all", Budget(soft=3), "no hard limit at all"),
        ("Hello wonderful world", Budget(hard=10), "Hello won…"),
        ("Hello world again", Budget(hard=7), "Hello…"),  # the trailing space before the cut goes
        (f"{FAMILY}{FAMILY}{FAMILY}", Budget(hard=2), f"{FAMILY}…"),
        (f"{FAMILY}{FAMILY}{FAMILY}", Budget(hard=5, count="x_weighted"), f"{FAMILY}…"),
        (f"cafe{E_ACUTE_COMBINING}s and more", Budget(hard=6), f"cafe{E_ACUTE_COMBINING}…"),
        ("日本語のテキスト", Budget(hard=8, count="x_weighted"), "日本語…"),
        (f"{FLAG}{FLAG}{FLAG}", Budget(hard=9, count="utf16"), f"{FLAG}{FLAG}…"),
        ("Read https://example.com/long/path today", Budget(hard=26, count="x_weighted"), "Read…"),
        ("anything", Budget(hard=1, count="x_weighted"), ""),  # "…" alone weighs 2
    ],
)
def test_truncation_cuts_at_a_grapheme_boundary_with_an_ellipsis_within_the_budget(
    text: str, budget: Budget, expected: str
) -> None:
    truncated = truncate_to_budget(text, budget)
    assert truncated == expected
    assert budget.hard is None or count_length(truncated, budget.count) <= budget.hard


def test_budgets_decode_from_a_channels_table() -> None:
    raw = {
        "brand_message.social_text": {"hard": 280, "soft": 250, "count": "x_weighted"},
        "product.name": {"hard": 60},
    }
    assert decode_budgets(raw) == {
        "brand_message.social_text": Budget(hard=280, soft=250, count="x_weighted"),
        "product.name": Budget(hard=60, soft=None, count="graphemes"),
    }


@pytest.mark.parametrize(
    ("raw", "key", "reason"),
    [
        ({"social_text": {"hard": 1}}, 'budgets."social_text"', 'a budget key is "<type>.<field>"'),
        ({"product.name": {"hard": "ten"}}, 'budgets."product.name".hard', "expected `int | null`, got `str`"),
        ({"product.name": {"hard": 5, "limit": 3}}, 'budgets."product.name"', "unknown option `limit`"),
        ({"product.name": {"hard": 5, "soft": 9}}, 'budgets."product.name"', "soft (9) cannot be above hard (5)"),
        ({"product.name": {"hard": 0}}, 'budgets."product.name"', "hard must be at least 1"),
        ({"product.name": {}}, 'budgets."product.name"', "set hard, soft or both"),
        ({"product.name": {"hard": 5, "count": "chars"}}, 'budgets."product.name".count', "invalid enum value"),
    ],
)
def test_a_bad_budget_is_refused_naming_file_key_and_reason(raw: dict[str, Any], key: str, reason: str) -> None:
    with pytest.raises(InvalidModelError) as raised:
        decode_budgets(raw, file="channels.toml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.key) == ("channels.toml", key)
    assert reason in problem.reason


def test_budget_keys_must_name_a_text_field_the_channel_shows(model: ContentModel) -> None:
    budgets = {
        "brand_message.social_text": Budget(hard=280),
        "product.aisle": Budget(hard=20),  # kiosk only
        "tutorial.title": Budget(hard=100),  # social does not show tutorials
        "product.price": Budget(hard=10),
        "product.nickname": Budget(hard=10),
    }
    problems = check_budget_keys(model, "social", budgets)
    assert [(problem.key, problem.reason) for problem in problems] == [
        ('channels.social.budgets."product.aisle"', "social does not show a field 'aisle' of product"),
        ('channels.social.budgets."tutorial.title"', "social does not show a content type named 'tutorial'"),
        (
            'channels.social.budgets."product.price"',
            "product.price is a money field; budgets apply to string, text and rich_text",
        ),
        ('channels.social.budgets."product.nickname"', "social does not show a field 'nickname' of product"),
    ]


# --- a field's max_length, counted as the channels serving the value count ------------------------

FAMILY = "👨‍👩‍👧‍👦"  # 7 code points, 1 grapheme, 11 UTF-16 units, weight 2 on X


@pytest.mark.parametrize(
    ("type_name", "field_name", "channel", "value", "expected"),
    [
        # served on social only, which counts X's way: a URL weighs 23, an emoji 2
        ("brand_message", "social_text", None, "See https://example.com/" + "a" * 60, (27, "social", "x_weighted")),
        ("brand_message", "social_text", "social", FAMILY * 3, (6, "social", "x_weighted")),
        # served on web (no budget: code points) and on app and kiosk (graphemes): the largest count
        ("product", "name", None, FAMILY, (7, None, "code_points")),
        # an app override is served on the app only, which counts graphemes
        ("product", "name", "app", FAMILY, (1, "app", "graphemes")),
        # no budget anywhere for the field: code points, as `len`
        ("tutorial", "title", None, FAMILY, (7, None, "code_points")),
        ("tutorial", "title", "web", FAMILY, (7, None, "code_points")),
    ],
)
def test_a_field_length_is_counted_the_way_the_channels_serving_it_count(
    model: ContentModel, type_name: str, field_name: str, channel: str | None, value: str, expected: tuple[Any, ...]
) -> None:
    from cms.model.field_length import measure

    field = model.types[type_name].field(field_name)
    assert field is not None
    assert tuple(measure(model, type_name, field, channel, value)) == expected
