"""A rate limit as written in channels.toml and settings: `"100/minute"` (pure: the model checks it)."""

from __future__ import annotations

from typing import Literal, cast

Unit = Literal["second", "minute", "hour", "day"]
UNITS: tuple[Unit, ...] = ("second", "minute", "hour", "day")


class RateLimitSyntaxError(ValueError):
    pass


def parse_rate_limit(text: str) -> tuple[Unit, int]:
    """`"100/minute"` -> `("minute", 100)`; RateLimitSyntaxError saying what is wrong and how to write it."""
    count, _, unit = text.partition("/")
    if not count.strip().isdigit() or int(count) < 1 or unit.strip() not in UNITS:
        raise RateLimitSyntaxError(
            f'{text!r} is not a rate limit: write requests per unit, e.g. "100/minute" (units: {", ".join(UNITS)})'
        )
    return cast("Unit", unit.strip()), int(count)
