"""People who sign in: create them with a role, check their password, change their role or lock them out."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import msgspec
from anyio import to_thread

from cms.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from cms.auth.principal import ROLES
from cms.lib.clock import now
from cms.store.tables import User, UserSession

_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_EMAIL_LENGTH = 254
# Piccolo adds the `id` column at runtime, where type checkers cannot see it.
_user_id_column = User._meta.primary_key


class UserError(ValueError):
    """A user could not be created or changed; the message says why and what to do."""


class UserInfo(msgspec.Struct, frozen=True):
    id: int
    email: str
    name: str
    role: str
    active: bool
    created_at: dt.datetime


async def create_user(email: str, name: str, role: str, password: str) -> int:
    """Store a new user with an argon2 hash of `password`; returns the user's id."""
    email = email.strip().lower()
    _check_email(email)
    _check_role(role)
    if problem := password_problem(password):
        raise UserError(problem)
    if await User.exists().where(User.email == email):
        raise UserError(f"a user with email {email} exists: pick another email or change that user's role")
    password_hash = await to_thread.run_sync(hash_password, password)
    rows = await User.insert(
        User(email=email, name=name, role=role, password_hash=password_hash, active=True, created_at=now())
    )
    return int(rows[0]["id"])


async def authenticate(email: str, password: str) -> dict[str, Any] | None:
    """The user (id, email, name, role, active) when the password is right and the user active, else None."""
    row = (
        await User.select(_user_id_column, User.email, User.name, User.role, User.active, User.password_hash)
        .where(User.email == email.strip().lower())
        .first()
    )
    # An unknown email costs one hash verification too, so timing does not tell which emails exist.
    password_hash = row["password_hash"] if row else _dummy_hash()
    matches = await to_thread.run_sync(verify_password, password_hash, password)
    if row is None or not matches or not row["active"]:
        return None
    if needs_rehash(password_hash):
        new_hash = await to_thread.run_sync(hash_password, password)
        await User.update({User.password_hash: new_hash}).where(_user_id_column == row["id"])
    del row["password_hash"]
    return row


async def list_users() -> list[UserInfo]:
    """Every user, by email, without password hashes."""
    rows = await User.select(_user_id_column, User.email, User.name, User.role, User.active, User.created_at).order_by(
        User.email
    )
    return [msgspec.convert(row, UserInfo) for row in rows]


async def set_role(user_id: int, role: str) -> None:
    """Give the user another role; it applies to their next request."""
    _check_role(role)
    await User.update({User.role: role}).where(_user_id_column == user_id)


async def deactivate(user_id: int) -> None:
    """Lock the user out: sign-ins fail and their open sessions end."""
    await User.update({User.active: False}).where(_user_id_column == user_id)
    await UserSession.delete().where(UserSession.user == user_id)


def _check_email(email: str) -> None:
    if len(email) > _MAX_EMAIL_LENGTH or not _EMAIL_SHAPE.fullmatch(email):
        raise UserError(f"{email!r} is not an email address: use the shape name@example.com")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: the roles are {', '.join(ROLES)}")


@functools.cache
def _dummy_hash() -> str:
    return hash_password("a password nobody has, hashed once per process")
