"""Sign-in throttling: after too many failed sign-ins for one account, or from one address, within a window,
further attempts are refused without checking the password until the oldest failure counted leaves the window.

Failures are rows of `cms_sign_in_failure`, so every worker counts the same ones. A successful sign-in forgets
the failures of its account only: an address that tried many accounts stays counted.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

import msgspec

from cms.lib.clock import now
from cms.settings import Settings
from cms.store.tables import SignInFailure


class ThrottleLimits(msgspec.Struct, frozen=True):
    per_account: int = 5
    """Failed sign-ins of one account within the window before it is refused (0: no limit)."""
    per_address: int = 20
    """Failed sign-ins from one client address within the window before it is refused (0: no limit)."""
    window: dt.timedelta = dt.timedelta(minutes=15)

    @classmethod
    def of(cls, settings: Settings) -> ThrottleLimits:
        return cls(
            settings.sign_in_max_failures_per_account,
            settings.sign_in_max_failures_per_address,
            dt.timedelta(seconds=settings.sign_in_failure_window),
        )


class Throttled(msgspec.Struct, frozen=True):
    """Why a sign-in is refused unchecked, and in how many seconds it may be tried again (`Retry-After`)."""

    scope: Literal["account", "address"]
    retry_after: int


async def throttled(account: str, address: str, limits: ThrottleLimits) -> Throttled | None:
    """None when `account` may try to sign in from `address` now; else which limit holds it, and for how long."""
    checks: tuple[tuple[Literal["account", "address"], object, str, int], ...] = (
        ("account", SignInFailure.account, account, limits.per_account),
        ("address", SignInFailure.address, address, limits.per_address),
    )
    instant = now()
    for scope, column, value, limit in checks:
        if limit <= 0:
            continue
        # The limit-th most recent failure in the window: once it leaves the window, fewer than `limit` remain.
        row = (
            await SignInFailure.select(SignInFailure.at)
            .where((column == value) & (SignInFailure.at > instant - limits.window))  # type: ignore[operator]
            .order_by(SignInFailure.at, ascending=False)
            .offset(limit - 1)
            .first()
        )
        if row is not None:
            seconds = (row["at"] + limits.window - instant).total_seconds()
            return Throttled(scope, max(1, math.ceil(seconds)))
    return None


async def note_failure(account: str, address: str, limits: ThrottleLimits) -> None:
    """Count one failed sign-in, and drop failures too old to count any more (the table stays small)."""
    instant = now()
    await SignInFailure.delete().where(SignInFailure.at <= instant - limits.window)
    await SignInFailure.insert(SignInFailure(account=account, address=address[:64], at=instant))


async def forget_failures(account: str) -> None:
    """A successful sign-in: its account starts afresh (other accounts' failures from its address still count)."""
    await SignInFailure.delete().where(SignInFailure.account == account)
