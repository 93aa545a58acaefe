"""Build the database engine from the settings' URL, and manage its lifecycle."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from cms.store.sqlite import ClosingSQLiteEngine


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


async def stop_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
