"""Time travel: the store as it will be at an instant, for previews "as of" that instant.

`as_of(model, instant)` opens a write transaction, runs every pending scheduled job due by `instant`
(publish, unpublish, release) in order, each with the clock standing at its own `run_at`, through the
scheduler's own code (`run_job`): so scheduled versions, releases and the offer windows they project are
resolved exactly as publishing will resolve them. Inside the block the clock stands at `instant` (for this
task only) and every read of the store, delivery's included, sees that future; on leaving, the transaction
is rolled back, so nothing of it is ever stored, sent as an event, or cached (the content version it
bumped is rolled back too).

This is the one answer to "what will delivery serve on channel C, in locale L, at instant T": run
delivery's own query inside `as_of(model, T)`. Campaign previews and email feeds at a send time build on it.
While it runs, on SQLite, other writers wait (it holds the write lock): a preview is a short read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator

from cms.lib.clock import at_instant, now
from cms.model.definitions import ContentModel
from cms.store.database import one_query_at_a_time, write_transaction
from cms.store.tables import Schedule
from cms.workflow.schedules import run_job


class TimeTravelError(ValueError):
    """An instant that cannot be previewed (no time zone); the message says how to write one."""


@contextlib.asynccontextmanager
async def as_of(model: ContentModel, instant: dt.datetime) -> AsyncIterator[dt.datetime]:
    """Within the block, the store and the clock as they will be at `instant` (see the module docstring)."""
    if instant.tzinfo is None:
        raise TimeTravelError("give the instant with a time zone, e.g. 2026-12-01T09:00:00Z")
    async with write_transaction() as transaction:
        if instant > now():
            await _run_jobs_due_by(model, instant, transaction)
        with at_instant(instant), one_query_at_a_time():
            yield instant
        await transaction.rollback()


async def _run_jobs_due_by(model: ContentModel, instant: dt.datetime, transaction: object) -> None:
    due = (
        await Schedule.select()
        .where((Schedule.status == "pending") & (Schedule.run_at <= instant))
        .order_by(Schedule.run_at)
        .order_by(Schedule.id)
    )
    for job in due:
        # A savepoint per job: on PostgreSQL a job failing on a statement would end the whole transaction;
        # here it fails alone, as it would on its own (the scheduler stores it as failed and goes on).
        savepoint = await transaction.savepoint()  # type: ignore[attr-defined]
        try:
            with at_instant(job["run_at"]):
                await run_job(model, job)
        except Exception:
            await savepoint.rollback_to()
