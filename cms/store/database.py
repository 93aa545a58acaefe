"""The store's engine and its migrations."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import Awaitable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from cms.store.content_version import bump_content_version
from cms.store.engine import is_postgres
from cms.store.tables import TABLES, ContentVersion, Entry


class MigrationError(RuntimeError):
    pass


T = TypeVar("T")
_one_at_a_time: ContextVar[asyncio.Lock | None] = ContextVar("cms_one_query_at_a_time", default=None)


@contextlib.contextmanager
def one_query_at_a_time() -> Iterator[None]:
    """Within the block (and the tasks it starts), queries sent through `serialized` wait for each other.

    For reads inside a transaction while GraphQL resolves fields concurrently: the transaction's one
    connection runs one query at a time (asyncpg refuses a second one: "another operation is in progress").
    """
    token = _one_at_a_time.set(asyncio.Lock())
    try:
        yield
    finally:
        _one_at_a_time.reset(token)


async def serialized(query: Awaitable[T]) -> T:
    """`await query`, after the other queries of a `one_query_at_a_time` block; at once outside one."""
    lock = _one_at_a_time.get()
    if lock is None:
        return await query
    async with lock:
        return await query


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


MIGRATION_LOCK_KEY = 72_61_77_12
"""PostgreSQL advisory lock held while migrating: any number of workers, containers or `cms migrate` runs
starting together migrate once, one after the other (the later ones find nothing pending)."""


async def migrate() -> None:
    """Apply every pending migration of the store; quiet unless something fails."""
    async with _migration_lock():
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            result = await run_forwards("store")
    if not result.success:
        raise MigrationError(f"migrations failed: {result.message}\n{output.getvalue()}")


@contextlib.asynccontextmanager
async def _migration_lock():  # type: ignore[no-untyped-def]
    """On PostgreSQL, a session lock on a connection of its own (Piccolo's migrations use others)."""
    engine = get_engine()
    if not isinstance(engine, PostgresEngine):
        yield
        return
    import asyncpg

    connection = await asyncpg.connect(engine.config["dsn"])
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        yield
    finally:
        await connection.close()  # closing the session releases its lock


async def delete_all_content() -> None:
    """Remove every entry, version and projection (tests and `cms demo --reset`)."""
    for table in reversed(TABLES):
        if table is not ContentVersion:
            await table.delete(force=True)
    engine = get_engine()
    for name in raw_content_tables(engine):
        await engine.run_ddl(f"DELETE FROM {name}")
    # Counted as a change, never reset: an answer cached under an old version must not come back.
    await bump_content_version()


def raw_content_tables(engine: Engine) -> tuple[str, ...]:
    """The content tables made by raw SQL, with no Piccolo table: the search index's (2026-12-20; on SQLite,
    `cms_search_text` is an FTS5 table) and the stock (2026-12-23)."""
    if is_postgres(engine):
        return ("cms_search", "cms_search_word", "cms_stock")
    return ("cms_search_text", "cms_search", "cms_search_word", "cms_stock")
