"""Cross-worker invalidation on PostgreSQL: every app instance LISTENs on `cms_content`.

Publishing bumps the content version and sends `pg_notify('cms_content', <version>)` in its
transaction (cms.store.content_version); each instance's listener hears it at commit and its
response cache empties. A stock batch sends `stock:<stock version>` instead: the cache stays, and the keys
of answers showing stock move on (cms.delivery.cache). The listener has its own connection (not one of the
pool's): when it drops, delivery reads the versions per request again until the listener has reconnected
and re-read them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from cms.delivery.freshness import Freshness
from cms.store.content_version import NOTIFY_CHANNEL, READ, STOCK_PAYLOAD, Versions

logger = logging.getLogger(__name__)


class InvalidationListener:
    def __init__(
        self,
        freshness: Freshness,
        connect_options: dict[str, Any],
        *,
        retry_seconds: float = 1.0,
        keepalive_seconds: float = 10.0,
    ) -> None:
        self.freshness = freshness
        self.connect_options = connect_options
        self.retry_seconds = retry_seconds
        self.keepalive_seconds = keepalive_seconds
        self.backend_pid: int | None = None
        """The server process of the listening connection, while connected."""

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after any failure."""
        while True:
            try:
                await self._listen()
            except Exception as error:  # the listener must outlive any failure: it only ever retries
                logger.warning("content listener down (%s): reading the content version per request", error)
            await asyncio.sleep(self.retry_seconds)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(**self.connect_options, timeout=self.keepalive_seconds)
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _: lost.set())
        try:
            await connection.add_listener(NOTIFY_CHANNEL, self._notified)
            # Read after LISTEN took effect: a publish in between is either in this read or notified.
            row = await connection.fetchrow(READ)
            self.freshness.start_listening(Versions(int(row[0]), int(row[1])) if row else Versions(0, 0))
            self.backend_pid = connection.get_server_pid()
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self.keepalive_seconds)
                if not lost.is_set():
                    # A silently dead link (no FIN, no RST) is only found by using it.
                    await asyncio.wait_for(connection.fetchval("SELECT 1"), self.keepalive_seconds)
        finally:
            self.freshness.stop_listening()
            self.backend_pid = None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), self.keepalive_seconds)
            connection.terminate()

    def _notified(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            if payload.startswith(STOCK_PAYLOAD):
                self.freshness.observe_stock(int(payload.removeprefix(STOCK_PAYLOAD)))
            else:
                self.freshness.observe(int(payload))
        except ValueError:
            logger.warning("ignored a %s notification that is not a version: %r", NOTIFY_CHANNEL, payload)


@contextlib.asynccontextmanager
async def listening(
    freshness: Freshness, engine: Engine, *, retry_seconds: float = 1.0
) -> AsyncIterator[InvalidationListener | None]:
    """Run a listener for the app's lifetime on PostgreSQL; on SQLite there is nothing to listen to."""
    if not isinstance(engine, PostgresEngine):
        yield None
        return
    listener = InvalidationListener(freshness, dict(engine.config), retry_seconds=retry_seconds)
    task = asyncio.create_task(listener.run(), name="cms-content-listener")
    try:
        yield listener
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
