"""The content version: a counter bumped in every transaction that changes live projections.

Delivery keys its response cache and ETags by it. On PostgreSQL the bump also sends
`NOTIFY cms_content, '<version>'` (delivered at commit, dropped on rollback), so every worker
listening learns of the change without asking the database per request.
"""

from __future__ import annotations

import sqlite3
import threading

from piccolo.engine.sqlite import SQLiteEngine

from cms.store.engine import is_postgres
from cms.store.tables import ContentVersion

NOTIFY_CHANNEL = "cms_content"
READ = "SELECT version FROM cms_content_version WHERE id = 1"
_BUMP = (
    "INSERT INTO cms_content_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = cms_content_version.version + 1 RETURNING version"
)
_BUMP_AND_NOTIFY = f"WITH bumped AS ({_BUMP}) SELECT version, pg_notify('{NOTIFY_CHANNEL}', version::text) FROM bumped"


async def bump_content_version() -> int:
    """Count one more change; call it inside the transaction making the change, so both commit together."""
    sql = _BUMP_AND_NOTIFY if is_postgres(ContentVersion._meta.db) else _BUMP
    rows = await ContentVersion.raw(sql)
    return int(rows[0]["version"])


async def read_content_version() -> int:
    """The committed version (0 before the first change).

    On SQLite it is read on a connection kept open for it: Piccolo opens a connection per query there
    (about a millisecond, more than answering from the response cache), while this read takes a few
    microseconds, so it runs on the event loop. Any trouble with that connection falls back to Piccolo.
    """
    engine = ContentVersion._meta.db
    if isinstance(engine, SQLiteEngine):
        try:
            return _read_on_kept_connection(engine.path)
        except sqlite3.Error:
            _kept.pop(engine.path, None)
    rows = await ContentVersion.raw(READ)
    return int(rows[0]["version"]) if rows else 0


_kept: dict[str, sqlite3.Connection] = {}
_kept_lock = threading.Lock()


def _read_on_kept_connection(path: str) -> int:
    with _kept_lock:
        connection = _kept.get(path)
        if connection is None:
            # A short busy timeout: in WAL mode readers never wait for writers, and this must not stall the loop.
            connection = sqlite3.connect(path, timeout=0.05, isolation_level=None, check_same_thread=False)
            _kept[path] = connection
        row = connection.execute(READ).fetchone()
    return int(row[0]) if row else 0
