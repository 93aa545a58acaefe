"""Files in media storage that no asset owns, for `cms media gc`: left by a deletion whose file removal failed,
a rendition built while its asset was being deleted, or files copied in by hand.

An asset owns `originals/<sha256>.<ext>` (its own type's extension) and everything under `renditions/<sha256>/`.
Keys outside those two folders (`probes/` of `cms doctor`, anything else sharing the bucket) are not the media
library's and are never listed. Files younger than `min_age` are left alone: an upload stores its file a moment
before its asset row commits, and that file is not an orphan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cms.media.presets import original_key
from cms.media.storage import MediaStorage, StoredObject
from cms.store.tables import Asset

ORIGINALS, RENDITIONS = "originals/", "renditions/"


def is_orphan(key: str, owned_originals: set[str], owned_sha256s: set[str]) -> bool:
    """True for an original or rendition key whose asset does not exist; False for every other key."""
    if key.startswith(ORIGINALS):
        return key not in owned_originals
    if key.startswith(RENDITIONS):
        sha256, _, rest = key.removeprefix(RENDITIONS).partition("/")
        return not rest or sha256 not in owned_sha256s
    return False


def orphans_among(
    stored: Iterable[StoredObject], assets: Iterable[tuple[str, str]], *, older_than: dt.datetime
) -> list[StoredObject]:
    """The objects no asset of `assets` ((sha256, mime) pairs) owns, written no later than `older_than`."""
    pairs = list(assets)
    owned_originals = {original_key(sha256, mime.removeprefix("image/")) for sha256, mime in pairs}
    owned_sha256s = {sha256 for sha256, _ in pairs}
    return [
        found
        for found in stored
        if found.modified <= older_than and is_orphan(found.key, owned_originals, owned_sha256s)
    ]


async def find_orphans(storage: MediaStorage, *, min_age: dt.timedelta, now: dt.datetime) -> list[StoredObject]:
    """The files no asset owns, by key. Storage is listed before the rows are read, so a file whose asset
    committed before the listing is always seen with its owner."""
    stored = [*await storage.objects(ORIGINALS), *await storage.objects(RENDITIONS)]
    rows = await Asset.select(Asset.sha256, Asset.mime)
    return orphans_among(stored, ((row["sha256"], row["mime"]) for row in rows), older_than=now - min_age)
