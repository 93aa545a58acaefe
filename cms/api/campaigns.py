"""Campaigns in the management API: launching one (and cancelling the launch), and reading its launch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from cms.api.errors import guarded
from cms.campaigns import launch


@strawberry.type(description="A campaign's launch: the release its window's start publishes and its two jobs.")
class CampaignLaunch:
    id: int
    campaign_id: strawberry.ID
    release_id: int
    launch_job_id: int
    end_job_id: int
    launch_at: dt.datetime
    end_at: dt.datetime
    status: str = strawberry.field(description="scheduled, launched, ended or cancelled.")
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
class CampaignQueries:
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
