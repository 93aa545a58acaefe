"""The sync feed's cursor: where a consumer stands, opaque to it (base64url of JSON).

A cursor is a position in one channel's feed: it names the channel, so that it cannot be replayed against
another channel, the locale and types it was made with (used when a call leaves them out), and its phase:
`initial` (paging through what is served, after `after`) or `incremental` (events of the change log after
`mark`). The initial phase carries the mark read before its first page,
so what changed while it paged is replayed once it ends.
"""

from __future__ import annotations

import base64
import binascii
from typing import Literal

import msgspec

FORMAT = 1
"""Bumped when the cursor's shape changes; an older cursor is refused with a request to sync afresh."""
Phase = Literal["initial", "incremental"]
INITIAL: Phase = "initial"
INCREMENTAL: Phase = "incremental"


class SyncError(ValueError):
    """A sync request the feed refuses (a 400 over HTTP, a GraphQL error): the message says what to send."""


class StaleSyncCursorError(SyncError):
    """A cursor this feed gave, ahead of the change log now (the store was reset): the consumer must sync afresh."""

    code = "STALE_SYNC_CURSOR"


class SyncCursor(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    v: int
    """The format (`FORMAT`)."""
    channel: str
    locale: str | None
    """None: every locale of the channel."""
    types: tuple[str, ...]
    """Content types (sorted); empty: every type the channel exposes."""
    phase: Phase
    mark: int
    """The change log's high-water mark: events after it are still to be replayed."""
    after: tuple[str, str] | None = None
    """Initial phase: the (entry, locale) of the last document served; the next page starts after it."""


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(SyncCursor).decode


def encode_sync_cursor(cursor: SyncCursor) -> str:
    return base64.urlsafe_b64encode(_encode(cursor)).rstrip(b"=").decode()


def decode_sync_cursor(text: str) -> SyncCursor:
    """The cursor `text` stands for; SyncError when it is not one this feed returned."""
    refused = SyncError(f"`cursor` is not a cursor returned by this sync feed: {text[:80]!r}")
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        cursor = _decode(raw)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise refused from None
    if cursor.v != FORMAT:
        raise SyncError("this cursor comes from an older version of the sync feed: sync again without a cursor")
    if cursor.mark < 0 or (cursor.phase == INCREMENTAL) != (cursor.after is None):
        raise refused
    return cursor


def check_cursor_channel(cursor: SyncCursor, channel: str) -> None:
    """Refuse a cursor used on another channel's feed: its position is in that channel's change log."""
    if cursor.channel != channel:
        raise SyncError(
            f"this cursor was made for the {cursor.channel} channel, not {channel}: "
            f"keep one cursor per channel (/sync/{cursor.channel})"
        )
