"""Version diffs: one row per field that holds a value, and word-level runs inside a changed text."""

from __future__ import annotations

import pytest

from cms.model.entry_data import EntryData
from cms.workflow.diff import FieldChange, Segment, diff_versions, word_diff

LONG_FR = (
    "Un casque léger et confortable pour les longues journées de travail, avec une réduction de bruit "
    "active, une autonomie de trente heures et un étui de transport rigide."
)


def test_an_empty_overrides_table_is_not_a_change() -> None:
    before = EntryData(base={"en": {"name": "Lamp"}}, overrides={})
    after = EntryData(base={"en": {"name": "Lamp"}}, overrides={"social": {}})

    assert diff_versions(before, after) == []


def test_an_override_added_is_one_row_named_by_its_full_path() -> None:
    before = EntryData(base={"en": {"name": "Lamp"}})
    after = EntryData(base={"en": {"name": "Lamp"}}, overrides={"social": {"fr": {"name": "Lampe !"}}})

    assert diff_versions(before, after) == [FieldChange("overrides.social.fr.name", None, "Lampe !")]


def test_one_changed_word_in_a_long_text_is_the_only_marked_run_and_both_sides_stay_whole() -> None:
    after = LONG_FR.replace("trente", "quarante")

    old, new = word_diff(LONG_FR, after)

    assert "".join(segment.text for segment in old) == LONG_FR
    assert "".join(segment.text for segment in new) == after
    assert [segment for segment in old if segment.kind != "same"] == [Segment("trente", "removed")]
    assert [segment for segment in new if segment.kind != "same"] == [Segment("quarante", "added")]


@pytest.mark.parametrize(
    ("before", "after", "removed", "added"),
    [
        ("", "Lampe tempête", [], ["Lampe tempête"]),
        ("Lampe tempête", "", ["Lampe tempête"], []),
        ("prix : 39,90 €", "prix : 34,90 €", ["39"], ["34"]),
        ("Bloc un.\n\nBloc deux.", "Bloc un.\n\nBloc trois.", ["deux"], ["trois"]),
        ("same words here", "same words here", [], []),
    ],
)
def test_word_diff_examples(before: str, after: str, removed: list[str], added: list[str]) -> None:
    old, new = word_diff(before, after)

    assert [segment.text for segment in old if segment.kind == "removed"] == removed
    assert [segment.text for segment in new if segment.kind == "added"] == added
