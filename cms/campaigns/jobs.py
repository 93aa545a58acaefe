"""The scheduled jobs of a campaign's window: the launch publishes its release, the end unpublishes what the
launch took live; each records its webhook event in the job's own transaction (cms.workflow.schedules)."""

from __future__ import annotations

from typing import Any

from cms.campaigns.launch import END_JOB, LAUNCH_JOB, launch_row
from cms.events.log import CAMPAIGN_ENDED, CAMPAIGN_LAUNCHED, record_event
from cms.store.tables import CampaignLaunch, Entry
from cms.workflow.entries import Editor
from cms.workflow.errors import InvalidStateError, NotFoundError
from cms.workflow.releases import publish_release, release_row
from cms.workflow.schedules import register_action


def register_campaign_jobs() -> None:
    """Called once by the app factory: the scheduler (and time travel) then run campaign jobs."""
    register_action(LAUNCH_JOB, run_launch)
    register_action(END_JOB, run_end)


async def run_launch(editor: Editor, job: dict[str, Any]) -> None:
    launch = await _launch_of(CampaignLaunch.launch_job, job["id"])
    release = await release_row(launch["release"])
    if release["status"] != "published":  # someone may have published it by hand from its release page
        release = await publish_release(editor, launch["release"])
    await CampaignLaunch.update({CampaignLaunch.status: "launched"}).where(CampaignLaunch.id == launch["id"])
    entries = [item["entry"] for item in release["items"]]
    await _record(editor, CAMPAIGN_LAUNCHED, launch, entries, {"releaseId": launch["release"]})


async def run_end(editor: Editor, job: dict[str, Any]) -> None:
    launch = await _launch_of(CampaignLaunch.end_job, job["id"])
    if launch["status"] != "launched":
        raise InvalidStateError(f"campaign {launch['campaign']} is {launch['status']}, not launched: nothing to end")
    live = await Entry.select(Entry.id).where(
        Entry.id.is_in(launch["ends"] or [""]) & Entry.published_version.is_not_null() & (Entry.status != "archived")
    )
    ended = sorted(row["id"] for row in live if row["id"])
    for entry_id in ended:
        await editor.unpublish(entry_id)
    await CampaignLaunch.update({CampaignLaunch.status: "ended"}).where(CampaignLaunch.id == launch["id"])
    await _record(editor, CAMPAIGN_ENDED, launch, ended, {"unpublished": ended})


async def _launch_of(column: Any, job_id: int) -> dict[str, Any]:
    row = await CampaignLaunch.select(CampaignLaunch.id).where(column == job_id).first()
    if row is None:
        raise NotFoundError(f"no campaign launch has job {job_id}")
    return await launch_row(row["id"])


async def _record(editor: Editor, kind: str, launch: dict[str, Any], entries: list[str], extra: dict[str, Any]) -> None:
    rows = await Entry.select(Entry.id, Entry.content_type).where(Entry.id.is_in(entries or [""]))
    types = sorted({row["content_type"] for row in rows})
    channels = sorted(n for n, c in editor.model.channels.items() if any(c.exposes(t) for t in types))
    await record_event(
        kind,
        {
            "campaignId": launch["campaign"],
            "launchAt": launch["launch_at"].isoformat(),
            "endAt": launch["end_at"].isoformat(),
            "entries": [{"entryId": row["id"], "contentType": row["content_type"]} for row in rows],
            "channels": channels,
            **extra,
        },
        entry=launch["campaign"],
        content_type="campaign",
        content_types=types,
        channels=channels,
    )
