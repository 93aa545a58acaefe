"""Opaque pagination cursors (an offset, base64-encoded) shared by the GraphQL APIs."""

from __future__ import annotations

import base64
import functools

from graphql import GraphQLError

MAX_OFFSET = 2**31 - 1


def page_size(first: int, maximum: int, minimum: int = 0) -> int:
    """`first` as served: within `minimum`..`maximum`. GraphQL's `Int` cannot say a range, so a larger page is
    served as `maximum` (its `pageInfo.hasNextPage` says there is more, as the Connections spec lets a server
    do) and a negative one as `minimum`, rather than refused by a resolver inside a 200."""
    return min(max(first, minimum), maximum)


@functools.lru_cache(maxsize=4096)
def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The offset `cursor` stands for; GraphQLError naming `after` when it is not a cursor this API gave."""
    offset = cursor_offset(cursor)
    if offset is None:
        raise GraphQLError(f"`after` is not a cursor returned by this API: {cursor!r}")
    return offset


def cursor_offset(cursor: str) -> int | None:
    """The offset `cursor` stands for, None when it is not a cursor this API gave."""
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "offset" and number.isdigit() and int(number) < MAX_OFFSET:
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    return None
