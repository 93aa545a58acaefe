"""The content version: a counter bumped in every transaction that changes live projections; and the stock
version, bumped by a stock batch that changes some quantity (cms.commerce.stock).

Delivery keys its response cache and ETags by the content version, and the answers showing stock by the stock
version too (cms.delivery.cache), so a stock batch leaves every other cached answer in place. Both live in the
one row of `cms_content_version`. On PostgreSQL a bump also sends `NOTIFY cms_content, '<version>'` (the stock
version: `'stock:<version>'`), delivered at commit and dropped on rollback, so every worker listening learns
of the change without asking the database per request.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
from typing import NamedTuple

from piccolo.engine.sqlite import SQLiteEngine

from cms.store.engine import is_postgres
from cms.store.tables import ContentVersion

NOTIFY_CHANNEL = "cms_content"
STOCK_PAYLOAD = "stock:"
"""What a notification of the stock version starts with (the content version's is the bare number)."""
READ = "SELECT version, stock_version FROM cms_content_version WHERE id = 1"
_BUMP = (
    "INSERT INTO cms_content_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = cms_content_version.version + 1 RETURNING version"
)
_BUMP_AND_NOTIFY = f"WITH bumped AS ({_BUMP}) SELECT version, pg_notify('{NOTIFY_CHANNEL}', version::text) FROM bumped"
_BUMP_STOCK = (
    "INSERT INTO cms_content_version (id, version, stock_version) VALUES (1, 0, 1) "
    "ON CONFLICT (id) DO UPDATE SET stock_version = cms_content_version.stock_version + 1 "
    "RETURNING stock_version AS version"
)
_BUMP_STOCK_AND_NOTIFY = (
    f"WITH bumped AS ({_BUMP_STOCK}) "
    f"SELECT version, pg_notify('{NOTIFY_CHANNEL}', '{STOCK_PAYLOAD}' || version::text) FROM bumped"
)


class Versions(NamedTuple):
    """The committed versions (0 before the first change)."""

    content: int
    stock: int


async def bump_content_version() -> int:
    """Count one more change; call it inside the transaction making the change, so both commit together."""
    sql = _BUMP_AND_NOTIFY if is_postgres(ContentVersion._meta.db) else _BUMP
    rows = await ContentVersion.raw(sql)
    return int(rows[0]["version"])


async def bump_stock_version() -> int:
    """Count one more stock change (only answers showing stock depend on it); inside the stock batch's
    transaction, so both commit together."""
    sql = _BUMP_STOCK_AND_NOTIFY if is_postgres(ContentVersion._meta.db) else _BUMP_STOCK
    rows = await ContentVersion.raw(sql)
    return int(rows[0]["version"])


async def read_content_version() -> int:
    """The committed content version (0 before the first change); see `read_versions`."""
    return (await read_versions()).content


async def read_versions() -> Versions:
    """The committed content and stock versions (0 before the first change).

    On SQLite it is read on a connection kept open for it, and only again after some connection or process
    committed (see `KeptVersionReader`), so it runs on the event loop. Any trouble with that connection
    falls back to Piccolo, which opens a connection per query there (about a millisecond).
    """
    engine = ContentVersion._meta.db
    if isinstance(engine, SQLiteEngine):
        try:
            return _read_on_kept_connection(engine.path)
        except (sqlite3.Error, OSError):
            with _kept_lock:
                _kept.pop(engine.path, None)
    rows = await ContentVersion.raw(READ)
    return Versions(int(rows[0]["version"]), int(rows[0]["stock_version"])) if rows else Versions(0, 0)


class KeptVersionReader:
    """The content and stock versions of one SQLite database, selected again only once something was committed.

    In WAL mode every commit, by any connection of any process, rewrites the header of the WAL index (the
    `-shm` file, https://www.sqlite.org/walformat.html): a change counter, the last frame, salts and
    checksums. It is the header SQLite itself compares to tell whether its view is stale. Reading its 96
    bytes (two copies of the 48-byte header) costs one `pread`, a tenth of a SELECT through `sqlite3`
    (`PRAGMA data_version` costs as much as the SELECT: the price is the call, not the row). A header
    equal to the one seen before the last SELECT means no commit since; anything else selects again.

    The kept connection holds the WAL open, so no other connection can delete or reset the `-shm` file
    or leave WAL mode while this reader lives.
    """

    def __init__(self, path: str) -> None:
        # A short busy timeout: in WAL mode readers never wait for writers, and this must not stall the loop.
        self.connection = sqlite3.connect(path, timeout=0.05, isolation_level=None, check_same_thread=False)
        self.version = self._select()  # opens the WAL index, so its file exists from here on
        self.header = b""
        self.wal_index = _wal_index_file(path) if self._in_wal_mode() else None

    def read(self) -> Versions:
        if self.wal_index is None:
            return self._select()
        header = os.pread(self.wal_index, 2 * _HEADER_SIZE, 0)
        if header == self.header:
            return self.version
        # The header is read before the SELECT: a commit in between is selected now and seen again next time.
        self.version = self._select()
        self.header = header if _is_settled(header) else b""
        return self.version

    def _select(self) -> Versions:
        row = self.connection.execute(READ).fetchone()
        return Versions(int(row[0]), int(row[1])) if row else Versions(0, 0)

    def _in_wal_mode(self) -> bool:
        return str(self.connection.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"


_HEADER_SIZE = 48
_WAL_INDEX_VERSION = 3007000
"""The first field of a WAL-index header SQLite wrote (its format since 3.7.0, shared by every version)."""


def _is_settled(header: bytes) -> bool:
    """Both copies agree (no writer midway) and the header is one SQLite initialised, in the known format."""
    first = header[:_HEADER_SIZE]
    return (
        len(header) == 2 * _HEADER_SIZE
        and first == header[_HEADER_SIZE:]
        and struct.unpack_from("=I", first)[0] == _WAL_INDEX_VERSION
        and first[12] == 1  # isInit
    )


_wal_index_files: dict[tuple[int, int], int] = {}


def _wal_index_file(path: str) -> int | None:
    """A descriptor reading the `-shm` file of the database at `path`, opened once per file and never closed.

    Closing any descriptor of a file drops every POSIX lock this process holds on it, including those
    SQLite's own connections hold on the WAL index: these few descriptors live as long as the process.
    """
    if not hasattr(os, "pread"):  # not on Windows: select every time there
        return None
    try:
        identity = os.stat(path + "-shm")
    except OSError:
        return None
    key = (identity.st_dev, identity.st_ino)
    if key not in _wal_index_files:
        _wal_index_files[key] = os.open(path + "-shm", os.O_RDONLY | os.O_CLOEXEC)
    return _wal_index_files[key]


_kept: dict[str, KeptVersionReader] = {}
_kept_lock = threading.Lock()


def _read_on_kept_connection(path: str) -> Versions:
    with _kept_lock:
        reader = _kept.get(path)
        if reader is None:
            reader = _kept[path] = KeptVersionReader(path)
        return reader.read()
