"""The store's engine and its migrations."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from cms.store.content_version import bump_content_version
from cms.store.tables import TABLES, ContentVersion, Entry


class MigrationError(RuntimeError):
    pass


def get_engine() -> Engine:
    """The engine every table is bound to (built from CMS_DATABASE_URL by piccolo_conf)."""
    return Entry._meta.db


def write_transaction():  # type: ignore[no-untyped-def]
    """A transaction for writes: on SQLite it takes the write lock at BEGIN (IMMEDIATE), so
    concurrent writers wait their turn instead of failing with "database is locked" half-way."""
    engine = get_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def migrate() -> None:
    """Apply every pending migration of the store; quiet unless something fails."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards("store")
    if not result.success:
        raise MigrationError(f"migrations failed: {result.message}\n{output.getvalue()}")


async def delete_all_content() -> None:
    """Remove every entry, version and projection (tests and `cms demo --reset`)."""
    for table in reversed(TABLES):
        if table is not ContentVersion:
            await table.delete(force=True)
    # Counted as a change, never reset: an answer cached under an old version must not come back.
    await bump_content_version()
