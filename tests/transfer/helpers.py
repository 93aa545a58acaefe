"""Export to bytes and import from a file in the tests' own database, through the same code as the CLI."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from cms.media.storage import storage_for
from cms.model import ContentModel
from cms.settings import get_settings
from cms.transfer.export import export_site
from cms.transfer.importing import Importer, Report


async def exported(model: ContentModel) -> bytes:
    out = io.BytesIO()
    await export_site(model, out, storage_for(get_settings()))
    return out.getvalue()


async def imported(model: ContentModel, path: Path) -> tuple[Report, Counter[tuple[str, str]]]:
    """Check then apply `path` (its refused lines left out); the check's report and what was written."""
    importer = Importer(model, storage_for(get_settings()), path)
    report = await importer.check()
    return report, await importer.apply(report.refused_lines)
