"""Many rows in one statement batch (the driver's executemany), in the caller's transaction: for `cms import`.

Piccolo builds an object and a query string per row (`Table(...)`, then `Table.insert(*rows)`): at 28 projection
rows per imported product that was a third of the import's time. Here rows are plain tuples in the table's
column order, sent with sqlite3's or asyncpg's own executemany on the transaction's connection. Values are
what Piccolo would send: JSON as text, instants as aware datetimes (on SQLite, Piccolo's adapters registered
with `sqlite3` turn them into the same text it writes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from cms.store.database import get_engine
from cms.store.engine import is_postgres

PROJECTION_COLUMNS = (
    "key",
    "entry",
    "content_type",
    "channel",
    "locale",
    "slug",
    "doc",
    "doc_hash",
    "version",
    "published_at",
    "stage",
    "valid_from",
    "valid_until",
    "facts",
)


class ProjectionRow(msgspec.Struct):
    """A `cms_projection` row as plain values: the columns of `Projection` but its id and `published_at`, and
    the number of its validity window (which its key names)."""

    key: str
    entry: str
    content_type: str
    channel: str
    locale: str
    slug: str | None
    doc: str
    doc_hash: str
    version: int
    stage: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    facts: str | None
    window: int = 0

    def values(self, published_at: dt.datetime) -> tuple[Any, ...]:
        """In the order of PROJECTION_COLUMNS."""
        return (
            self.key,
            self.entry,
            self.content_type,
            self.channel,
            self.locale,
            self.slug,
            self.doc,
            self.doc_hash,
            self.version,
            published_at,
            self.stage,
            self.valid_from,
            self.valid_until,
            self.facts,
        )


def _connection() -> tuple[bool, Any]:
    engine = get_engine()
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("bulk writes run inside write_transaction(): open one around them")
    return is_postgres(engine), transaction.connection


async def insert_many(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], values: str | None = None
) -> None:
    """INSERT every row (tuples in the order of `columns`) in one executemany.

    `values` replaces the plain placeholders with expressions of them, in the driver's own style (`$1`, … on
    PostgreSQL: `CAST($9 AS jsonb)`); each row then holds the expressions' parameters."""
    if not rows:
        return
    postgres, connection = _connection()
    if values is None:
        values = ", ".join(f"${n}" for n in range(1, len(columns) + 1)) if postgres else ", ".join("?" * len(columns))
    await connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})", rows)


async def insert_many_with_ids(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """`insert_many` into a table with a serial `id`, returning the ids the rows took, in their order: the ids
    inserting them one by one would have given (executemany returns none).

    On PostgreSQL the ids are taken from the column's sequence first (as its default would, one `nextval` per row)
    and inserted with the rows. On SQLite the rows take the ids above every existing one (the largest plus one,
    or past `sqlite_sequence` with AUTOINCREMENT); the caller's transaction holds the write lock from its first
    write, so the largest ids after the executemany are this executemany's."""
    if not rows:
        return []
    postgres, connection = _connection()
    if postgres:
        allocated = await connection.fetch(
            "SELECT nextval(pg_get_serial_sequence($1, 'id')) AS id FROM generate_series(1, $2)", table, len(rows)
        )
        ids = sorted(int(row["id"]) for row in allocated)
        await insert_many(table, ("id", *columns), [(id_, *row) for id_, row in zip(ids, rows, strict=True)])
        return ids
    await insert_many(table, columns, rows)
    newest = await connection.execute_fetchall(f"SELECT id FROM {table} ORDER BY id DESC LIMIT ?", (len(rows),))
    return [int(row["id"]) for row in reversed(list(newest))]
