"""The committed SDL files are the public contract: they must match the code, and `graphql/` holds no Python."""

from __future__ import annotations

from pathlib import Path

import graphql
from cms.delivery.sdl import channel_sdl, sdl_drift
from cms.model import ContentModel
from tests.conftest import ROOT

GRAPHQL_DIR = ROOT / "graphql"


def test_committed_sdl_matches_the_schema_generated_from_the_model(model: ContentModel) -> None:
    problems = sdl_drift(model, GRAPHQL_DIR)
    assert problems == [], "run `cms schema` and commit graphql/: " + "; ".join(problems)


def test_there_is_one_sdl_file_per_channel(model: ContentModel) -> None:
    assert sorted(path.stem for path in GRAPHQL_DIR.glob("*.graphql")) == sorted(model.channels)


def test_drift_is_detected_when_a_file_is_edited(model: ContentModel, tmp_path: Path) -> None:
    for name, sdl in channel_sdl(model).items():
        (tmp_path / f"{name}.graphql").write_text(sdl, encoding="utf-8")
    assert sdl_drift(model, tmp_path) == []
    web = tmp_path / "web.graphql"
    web.write_text(web.read_text(encoding="utf-8").replace("totalCount: Int!", "totalCount: Int"), encoding="utf-8")
    (tmp_path / "fax.graphql").write_text("type Query { a: Int }\n", encoding="utf-8")
    assert sdl_drift(model, tmp_path) == [
        f"{web} differs from the schema generated from the model",
        f"{tmp_path / 'fax.graphql'} belongs to no channel of the model",
    ]


def test_graphql_folder_holds_no_python() -> None:
    assert list(GRAPHQL_DIR.rglob("*.py")) == []


def test_graphql_core_is_imported_from_site_packages_not_from_the_project() -> None:
    assert "site-packages" in Path(graphql.__file__).parts
