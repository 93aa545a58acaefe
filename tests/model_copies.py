"""Private copies of the shipped content model that a test may break, one edit at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "content_types"


def copy_shipped_model(tmp_path: Path) -> Path:
    directory = tmp_path / "content_types"
    shutil.copytree(SHIPPED_MODEL, directory)
    return directory


def break_file(directory: Path, file: str, old: str, new: str | None) -> None:
    """Replace the one `old` in `file` by `new`; delete the file when `new` is None."""
    path = directory / file
    if new is None:
        path.unlink()
        return
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
