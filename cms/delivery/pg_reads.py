"""Delivery's reads on PostgreSQL: a small asyncpg pool of read-only sessions, with no reset on release.

Through Piccolo each delivery query costs two round trips: the query, then the `Connection.reset()`
asyncpg's pool sends when the connection is released (`SELECT pg_advisory_unlock_all(); CLOSE ALL;
UNLISTEN *; RESET ALL`), plus Piccolo compiling its query string on every call. Delivery's queries
are single read-only SELECTs that never change session state, so here they go straight to asyncpg
(Piccolo's own driver) on connections of their own: each SQL text compiled once from Piccolo's `{}`
placeholders to `$1, $2, …`, prepared once per connection by asyncpg's statement cache, and released
without a reset. Between reads a connection stays leased from that pool, in a list of idle ones
(`_DeliveryPool.idle`): asyncpg's acquire and release cost a request ~100 µs of CPU (a task per release,
for its cancellation shield, a proxy, a timer), a fifth of an uncached 50-product query on the fast path.
asyncpg still opens, sets up and closes the connections; one is handed back to it whenever a read waits
for a connection there, after a failed or cancelled query (asyncpg waits for the cancellation and
terminates a broken connection), when the server closed it while idle, and at close. Leased ones unused
for half of `CMS_DB_IDLE_SECONDS` are handed back by a sweep and asyncpg closes them after the other half
(`max_inactive_connection_lifetime`): a busy worker keeps what its busiest moment needed (at most
`CMS_DB_POOL_SIZE`), a quiet one gives its sessions back. Rows come back as Piccolo's `raw` gives them: dicts of
asyncpg's decoded values (jsonb as text, timestamptz as aware datetimes), since the connections are made
from the same config.

Inside a transaction of the main engine (a test, or a write reading back what it projected) the
main engine answers, so uncommitted rows stay visible to their writer; on SQLite too (see `reads`).
The pool opens on the first read after the main engine's pool started, in the same event loop, and
is opened again when that pool was replaced (a restart, another loop); `close_pool` closes it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from cms.lib.unavailable import CONNECTION_LOST
from cms.settings import get_settings
from cms.store.database import get_engine, serialized
from cms.store.engine import CLOSE_GRACE_SECONDS, close_pool_within
from cms.store.tables import Projection

TEXTS_KEPT = 1024
"""Most SQL texts kept compiled (all are forgotten beyond that)."""


async def read_rows(sql: str, *params: Any) -> list[dict[str, Any]]:
    """Rows of a read-only query with Piccolo's `{}` placeholders: from the delivery pool on PostgreSQL
    outside a transaction, else through the main engine (the transaction in progress, or SQLite's)."""
    engine = get_engine()
    if not isinstance(engine, PostgresEngine) or engine.current_transaction.get() is not None or engine.pool is None:
        return await serialized(Projection.raw(sql, *params))  # type: ignore[no-any-return]
    return await fetch_from_pool(await _pool(engine), _numbered(sql), params)  # type: ignore[return-value]


async def read_records(sql: str, *params: Any) -> Sequence[Sequence[Any]]:
    """`read_rows` as sequences of column values in the order selected (no dict per row)."""
    engine = get_engine()
    if not isinstance(engine, PostgresEngine) or engine.current_transaction.get() is not None or engine.pool is None:
        return [tuple(row.values()) for row in await serialized(Projection.raw(sql, *params))]
    return await fetch_from_pool(await _pool(engine), _numbered(sql), params, True)  # type: ignore[return-value]


async def fetch_from_pool(
    pool: _DeliveryPool, sql: str, params: tuple[Any, ...], records: bool = False
) -> list[dict[str, Any]] | list[asyncpg.Record]:
    """One round trip: `sql` (with `$n` placeholders) on a connection of the delivery pool; the records
    as asyncpg gives them with `records`, else as Piccolo's `raw` does (dicts)."""
    idle = pool.idle
    kept = bool(idle)
    connection = idle.pop() if kept else await pool.lease()
    if len(idle) < pool.low_water:
        pool.low_water = len(idle)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(sql, *params)
    except BaseException as error:
        if kept and isinstance(error, (OSError, *CONNECTION_LOST)):
            # Closed by the server while it was idle here (a restart, a killed session), seen by asyncpg or
            # not yet, in whatever state that left it: closed for good (asyncpg connects its place again on
            # the next acquire), and the read runs on another.
            with contextlib.suppress(asyncpg.InterfaceError):  # asyncpg already took it back
                connection.terminate()
            return await fetch_from_pool(pool, sql, params, records)
        await pool.hand_back(connection)
        raise
    if pool.waiting or pool.closing:
        await pool.hand_back(connection)
    else:
        idle.append(connection)
    return rows if records else [dict(record) for record in rows]  # as Piccolo's transform_response_to_dicts


def _numbered(sql: str) -> str:
    """`sql` with `{}` placeholders as `$1, $2, …`, compiled by Piccolo once per text (`{{`, `}}` included)."""
    compiled = _texts.get(sql)
    if compiled is None:
        if len(_texts) >= TEXTS_KEPT:
            _texts.clear()
        compiled = _texts[sql] = QueryString(sql, *([None] * sql.count("{}"))).compile_string("postgres")[0]
    return compiled


_texts: dict[str, str] = {}


async def _keep_session(connection: asyncpg.Connection) -> None:
    """No reset on release. Safe because every session of this pool is read-only
    (`default_transaction_read_only`) and only ever runs single SELECTs: no advisory lock, cursor, LISTEN
    or SET to undo. asyncpg still rolls back a transaction left open before calling this."""


class _DeliveryPool:
    """The pool delivery reads from, opened for one pool of the main engine (so in its event loop)."""

    def __init__(self, engine: PostgresEngine) -> None:
        self.main_pool = engine.pool
        self.loop = asyncio.get_running_loop()
        self.pool: asyncpg.Pool | None = None
        self.idle: list[Any] = []
        """Connections leased from `pool` between reads (most recently used last)."""
        self.waiting = 0
        """Reads waiting for a connection from `pool` (it has none free): the next one done goes back there."""
        self.closing = False
        self.low_water = 0
        """The fewest connections `idle` held since the last sweep: those below it were not used meanwhile."""
        # One shared task: concurrent first reads wait for the same pool instead of opening one each.
        self.opening = asyncio.ensure_future(_open(engine.config))
        self.sweeping: asyncio.Task[None] | None = None

    async def ready(self) -> asyncpg.Pool:
        if self.pool is None:
            # Shielded: a first read cancelled while the pool opens (a client gone) leaves it opening for the others.
            self.pool = await asyncio.shield(self.opening)
            idle_seconds = get_settings().db_idle_seconds
            if idle_seconds > 0 and self.sweeping is None:
                self.sweeping = asyncio.create_task(self._sweep(idle_seconds / 2), name="cms-delivery-pool-sweep")
        return self.pool

    async def _sweep(self, period: float) -> None:
        """Every `period`, hand the connections kept leased but unused since the last sweep back to asyncpg,
        which closes them after `period` more unless a read takes them first (`db_idle_seconds` in all)."""
        while not self.closing:
            self.low_water = len(self.idle)
            await asyncio.sleep(period)
            unused = min(self.low_water, len(self.idle))
            # `idle` is a stack (reads pop and push at its end): its first `unused` were not touched.
            handed, self.idle[:unused] = self.idle[:unused], []
            for connection in handed:
                await self.hand_back(connection)

    async def lease(self) -> Any:
        """A connection from asyncpg's pool, when none is idle here."""
        assert self.pool is not None
        self.waiting += 1
        try:
            return await self.pool.acquire()
        finally:
            self.waiting -= 1

    async def hand_back(self, connection: Any) -> None:
        assert self.pool is not None
        await self.pool.release(connection)

    async def close(self) -> None:
        self.closing = True
        if self.sweeping is not None and self.loop is asyncio.get_running_loop():
            self.sweeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.sweeping
        if self.loop is not asyncio.get_running_loop() or self.loop.is_closed():
            # Its connections belong to another loop: nothing can be awaited there from here.
            if self.pool is not None:
                with contextlib.suppress(RuntimeError):  # its loop is closed: the sockets went with it
                    self.pool.terminate()
            return
        try:
            pool = await self.opening
        except Exception:
            return  # never opened
        idle, self.idle = self.idle, []
        for connection in idle:
            await pool.release(connection)
        await close_pool_within(pool, CLOSE_GRACE_SECONDS)


async def _open(config: dict[str, Any]) -> asyncpg.Pool:
    idle_seconds = get_settings().db_idle_seconds
    server_settings = {
        **config.get("server_settings", {}),
        "default_transaction_read_only": "on",
        "plan_cache_mode": "force_generic_plan",
    }
    pool: asyncpg.Pool = await asyncpg.create_pool(
        **{**config, "server_settings": server_settings},
        # None kept open for good when idle ones are closed (asyncpg never closes its `min_size`).
        min_size=0 if idle_seconds > 0 else 1,
        max_size=get_settings().db_pool_size,  # as many as the main pool: concurrent requests each hold one
        max_inactive_connection_lifetime=max(idle_seconds / 2, 0),  # see _DeliveryPool._sweep
        reset=_keep_session,
    )
    return pool


_current: _DeliveryPool | None = None


async def _pool(engine: PostgresEngine) -> _DeliveryPool:
    global _current
    current = _current
    if current is None or current.main_pool is not engine.pool:
        replaced, current = current, _DeliveryPool(engine)
        _current = current  # before any await: concurrent reads share it
        if replaced is not None:
            await replaced.close()
    try:
        await current.ready()
        return current
    except Exception:
        if _current is current:
            _current = None  # could not connect: the next read tries again
        raise


async def close_pool() -> None:
    """Close delivery's PostgreSQL read pool (at shutdown; it opens again on the next read)."""
    global _current
    current, _current = _current, None
    if current is not None:
        await current.close()


def pool_usage() -> tuple[int, int, int] | None:
    """Delivery's read pool as (open, idle, most) connections, for the metrics (None until it opened): a
    connection kept leased between reads (`_DeliveryPool.idle`) counts as idle."""
    current = _current
    if current is None or current.pool is None:
        return None
    pool = current.pool
    return pool.get_size(), pool.get_idle_size() + len(current.idle), pool.get_max_size()
