"""Opaque pagination cursors (an offset, base64-encoded) shared by the GraphQL APIs."""

from __future__ import annotations

import base64
import functools

from graphql import GraphQLError

MAX_OFFSET = 2**31 - 1


@functools.lru_cache(maxsize=4096)
def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "offset" and number.isdigit() and int(number) < MAX_OFFSET:
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise GraphQLError(f"`after` is not a cursor returned by this API: {cursor!r}")
