"""A service the app depends on is down (the database server, the object store): answered 503 with `Retry-After`
at once, logged as a warning, never the 500 of a bug.

`unavailable_of` tells a lost or refused database connection, or a ServiceUnavailableError (the media storage
raises one: cms.media.storage), from any other failure, wherever it surfaces: raised as is, as the cause of
another exception, or inside a GraphQL error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import asyncpg

RETRY_AFTER_SECONDS = 5
"""What a 503 asks clients to wait: about what a restarted PostgreSQL or S3 server takes to accept connections."""

DATABASE_UNAVAILABLE = "the database is unavailable: try again in a few seconds"
STORAGE_UNAVAILABLE = "the media storage is unavailable: try again in a few seconds"

CONNECTION_LOST: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted: the server is down or went away
    asyncpg.InterfaceError,  # asyncpg took back a connection whose socket it saw close
    asyncpg.exceptions.InternalClientError,  # the server's goodbye arrived as the query was being sent
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,  # starting up or shutting down
)
"""What asyncpg raises when the server is down or closed the connection, depending on when it learns of it."""


class ServiceUnavailableError(Exception):
    """A service the answer needs is down; the request may be tried again in `RETRY_AFTER_SECONDS`.

    Its text (for the log) may name internals; clients are told `message`."""

    message = "a service the CMS needs is unavailable: try again in a few seconds"


class DatabaseUnavailableError(ServiceUnavailableError):
    message = DATABASE_UNAVAILABLE

    def __init__(self, reason: str = DATABASE_UNAVAILABLE) -> None:
        super().__init__(reason)


def is_database_unavailable(error: BaseException | None) -> bool:
    """`error`, or what caused it (a GraphQL error's original error included), is a lost database connection."""
    return isinstance(unavailable_of(error), DatabaseUnavailableError)


def unavailable_of(error: BaseException | None) -> ServiceUnavailableError | None:
    """The unavailability `error` stands for, itself or through what caused it (None: another failure)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, ServiceUnavailableError):
            return error
        if isinstance(error, CONNECTION_LOST):
            return DatabaseUnavailableError(f"{type(error).__name__}: {error}")
        seen.add(id(error))
        error = getattr(error, "original_error", None) or error.__cause__ or error.__context__
    return None


def raise_if_unavailable(errors: Iterable[BaseException] | None) -> None:
    """Raise the unavailability among a GraphQL result's `errors`, if one stands for a service being down
    (answered 503 by cms.lib.unexpected, rather than "Unexpected error." in a 200)."""
    unavailable = next(filter(None, map(unavailable_of, errors or ())), None)
    if unavailable is not None:
        raise unavailable


def retry_after_headers() -> dict[str, Any]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
