"""`cms import-shopify` as a person runs it: in a fresh process, on the tests' database (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.model import ContentModel
from cms.store.tables import Entry
from tests.transfer.shopify_files import ROWS, csv_text, write_images
from tests.transfer.test_shopify import EXAMPLE_MAPPING

CMS = Path(sys.executable).with_name("cms")


def import_shopify(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [str(CMS), "import-shopify", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Path]:
    csv_path = tmp_path / "products_export.csv"
    csv_path.write_text(csv_text(ROWS), encoding="utf-8")
    return csv_path, write_images(tmp_path / "images")


async def products() -> list[str]:
    rows = await Entry.select(Entry.slug).where(Entry.content_type == "product").order_by(Entry.slug)
    return [row["slug"] for row in rows]


async def test_a_dry_run_says_what_would_be_done_and_changes_nothing(lighting: str, shop: tuple[Path, Path]) -> None:
    csv_path, images = shop
    done = import_shopify(str(csv_path), "--mapping", str(EXAMPLE_MAPPING), "--images", str(images), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "line 2: create and publish product arc-desk-lamp" in done.stdout
    assert "line 6: create product wool-throw" in done.stdout
    assert "products would be: 2 create" in done.stderr
    assert await products() == []


async def test_the_import_shows_progress_and_a_second_run_changes_nothing(
    lighting: str, shop: tuple[Path, Path]
) -> None:
    csv_path, images = shop
    arguments = (str(csv_path), "--mapping", str(EXAMPLE_MAPPING), "--images", str(images))
    first = import_shopify(*arguments)
    second = import_shopify(*arguments)
    assert first.returncode == 0, first.stderr
    assert "Importing products" in first.stderr and "2/2" in first.stderr
    assert "products imported: 2 create" in first.stderr
    assert second.returncode == 0, second.stderr
    assert "products imported: 2 unchanged" in second.stderr
    assert await products() == ["arc-desk-lamp", "wool-throw"]


async def test_bad_rows_are_listed_by_line_and_nothing_is_imported(
    lighting: str, shop: tuple[Path, Path], tmp_path: Path
) -> None:
    csv_path, images = shop
    rows = [dict(row) for row in ROWS]
    rows[1]["Variant Barcode"] = "123"
    csv_path.write_text(csv_text(rows), encoding="utf-8")
    done = import_shopify(str(csv_path), "--mapping", str(EXAMPLE_MAPPING), "--images", str(images))
    assert done.returncode == 1
    assert "refused: line 3: Variant Barcode: “123” is not a valid GTIN" in done.stdout
    assert "1 product(s) refused: nothing was imported" in done.stderr
    assert await products() == []


async def test_a_mapping_that_does_not_fit_the_model_is_named_before_anything_is_read(
    model: ContentModel, clean_db: None, shop: tuple[Path, Path], tmp_path: Path
) -> None:
    csv_path, _ = shop
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\n"Title" = "title"\n', encoding="utf-8")
    done = import_shopify(str(csv_path), "--mapping", str(mapping))
    assert done.returncode == 2
    assert "columns.'Title': product has no field 'title'" in done.stderr


async def test_refusals_are_written_in_french_when_asked(lighting: str, shop: tuple[Path, Path]) -> None:
    csv_path, images = shop
    rows = [dict(row) for row in ROWS]
    rows[1]["Variant Barcode"] = "123"
    rows[2]["Option1 Value"] = "Purple"
    rows[4]["Handle"] = "Wool Throw"
    csv_path.write_text(csv_text(rows), encoding="utf-8")
    arguments = (str(csv_path), "--mapping", str(EXAMPLE_MAPPING), "--images", str(images), "--lang", "fr")
    done = import_shopify(*arguments)
    assert done.returncode == 1
    assert "refused: ligne 3: Variant Barcode: « 123 » n’est pas un GTIN valide" in done.stdout
    assert "refused: ligne 4: Option1 Value: finish « Purple » inconnu" in done.stdout
    # the model's own problem, in the admin's French words
    assert "refused: ligne 6: Handle: « Wool Throw » n’est pas un identifiant" in done.stdout
