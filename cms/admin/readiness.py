"""Whether a version can go live yet: warnings shown when it is scheduled or put in a release, not when it fails.

A schedule or a release may take a version that publishing would refuse today (a type that requires review
whose version is not the approved one, lint errors, an archived entry). The admin accepts it, since the
approval may come later, but says so at once and keeps saying it until it is fixed. The rules are the ones
publishing applies (`cms.workflow.states`, `lint_version`), so the warning and the refusal cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cms.admin.i18n import Translator
from cms.model.definitions import ContentModel
from cms.publishing.offers import OFFER_TYPE, offers_from, offers_in_force
from cms.store import entries as store
from cms.store.tables import ReleaseItem
from cms.workflow import states
from cms.workflow.errors import InvalidStateError
from cms.workflow.lint import lint_version

TIME = "%Y-%m-%d %H:%M"


def needs_approval(model: ContentModel, row: Mapping[str, Any], version: int) -> bool:
    """True when publishing `version` of the entry would be refused for want of a reviewer's approval."""
    requires_review = model.types[row["content_type"]].requires_review
    try:
        states.check_publishable(requires_review, row["approved_version"], version, row["id"])
    except InvalidStateError:
        return True
    return False


def _approval(t: Translator, row: Mapping[str, Any], version: int) -> str:
    approved = row["approved_version"]
    if version == row.get("published_version"):
        # Live without an approval (the demo seeds content that way): publishing it again still needs one.
        key = "readiness.live_unapproved" if approved is None else "readiness.live_other_approved"
        return t(key, version=version, approved=approved)
    if approved is None:
        return t("readiness.no_approved", version=version)
    return t("readiness.other_approved", version=version, approved=approved)


async def entry_warnings(
    model: ContentModel, row: Mapping[str, Any], schedules: list[dict[str, Any]], t: Translator
) -> list[str]:
    """Why the entry's pending publish schedules and unpublished releases would fail, one sentence each."""
    warnings = []
    for job in schedules:
        version = job["version"] or row["current_version"]  # a schedule without a version publishes the current one
        if job["action"] == "publish" and needs_approval(model, row, version):
            at = job["run_at"].strftime(TIME)
            warnings.append(f"{_approval(t, row, version)} {t('readiness.before_schedule', at=at)}")
    items = await ReleaseItem.select(
        ReleaseItem.version, ReleaseItem.release.name, ReleaseItem.release.publish_at
    ).where((ReleaseItem.entry == row["id"]) & (ReleaseItem.release.status != "published"))
    for item in items:
        if needs_approval(model, row, item["version"]):
            name, at = item["release.name"], item["release.publish_at"]
            before = (
                t("readiness.before_release_at", release=name, at=at.strftime(TIME))
                if at
                else t("readiness.before_release", release=name)
            )
            warnings.append(f"{_approval(t, row, item['version'])} {before}")
    return warnings


async def release_blockers(model: ContentModel, items: list[dict[str, Any]], t: Translator) -> dict[str, list[str]]:
    """Entry id -> why publishing the release now would refuse that item (items that would go live are left out).

    `items` are the release's entry rows with the `version` the release holds. Lint runs as publishing
    runs it: now, with the offers in force and the release's own offers.
    """
    versions = [await store.load_version(item["id"], item["version"]) for item in items]
    released_offers = offers_from(model, [saved.data for saved in versions if saved.content_type == OFFER_TYPE])
    offers = {**await offers_in_force(model), **released_offers}
    blockers: dict[str, list[str]] = {}
    for item, saved in zip(items, versions, strict=True):
        reasons = []
        if item["status"] not in states.ALLOWED_FROM["publish"]:
            reasons.append(t("readiness.state", status=t(f"status.{item['status']}")))
        if needs_approval(model, item, item["version"]):
            reasons.append(_approval(t, item, item["version"]))
        errors = len(lint_version(model, saved, offers).errors)
        if errors:
            reasons.append(t.plural("readiness.lint_errors", errors))
        if reasons:
            blockers[item["id"]] = reasons
    return blockers
