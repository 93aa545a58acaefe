"""API tokens for automation: `cms_<id>_<secret>`, shown once, stored as a SHA-256 of the secret, revocable.

A token may also sign a URL path (`sign_path`): the signature is an HMAC-SHA256 of the path keyed by the token's
stored hash, which only the server holds, so a signed URL names the token by its id and carries no secret; it
opens that path only, and dies with the token (revoked or expired)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from collections.abc import Iterable
from typing import Any

import msgspec

from cms.auth.principal import DELIVERY_SCOPE_PREFIX, SCOPE_PERMISSIONS, Principal, token_principal
from cms.lib.clock import now
from cms.store.tables import ApiToken

TOKEN_PREFIX = "cms_"
_ID_LENGTH = 12  # secrets.token_urlsafe(9)
_SECRET_LENGTH = 43  # secrets.token_urlsafe(32)
_encode = msgspec.json.Encoder().encode
_decode_scopes = msgspec.json.Decoder(list[str]).decode


class TokenError(ValueError):
    """A token was refused or could not be created; for a refused token the message is the reason."""


class TokenInfo(msgspec.Struct, frozen=True):
    token_id: str
    name: str
    scopes: list[str]
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


def valid_scopes(channels: Iterable[str]) -> list[str]:
    """Every scope a token may have, given the channels of the content model."""
    return [*SCOPE_PERMISSIONS, *(f"{DELIVERY_SCOPE_PREFIX}{name}" for name in [*channels, "*"])]


def validate_scopes(scopes: Iterable[str], channels: Iterable[str]) -> list[str]:
    """The scopes without duplicates; TokenError naming the first unknown one and the valid ones."""
    valid = valid_scopes(channels)
    checked = list(dict.fromkeys(scopes))
    if not checked:
        raise TokenError(f"a token needs at least one scope: choose from {', '.join(valid)}")
    for scope in checked:
        if scope not in valid:
            raise TokenError(f"unknown scope {scope!r}: the valid scopes are {', '.join(valid)}")
    return checked


async def create_token(
    name: str,
    scopes: Iterable[str],
    *,
    channels: Iterable[str],
    expires_at: dt.datetime | None = None,
    created_by: str = "",
) -> tuple[str, str]:
    """Store a new token; returns (token_id, token_text). The text exists only in this return value."""
    checked = validate_scopes(scopes, channels)
    token_id, secret = _new_token_id(), secrets.token_urlsafe(32)
    await ApiToken.insert(
        ApiToken(
            token_id=token_id,
            secret_hash=_digest(secret),
            name=name,
            scopes=_encode(checked).decode(),
            created_by=created_by,
            created_at=now(),
            expires_at=expires_at,
        )
    )
    return token_id, f"{TOKEN_PREFIX}{token_id}_{secret}"


def _new_token_id() -> str:
    """A random id that a command line cannot take for an option: `cms token revoke -8Xi…` was refused as an
    unknown option `-8` (one id in 64 starts with `-`)."""
    while (token_id := secrets.token_urlsafe(9)).startswith("-"):
        pass
    return token_id


async def check_token(token_text: str) -> Principal:
    """The principal of a valid token; TokenError with the reason the token is refused."""
    token_id, secret = _parse(token_text)
    row = await ApiToken.select().where(ApiToken.token_id == token_id).first()
    if row is None or not hmac.compare_digest(row["secret_hash"], _digest(secret)):
        raise TokenError("unknown token")
    if row["revoked_at"] is not None:
        raise TokenError("token revoked")
    moment = now()
    if row["expires_at"] is not None and row["expires_at"] <= moment:
        raise TokenError("token expired")
    await ApiToken.update({ApiToken.last_used_at: moment}).where(ApiToken.token_id == token_id)
    return token_principal(token_id, row["name"], _decode_scopes(row["scopes"]))


async def sign_path(token_id: str, path: str) -> str:
    """The signature of `path` by the token `token_id` (TokenError when there is no such token, or it is revoked
    or expired): URL-safe base64 without padding."""
    row = await _usable_row(token_id)
    return _path_signature(row["secret_hash"], token_id, path)


async def check_signed_path(token_id: str, path: str, signature: str) -> Principal:
    """The principal of the token that signed `path` with `signature`; TokenError with the reason it is refused."""
    row = await ApiToken.select().where(ApiToken.token_id == token_id).first()
    if row is None or not hmac.compare_digest(_path_signature(row["secret_hash"], token_id, path), signature):
        raise TokenError("unknown token or a signature that does not match this path")
    row = await _usable_row(token_id)
    await ApiToken.update({ApiToken.last_used_at: now()}).where(ApiToken.token_id == token_id)
    return token_principal(token_id, row["name"], _decode_scopes(row["scopes"]))


async def token_scopes(token_id: str) -> list[str]:
    """The scopes of a token, by id (TokenError when unknown)."""
    row = await ApiToken.select(ApiToken.scopes).where(ApiToken.token_id == token_id).first()
    if row is None:
        raise TokenError(f"no token with id {token_id!r}: `cms token list` shows the ids")
    return _decode_scopes(row["scopes"])


async def _usable_row(token_id: str) -> dict[str, Any]:
    row = await ApiToken.select().where(ApiToken.token_id == token_id).first()
    if row is None:
        raise TokenError(f"no token with id {token_id!r}: `cms token list` shows the ids")
    if row["revoked_at"] is not None:
        raise TokenError("token revoked")
    if row["expires_at"] is not None and row["expires_at"] <= now():
        raise TokenError("token expired")
    return row


def _path_signature(secret_hash: str, token_id: str, path: str) -> str:
    mac = hmac.new(secret_hash.encode(), f"{token_id}\n{path}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(mac).rstrip(b"=").decode()


async def revoke_token(token_id: str) -> None:
    """Refuse the token from now on (revoking twice keeps the first instant); TokenError when unknown."""
    if not await ApiToken.exists().where(ApiToken.token_id == token_id):
        raise TokenError(f"no token with id {token_id!r}: `cms token list` shows the ids")
    await ApiToken.update({ApiToken.revoked_at: now()}).where(
        (ApiToken.token_id == token_id) & ApiToken.revoked_at.is_null()
    )


async def list_tokens() -> list[TokenInfo]:
    """Every token, oldest first, without secrets or their hashes."""
    rows = await ApiToken.select(exclude_secrets=True).order_by(ApiToken.created_at)
    return [
        TokenInfo(
            token_id=row["token_id"],
            name=row["name"],
            scopes=_decode_scopes(row["scopes"]),
            created_by=row["created_by"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            revoked_at=row["revoked_at"],
            last_used_at=row["last_used_at"],
        )
        for row in rows
    ]


def _parse(token_text: str) -> tuple[str, str]:
    """(token_id, secret) of `cms_<id>_<secret>`; the id may itself contain `_`, so split by length."""
    body = token_text.removeprefix(TOKEN_PREFIX)
    token_id, separator, secret = body[:_ID_LENGTH], body[_ID_LENGTH : _ID_LENGTH + 1], body[_ID_LENGTH + 1 :]
    if body == token_text or separator != "_" or len(secret) != _SECRET_LENGTH:
        raise TokenError("malformed token")
    return token_id, secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
