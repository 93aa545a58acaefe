"""Password hashing with argon2id, a memory-hard algorithm; passwords are never stored nor logged."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MINIMUM_LENGTH = 10

# argon2-cffi's defaults follow RFC 9106's low-memory recommendation (argon2id, 64 MiB, 3 passes).
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An encoded `$argon2id$…` hash of `password`, with its own random salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`; False on a mismatch or an unreadable hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    """Why `password` is too weak to accept, or None when it is acceptable."""
    if len(password) < MINIMUM_LENGTH:
        return f"a password needs at least {MINIMUM_LENGTH} characters, this one has {len(password)}"
    if len(set(password)) == 1:
        return "a password cannot repeat one character: use a mix, or a few unrelated words"
    return None
