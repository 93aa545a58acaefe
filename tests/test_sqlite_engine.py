"""The SQLite engine closes a connection however its task ends: aiosqlite's threads are not daemons, and
one left open kept a test run from exiting after its summary (CI waited for it until its limit)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from piccolo.engine.sqlite import TransactionType

from cms.store.sqlite import ClosingSQLiteEngine


def threads() -> set[threading.Thread]:
    return set(threading.enumerate())


async def settle(before: set[threading.Thread]) -> set[threading.Thread]:
    """The threads started since `before` that are still alive after a short wait for them to end."""
    for _ in range(200):
        left = {thread for thread in threads() - before if thread.is_alive()}
        if not left:
            break
        await asyncio.sleep(0.02)
    return left


@pytest.fixture
def engine(tmp_path: Path) -> ClosingSQLiteEngine:
    return ClosingSQLiteEngine(path=str(tmp_path / "db.sqlite3"), timeout=1)


async def test_a_task_cancelled_while_it_waits_to_begin_leaves_no_connection_open(
    engine: ClosingSQLiteEngine,
) -> None:
    before = threads()
    began = asyncio.Event()

    async def hold_the_write_lock() -> None:
        async with engine.transaction(transaction_type=TransactionType.immediate):
            began.set()
            await asyncio.sleep(10)

    async def wait_for_the_lock() -> None:
        async with engine.transaction(transaction_type=TransactionType.immediate):
            raise AssertionError("began while another writer held the lock")

    holder = asyncio.create_task(hold_the_write_lock())
    await began.wait()
    waiter = asyncio.create_task(wait_for_the_lock())
    await asyncio.sleep(0.2)  # the waiter is inside BEGIN IMMEDIATE, in SQLite's busy handler
    waiter.cancel()
    holder.cancel()
    for task in (waiter, holder):
        with pytest.raises(asyncio.CancelledError):
            await task
    # BEGIN goes on waiting in its thread until SQLite's timeout; then the thread closes and ends.
    left = await settle(before)
    assert left == set(), f"threads left running: {left}"


async def test_a_task_cancelled_while_it_commits_leaves_no_connection_open(engine: ClosingSQLiteEngine) -> None:
    await engine.run_ddl("CREATE TABLE item (id INTEGER PRIMARY KEY)")
    before = threads()

    async def write_many() -> None:
        async with engine.transaction():
            for number in range(2000):
                await engine.run_ddl(f"INSERT INTO item (id) VALUES ({number})")

    for delay in (0.01, 0.03, 0.08):
        task = asyncio.create_task(write_many())
        await asyncio.sleep(delay)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await settle(before) == set()
    assert await engine.run_ddl("SELECT count(*) AS n FROM item") == [{"n": 0}], "a cancelled transaction commits"
