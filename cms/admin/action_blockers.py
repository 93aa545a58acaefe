"""Why a workflow action on an entry cannot succeed now, so the editor sees it disabled with the reason beside it.

The reasons are the publish rules (`readiness.release_blockers`: state, approval, lint with the offers in
force), the four-eyes rule for approving, and "nothing to submit" for a live entry without newer changes.
An action missing from the answer is allowed; the workflow still checks everything when it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cms.admin.i18n import Translator
from cms.admin.readiness import release_blockers
from cms.auth.principal import ADMIN, Principal
from cms.model.definitions import ContentModel
from cms.workflow.four_eyes import version_author


async def action_blockers(
    model: ContentModel, row: Mapping[str, Any], user: Principal, t: Translator
) -> dict[str, list[str]]:
    """Action name (`publish`, `submit`, `approve`) -> the sentences saying why it would be refused now."""
    current = row["current_version"]
    blockers: dict[str, list[str]] = {}
    publish = (await release_blockers(model, [dict(row) | {"version": current}], t)).get(row["id"], [])
    if row["status"] == "published" and row["published_version"] == current:
        publish = [t("blocked.already_live", version=current)]
    if publish:
        blockers["publish"] = publish
    if row["status"] == "published" and row["published_version"] == current:
        blockers["submit"] = [t("blocked.nothing_to_submit", version=current)]
    reviewed = model.types[row["content_type"]].requires_review and not user.can(ADMIN)
    if reviewed and await version_author(row["id"], current) == user.name:
        blockers["approve"] = [t("blocked.four_eyes", version=current)]
    return blockers
