"""Idle database connections are closed: after a burst of uncached reads, a quiet app gives its PostgreSQL
sessions back (CMS_DB_IDLE_SECONDS), keeping only the invalidation listener's; the next read reconnects."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import httpx
import pytest

from tests.faults.conftest import IDLE_SECONDS
from tests.faults.servers import PrivatePostgres

pytestmark = pytest.mark.postgres

SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
PRODUCTS = "query Products($first: Int) { products(first: $first) { totalCount nodes { id slug } } }"


async def _app_sessions(postgres: PrivatePostgres) -> int:
    connection = await asyncpg.connect(postgres.url)
    try:
        return int(await connection.fetchval(SESSIONS))
    finally:
        await connection.close()


async def _uncached_reads(client: httpx.AsyncClient, count: int, offset: int) -> None:
    variables = [json.dumps({"first": offset + n}) for n in range(count)]
    answers = await asyncio.gather(
        *[client.get("/graphql/web", params={"query": PRODUCTS, "variables": each}) for each in variables]
    )
    assert {answer.status_code for answer in answers} == {200}, [answer.text for answer in answers]


async def test_connections_unused_for_the_idle_time_are_closed_and_reopened_when_needed(stack) -> None:  # type: ignore[no-untyped-def]
    postgres, app = stack
    async with httpx.AsyncClient(base_url=app.url, timeout=10) as client:
        # Given a burst of concurrent uncached reads
        await _uncached_reads(client, 30, 40)
        busy = await _app_sessions(postgres)
        assert busy > 2  # the listener's, and pool connections the burst opened

        # When the app stays quiet for longer than the idle time (the sweep and asyncpg's timer, each half of it)
        for _ in range(50):
            await asyncio.sleep(IDLE_SECONDS / 2)
            if await _app_sessions(postgres) == 1:
                break

        # Then only the listener's session is left, and the next reads simply open what they need
        assert await _app_sessions(postgres) == 1
        await _uncached_reads(client, 5, 80)
        assert await _app_sessions(postgres) > 1
