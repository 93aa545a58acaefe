"""`cms import-shopify` of a generated Shopify CSV (10,000 rows by default) against `cms import` of the export of
the very site it built, in one run; printed as products/s and their ratio.

    .venv/bin/python bench/shopify_import.py [--rows 10000]

The CSV has products of four variants (two options), an HTML body each, and images from a folder of three. It
is imported into a fresh, migrated SQLite file holding only the categories the products name; that site is then
exported (`cms export`) and the export imported into another fresh file: the same products, variants, images
and projections, written by the export-file import in batches of 500, where the Shopify import writes each
product through the editor's path (validate, claim codes, lint, project, audit, then publish) in a transaction
of its own, as an editor saving and publishing it would.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CMS_MODEL_DIR", str(ROOT / "content_types"))

from tests.transfer.shopify_files import csv_text, generated_rows, write_images  # noqa: E402

CMS = Path(sys.executable).with_name("cms")
MAPPING = ROOT / "docs" / "shopify-mapping.example.toml"


def _export_bench():  # type: ignore[no-untyped-def]
    """bench/import.py, whose export-file generator this bench shares (its name is a keyword: loaded by path)."""
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(CMS), *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cms {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    arguments = parser.parse_args()
    exports = _export_bench()
    work = Path(tempfile.mkdtemp(prefix="cms-bench-shopify-"))
    products = arguments.rows // 4
    categories = work / "categories.ndjson"
    exports.write_file(categories, 0)
    shop = work / "products_export.csv"
    shop.write_text(csv_text(generated_rows(arguments.rows)), encoding="utf-8")
    images = write_images(work / "images")

    shopify_env = exports.migrated(work / "shopify.sqlite3")
    timed(shopify_env, "import", str(categories))
    shopify = timed(shopify_env, "import-shopify", str(shop), "--mapping", str(MAPPING), "--images", str(images))
    site = work / "site.ndjson"
    timed(shopify_env, "export", "--out", str(site))
    export = timed(exports.migrated(work / "export.sqlite3"), "import", str(site))

    print(f"{'rows':>7} {'products':>9} {'shopify/s':>10} {'export/s':>9} {'ratio':>6} {'shopify s':>10}")
    print(
        f"{arguments.rows:>7} {products:>9} {products / shopify:>10.0f} {products / export:>9.0f}"
        f" {export / shopify:>5.2f}x {shopify:>10.1f}"
    )


if __name__ == "__main__":
    main()
