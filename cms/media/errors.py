"""The failures of the media pipeline, each with the HTTP status it maps to and a reason that says how to fix it."""

from __future__ import annotations

from typing import Any


class MediaError(Exception):
    """A media request that cannot go on: `reason` says why (and what to do), `status` is the HTTP status."""

    status = 400

    def __init__(
        self, reason: str, status: int | None = None, *, code: str = "", params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        """What went wrong, for a reader in any language (the admin's catalogue words it from `params`)."""
        self.params: dict[str, Any] = params or {}
        if status is not None:
            self.status = status


class UploadRefused(MediaError):
    """An upload that was not stored (nothing of it was: no object, no row)."""

    status = 422


class AssetNotFound(MediaError):
    status = 404

    def __init__(self, asset_id: str) -> None:
        super().__init__(f"no asset {asset_id!r}: upload it with POST /media first")
        self.asset_id = asset_id


class InvalidAssetChange(MediaError):
    """A PATCH of an asset's metadata with problems; each names its field (`focalPoint.x`, `alt.fr`)."""

    status = 422

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


class AssetInUse(MediaError):
    """An asset that cannot be deleted: entries' current or published versions name it (`uses`, `described`)."""

    status = 409

    def __init__(self, asset_id: str, described: list[str], uses: list[dict[str, Any]]) -> None:
        listed = "; ".join(described)
        super().__init__(
            f"asset {asset_id!r} is used by {len(described)} {'entry' if len(described) == 1 else 'entries'}: {listed}."
            " Take it out of those versions (edit the entry, and publish or unpublish it) before deleting it"
        )
        self.asset_id = asset_id
        self.uses = uses
        """One document per entry: entryId, type, title, slug, versions [{number, role}]."""
