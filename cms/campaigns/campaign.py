"""A campaign as the rest of the package reads it: its window and its members, from its current version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from cms.model.definitions import ContentModel
from cms.store import entries as store
from cms.store.tables import Entry
from cms.workflow.entries import entry_row
from cms.workflow.errors import NotFoundError

CAMPAIGN_TYPE = "campaign"
MEMBER_FIELDS = ("offer", "messages", "products", "tutorials")
"""The campaign's reference fields, in the order its pages and refusals list them."""


class Campaign(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    version: int
    status: str
    approved_version: int | None
    slug: str
    title: dict[str, str]
    launch_at: dt.datetime | None
    end_at: dt.datetime | None
    members: dict[str, list[str]]
    """Campaign field -> ids of the entries it names (`offer` holds at most one)."""

    def title_in(self, locale: str) -> str:
        return self.title.get(locale) or next(iter(self.title.values()), self.slug)

    @property
    def member_ids(self) -> list[str]:
        """Every entry the campaign names, once each, in field order."""
        return list(dict.fromkeys(i for field in MEMBER_FIELDS for i in self.members.get(field, [])))


async def load_campaign(model: ContentModel, campaign_id: str) -> Campaign:
    """The campaign's current version; NotFoundError when the id is not a campaign."""
    row = await entry_row(campaign_id)
    if row["content_type"] != CAMPAIGN_TYPE:
        raise NotFoundError(f"entry {campaign_id} is a {row['content_type']}, not a campaign")
    saved = await store.load_version(campaign_id, row["current_version"])
    base = saved.data.base
    values: dict[str, Any] = base.get(model.default_locale, {})
    members = {field: _ids(values.get(field)) for field in MEMBER_FIELDS}
    return Campaign(
        id=campaign_id,
        version=saved.number,
        status=row["status"],
        approved_version=row["approved_version"],
        slug=str(values.get("slug") or row["slug"] or ""),
        title={locale: str(fields["title"]) for locale, fields in base.items() if fields.get("title")},
        launch_at=_instant(values.get("launch_at")),
        end_at=_instant(values.get("end_at")),
        members=members,
    )


async def member_rows(campaign: Campaign) -> dict[str, dict[str, Any]]:
    """The entry rows of the campaign's members, by id (one query); ids that no longer exist are left out."""
    if not campaign.member_ids:
        return {}
    rows = await Entry.select().where(Entry.id.is_in(campaign.member_ids))
    return {row["id"]: row for row in rows}


def _ids(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _instant(value: Any) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
