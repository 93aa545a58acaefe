"""The three-way merge of a stale save: base (what the form was loaded from), theirs (saved meanwhile), yours."""

from __future__ import annotations

import pytest

from cms.model.entry_data import EntryData
from cms.workflow.merge import (
    FieldConflict,
    apply_choices,
    entry_data_from_values,
    field_values,
    merge_entry_data,
)

BASE = EntryData(
    base={
        "en": {"name": "Kitchen", "description": "For cooking", "price": {"amount": "10.00", "currency": "EUR"}},
        "fr": {"name": "Cuisine"},
    },
    overrides={"social": {"en": {"name": "Kitchen!"}}},
)


def edited(data: EntryData, **changes: object) -> EntryData:
    """`data` with values set (or removed, with None) by path, e.g. `edited(BASE, **{"base.fr.name": "X"})`."""
    values = field_values(data)
    for path, value in changes.items():
        if value is None:
            values.pop(path, None)
        else:
            values[path] = value
    return entry_data_from_values(values)


def test_fields_only_one_side_changed_merge_without_conflict() -> None:
    theirs = edited(BASE, **{"base.en.name": "Kitchen & dining"})
    yours = edited(BASE, **{"base.en.description": "Everything for cooking"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == []
    assert result.taken_from_theirs == ["base.en.name"]
    assert result.kept_from_yours == ["base.en.description"]
    both = {"base.en.name": "Kitchen & dining", "base.en.description": "Everything for cooking"}
    assert result.data == edited(BASE, **both)


def test_a_field_both_changed_differently_is_a_conflict_holding_yours_until_chosen() -> None:
    theirs = edited(BASE, **{"base.en.name": "Their kitchen"})
    yours = edited(BASE, **{"base.en.name": "My kitchen"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == [FieldConflict("base.en.name", "Kitchen", "Their kitchen", "My kitchen")]
    assert result.data.base["en"]["name"] == "My kitchen"
    assert result.taken_from_theirs == [] and result.kept_from_yours == []


def test_both_making_the_same_change_is_no_conflict() -> None:
    theirs = yours = edited(BASE, **{"base.en.name": "Kitchen & dining"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == []
    assert result.data == theirs


def test_the_same_field_in_two_locales_merges_per_locale() -> None:
    theirs = edited(BASE, **{"base.fr.name": "Cuisine et salle à manger"})
    yours = edited(BASE, **{"base.en.name": "Kitchen & dining"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == []
    assert result.data.base["fr"]["name"] == "Cuisine et salle à manger"
    assert result.data.base["en"]["name"] == "Kitchen & dining"


def test_a_channel_override_is_merged_apart_from_the_base_value_of_the_same_field() -> None:
    theirs = edited(BASE, **{"overrides.social.en.name": "Kitchen 🍳"})
    yours = edited(BASE, **{"base.en.name": "Kitchen & dining", "overrides.app.en.name": "Kitchen (app)"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == []
    assert result.taken_from_theirs == ["overrides.social.en.name"]
    assert result.data.overrides == {"social": {"en": {"name": "Kitchen 🍳"}}, "app": {"en": {"name": "Kitchen (app)"}}}
    assert result.data.base["en"]["name"] == "Kitchen & dining"


def test_override_against_override_of_the_same_channel_and_locale_conflicts() -> None:
    theirs = edited(BASE, **{"overrides.social.en.name": "Kitchen 🍳"})
    yours = edited(BASE, **{"overrides.social.en.name": "Kitchen ✨"})

    [conflict] = merge_entry_data(BASE, theirs, yours).conflicts

    assert conflict == FieldConflict("overrides.social.en.name", "Kitchen!", "Kitchen 🍳", "Kitchen ✨")


def test_unchanged_fields_stay_and_their_removal_is_merged() -> None:
    theirs = edited(BASE, **{"overrides.social.en.name": None})  # they turned the social override off
    yours = edited(BASE, **{"base.en.description": "Everything for cooking"})

    result = merge_entry_data(BASE, theirs, yours)

    assert result.conflicts == []
    assert result.taken_from_theirs == ["overrides.social.en.name"]
    assert result.data.overrides == {}
    assert result.data.base["en"]["price"] == {"amount": "10.00", "currency": "EUR"}  # untouched by both
    assert result.data.base["fr"] == {"name": "Cuisine"}


def test_my_removal_against_their_change_is_a_conflict() -> None:
    theirs = edited(BASE, **{"base.en.description": "For cooks"})
    yours = edited(BASE, **{"base.en.description": None})

    [conflict] = merge_entry_data(BASE, theirs, yours).conflicts

    assert conflict == FieldConflict("base.en.description", "For cooking", "For cooks", None)


def test_a_money_value_is_compared_whole() -> None:
    theirs = edited(BASE, **{"base.en.price": {"amount": "12.00", "currency": "EUR"}})
    yours = edited(BASE, **{"base.en.price": {"amount": "10.00", "currency": "USD"}})

    [conflict] = merge_entry_data(BASE, theirs, yours).conflicts

    assert conflict.path == "base.en.price"


def test_nothing_changed_on_either_side_gives_the_base_back() -> None:
    result = merge_entry_data(BASE, BASE, BASE)

    assert result == type(result)(BASE, [], [], [])


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("mine", "My kitchen"), ("theirs", "Their kitchen")],
)
def test_the_editors_choice_settles_a_conflict(choice: str, expected: str) -> None:
    theirs = edited(BASE, **{"base.en.name": "Their kitchen", "base.fr.name": "Leur cuisine"})
    yours = merge_entry_data(BASE, theirs, edited(BASE, **{"base.en.name": "My kitchen"})).data

    settled = apply_choices(yours, theirs, {"base.en.name": choice})  # type: ignore[dict-item]

    assert settled.base["en"]["name"] == expected
    assert settled.base["fr"]["name"] == "Leur cuisine"  # merged before the choice, kept after it
    assert merge_entry_data(theirs, theirs, settled).conflicts == []


def test_choosing_theirs_where_they_removed_the_value_removes_it() -> None:
    theirs = edited(BASE, **{"overrides.social.en.name": None})
    yours = edited(BASE, **{"overrides.social.en.name": "Kitchen ✨"})

    settled = apply_choices(yours, theirs, {"overrides.social.en.name": "theirs"})

    assert settled.overrides == {}
