"""The principal of a request — a user, a token or nobody — and what it may do."""

from __future__ import annotations

import getpass
from typing import Literal

import msgspec

ROLES = ("admin", "editor", "reviewer", "viewer")

# Permissions of the management API and delivery.
READ = "read"
WRITE = "write"
REVIEW = "review"
PUBLISH = "publish"
ADMIN = "admin"
PREVIEW = "preview"
EMAIL = "email"
"""Read ready-to-send email (`GET /email/...`): the only permission a feed token in a URL may carry."""
INVENTORY_WRITE = "inventory:write"
"""Write stock through `PUT /inventory` (cms.commerce): an order management system's token, and nothing else."""

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({READ, PREVIEW}),
    "editor": frozenset({READ, WRITE, PUBLISH, PREVIEW}),
    "reviewer": frozenset({READ, WRITE, REVIEW, PUBLISH, PREVIEW}),
    "admin": frozenset({READ, WRITE, REVIEW, PUBLISH, ADMIN, PREVIEW}),
}

SCOPE_PERMISSIONS: dict[str, frozenset[str]] = {
    "management:read": frozenset({READ}),
    "management:write": frozenset({READ, WRITE}),
    "management:publish": frozenset({READ, PUBLISH}),
    # Approve and reject, and read what is under review (entries, versions, diffs, lint): an automation taking
    # part in review is neither an author (no write) nor a publisher, so four eyes holds against its own edits.
    "management:review": frozenset({READ, REVIEW}),
    "management:admin": frozenset({READ, WRITE, REVIEW, PUBLISH, ADMIN}),
    "preview": frozenset({PREVIEW}),
    # Marketing automation pulling email (cms.email): nothing else, so a feed URL that leaks exposes only what
    # the emails it pulls would show anyway.
    "email:read": frozenset({EMAIL}),
    INVENTORY_WRITE: frozenset({INVENTORY_WRITE}),
}
DELIVERY_SCOPE_PREFIX = "delivery:"


class Principal(msgspec.Struct, frozen=True):
    kind: Literal["user", "token", "anonymous", "system"]
    name: str
    """The user's email, the token's name, 'anonymous' or 'scheduler'."""
    permissions: frozenset[str] = frozenset()
    delivery_channels: frozenset[str] = frozenset()
    """Channels this principal may read through delivery when they are token-protected ('*' for all)."""
    role: str | None = None
    user_id: int | None = None
    token_id: str | None = None
    csrf_token: str | None = None
    """Set for browser sessions: state-changing requests must echo it in X-CSRF-Token."""

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def can_deliver(self, channel: str) -> bool:
        return "*" in self.delivery_channels or channel in self.delivery_channels


ANONYMOUS = Principal(kind="anonymous", name="anonymous")
SCHEDULER = Principal(kind="system", name="scheduler", permissions=ROLE_PERMISSIONS["admin"])


def cli_principal() -> Principal:
    """Whoever runs a `cms` command on the server: the operating-system user, audited as `cli:<user>`."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Principal(kind="system", name=f"cli:{who}", permissions=ROLE_PERMISSIONS["admin"])


def user_principal(user_id: int, email: str, role: str, csrf_token: str | None = None) -> Principal:
    return Principal(
        kind="user",
        name=email,
        role=role,
        user_id=user_id,
        permissions=ROLE_PERMISSIONS[role],
        delivery_channels=frozenset({"*"}),
        csrf_token=csrf_token,
    )


def token_principal(token_id: str, name: str, scopes: list[str]) -> Principal:
    permissions: set[str] = set()
    channels: set[str] = set()
    for scope in scopes:
        if scope.startswith(DELIVERY_SCOPE_PREFIX):
            channels.add(scope.removeprefix(DELIVERY_SCOPE_PREFIX))
        else:
            permissions |= SCOPE_PERMISSIONS.get(scope, frozenset())
    return Principal(
        kind="token",
        name=name,
        token_id=token_id,
        permissions=frozenset(permissions),
        delivery_channels=frozenset(channels),
    )
