"""Load the demo: its content is data, an export file loaded through `cms import`'s own code.

`demo.ndjson` (docs/export-format.md) holds the entries in English and French and their pictures' asset
records; the pictures themselves are beside it in `media/`, under their storage keys (the file was exported
with `--no-files`, so that it stays readable); `stock.ndjson` is the stock, in the inventory API's batch
format. Loading is idempotent: a second load finds every record unchanged and writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cms.commerce.lines import read_batch
from cms.commerce.stock import StockReport, apply_stock
from cms.media.storage import MediaStorage, storage_for
from cms.model.definitions import ContentModel
from cms.settings import get_settings
from cms.store.tables import Entry
from cms.transfer.importing import Importer
from cms.transfer.reading import records
from cms.transfer.records import AssetRecord

DEMO_DIRECTORY = Path(__file__).resolve().parent
DEMO_FILE = DEMO_DIRECTORY / "demo.ndjson"
"""The demo's content: an export file (`cms export --no-files`)."""
DEMO_MEDIA = DEMO_DIRECTORY / "media"
"""The originals of the demo's pictures, each at its storage key (`originals/<sha256>.webp`)."""
DEMO_STOCK = DEMO_DIRECTORY / "stock.ndjson"
"""The demo's stock at the warehouse and the two stores, as an OMS would send it to the inventory API."""

Progress = Callable[[str, int, int], None]
"""(step, done, total): `Checking` then `Importing` records."""


class DemoRefused(RuntimeError):
    """The demo file does not fit this site's content model (its refusals, by line and field)."""


async def has_content() -> bool:
    return await Entry.count() > 0


async def load_demo(model: ContentModel, progress: Progress | None = None) -> Counter[tuple[str, str]]:
    """Import the demo file, its pictures and its stock; (kind, action) -> records written (none the second time).

    The file is checked against this site's model even when the model changed since it was exported (an
    added optional field does not stop the demo); a refusal stops it before anything is written."""
    storage = storage_for(get_settings())
    await put_demo_pictures(storage)
    importer = Importer(model, storage, DEMO_FILE, force_model=True)
    total = record_count()
    checked = 0

    def seen(_: object) -> None:
        nonlocal checked
        checked += 1
        if progress:
            progress("Checking", checked, total)

    report = await importer.check(seen)
    if report.refusals:
        shown = "; ".join(str(refusal) for refusal in report.refusals[:5])
        count = len(report.refusals)
        raise DemoRefused(f"{DEMO_FILE.name} does not fit this content model ({count} refusals): {shown}")
    imported = 0

    def advance(done: int) -> None:
        nonlocal imported
        imported += done
        if progress:
            progress("Importing", imported, total)

    written = await importer.apply(set(), advance)
    await load_demo_stock(model)
    return written


def record_count() -> int:
    """Records of the demo file (its lines but the header and the end)."""
    with DEMO_FILE.open("rb") as lines:
        return sum(1 for _ in lines) - 2


async def put_demo_pictures(storage: MediaStorage) -> None:
    """Each asset's original where the file says it is, unless already there (the import checks they are)."""
    for _, record in records(DEMO_FILE):
        if isinstance(record, AssetRecord) and not await storage.exists(record.key):
            await storage.put(record.key, (DEMO_MEDIA / record.key).read_bytes(), record.mime)


async def load_demo_stock(model: ContentModel) -> StockReport:
    """The demo's stock through the inventory API's path (after the products: unknown SKUs are refused).

    Its lines are counted on 2026-12-01: any real batch, counted later, wins over them."""
    lines, refused = read_batch(DEMO_STOCK.read_bytes(), ndjson=True)
    return await apply_stock(model, lines, refused, partial=False)
