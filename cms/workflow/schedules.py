"""Scheduled publish, unpublish and release jobs: persisted, run when due, each exactly once.

Several workers may run the scheduler. On PostgreSQL a transaction-scoped advisory lock lets one
worker scan at a time; on every database a job is claimed with a compare-and-set on its status,
so a job runs once even if two scans overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from cms.auth.principal import PUBLISH, SCHEDULER
from cms.events.log import SCHEDULE_FIRED, cause, record_event
from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.publishing.boundaries import record_window_changes
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Entry, Schedule
from cms.workflow.audit import record
from cms.workflow.entries import Editor, entry_row
from cms.workflow.errors import InvalidStateError, NotFoundError

logger = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = 72_61_77_11  # any constant shared by every worker of this CMS
ACTIONS = ("publish", "unpublish", "release")
JobAction = Callable[[Editor, dict[str, Any]], Awaitable[None]]
_registered_actions: dict[str, JobAction] = {}


def register_action(name: str, run: JobAction) -> None:
    """Let a capability above the workflow (campaigns) add a job action: `run(editor, job)` runs inside the
    job's transaction, with its `done` and `schedule.fired`, as the built-in actions do."""
    _registered_actions[name] = run


async def schedule(
    editor: Editor,
    action: str,
    run_at: dt.datetime,
    *,
    entry: str | None = None,
    version: int | None = None,
    release: int | None = None,
) -> dict[str, Any]:
    editor.require(PUBLISH, f"schedule {action}s")
    if run_at.tzinfo is None:
        raise InvalidStateError("give the instant with a timezone, e.g. 2026-12-01T09:00:00Z")
    if run_at <= now():
        raise InvalidStateError(f"{run_at.isoformat()} is in the past: schedule a future instant or act now")
    if entry is not None:
        await entry_row(entry)
    async with write_transaction():
        rows = await Schedule.insert(
            Schedule(
                action=action,
                entry=entry,
                version=version,
                release=release,
                run_at=run_at,
                created_by=editor.principal.name,
                created_at=now(),
            )
        ).returning(Schedule.id)
        await record(
            editor.principal,
            f"schedule_{action}",
            entry=entry,
            version_after=version,
            details={"run_at": run_at.isoformat(), "release": release, "schedule": rows[0]["id"]},
        )
    return await schedule_row(rows[0]["id"])


async def cancel(editor: Editor, schedule_id: int) -> dict[str, Any]:
    editor.require(PUBLISH, "cancel schedules")
    async with write_transaction():
        cancelled = (
            await Schedule.update({Schedule.status: "cancelled"})
            .where((Schedule.id == schedule_id) & (Schedule.status == "pending"))
            .returning(Schedule.id)
        )
        if not cancelled:
            row = await schedule_row(schedule_id)
            raise InvalidStateError(f"schedule {schedule_id} is {row['status']}, not pending")
        await record(editor.principal, "cancel_schedule", details={"schedule": schedule_id})
    return await schedule_row(schedule_id)


async def schedule_row(schedule_id: int) -> dict[str, Any]:
    row = await Schedule.select().where(Schedule.id == schedule_id).first()
    if row is None:
        raise NotFoundError(f"no schedule with id {schedule_id}")
    return row


async def run_due_jobs(model: ContentModel) -> int:
    """Run every pending job whose instant has come; returns how many ran (done or failed)."""
    async with _scan_lock() as acquired:
        if not acquired:
            return 0
        due = (
            await Schedule.select(Schedule.id)
            .where((Schedule.status == "pending") & (Schedule.run_at <= now()))
            .order_by(Schedule.run_at)
        )
    ran = 0
    for job in due:
        if await _claim(job["id"]):
            await run_job(model, await schedule_row(job["id"]))
            ran += 1
    return ran


@contextlib.asynccontextmanager
async def _scan_lock():  # type: ignore[no-untyped-def]
    engine = get_engine()
    if not is_postgres(engine):
        yield True
        return
    async with engine.transaction():
        rows = await engine.run_ddl(f"SELECT pg_try_advisory_xact_lock({ADVISORY_LOCK_KEY}) AS acquired")
        yield bool(rows[0]["acquired"])


async def _claim(schedule_id: int) -> bool:
    claimed = (
        await Schedule.update({Schedule.status: "running", Schedule.attempts: Schedule.attempts + 1})
        .where((Schedule.id == schedule_id) & (Schedule.status == "pending"))
        .returning(Schedule.id)
    )
    return bool(claimed)


async def run_job(model: ContentModel, job: dict[str, Any]) -> None:
    """Run one claimed job now, as the scheduler does (and time travel, in a transaction it rolls back)."""
    from cms.workflow.releases import publish_release

    editor = Editor(model, SCHEDULER)
    try:
        # The job's change, its `done` and its `schedule.fired` event commit together, or none does.
        async with write_transaction():
            with cause(schedule=job["id"]):
                if job["action"] == "publish":
                    await editor.publish(job["entry"], job["version"])
                elif job["action"] == "unpublish":
                    await editor.unpublish(job["entry"])
                elif job["action"] in _registered_actions:
                    await _registered_actions[job["action"]](editor, job)
                else:
                    await publish_release(editor, job["release"])
            await Schedule.update({Schedule.status: "done"}).where(Schedule.id == job["id"])
            await record_event(
                SCHEDULE_FIRED,
                {
                    "scheduleId": job["id"],
                    "action": job["action"],
                    "entryId": job["entry"],
                    "version": job["version"],
                    "releaseId": job["release"],
                    "runAt": job["run_at"].isoformat(),
                },
                entry=job["entry"],
                content_type=await _content_type(job["entry"]),
            )
    except Exception as error:
        logger.warning("scheduled %s %s failed: %s", job["action"], job["id"], error)
        await Schedule.update({Schedule.status: "failed", Schedule.last_error: str(error)}).where(
            Schedule.id == job["id"]
        )
        await record(
            SCHEDULER, "scheduled_job_failed", entry=job["entry"], details={"schedule": job["id"], "error": str(error)}
        )
        return


async def _content_type(entry_id: str | None) -> str | None:
    row = await Entry.select(Entry.content_type).where(Entry.id == entry_id).first() if entry_id else None
    return row["content_type"] if row else None


async def run_scheduler(model: ContentModel, interval: float = 1.0) -> None:
    """The loop each worker runs in its lifespan."""
    while True:
        try:
            await run_due_jobs(model)
        except Exception:
            logger.exception("scheduler tick failed")
        try:
            await record_window_changes()
        except Exception:
            logger.exception("recording offer windows that opened or closed failed")
        await asyncio.sleep(interval)
