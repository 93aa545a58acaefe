"""Delivery's reads of the store: on SQLite, over connections kept open in a few threads.

Piccolo's `SQLiteEngine` opens a new aiosqlite connection, and so a new thread, for every query
outside a transaction (about a millisecond, more than a page of indexed documents takes to read).
Delivery only reads, so on SQLite its queries go to `KeptConnectionsEngine`: the same engine class
(its SQL, parameter adapters and converters), with each query run on a read-only connection kept
open in one of a few threads. WAL mode lets them read while a writer commits; every statement sees
the last committed state. A query whose last run took under `INLINE_BUDGET` (a page of an index, a
batch of references by id: a fraction of a millisecond) runs right on the event loop, on a connection
of the loop's own thread: the hop to a thread and back cost more than the query. A query not yet seen,
or whose last run took longer, goes to a thread, so a slow one blocks the loop at most once in a row
(on a thread its CPU time is what counts, not the time it waited there for the GIL).
Inside a transaction of the main engine (a test, or a write that reads
back what it projected) the main engine answers, so uncommitted rows stay visible to their writer.
On PostgreSQL, outside a transaction, queries go to a small read-only asyncpg pool of delivery's own
(cms.delivery.pg_reads: no reset round trip per query, each SQL text prepared once per connection).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

from cms.store.database import get_engine

READ_THREADS = 4
"""Threads (each with its connection) reading for delivery on SQLite: queries wait their turn beyond that."""
INLINE_BUDGET = 0.001
"""Seconds under which a query's last run lets its next one run on the event loop."""
DURATIONS_KEPT = 1024
"""Most SQL texts whose last duration is remembered (all are forgotten beyond that)."""
TUPLES = "cms-tuples"
"""The query type (Piccolo passes it through to `_run_in_new_connection`) of `read_tuples`."""


class KeptConnectionsEngine(SQLiteEngine):
    """Piccolo's SQLite engine for reads only: queries run on kept read-only connections, one per thread
    (the read threads', and the event loop's for quick queries)."""

    def __init__(self, path: str, threads: int = READ_THREADS) -> None:
        super().__init__(path=path, timeout=5)
        # Delivery reads ids, counts and stored text: none of Piccolo's converters by declared column type
        # (an INTEGER one in Python for every id read was a third of a page query's time).
        self.connection_kwargs["detect_types"] = 0
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="cms-delivery-read")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.durations: dict[str, float] = {}
        """Seconds the last run of each SQL text took (on whichever connection)."""

    async def read(self, sql: str, params: Sequence[Any], tuples: bool) -> Any:
        """Rows of `sql` (Piccolo's `{}` placeholders, compiled once per text to SQLite's `?`): dicts, or
        with `tuples` the sequences of column values. Delivery's reads come here straight, not through
        Piccolo's `run_querystring` (its query id, logging checks and compilation cost ~10 µs a query); the
        values are bound as given (Piccolo registers its adapters with `sqlite3` itself)."""
        query = _sqlite_texts.get(sql)
        if query is None:
            query = _compiled(sql)
        return await self._run_in_new_connection(query, params, TUPLES if tuples else "generic")  # type: ignore[arg-type]

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> list[dict[str, Any]]:
        # Piccolo's run_querystring calls this outside transactions (this engine never opens one), and so
        # does `read`.
        tuples = query_type == TUPLES
        if self.durations.get(query, INLINE_BUDGET) < INLINE_BUDGET:
            return self._fetch(query, args or (), tuples, True)  # type: ignore[return-value]
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(self._executor, self._fetch, query, args or (), tuples, False)
        return rows  # type: ignore[return-value]

    def _fetch(
        self, query: str, args: Sequence[Any], tuples: bool = False, inline: bool = False
    ) -> list[dict[str, Any]] | list[tuple[Any, ...]]:
        """Rows of `query`, remembering how long it took: on the event loop, the time it held the loop; on a
        read thread, the CPU time of that thread (its wall time counts the waits for the GIL while the loop
        runs, and under load those kept every query on the threads: a fifth of the throughput lost)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        clock = time.perf_counter if inline else time.thread_time
        started = clock()
        cursor = connection.execute(query, args)
        values: list[tuple[Any, ...]] = cursor.fetchall()
        rows = values
        if not tuples:
            names = [column[0] for column in cursor.description or ()]
            rows = [dict(zip(names, row)) for row in values]  # type: ignore[misc]  # noqa: B905 - as Piccolo's dict_factory
        durations = self.durations
        if len(durations) >= DURATIONS_KEPT and query not in durations:
            durations.clear()
        durations[query] = clock() - started
        return rows

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(**{**self.connection_kwargs, "check_same_thread": False})
        connection.execute("PRAGMA query_only = ON")  # a write sent here by mistake fails instead of committing
        with self._lock:
            self._connections.append(connection)
        return connection

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


_readers: dict[str, KeptConnectionsEngine] = {}
_readers_lock = threading.Lock()


def reading_engine() -> KeptConnectionsEngine | None:
    """The kept connections delivery reads with on SQLite; None on PostgreSQL or inside a transaction."""
    engine = get_engine()
    if not isinstance(engine, SQLiteEngine) or engine.current_transaction.get() is not None:
        return None
    reader = _readers.get(engine.path)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(engine.path)
            if reader is None:
                reader = _readers[engine.path] = KeptConnectionsEngine(engine.path)
    return reader


async def read_rows(sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of a read-only query with Piccolo's `{}` placeholders: on kept connections on SQLite, else
    on PostgreSQL through delivery's read pool, or the main engine inside a transaction (cms.delivery.pg_reads)."""
    reader = reading_engine()
    if reader is None:
        from cms.delivery import pg_reads  # PostgreSQL outside a transaction: a pool of its own (no reset per query)

        return await pg_reads.read_rows(sql, *params)
    return await reader.read(sql, params, False)  # type: ignore[no-any-return]


async def read_tuples(sql: str, *params: Any) -> Sequence[Sequence[Any]]:
    """`read_rows` as sequences of column values in the order selected, without a dict per row."""
    reader = reading_engine()
    if reader is None:
        from cms.delivery import pg_reads

        return await pg_reads.read_records(sql, *params)
    return await reader.read(sql, params, True)  # type: ignore[no-any-return]


def _compiled(sql: str) -> str:
    """`sql` with Piccolo's `{}` placeholders as SQLite's `?`, compiled by Piccolo once per text (`{{`, `}}`
    included); the values are bound as the caller passed them (no copy: sqlite3 binds any sequence)."""
    if len(_sqlite_texts) >= DURATIONS_KEPT:
        _sqlite_texts.clear()
    compiled = _sqlite_texts[sql] = QueryString(sql, *([None] * sql.count("{}"))).compile_string("sqlite")[0]
    return compiled


_sqlite_texts: dict[str, str] = {}


def close_readers() -> None:
    """Close the kept connections and their threads (at shutdown; they reopen on the next read)."""
    with _readers_lock:
        readers = list(_readers.values())
        _readers.clear()
    for reader in readers:
        reader.close()
