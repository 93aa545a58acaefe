"""Launching a campaign: one release at the window's start, its end unpublishing what the launch took live.

`launch_campaign` checks everything publishing will check, at the launch instant (the window, the campaign's
approval, its members' approval, the consistency gate with the offers the release brings), then in one
transaction creates the release of the pending versions, schedules it (`campaign_launch`) and the end
(`campaign_end`), and records the launch; `cancel_launch` undoes all of it while the launch has not run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from cms.auth.principal import PUBLISH
from cms.campaigns.campaign import CAMPAIGN_TYPE, MEMBER_FIELDS, Campaign, load_campaign, member_rows
from cms.campaigns.errors import CampaignRefused
from cms.lib.clock import at_instant, now
from cms.model.definitions import ContentModel
from cms.publishing.offers import OFFER_TYPE, offers_from, offers_in_force
from cms.store import entries as store
from cms.store.database import write_transaction
from cms.store.entries import SavedVersion
from cms.store.tables import CampaignLaunch, Release, ReleaseItem, Schedule
from cms.workflow import releases, schedules
from cms.workflow.audit import record
from cms.workflow.entries import Editor
from cms.workflow.errors import NotFoundError
from cms.workflow.lint import describe, lint_version

ACTIVE = ("scheduled", "launched")
LAUNCH_JOB, END_JOB = "campaign_launch", "campaign_end"


async def launch_campaign(editor: Editor, campaign_id: str) -> dict[str, Any]:
    """Schedule the campaign's release at `launch_at` and its end at `end_at`; the launch row."""
    editor.require(PUBLISH, "launch campaigns")
    campaign = await load_campaign(editor.model, campaign_id)
    pending = await check_launchable(editor.model, campaign)
    assert campaign.launch_at is not None and campaign.end_at is not None  # checked above
    rows = await member_rows(campaign)
    ends = [campaign.id, *(i for i, _ in pending if i in rows and not _live(rows[i]))]
    async with write_transaction():
        await _retire_previous_launch(campaign.id)
        release = await releases.create_release(editor, f"Campaign {campaign.slug} ({window_text(campaign.launch_at)})")
        for entry_id, version in pending:
            await releases.add_to_release(editor, release["id"], entry_id, version)
        launch_id = await _schedule_window(editor, campaign, release["id"], ends)
        await record(
            editor.principal,
            "launch_campaign",
            entry=campaign.id,
            content_type=CAMPAIGN_TYPE,
            version_after=campaign.version,
            details={
                "release": release["id"],
                "launch_at": campaign.launch_at.isoformat(),
                "end_at": campaign.end_at.isoformat(),
                "entries": dict(pending),
            },
        )
    return await launch_row(launch_id)


async def _retire_previous_launch(campaign_id: str) -> None:
    """Refuse when a launch is active (it may have been made since the checks); a failed one's end job goes."""
    previous = await latest_launch(campaign_id)
    if previous is not None and previous["status"] in ACTIVE:
        raise _already_scheduled()
    if previous is not None and previous["status"] == "failed":
        await Schedule.update({Schedule.status: "cancelled"}).where(
            (Schedule.id == previous["end_job"]) & (Schedule.status == "pending")
        )
        await CampaignLaunch.update({CampaignLaunch.status: "failed"}).where(CampaignLaunch.id == previous["id"])


async def _schedule_window(editor: Editor, campaign: Campaign, release_id: int, ends: list[str]) -> int:
    """The launch job (publishing the release), the end job and the launch row; the row's id."""
    assert campaign.launch_at is not None and campaign.end_at is not None
    launch_job = await schedules.schedule(editor, LAUNCH_JOB, campaign.launch_at, entry=campaign.id, release=release_id)
    end_job = await schedules.schedule(editor, END_JOB, campaign.end_at, entry=campaign.id, release=release_id)
    await Release.update({Release.status: "scheduled", Release.publish_at: campaign.launch_at}).where(
        Release.id == release_id
    )
    rows = await CampaignLaunch.insert(
        CampaignLaunch(
            campaign=campaign.id,
            release=release_id,
            launch_job=launch_job["id"],
            end_job=end_job["id"],
            launch_at=campaign.launch_at,
            end_at=campaign.end_at,
            ends=msgspec.json.encode(sorted(set(ends))).decode(),
            status="scheduled",
            created_by=editor.principal.name,
            created_at=now(),
        )
    ).returning(CampaignLaunch.id)
    launch_id: int = rows[0]["id"]
    return launch_id


async def cancel_launch(editor: Editor, campaign_id: str) -> dict[str, Any]:
    """Cancel a launch that has not run: its jobs cancelled, its release removed; the launch row."""
    editor.require(PUBLISH, "cancel campaign launches")
    campaign = await load_campaign(editor.model, campaign_id)
    launch = await active_launch(campaign.id)
    if launch is None:
        raise CampaignRefused(
            "launch_at",
            "the campaign is not scheduled to launch: nothing to cancel",
            "la campagne n'est pas programmée : rien à annuler",
        )
    async with write_transaction():
        cancelled = (
            await Schedule.update({Schedule.status: "cancelled"})
            .where(Schedule.id.is_in([launch["launch_job"], launch["end_job"]]) & (Schedule.status == "pending"))
            .returning(Schedule.id)
        )
        if launch["launch_job"] not in {row["id"] for row in cancelled}:
            at = f"{launch['launch_at']:%Y-%m-%d %H:%M} UTC"
            raise CampaignRefused(
                "launch_at",
                f"the campaign already launched at {at}: unpublish its entries instead",
                f"la campagne a déjà été lancée le {at} : dépubliez ses contenus à la place",
            )
        await ReleaseItem.delete().where(ReleaseItem.release == launch["release"])
        await Release.delete().where(Release.id == launch["release"])
        await CampaignLaunch.update({CampaignLaunch.status: "cancelled"}).where(CampaignLaunch.id == launch["id"])
        await record(
            editor.principal,
            "cancel_campaign_launch",
            entry=campaign.id,
            content_type=CAMPAIGN_TYPE,
            details={"launch": launch["id"], "release": launch["release"]},
        )
    return await launch_row(launch["id"])


async def check_launchable(model: ContentModel, campaign: Campaign) -> list[tuple[str, int]]:
    """Raise CampaignRefused for the first reason publishing would refuse; else the (entry, version) to release."""
    if await active_launch(campaign.id) is not None:
        raise _already_scheduled()
    check_window(campaign)
    rows = await member_rows(campaign)
    campaign_row = {
        "id": campaign.id,
        "content_type": CAMPAIGN_TYPE,
        "status": campaign.status,
        "approved_version": campaign.approved_version,
        "current_version": campaign.version,
    }
    _check_approved(model, campaign_row, "status")
    pending: list[tuple[str, str, int]] = [("status", campaign.id, campaign.version)]
    for field in MEMBER_FIELDS:
        for entry_id in campaign.members.get(field, []):
            row = rows.get(entry_id)
            if row is None or row["status"] == "archived":
                raise CampaignRefused(
                    field,
                    f"entry {entry_id} is archived or deleted: remove it from the campaign",
                    f"le contenu {entry_id} est archivé ou supprimé : retirez-le de la campagne",
                )
            if row["published_version"] != row["current_version"]:
                _check_approved(model, row, field)
                pending.append((field, entry_id, row["current_version"]))
    await _check_lint(model, campaign, pending)
    return list(dict.fromkeys((entry_id, version) for _, entry_id, version in pending))


def _already_scheduled() -> CampaignRefused:
    return CampaignRefused(
        "launch_at",
        "the campaign is already scheduled to launch: cancel that launch first",
        "la campagne est déjà programmée : annulez d'abord ce lancement",
    )


def _live(row: dict[str, Any]) -> bool:
    return row["published_version"] is not None


def check_window(campaign: Campaign) -> None:
    if campaign.launch_at is None or campaign.launch_at <= now():
        raise CampaignRefused(
            "launch_at",
            "the launch is in the past (or missing): set a future instant",
            "le lancement est dans le passé (ou absent) : choisissez un instant futur",
        )
    if campaign.end_at is None or campaign.end_at <= campaign.launch_at:
        raise CampaignRefused(
            "end_at",
            "the end must come after the launch",
            "la fin doit venir après le lancement",
        )


def _check_approved(model: ContentModel, row: dict[str, Any], field: str) -> None:
    """A version publishing would refuse for want of approval (types that require review), or archived."""
    entry_id, version = row["id"], row["current_version"]
    if row["status"] == "archived":
        raise CampaignRefused(field, f"entry {entry_id} is archived", f"le contenu {entry_id} est archivé")
    if model.types[row["content_type"]].requires_review and row["approved_version"] != version:
        raise CampaignRefused(
            field,
            f"version {version} of entry {entry_id} is not approved: submit it for review and have it approved",
            f"la version {version} du contenu {entry_id} n'est pas approuvée :"
            " soumettez-la en relecture et faites-la approuver",
        )


async def _check_lint(model: ContentModel, campaign: Campaign, pending: list[tuple[str, str, int]]) -> None:
    """The consistency gate as the release will meet it at the launch instant, with the offers it brings."""
    versions = [(field, await store.load_version(entry_id, number)) for field, entry_id, number in pending]
    assert campaign.launch_at is not None
    with at_instant(campaign.launch_at):
        released = offers_from(model, [saved.data for _, saved in versions if saved.content_type == OFFER_TYPE])
        offers = {**await offers_in_force(model), **released}
        for field, saved in versions:
            _refuse_lint_errors(field, saved, lint_version(model, saved, offers).errors)


def _refuse_lint_errors(field: str, saved: SavedVersion, errors: list[Any]) -> None:
    if not errors:
        return
    shown = "; ".join(describe(finding) for finding in errors[:3])
    raise CampaignRefused(
        field,
        f"entry {saved.entry_id} would be refused at the launch by the consistency gate: {shown}",
        f"le contenu {saved.entry_id} serait refusé au lancement par le contrôle de cohérence : {shown}",
        code="LINT",
        findings=[msgspec.to_builtins(finding) for finding in errors],
    )


async def active_launch(campaign_id: str) -> dict[str, Any] | None:
    """The campaign's launch that is scheduled or running its window, if any (a launch whose job failed is not)."""
    latest = await latest_launch(campaign_id)
    return latest if latest is not None and latest["status"] in ACTIVE else None


async def latest_launch(campaign_id: str) -> dict[str, Any] | None:
    row = (
        await CampaignLaunch.select(CampaignLaunch.id)
        .where(CampaignLaunch.campaign == campaign_id)
        .order_by(CampaignLaunch.id, ascending=False)
        .first()
    )
    return await launch_row(row["id"]) if row else None


async def launch_row(launch_id: int) -> dict[str, Any]:
    """The launch, its `ends` decoded; `status` is `failed` when its launch job failed (stored on the job)."""
    row = await CampaignLaunch.select().where(CampaignLaunch.id == launch_id).first()
    if row is None:
        raise NotFoundError(f"no campaign launch with id {launch_id}")
    row["ends"] = msgspec.json.decode(row["ends"]) if isinstance(row["ends"], str) else row["ends"]
    if row["status"] == "scheduled":
        job = (
            await Schedule.select(Schedule.status, Schedule.last_error).where(Schedule.id == row["launch_job"]).first()
        )
        if job is not None and job["status"] == "failed":
            row["status"], row["error"] = "failed", job["last_error"]
    return row


def window_text(instant: dt.datetime | None) -> str:
    return f"{instant:%Y-%m-%d %H:%M} UTC" if instant else "—"
