"""The list figures of `bench/search.py` (`list_figures`) at 100k products, on SQLite and PostgreSQL.

Run by hand (not in CI): `.venv/bin/python bench/lists.py --seconds 3 --rounds 2 [--postgres URL]`. It seeds the
demo into a throwaway SQLite database (and the PostgreSQL database given: its content is replaced), grows it to
`--large` web/en products as `bench/delivery.py` does, starts one uvicorn worker with the response cache off on
each (the first start computes the value columns and indexes of 100,000 products: a minute or two), and measures
the uncached list sorted by price, filtered vs unfiltered, and the filtered one's p99 vs p50. `--sqlite PATH`
reuses a database already grown (and started once) instead of building one.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import tempfile
import uuid

from delivery import NEEDLE_BRAND, NEEDLES, Server, cms_environment, grow, seed
from search import list_figures

from cms.store.tables import document_hash
from cms.transfer.bulk import ENTRY_COLUMNS

PROJECTION_COLUMNS = (
    "key, entry, content_type, channel, locale, slug, doc, doc_hash, version, published_at, stage, valid_from, "
    "valid_until"
)


def grow_postgres(database_url: str, products: int) -> None:
    """`delivery.grow` on PostgreSQL: the copies' entries are rows of their own (the projection's foreign key)."""
    asyncio.run(_grow_postgres(database_url, products))


async def _grow_postgres(database_url: str, products: int) -> None:
    import asyncpg  # the app's driver on PostgreSQL

    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            f"SELECT {PROJECTION_COLUMNS} FROM cms_projection WHERE content_type = 'product' AND channel = 'web' "
            "AND locale = 'en' AND stage = 'live'"
        )
        moment = dt.datetime.now(dt.UTC)
        entries, projections = [], []
        always = [row for row in rows if row["valid_from"] is None and row["valid_until"] is None]
        for number in range(products - len(rows)):
            row = dict(always[number % len(always)] if number < NEEDLES else rows[number % len(rows)])
            document = json.loads(row["doc"])
            entry = document["id"] = str(uuid.UUID(int=number))
            document["brand"] = NEEDLE_BRAND if number < NEEDLES else f"Brand {number % 500}"
            if number < NEEDLES:
                document["availability"] = "IN_STOCK"
            text = json.dumps(document)
            entries.append((entry, "product", f"copy-{number}", "published", 1, 1, None, moment, moment))
            row.update(key=f"copy-{number}", entry=entry, slug=f"copy-{number}", doc=text, doc_hash=document_hash(text))
            projections.append(tuple(row.values()))
        async with connection.transaction():
            # As on SQLite, where `grow` runs before the app's first start: the start makes the field indexes
            # again (COPY into ~40 indexes of ~20 columns took minutes).
            for (name,) in await connection.fetch(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'cms_projection' AND (indexname LIKE "
                "'cms\\_projection\\_filter\\_%' OR indexname LIKE 'cms\\_projection\\_sort\\_%')"
            ):
                await connection.execute(f"DROP INDEX {name}")
            await connection.copy_records_to_table(
                "cms_entry",
                records=entries,
                columns=ENTRY_COLUMNS,
            )
            await connection.set_type_codec(  # COPY sends binary: jsonb's is a version byte and the text
                "jsonb",
                encoder=lambda text: b"\x01" + text.encode(),
                decoder=bytes,
                schema="pg_catalog",
                format="binary",
            )
            await connection.copy_records_to_table(
                "cms_projection", records=projections, columns=PROJECTION_COLUMNS.split(", ")
            )
        await connection.execute("VACUUM ANALYZE cms_projection")
    finally:
        await connection.close()


def figures(database_url: str, seconds: float, connections: int, rounds: int) -> list[tuple[str, str]]:
    server = Server("cms.app:create_app", cms_environment(database_url, delivery_cache_entries="0"))
    try:
        return list_figures(server, seconds, connections, rounds)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of each measurement (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (16)")
    parser.add_argument("--large", type=int, default=100_000, help="products in the dataset (100000)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every measurement, medians kept (2)")
    parser.add_argument("--sqlite", help="a SQLite file already grown by this bench (skips building one)")
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (its content is replaced)")
    parser.add_argument("--no-grow", action="store_true", help="PostgreSQL: measure its content as it is")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    arguments = parser.parse_args()
    rows = []
    if not arguments.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="cms-bench-lists-") as directory:
            path = arguments.sqlite or f"{directory}/lists.sqlite3"
            if not arguments.sqlite:
                seed(f"sqlite:///{path}")
                grow(path, arguments.large)
            measured = figures(f"sqlite:///{path}", arguments.seconds, arguments.connections, arguments.rounds)
            rows += [("SQLite: " + label, value) for label, value in measured]
    if arguments.postgres:
        if not arguments.no_grow:
            seed(arguments.postgres)
            grow_postgres(arguments.postgres, arguments.large)
        measured = figures(arguments.postgres, arguments.seconds, arguments.connections, arguments.rounds)
        rows += [("PostgreSQL: " + label, value) for label, value in measured]
    width = max(len(label) for label, _ in rows)
    print(f"\n{'figure':<{width}}  value ({arguments.large:,} products)\n{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
