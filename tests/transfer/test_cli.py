"""`cms export` / `cms import` in fresh processes: across databases (SQLite -> PostgreSQL is how a pilot moves to
production, and back), and bad files answered line by line with nothing applied."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.transfer.helpers import exported
from tests.transfer.world import build_world

CMS = Path(sys.executable).with_name("cms")
ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = os.environ.get("CMS_TEST_POSTGRES_SERVER") or os.environ.get("CMS_TEST_POSTGRES_URL")
"""A PostgreSQL server where these tests make a database of their own (scripts/test passes it to the SQLite pass)."""


def run_cms(database_url: str, media: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CMS_DATABASE_URL": database_url,
        "CMS_MEDIA_ROOT": str(media),
        "CMS_MODEL_DIR": str(ROOT / "content_types"),
        "CMS_STORAGE": "local",
        "COLUMNS": "200",
    }
    return subprocess.run([str(CMS), *args], env=env, capture_output=True, text=True, timeout=300, check=False)


async def _postgres(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_SERVER)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the other process: a SQLite file, or a database made on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/target.sqlite3"
        return
    if not POSTGRES_SERVER:
        pytest.skip("needs CMS_TEST_POSTGRES_SERVER or CMS_TEST_POSTGRES_URL")
    name = f"cms_transfer_{uuid.uuid4().hex[:8]}"
    asyncio.run(_postgres(f"CREATE DATABASE {name}"))
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_postgres(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
async def site_file(model, clean_db, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The export of a site with something of everything, from the tests' database."""
    await build_world(model)
    path = tmp_path / "site.ndjson"
    path.write_bytes(await exported(model))
    return path


def test_the_file_comes_back_identical_from_another_database(site_file: Path, target: str, tmp_path: Path) -> None:
    media = tmp_path / "target-media"
    dry = run_cms(target, media, "import", "--dry-run", str(site_file))
    empty = run_cms(target, media, "export", "--out", str(tmp_path / "empty.ndjson"))
    assert dry.returncode == 0, dry.stderr
    assert "line 2: create asset" in dry.stdout
    assert empty.returncode == 0, empty.stderr
    assert [json.loads(line)["type"] for line in (tmp_path / "empty.ndjson").read_text().splitlines()] == [
        "header",
        "end",
    ]

    imported = run_cms(target, media, "import", str(site_file))
    again = run_cms(target, media, "export", "--out", str(tmp_path / "again.ndjson"))

    assert imported.returncode == 0, imported.stderr
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.ndjson").read_bytes() == site_file.read_bytes()
    reimported = run_cms(target, media, "import", str(site_file))
    assert reimported.returncode == 0, reimported.stderr
    entries = sum(1 for record in _lines(site_file) if record["type"] == "entry")
    assert f"│ entry       │      0 │      0 │ {entries:>9} │       0 │" in reimported.stderr


def _lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write(path: Path, lines: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_a_file_with_bad_records_is_refused_line_by_line_and_nothing_is_applied(
    site_file: Path, tmp_path: Path
) -> None:
    lines = _lines(site_file)
    products = [n for n, line in enumerate(lines) if line["type"] == "entry" and line["content_type"] == "product"]
    priced, referring, damaged = products[0], products[1], products[2]
    lines[priced]["versions"][-1]["data"]["base"]["en"]["price"]["amount"] = "twelve"
    missing = str(uuid.uuid4())
    lines[referring]["versions"][-1]["data"]["base"]["en"]["category"] = missing
    bad = _write(tmp_path / "bad.ndjson", lines)
    text = bad.read_text().splitlines(keepends=True)
    text[damaged] = text[damaged][:40] + "\n"
    bad.write_text("".join(text))
    target, media = f"sqlite:///{tmp_path}/target.sqlite3", tmp_path / "media"

    dry = run_cms(target, media, "import", "--dry-run", str(bad))
    real = run_cms(target, media, "import", str(bad))
    after = run_cms(target, media, "export", "--out", str(tmp_path / "after.ndjson"))

    last = len(lines[priced]["versions"]) - 1
    for result in (dry, real):
        assert result.returncode == 1
        assert f"refused: line {priced + 1}: versions[{last}].data.base.en.price.amount:" in result.stdout
        refused_reference = f"refused: line {referring + 1}: versions[{len(lines[referring]['versions']) - 1}]"
        assert f"{refused_reference}.data.base.en.category: no category entry with id '{missing}'" in result.stdout
        assert f"refused: line {damaged + 1}: (record): not a JSON record" in result.stdout
    assert "line 2: create asset" in dry.stdout
    assert "nothing was imported" in real.stderr
    assert after.returncode == 0, after.stderr
    assert [line["type"] for line in _lines(tmp_path / "after.ndjson")] == ["header", "end"]


def test_skip_invalid_imports_the_other_records(site_file: Path, tmp_path: Path) -> None:
    lines = _lines(site_file)
    categories = [n for n, line in enumerate(lines) if line.get("content_type") == "category"]
    lines[categories[0]]["status"] = "lost"
    bad = _write(tmp_path / "bad.ndjson", lines)
    target, media = f"sqlite:///{tmp_path}/target.sqlite3", tmp_path / "media"

    result = run_cms(target, media, "import", "--skip-invalid", str(bad))
    run_cms(target, media, "export", "--out", str(tmp_path / "after.ndjson"))

    assert result.returncode == 0, result.stderr
    assert f"refused: line {categories[0] + 1}: status: unknown status 'lost'" in result.stdout
    refused_category = lines[categories[0]]["id"]
    in_it = {
        line["id"]
        for line in lines
        if line["type"] == "entry"
        and line["id"] != refused_category
        and refused_category in json.dumps(line["versions"])
    }
    # Entries naming the refused category (its products, an offer) are refused too: their reference would point
    # nowhere.
    assert len(in_it) > 1
    assert result.stdout.count(f"no category entry with id '{refused_category}'") >= len(in_it)
    ids = {line.get("id") for line in _lines(tmp_path / "after.ndjson") if line["type"] == "entry"}
    assert ids == {line["id"] for line in lines if line["type"] == "entry"} - in_it - {refused_category}


def test_whole_file_problems_are_named(site_file: Path, tmp_path: Path) -> None:
    lines = _lines(site_file)
    target, media = f"sqlite:///{tmp_path}/target.sqlite3", tmp_path / "media"
    truncated = tmp_path / "truncated.ndjson"
    truncated.write_bytes(site_file.read_bytes()[:-200])
    newer = _write(tmp_path / "newer.ndjson", [{**lines[0], "version": 2}, *lines[1:]])
    other_parts = {**lines[0]["model_parts"], "type:product": "000000000000", "type:coupon": "111111111111"}
    other_model = _write(tmp_path / "other.ndjson", [{**lines[0], "model_parts": other_parts}, *lines[1:]])

    cut = run_cms(target, media, "import", str(truncated))
    version = run_cms(target, media, "import", str(newer))
    model = run_cms(target, media, "import", str(other_model))
    forced = run_cms(target, media, "import", "--force-model", "--dry-run", str(other_model))

    assert cut.returncode == 1 and "has no end of line: the file was cut short" in cut.stderr
    assert version.returncode == 1 and "format version 2, but this CMS reads version 1" in version.stderr
    assert model.returncode == 1
    assert "type:coupon is in the file's model, not in this site's" in model.stderr
    assert "type:product is defined differently" in model.stderr
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "model: type:product is defined differently" in forced.stderr
