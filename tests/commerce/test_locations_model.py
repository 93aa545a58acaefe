"""Locations in the model (locations.toml) and the channels selling from them: problems with file, key, reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.model import ModelProblem, read_model
from cms.model.locations import stores_of
from tests.model_copies import break_file, copy_shipped_model


def problems_after(tmp_path: Path, file: str, old: str, new: str | None) -> list[ModelProblem]:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, file, old, new)
    model, problems = read_model(directory)
    assert model is None
    return problems


def test_the_shipped_model_declares_a_warehouse_and_two_stores(model) -> None:  # type: ignore[no-untyped-def]
    assert {name: location.kind for name, location in model.locations.items()} == {
        "central_warehouse": "warehouse",
        "paris_store": "store",
        "lyon_store": "store",
    }
    assert model.locations["paris_store"].label == {"en": "Paris store", "fr": "Magasin de Paris"}
    assert [store.id for store in stores_of(model, "kiosk")] == ["paris_store", "lyon_store"]
    assert stores_of(model, "web") == []
    assert model.channels["social"].locations == []


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "channels.toml",
            'locations = ["paris_store", "lyon_store"]',
            'locations = ["paris_store", "berlin_store"]',
            ModelProblem(
                "channels.toml",
                "channels.kiosk.locations[1]",
                "unknown location 'berlin_store' (locations: central_warehouse, paris_store, lyon_store)",
            ),
        ),
        (
            "channels.toml",
            'locations = ["paris_store", "lyon_store"]',
            'locations = ["paris_store", "paris_store"]',
            ModelProblem("channels.toml", "channels.kiosk.locations[1]", "location 'paris_store' is listed twice"),
        ),
        (
            "locations.toml",
            'kind = "warehouse"',
            'kind = "depot"',
            ModelProblem(
                "locations.toml",
                "locations.central_warehouse.kind",
                "unknown kind 'depot' (expected warehouse or store)",
            ),
        ),
        (
            "locations.toml",
            "[locations.lyon_store]",
            "[locations.Lyon-Store]",
            ModelProblem(
                "locations.toml",
                "locations.Lyon-Store",
                "a location id must be snake_case (a-z, 0-9, _), e.g. paris_store: it is a GraphQL enum value",
            ),
        ),
        (
            "locations.toml",
            "low_stock_threshold = 3",
            "low_stock_threshold = -1",
            ModelProblem(
                "locations.toml",
                "low_stock_threshold",
                "must be 0 or more (units at or below which stock is low), got -1",
            ),
        ),
    ],
)
def test_a_bad_location_is_reported_with_file_key_and_reason(tmp_path, file, old, new, expected) -> None:  # type: ignore[no-untyped-def]
    problems = problems_after(tmp_path, file, old, new)

    assert expected in problems, problems


def test_without_locations_toml_a_channel_naming_locations_is_a_problem(tmp_path) -> None:  # type: ignore[no-untyped-def]
    problems = problems_after(tmp_path, "locations.toml", "", None)

    assert (
        ModelProblem(
            "channels.toml",
            "channels.web.locations[0]",
            "unknown location 'central_warehouse' (locations: none: declare them in locations.toml)",
        )
        in problems
    )
