"""Campaigns in the management API: the preview at an instant, launching one (and cancelling the launch), its launch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from cms.api.errors import found_or_none, guarded
from cms.campaigns import launch
from cms.campaigns.preview import CampaignPreview as Preview
from cms.campaigns.preview import PreviewFinding, Rendering, preview_campaign
from graphql import GraphQLError


@strawberry.type(description="A campaign's launch: the release its window's start publishes and its two jobs.")
class CampaignLaunch:
    id: int
    campaign_id: strawberry.ID
    release_id: int
    launch_job_id: int
    end_job_id: int
    launch_at: dt.datetime
    end_at: dt.datetime
    status: str = strawberry.field(
        description="scheduled, launched, ended, cancelled, or failed (the launch job failed: see its schedule)."
    )
    ends: list[strawberry.ID] = strawberry.field(description="The entries the end unpublishes.")
    created_by: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CampaignLaunch:
        return cls(
            id=row["id"],
            campaign_id=strawberry.ID(row["campaign"]),
            release_id=row["release"],
            launch_job_id=row["launch_job"],
            end_job_id=row["end_job"],
            launch_at=row["launch_at"],
            end_at=row["end_at"],
            status=row["status"],
            ends=[strawberry.ID(i) for i in row["ends"]],
            created_by=row["created_by"],
        )


@strawberry.type
class LocalizedText:
    language: str
    text: str


@strawberry.type(description="One text of an entry as a channel shows it: the document's key and its text.")
class CampaignText:
    name: str
    text: str


@strawberry.type(description="An entry of the campaign as one channel shows it in one locale.")
class CampaignShownEntry:
    entry_id: strawberry.ID
    content_type: str
    role: str = strawberry.field(description="The campaign field naming it (offer, messages, …), or campaign.")
    title: str
    texts: list[CampaignText]


@strawberry.type
class CampaignRendering:
    channel: str
    locale: str
    entries: list[CampaignShownEntry]
    missing: list[strawberry.ID] = strawberry.field(
        description="Members this channel exposes but will not show in this locale at the instant."
    )

    @classmethod
    def of(cls, rendering: Rendering) -> CampaignRendering:
        entries = [
            CampaignShownEntry(
                entry_id=strawberry.ID(item.entry_id),
                content_type=item.content_type,
                role=item.role,
                title=item.title,
                texts=[CampaignText(name=name, text=text) for name, text in item.fields],
            )
            for item in rendering.shown
        ]
        missing = [strawberry.ID(i) for i in rendering.missing]
        return cls(channel=rendering.channel, locale=rendering.locale, entries=entries, missing=missing)


@strawberry.type
class CampaignFinding:
    rule: str
    severity: str
    messages: list[LocalizedText] = strawberry.field(description="The finding in English and French.")
    entry_id: strawberry.ID | None
    field: str | None
    channel: str | None
    locale: str | None

    @classmethod
    def of(cls, finding: PreviewFinding) -> CampaignFinding:
        return cls(
            rule=finding.rule,
            severity=finding.severity,
            messages=[LocalizedText(language=code, text=text) for code, text in finding.messages.items()],
            entry_id=strawberry.ID(finding.entry_id) if finding.entry_id else None,
            field=finding.field,
            channel=finding.channel,
            locale=finding.locale,
        )


@strawberry.type(description="Every channel's rendering of a campaign at an instant, and the findings across them.")
class CampaignPreview:
    campaign_id: strawberry.ID
    at: dt.datetime
    launch_simulated: bool = strawberry.field(
        description="True when the campaign is not launched: the preview shows what launching it now would show."
    )
    renderings: list[CampaignRendering]
    findings: list[CampaignFinding]

    @classmethod
    def of(cls, preview: Preview) -> CampaignPreview:
        return cls(
            campaign_id=strawberry.ID(preview.campaign.id),
            at=preview.instant,
            launch_simulated=preview.launch_simulated,
            renderings=[CampaignRendering.of(rendering) for rendering in preview.renderings],
            findings=[CampaignFinding.of(finding) for finding in preview.findings],
        )


@strawberry.type
class CampaignQueries:
    @strawberry.field(
        description="What every channel will show of the campaign at `at` (default: its launch), per locale, with"
        " the consistency findings across them; nothing is stored. Null when no campaign has that id."
    )
    async def campaign_preview(
        self, info: strawberry.Info, campaign_id: strawberry.ID, at: dt.datetime | None = None
    ) -> CampaignPreview | None:
        from cms.api.schema import _editor

        _editor(info)
        if at is not None and at.tzinfo is None:
            raise GraphQLError("`at` needs a time zone, e.g. 2026-12-01T09:00:00Z", extensions={"code": "BAD_REQUEST"})
        preview = await found_or_none(preview_campaign(info.context.model, str(campaign_id), at))
        return CampaignPreview.of(preview) if preview is not None else None

    @strawberry.field(description="The campaign's latest launch (null when it was never launched).")
    async def campaign_launch(self, info: strawberry.Info, campaign_id: strawberry.ID) -> CampaignLaunch | None:
        from cms.api.schema import _editor

        _editor(info)
        row = await launch.latest_launch(str(campaign_id))
        return CampaignLaunch.from_row(await launch.launch_row(row["id"])) if row else None


@strawberry.type
class CampaignMutations:
    @strawberry.mutation(
        description="Schedule one release of the campaign's pending versions at `launch_at`, and unpublish what it"
        " took live at `end_at`. Refused (naming the field) for a past window, an end before the launch, an"
        " unapproved campaign or member, or a version the consistency gate would refuse at the launch."
    )
    async def launch_campaign(self, info: strawberry.Info, id: strawberry.ID) -> CampaignLaunch:
        return CampaignLaunch.from_row(await guarded(launch.launch_campaign(info.context.editor, str(id))))

    @strawberry.mutation(description="Cancel a campaign's launch that has not run yet (its release and jobs go).")
    async def cancel_campaign_launch(self, info: strawberry.Info, id: strawberry.ID) -> CampaignLaunch:
        return CampaignLaunch.from_row(await guarded(launch.cancel_launch(info.context.editor, str(id))))
