"""Four eyes: on a type that requires review, the author of a version may not approve it.

An admin may override (an emergency fix with nobody else around); the override is written to the audit event.
The author is the name the version was saved under (`cms_entry_version.author`: a user's email, a token's name).
"""

from __future__ import annotations

from typing import Any

from cms.auth.principal import ADMIN, Principal
from cms.store.tables import EntryVersion
from cms.workflow.errors import FourEyesError


async def check_four_eyes(
    principal: Principal, entry_id: str, version: int, *, requires_review: bool, override: bool
) -> dict[str, Any] | None:
    """None when `principal` may approve `version`; the audit details of an admin's override; else FourEyesError."""
    if not requires_review:
        return None
    author = await version_author(entry_id, version)
    if author != principal.name:
        return None
    if override and principal.can(ADMIN):
        return {"override": "four_eyes", "author": author}
    if override:
        raise FourEyesError(
            f"only an admin may override the four-eyes rule: {principal.name!r} wrote version {version} of entry"
            f" {entry_id}; ask another reviewer to approve it",
            author=author,
            version=version,
        )
    raise FourEyesError(
        f"{principal.name!r} wrote version {version} of entry {entry_id} and may not approve it too (four eyes):"
        " ask another reviewer to approve it (an admin may override with `override: true`)",
        author=author,
        version=version,
    )


async def version_author(entry_id: str, version: int) -> str:
    row = await EntryVersion.select(EntryVersion.author).where(EntryVersion.key == f"{entry_id}:{version}").first()
    return str(row["author"]) if row else ""
