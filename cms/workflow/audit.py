"""The audit log: every management mutation and sign-in, with who, what, when and the versions; and who may read it."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.auth.principal import ADMIN, Principal
from cms.lib.clock import now
from cms.store.tables import AuditEvent

_encode = msgspec.json.Encoder().encode


async def record(
    actor: Principal,
    action: str,
    *,
    entry: str | None = None,
    content_type: str | None = None,
    version_before: int | None = None,
    version_after: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event (inside the caller's transaction when there is one)."""
    await AuditEvent.insert(
        AuditEvent(
            at=now(),
            actor=actor.name,
            actor_kind=actor.kind,
            action=action,
            entry=entry,
            content_type=content_type,
            version_before=version_before,
            version_after=version_after,
            details=_encode(details or {}).decode(),
        )
    )


def visible_to(reader: Principal) -> Any:
    """The events `reader` may read, as a Piccolo condition: admins read the whole log; anyone else only what they
    did themselves (a user their own actions, a token its own), since events carry sign-in addresses and user
    agents, and who did what is not every viewer's business."""
    if reader.can(ADMIN):
        return AuditEvent.id.is_not_null()
    return (AuditEvent.actor == reader.name) & (AuditEvent.actor_kind == reader.kind)
