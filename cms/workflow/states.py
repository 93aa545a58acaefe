"""Workflow states and which transitions each operation allows (pure rules)."""

from __future__ import annotations

from cms.workflow.errors import InvalidStateError

DRAFT, IN_REVIEW, APPROVED, PUBLISHED, UNPUBLISHED, ARCHIVED = (
    "draft",
    "in_review",
    "approved",
    "published",
    "unpublished",
    "archived",
)
STATES = (DRAFT, IN_REVIEW, APPROVED, PUBLISHED, UNPUBLISHED, ARCHIVED)

# operation -> states it may start from
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "update": frozenset({DRAFT, IN_REVIEW, APPROVED, PUBLISHED, UNPUBLISHED}),
    "submit": frozenset({DRAFT, UNPUBLISHED, PUBLISHED}),
    "approve": frozenset({IN_REVIEW}),
    "reject": frozenset({IN_REVIEW}),
    "publish": frozenset({DRAFT, IN_REVIEW, APPROVED, PUBLISHED, UNPUBLISHED}),
    "unpublish": frozenset({PUBLISHED, DRAFT, IN_REVIEW, APPROVED}),
    "archive": frozenset({DRAFT, IN_REVIEW, APPROVED, PUBLISHED, UNPUBLISHED}),
    "restore": frozenset({ARCHIVED}),
}


def check_transition(operation: str, status: str, entry_id: str) -> None:
    if status not in ALLOWED_FROM[operation]:
        allowed = ", ".join(sorted(ALLOWED_FROM[operation]))
        raise InvalidStateError(
            f"cannot {operation} entry {entry_id}: it is {status.replace('_', ' ')} (allowed from: {allowed})",
            status=status,
        )


def check_publishable(requires_review: bool, approved_version: int | None, version: int, entry_id: str) -> None:
    """A type that requires review publishes only the version a reviewer approved."""
    if requires_review and approved_version != version:
        detail = "no version is approved" if approved_version is None else f"version {approved_version} is approved"
        raise InvalidStateError(
            f"entry {entry_id} needs review before publishing version {version}: {detail};"
            " submit it for review and have a reviewer approve it",
            approvedVersion=approved_version,
        )
