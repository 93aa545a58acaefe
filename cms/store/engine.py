"""Build the database engine from the settings' URL, and manage its lifecycle."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from cms.store.sqlite import ClosingSQLiteEngine

logger = logging.getLogger(__name__)


class UnsupportedDatabaseError(ValueError):
    pass


def engine_from_url(url: str) -> Engine:
    """`sqlite:///relative.sqlite3`, `sqlite:////absolute/path` or `postgresql://...`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers go on while a writer commits; the timeout waits out short write locks.
        return ClosingSQLiteEngine(path=path, timeout=30)
    if scheme in ("postgres", "postgresql"):
        return PostgresEngine(config={"dsn": url})
    raise UnsupportedDatabaseError(
        f"unsupported database URL scheme {scheme!r}: use sqlite:///file.sqlite3 or postgresql://..."
    )


def is_postgres(engine: Engine) -> bool:
    return engine.engine_type in ("postgres", "cockroach")


async def start_engine(engine: Engine, pool_size: int, idle_seconds: float = 60.0) -> None:
    """Open the PostgreSQL pool, or set SQLite's WAL. Connections unused for `idle_seconds` are closed, every
    one of them (asyncpg keeps `min_size` open for good: a quiet worker holds no session); 0: kept open."""
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=0 if idle_seconds > 0 else 1,
            max_size=pool_size,
            max_inactive_connection_lifetime=max(idle_seconds, 0),
        )
    else:
        await engine.run_ddl("PRAGMA journal_mode=WAL")


CLOSE_GRACE_SECONDS = 10.0
"""How long closing a pool waits for connections still held before it cuts them."""


async def stop_engine(engine: Engine, grace_seconds: float = CLOSE_GRACE_SECONDS) -> None:
    """Close the PostgreSQL pool. A connection still held after `grace_seconds` (a request stuck on a lock,
    a task that never released it) is cut rather than waited for: asyncpg's close waits for every one."""
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool, engine.pool = engine.pool, None
        await close_pool_within(pool, grace_seconds)


async def close_pool_within(pool: asyncpg.Pool, grace_seconds: float) -> None:
    """`pool.close()`, or `pool.terminate()` when connections are still held after `grace_seconds`."""
    held = pool.get_size() - pool.get_idle_size()
    try:
        await asyncio.wait_for(pool.close(), grace_seconds)
    except TimeoutError:
        logger.warning("closing the database pool: %d connection(s) still held after %.0f s, cut", held, grace_seconds)
        pool.terminate()
