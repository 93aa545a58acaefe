"""Signing in with email and password, shared by `POST /auth/login` and the admin's form: throttled
(cms.auth.throttle), and every outcome audited (success, failure, refusal unchecked)."""

from __future__ import annotations

from typing import Any

from cms.auth.principal import Principal, user_principal
from cms.auth.throttle import ThrottleLimits, forget_failures, note_failure, throttled
from cms.auth.users import authenticate
from cms.workflow.audit import record


class SignInThrottledError(Exception):
    """Too many failed sign-ins lately for this account or from this address; the password was not checked."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins for this {scope}: try again in {retry_after} seconds")
        self.scope, self.retry_after = scope, retry_after


async def sign_in(email: str, password: str, seen: dict[str, str], limits: ThrottleLimits) -> dict[str, Any] | None:
    """The user when the credentials are right, None when not; SignInThrottledError when held back.

    `seen` (client address as `ip`, user agent, …) goes into the audit event."""
    account = email.strip().lower()[:254]
    attempt = Principal(kind="anonymous", name=account)
    held = await throttled(account, seen.get("ip", ""), limits)
    if held is not None:
        details = seen | {"throttled": held.scope, "retryAfter": str(held.retry_after)}
        await record(attempt, "sign_in_throttled", details=details)
        raise SignInThrottledError(held.scope, held.retry_after)
    user = await authenticate(email, password)
    if user is None:
        await note_failure(account, seen.get("ip", ""), limits)
        await record(attempt, "sign_in_failed", details=seen)
        return None
    await forget_failures(account)
    await record(user_principal(user["id"], user["email"], user["role"]), "sign_in", details=seen)
    return user
