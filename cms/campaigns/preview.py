"""What every channel will show of a campaign at an instant, side by side, with the findings across them.

`preview_campaign` runs inside `time_travel.as_of(model, instant)`: the scheduled jobs due by then run
(the campaign's own launch among them; a campaign not launched yet is launched for the preview, inside
the same transaction that is rolled back), so the documents read are the ones delivery will serve then.
Findings: the consistency linter on every live version at the instant (budgets per channel, brand voice,
copy contradicting its offer), the offer's facts differing between channels, offers that will not be on
then or that end before the campaign does, members no channel will show, and why a launch is refused.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Literal

import msgspec

from cms.auth.principal import SCHEDULER
from cms.campaigns.campaign import CAMPAIGN_TYPE, MEMBER_FIELDS, Campaign, load_campaign
from cms.campaigns.errors import CampaignRefused
from cms.campaigns.launch import latest_launch, launch_campaign, window_text
from cms.consistency import OfferFacts
from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.publishing.offers import OFFER_TYPE, offers_in_force, referenced_slugs
from cms.store import entries as store
from cms.store.database import write_transaction
from cms.store.entries import SavedVersion
from cms.store.tables import Entry, Projection
from cms.workflow.entries import Editor
from cms.workflow.lint import lint_version
from cms.workflow.time_travel import as_of

OFFER_FACT_KEYS = ("code", "discountKind", "discountPercent", "discountAmount", "price", "startsAt", "endsAt")
"""Keys of an offer's documents that state its facts: the same on every channel, or it is a finding."""
_HIDDEN_KEYS = {"id", "slug", "__typename"}
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TAG = re.compile(r"<[^>]+>")


class Shown(msgspec.Struct, frozen=True):
    """One entry as one channel shows it in one locale: its texts, in document order."""

    entry_id: str
    content_type: str
    role: str
    """The campaign field naming it (`offer`, `messages`, …), or `campaign` for the campaign itself."""
    title: str
    fields: list[tuple[str, str]]


class Rendering(msgspec.Struct, frozen=True):
    channel: str
    locale: str
    shown: list[Shown]
    missing: list[str]
    """Ids of the members this channel exposes but will not show in this locale at the instant."""


class PreviewFinding(msgspec.Struct, frozen=True):
    rule: str
    severity: Literal["error", "warning"]
    messages: dict[str, str]
    """The finding in English and French (the linter's own findings are in English in both)."""
    entry_id: str | None = None
    field: str | None = None
    channel: str | None = None
    locale: str | None = None


class CampaignPreview(msgspec.Struct, frozen=True):
    campaign: Campaign
    instant: dt.datetime
    launch_simulated: bool
    """True when the campaign had no launch and the preview launched it (then rolled it back)."""
    renderings: list[Rendering]
    findings: list[PreviewFinding]

    @property
    def errors(self) -> list[PreviewFinding]:
        return [finding for finding in self.findings if finding.severity == "error"]


async def preview_campaign(
    model: ContentModel, campaign_id: str, instant: dt.datetime | None = None
) -> CampaignPreview:
    """Every channel's rendering of the campaign at `instant` (default: its launch) and the findings."""
    campaign = await load_campaign(model, campaign_id)
    instant = instant or campaign.launch_at or now()
    findings: list[PreviewFinding] = []
    simulated = False
    async with write_transaction():
        latest = await latest_launch(campaign.id)
        if latest is None or latest["status"] in ("cancelled", "failed"):  # else its own jobs tell the story
            try:
                await launch_campaign(Editor(model, SCHEDULER), campaign.id)
                simulated = True
            except CampaignRefused as refused:
                findings.append(_refusal(refused))
        async with as_of(model, instant):
            rows = await _live_rows([campaign.id, *campaign.member_ids], instant)
            versions = await _live_versions(campaign)
            offers = await offers_in_force(model)
            findings += _lint(model, versions, offers)
    renderings = _renderings(model, campaign, rows)
    findings += _offer_fact_drift(campaign, rows)
    findings += _offer_windows(campaign, _offers_named(model, versions), offers, instant)
    findings += _not_shown(campaign, renderings)
    return CampaignPreview(campaign, instant, simulated, renderings, findings)


async def _live_rows(entry_ids: list[str], instant: dt.datetime) -> list[dict[str, Any]]:
    """The live documents of these entries served at `instant` (their validity window holds it)."""
    query = Projection.select(
        Projection.entry, Projection.content_type, Projection.channel, Projection.locale, Projection.doc
    ).where(
        Projection.entry.is_in(entry_ids)
        & (Projection.stage == "live")
        & (Projection.valid_from.is_null() | (Projection.valid_from <= instant))
        & (Projection.valid_until.is_null() | (Projection.valid_until > instant))
    )
    rows: list[dict[str, Any]] = await query.output(load_json=True)
    return rows


def _roles(campaign: Campaign) -> dict[str, str]:
    roles = {campaign.id: CAMPAIGN_TYPE}
    for field in MEMBER_FIELDS:
        for entry_id in campaign.members.get(field, []):
            roles.setdefault(entry_id, field)
    return roles


def _renderings(model: ContentModel, campaign: Campaign, rows: list[dict[str, Any]]) -> list[Rendering]:
    roles = _roles(campaign)
    order = list(roles)
    by_place: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_place.setdefault((row["channel"], row["locale"]), []).append(row)
    renderings = []
    for name, channel in model.channels.items():
        for locale in channel.locales:
            found = sorted(by_place.get((name, locale), []), key=lambda row: order.index(row["entry"]))
            shown = [_shown(row, roles[row["entry"]]) for row in found]
            present = {row["entry"] for row in found}
            types = _member_types(rows)
            missing = [i for i in order if i not in present and channel.exposes(types.get(i, ""))]
            renderings.append(Rendering(name, locale, shown, missing))
    return renderings


def _member_types(rows: list[dict[str, Any]]) -> dict[str, str]:
    return {row["entry"]: row["content_type"] for row in rows}


def _shown(row: dict[str, Any], role: str) -> Shown:
    doc: dict[str, Any] = row["doc"]
    fields = [(key, text) for key, value in doc.items() if key not in _HIDDEN_KEYS and (text := _text(value))]
    title = next((text for key, text in fields if key in ("title", "name", "headline")), row["entry"])
    return Shown(row["entry"], row["content_type"], role, title, fields)


def _text(value: Any) -> str:
    """A document value as an editor reads it: rich text as its plain text, money as formatted, ids left out."""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return "" if _ID.match(value) else value
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            return str(value["text"])
        if isinstance(value.get("html"), str):
            return html.unescape(_TAG.sub(" ", value["html"])).strip()
        if isinstance(value.get("formatted"), str):
            return str(value["formatted"])
    return ""


async def _live_versions(campaign: Campaign) -> list[SavedVersion]:
    """The versions of the campaign and its members live at the instant (read inside `as_of`)."""
    live = await Entry.select(Entry.id, Entry.published_version).where(
        Entry.id.is_in([campaign.id, *campaign.member_ids]) & Entry.published_version.is_not_null()
    )
    return [await store.load_version(row["id"], row["published_version"]) for row in live]


def _lint(model: ContentModel, versions: list[SavedVersion], offers: dict[str, OfferFacts]) -> list[PreviewFinding]:
    """The linter on each live version, with the clock at the instant (`as_of` stands it there)."""
    findings = []
    for saved in versions:
        for finding in lint_version(model, saved, offers).findings:
            text = finding.message + (f" ({finding.suggestion})" if finding.suggestion else "")
            findings.append(
                PreviewFinding(
                    finding.rule,
                    finding.severity,
                    {"en": text, "fr": text},
                    entry_id=saved.entry_id,
                    field=finding.field,
                    channel=finding.channel,
                    locale=finding.locale,
                )
            )
    return findings


def _offers_named(model: ContentModel, versions: list[SavedVersion]) -> dict[str, list[str]]:
    """Offer slug -> the live entries telling it: the offer itself, and copy naming it in tokens."""
    named: dict[str, list[str]] = {}
    for saved in versions:
        slugs = set(referenced_slugs(saved.data))
        if saved.content_type == OFFER_TYPE:
            own = saved.data.base.get(model.default_locale, {}).get("slug")
            slugs |= {str(own)} if own else set()
        for slug in slugs:
            named.setdefault(slug, []).append(saved.entry_id)
    return named


def _offer_fact_drift(campaign: Campaign, rows: list[dict[str, Any]]) -> list[PreviewFinding]:
    """An offer stating other facts on one channel than on another, in the same locale."""
    stated: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for row in rows:
        if row["content_type"] != OFFER_TYPE:
            continue
        for key in OFFER_FACT_KEYS:
            if key in row["doc"]:
                value = msgspec.json.encode(row["doc"][key]).decode()
                stated.setdefault((row["entry"], row["locale"], key), {}).setdefault(value, set()).add(row["channel"])
    findings = []
    for (entry_id, locale, key), values in sorted(stated.items()):
        if len(values) > 1:
            told = "; ".join(f"{', '.join(sorted(channels))}: {value}" for value, channels in values.items())
            findings.append(
                PreviewFinding(
                    "offer_facts_differ",
                    "error",
                    {
                        "en": f"the offer states `{key}` differently across channels ({told})",
                        "fr": f"l'offre n'indique pas le même « {key} » sur tous les canaux ({told})",
                    },
                    entry_id=entry_id,
                    field=key,
                    locale=locale,
                )
            )
    return findings


def _offer_windows(
    campaign: Campaign, named: dict[str, list[str]], offers: dict[str, OfferFacts], instant: dt.datetime
) -> list[PreviewFinding]:
    """Offers the campaign tells that will not be on at the instant, or that end before the campaign does."""
    findings = []
    for slug, entry_ids in sorted(named.items()):
        offer = offers.get(slug)
        for entry_id in entry_ids:
            if offer is None:
                findings.append(
                    _finding(
                        "offer_not_live",
                        "error",
                        entry_id,
                        f"the offer {slug} it names will not be published at this instant",
                        f"l'offre {slug} qu'il cite ne sera pas publiée à cet instant",
                    )
                )
            else:
                findings += _offer_window_findings(campaign, offer, entry_id, instant)
    return findings


def _offer_window_findings(
    campaign: Campaign, offer: OfferFacts, entry_id: str, instant: dt.datetime
) -> list[PreviewFinding]:
    ends, campaign_ends = window_text(offer.ends_at), window_text(campaign.end_at)
    if offer.ends_at <= instant:
        return [_finding("offer_expired", "error", entry_id, f"the offer {offer.slug} has ended ({ends}) by then",
                         f"l'offre {offer.slug} sera terminée ({ends}) à cet instant")]  # fmt: skip
    found = []
    if offer.starts_at > instant:
        starts = window_text(offer.starts_at)
        found.append(
            _finding(
                "offer_not_started",
                "warning",
                entry_id,
                f"the offer {offer.slug} starts later ({starts})",
                f"l'offre {offer.slug} commence plus tard ({starts})",
            )
        )
    if campaign.end_at is not None and offer.ends_at < campaign.end_at:
        found.append(
            _finding(
                "offer_ends_before_campaign",
                "error",
                entry_id,
                f"the offer {offer.slug} ends {ends}, before the campaign ends ({campaign_ends})",
                f"l'offre {offer.slug} se termine le {ends}, avant la fin de la campagne ({campaign_ends})",
            )
        )
    return found


def _finding(rule: str, severity: Literal["error", "warning"], entry_id: str, en: str, fr: str) -> PreviewFinding:
    return PreviewFinding(rule, severity, {"en": en, "fr": fr}, entry_id=entry_id)


def _not_shown(campaign: Campaign, renderings: list[Rendering]) -> list[PreviewFinding]:
    """A member no channel will show at the instant (not published, nor in the launch)."""
    shown = {item.entry_id for rendering in renderings for item in rendering.shown}
    return [
        _finding(
            "not_live",
            "warning",
            entry_id,
            f"entry {entry_id} will not be live on any channel at this instant",
            f"le contenu {entry_id} ne sera en ligne sur aucun canal à cet instant",
        )
        for entry_id in campaign.member_ids
        if entry_id not in shown
    ]


def _refusal(refused: CampaignRefused) -> PreviewFinding:
    return PreviewFinding(
        "launch_refused", "error", dict(refused.extensions["messages"]), field=refused.extensions["field"]
    )
