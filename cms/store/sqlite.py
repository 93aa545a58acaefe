"""Piccolo's SQLite engine, with every connection closed however its task ends.

aiosqlite runs each connection on a thread of its own, and that thread is not a daemon: a connection
left open keeps the process from exiting (Python joins such threads at exit, and this one waits for
work forever). Piccolo leaves one open when a task is cancelled while it connects, begins, commits
or rolls back (a lifespan's loops are cancelled at shutdown, wherever they are). Here each of those
steps stops the connection's thread when it fails or is cancelled; `stop()` needs no event loop, the
thread closes the SQLite connection itself and ends.
"""

from __future__ import annotations

import contextlib
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory


class ClosingSQLiteTransaction(SQLiteTransaction):
    async def __aenter__(self) -> SQLiteTransaction:
        try:
            return await super().__aenter__()
        except BaseException:
            _stop(getattr(self, "connection", None))
            raise

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent is not None:
            return await super().__aexit__(exception_type, exception, traceback)
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        except BaseException:
            _stop(self.connection)
            with contextlib.suppress(ValueError):  # reset already, or in another context
                self.engine.current_transaction.reset(self.context)
            raise


class ClosingSQLiteEngine(SQLiteEngine):
    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        try:
            connection.row_factory = dict_factory  # type: ignore[assignment]
            await connection.execute("PRAGMA foreign_keys = 1")
        except BaseException:
            _stop(connection)
            raise
        return connection

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return ClosingSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


def _stop(connection: aiosqlite.Connection | None) -> None:
    if connection is not None:
        connection.stop()


def stop_open_connections() -> int:
    """Stop the thread of every aiosqlite connection still open (found by the garbage collector),
    so that the process can exit; the number stopped. For the end of a test session."""
    import gc

    gc.collect()
    stopped = 0
    for candidate in gc.get_objects():
        if isinstance(candidate, aiosqlite.Connection) and candidate._thread.is_alive():
            candidate.stop()
            stopped += 1
    return stopped
