"""Assets travel with their images (into local storage or an S3 bucket), or with their keys only (`--no-files`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from cms.media.storage import MediaStorage, storage_for
from cms.settings import get_settings
from cms.store.database import delete_all_content
from cms.transfer.export import export_site
from cms.transfer.importing import Importer
from tests.test_media_storage import storage  # noqa: F401 (the fixture: local, and S3 when the server runs)
from tests.transfer.world import build_world


async def _export(model, path: Path, *, files: bool) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """Export the site to `path`; its asset records (the demo's pictures and the world's kettle)."""
    out = io.BytesIO()
    await export_site(model, out, storage_for(get_settings()) if files else None)
    path.write_bytes(out.getvalue())
    return [json.loads(line) for line in out.getvalue().splitlines() if b'"type":"asset"' in line]


async def test_the_image_lands_in_the_target_storage(model, clean_db, storage: MediaStorage, tmp_path: Path) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    await build_world(model)
    asset, *_ = await _export(model, tmp_path / "site.ndjson", files=True)
    original = await storage_for(get_settings()).get(asset["key"])
    await delete_all_content()

    importer = Importer(model, storage, tmp_path / "site.ndjson")
    report = await importer.check()
    await importer.apply(report.refused_lines)

    assert report.refusals == []
    assert original is not None
    assert await storage.get(asset["key"]) == original


async def test_keys_only_need_the_image_in_the_target_storage(
    model,
    clean_db,
    storage: MediaStorage,  # noqa: F811
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    await build_world(model)
    assets = await _export(model, tmp_path / "site.ndjson", files=False)
    await delete_all_content()
    importer = Importer(model, storage, tmp_path / "site.ndjson")

    refused = await importer.check()
    for asset in assets:
        original = await storage_for(get_settings()).get(asset["key"])
        assert original is not None
        await storage.put(asset["key"], original, asset["mime"])
    accepted = await importer.check()

    assert [asset["file"] for asset in assets] == [None] * len(assets)
    assert [(refusal.path, refusal.reason) for refusal in refused.refusals] == [
        ("file", f"not in the file, and {asset['key']} is not in this site's media storage") for asset in assets
    ]
    assert accepted.refusals == []
