"""`after` on a datetime field: the model checks what it names, and a save refuses an instant not after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.model import load_model
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.model.errors import InvalidModelError
from tests.model_copies import break_file, copy_shipped_model

END_AFTER = 'after = "launch_at"'


@pytest.mark.parametrize(
    "replacement",
    ['after = "lanch_at"', 'after = "title"', 'after = "end_at"'],
    ids=["unknown-field", "not-a-datetime", "itself"],
)
def test_after_must_name_another_datetime_field(tmp_path: Path, replacement: str) -> None:
    model_dir = copy_shipped_model(tmp_path)
    break_file(model_dir, "campaign.toml", END_AFTER, replacement)

    with pytest.raises(InvalidModelError) as refused:
        load_model(model_dir)

    problems = [p for p in refused.value.problems if p.file == "campaign.toml"]
    assert [p.key for p in problems] == ["fields[7].after"]
    assert replacement.split('"')[1] in problems[0].reason


def _campaign(launch_at: str, end_at: str) -> EntryData:
    values = {"title": "Spring", "slug": "spring", "launch_at": launch_at, "end_at": end_at}
    return EntryData(base={"en": values})


@pytest.mark.parametrize(
    ("launch_at", "end_at", "stored"),
    [
        ("2026-03-01T09:00:00Z", "2026-03-01T09:00:01Z", "2026-03-01T09:00:01Z"),
        ("2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z", None),
        ("2026-03-01T10:00:00+01:00", "2026-03-01T09:00:00Z", None),  # the same instant, another zone
        ("2026-03-02T00:00:00Z", "2026-03-01T23:00:00-02:00", "2026-03-02T01:00:00Z"),  # later, once in UTC
    ],
)
def test_a_save_refuses_an_end_not_after_the_launch(launch_at: str, end_at: str, stored: str | None) -> None:
    model = load_model(Path(__file__).resolve().parents[1] / "content_types")
    campaign = model.types["campaign"]

    if stored is not None:
        assert validate_entry_data(model, campaign, _campaign(launch_at, end_at)).base["en"]["end_at"] == stored
        return
    with pytest.raises(InvalidEntryError) as error:
        validate_entry_data(model, campaign, _campaign(launch_at, end_at))
    assert [(e.path, e.reason.split(" (")[0]) for e in error.value.errors] == [
        ("base.en.end_at", "must come after launch_at")
    ]
