"""Browser sessions of the admin: a random cookie value, stored only as its SHA-256, plus a CSRF token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from cms.auth.principal import Principal, user_principal
from cms.lib.clock import now
from cms.store.tables import UserSession

SESSION_COOKIE = "cms_session"
SESSION_TTL = dt.timedelta(hours=12)


async def create_session(user_id: int, ttl: dt.timedelta = SESSION_TTL) -> tuple[str, str]:
    """Open a session for the user; returns (cookie_value, csrf_token)."""
    cookie_value, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    moment = now()
    await UserSession.insert(
        UserSession(
            token_hash=_digest(cookie_value),
            user=user_id,
            csrf_token=csrf_token,
            created_at=moment,
            expires_at=moment + ttl,
        )
    )
    return cookie_value, csrf_token


async def session_principal(cookie_value: str) -> Principal | None:
    """The signed-in user of the session, or None when it is unknown, expired or the user inactive."""
    token_hash = _digest(cookie_value)
    row = (
        await UserSession.select(
            UserSession.csrf_token,
            UserSession.expires_at,
            UserSession.user.id,
            UserSession.user.email,
            UserSession.user.role,
            UserSession.user.active,
        )
        .where(UserSession.token_hash == token_hash)
        .first()
    )
    if row is None:
        return None
    if row["expires_at"] <= now():
        await UserSession.delete().where(UserSession.token_hash == token_hash)
        return None
    if not row["user.active"]:
        return None
    return user_principal(row["user.id"], row["user.email"], row["user.role"], csrf_token=row["csrf_token"])


async def end_session(cookie_value: str) -> None:
    """Forget the session: its cookie no longer signs anyone in."""
    await UserSession.delete().where(UserSession.token_hash == _digest(cookie_value))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
