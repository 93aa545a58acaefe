"""Asset rows: insert (one per distinct image), load, change, delete; each write audited in its transaction."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec

from cms.auth.principal import Principal
from cms.events.log import ASSET_CREATED, ASSET_DELETED, record_event
from cms.lib.clock import now
from cms.media.changes import AssetChange
from cms.media.upload import CleanImage
from cms.store.database import write_transaction
from cms.store.tables import Asset
from cms.workflow.audit import record

_encode = msgspec.json.Encoder().encode


def is_asset_id(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


async def find_asset(asset_id: str) -> dict[str, Any] | None:
    if not is_asset_id(asset_id):
        return None
    row: dict[str, Any] | None = await Asset.select().where(Asset.id == asset_id).output(load_json=True).first()
    return row


async def find_assets(asset_ids: list[str]) -> list[dict[str, Any]]:
    """The assets among `asset_ids`, in one query."""
    wanted = [asset_id for asset_id in dict.fromkeys(asset_ids) if is_asset_id(asset_id)]
    if not wanted:
        return []
    return list(await Asset.select().where(Asset.id.is_in(wanted)).output(load_json=True))


async def sha_in_use(sha256: str) -> bool:
    return bool(await Asset.exists().where(Asset.sha256 == sha256))


async def save_upload(
    image: CleanImage, filename: str, alt: Mapping[str, str | None], principal: Principal
) -> tuple[dict[str, Any], bool]:
    """(the asset row, True) for a new image; (the existing row, False) when the same image is already there."""
    try:
        return await _save_upload(image, filename, alt, principal)
    except Exception:
        # Another upload of the same image won the race for the unique sha256: its row is the answer.
        existing = await Asset.select().where(Asset.sha256 == image.sha256).output(load_json=True).first()
        if existing is None:
            raise
        return existing, False


async def _save_upload(
    image: CleanImage, filename: str, alt: Mapping[str, str | None], principal: Principal
) -> tuple[dict[str, Any], bool]:
    async with write_transaction():
        existing = await Asset.select().where(Asset.sha256 == image.sha256).output(load_json=True).first()
        created = existing is None
        if existing is None:
            asset_id = str(uuid.uuid4())
            await Asset.insert(_new_row(asset_id, image, filename, alt, principal))
            await record_event(
                ASSET_CREATED,
                {
                    "assetId": asset_id,
                    "sha256": image.sha256,
                    "mime": image.kind.mime,
                    "width": image.width,
                    "height": image.height,
                    "filename": filename,
                },
            )
        else:
            # The same image again: one asset; alt texts it lacked are added, none is replaced.
            asset_id = existing["id"]
            missing = {locale: text for locale, text in alt.items() if not existing["alt"].get(locale)}
            if missing:
                await _set_alt(asset_id, {**existing["alt"], **missing})
        details = {"asset": asset_id, "sha256": image.sha256, "bytes": len(image.data), "created": created}
        await record(principal, "asset_uploaded", details=details)
        row = await Asset.select().where(Asset.id == asset_id).output(load_json=True).first()
    assert row is not None
    return row, created


async def change_asset(asset_id: str, change: AssetChange, principal: Principal) -> dict[str, Any] | None:
    """Apply an editor's change; None when there is no such asset."""
    async with write_transaction():
        row = await find_asset(asset_id)
        if row is None:
            return None
        values: dict[Any, Any] = {Asset.updated_at: now()}
        if change.focal is not None:
            values[Asset.focal_x], values[Asset.focal_y] = change.focal
        if change.alt is not None:
            merged = {**row["alt"], **change.alt}
            values[Asset.alt] = _encode({locale: text for locale, text in merged.items() if text}).decode()
        await Asset.update(values).where(Asset.id == asset_id)
        await record(principal, "asset_changed", details={"asset": asset_id, "fields": _changed_fields(change)})
        return await find_asset(asset_id)


async def delete_asset(
    asset_id: str, principal: Principal, refuse_if_used: Callable[[str], Awaitable[None]]
) -> dict[str, Any] | None:
    """Delete the row with its audit event and `asset.deleted`, in one transaction; the deleted row, or None when
    there is no such asset. `refuse_if_used(asset_id)` runs inside the transaction first and refuses by raising."""
    async with write_transaction():
        row = await find_asset(asset_id)
        if row is None:
            return None
        await refuse_if_used(asset_id)
        await Asset.delete().where(Asset.id == asset_id)
        facts = {"assetId": asset_id, "sha256": row["sha256"], "filename": row["filename"]}
        details = {"asset": asset_id, "sha256": row["sha256"], "filename": row["filename"], "bytes": row["byte_size"]}
        await record(principal, "asset_deleted", details=details)
        await record_event(ASSET_DELETED, facts)
    return row


def _new_row(
    asset_id: str, image: CleanImage, filename: str, alt: Mapping[str, str | None], principal: Principal
) -> Asset:
    moment = now()
    return Asset(
        id=asset_id,
        sha256=image.sha256,
        mime=image.kind.mime,
        byte_size=len(image.data),
        width=image.width,
        height=image.height,
        blurhash=image.blurhash,
        dominant_color=image.dominant_color,
        alt=_encode({locale: text for locale, text in alt.items() if text}).decode(),
        filename=filename,
        created_by=principal.name,
        created_at=moment,
        updated_at=moment,
    )


async def _set_alt(asset_id: str, alt: dict[str, Any]) -> None:
    await Asset.update({Asset.alt: _encode(alt).decode(), Asset.updated_at: now()}).where(Asset.id == asset_id)


def _changed_fields(change: AssetChange) -> list[str]:
    return (["focalPoint"] if change.focal is not None else []) + [f"alt.{locale}" for locale in change.alt or {}]
