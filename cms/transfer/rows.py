"""Importing the records that are not entries: assets (with their files), users, releases, schedules,
webhook subscriptions and audit events. Each kind is matched with what is stored by its natural key
(an asset's id, a user's email, a release's name and creation instant, …) and compared as a record."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import msgspec

from cms.auth.principal import ROLES
from cms.media.storage import MediaStorage
from cms.store.tables import Asset, AuditEvent, Release, ReleaseItem, Schedule, User, WebhookSubscription
from cms.transfer.export import (
    asset_record,
    audit_record,
    release_records,
    schedule_record,
    user_record,
    webhook_record,
)
from cms.transfer.reading import Refusal
from cms.transfer.records import (
    AssetRecord,
    AuditRecord,
    ReleaseRecord,
    ScheduleRecord,
    UserRecord,
    WebhookRecord,
    encoder,
)
from cms.webhooks.signing import new_secret

Decided = dict[int, tuple[str, list[Refusal]]]
NO_PASSWORD = "!imported: set a password before signing in"
"""Stored as the password hash of imported users: no password verifies against it (it is not an argon2 hash)."""
_encode = msgspec.json.Encoder().encode


def _decide(line: int, ours: Any, theirs: Any) -> tuple[str, list[Refusal]]:
    if ours is None:
        return "create", []
    return ("unchanged" if encoder.encode(ours) == encoder.encode(theirs) else "update"), []


# --- assets -----------------------------------------------------------------------------------------


async def compare_assets(batch: list[tuple[int, AssetRecord]], storage: MediaStorage) -> Decided:
    ids = [record.id for _, record in batch]
    stored = {row["id"]: asset_record(row) for row in await Asset.select().where(Asset.id.is_in(ids))}
    by_sha = {
        row["sha256"]: row["id"]
        for row in await Asset.select(Asset.id, Asset.sha256).where(Asset.sha256.is_in([r.sha256 for _, r in batch]))
    }
    decided: Decided = {}
    for line, record in batch:
        action, refusals = _decide(line, stored.get(record.id), msgspec.structs.replace(record, file=None))
        owner = by_sha.get(record.sha256)
        if owner is not None and owner != record.id:
            refusals.append(Refusal(line, "sha256", f"the same image is asset {owner} here"))
        refusals += await _file_problems(line, record, storage)
        decided[line] = (action, refusals)
    return decided


async def _file_problems(line: int, record: AssetRecord, storage: MediaStorage) -> list[Refusal]:
    if record.file is None:
        if await storage.exists(record.key):
            return []
        return [Refusal(line, "file", f"not in the file, and {record.key} is not in this site's media storage")]
    try:
        data = base64.b64decode(record.file, validate=True)
    except binascii.Error:
        return [Refusal(line, "file", "is not base64")]
    if hashlib.sha256(data).hexdigest() != record.sha256:
        return [Refusal(line, "file", "its sha256 is not the record's: the file is damaged")]
    return []


async def apply_assets(batch: list[tuple[AssetRecord, str]], storage: MediaStorage) -> None:
    for record, action in batch:
        if record.file is not None and not await storage.exists(record.key):
            await storage.put(record.key, base64.b64decode(record.file), record.mime)
        values = _asset_values(record)
        if action == "create":
            await Asset.insert(Asset(id=record.id, **values))
        else:
            await Asset.update(dict[Any, Any](values)).where(Asset.id == record.id)


def _asset_values(record: AssetRecord) -> dict[str, Any]:
    values = msgspec.structs.asdict(record)
    for name in ("id", "key", "file"):
        del values[name]
    values["alt"] = _encode(record.alt).decode()
    return values


# --- users ------------------------------------------------------------------------------------------


async def compare_users(batch: list[tuple[int, UserRecord]]) -> Decided:
    emails = [record.email for _, record in batch]
    stored = {row["email"]: user_record(row) for row in await User.select().where(User.email.is_in(emails))}
    decided: Decided = {}
    for line, record in batch:
        action, refusals = _decide(line, stored.get(record.email), record)
        if record.role not in ROLES:
            refusals.append(Refusal(line, "role", f"unknown role {record.role!r} (known: {', '.join(ROLES)})"))
        decided[line] = (action, refusals)
    return decided


async def apply_users(batch: list[tuple[UserRecord, str]]) -> None:
    for record, action in batch:
        if action == "create":
            await User.insert(User(**msgspec.structs.asdict(record), password_hash=NO_PASSWORD))
        else:
            changes: dict[Any, Any] = {"name": record.name, "role": record.role, "active": record.active}
            await User.update(changes).where(User.email == record.email)


# --- releases and schedules ---------------------------------------------------------------------------


class Releases:
    """Releases are matched by name and creation instant; `refs` maps the file's numbers to this site's ids."""

    def __init__(self) -> None:
        self.refs: dict[int, int] = {}

    async def _stored(self) -> dict[tuple[Any, ...], tuple[int, ReleaseRecord]]:
        records, refs = await release_records()
        ids = {ref: release_id for release_id, ref in refs.items()}
        return {(record.name, record.created_at): (ids[record.ref], record) for record in records}

    async def compare(self, batch: list[tuple[int, ReleaseRecord]]) -> Decided:
        stored = await self._stored()
        decided: Decided = {}
        for line, record in batch:
            found = stored.get((record.name, record.created_at))
            if found:
                self.refs[record.ref] = found[0]
            ours = msgspec.structs.replace(found[1], ref=record.ref) if found else None
            decided[line] = _decide(line, ours, record)
        return decided

    async def apply(self, batch: list[tuple[ReleaseRecord, str]]) -> None:
        stored = await self._stored()
        for record, action in batch:
            if action == "unchanged":
                self.refs[record.ref] = stored[(record.name, record.created_at)][0]
                continue
            values: dict[Any, Any] = {
                "name": record.name,
                "status": record.status,
                "publish_at": record.publish_at,
                "published_at": record.published_at,
                "created_by": record.created_by,
                "created_at": record.created_at,
            }
            if action == "create":
                rows = await Release.insert(Release(**values)).returning(Release.id)
                release_id = rows[0]["id"]
            else:
                release_id = stored[(record.name, record.created_at)][0]
                await Release.update(values).where(Release.id == release_id)
                await ReleaseItem.delete().where(ReleaseItem.release == release_id)
            if record.items:
                await ReleaseItem.insert(
                    *[
                        ReleaseItem(
                            key=f"{release_id}:{item.entry}", release=release_id, entry=item.entry, version=item.version
                        )
                        for item in record.items
                    ]
                )
            self.refs[record.ref] = release_id


class Schedules:
    """Schedules are matched by what and when: action, entry, version, release, run_at and created_at."""

    def __init__(self, releases: Releases) -> None:
        self.releases = releases

    def _key(self, record: ScheduleRecord) -> tuple[Any, ...]:
        release = self.releases.refs.get(record.release) if record.release is not None else None
        return (record.action, record.entry, record.version, release, record.run_at, record.created_at)

    @staticmethod
    def _state(values: Any) -> tuple[Any, ...]:
        return (values.status, values.attempts, values.last_error, values.created_by)

    async def _stored(self) -> dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]]:
        stored = {}
        for row in await Schedule.select():
            record = schedule_record(row, {})
            key = (row["action"], row["entry"], row["version"], row["release"], record.run_at, record.created_at)
            stored[key] = (row["id"], self._state(record))
        return stored

    async def compare(self, batch: list[tuple[int, ScheduleRecord]], release_refs: set[int]) -> Decided:
        stored = await self._stored()
        decided: Decided = {}
        for line, record in batch:
            found = (
                stored.get(self._key(record))
                if record.release is None or record.release in self.releases.refs
                else None
            )
            action = "create" if found is None else "unchanged" if found[1] == self._state(record) else "update"
            refusals = []
            if record.release is not None and record.release not in release_refs:
                refusals.append(Refusal(line, "release", f"no release with ref {record.release} in the file"))
            decided[line] = (action, refusals)
        return decided

    async def apply(self, batch: list[tuple[ScheduleRecord, str]]) -> None:
        stored = await self._stored()
        for record, action in batch:
            values = msgspec.structs.asdict(record)
            values["release"] = self.releases.refs.get(record.release) if record.release is not None else None
            if action == "create":
                await Schedule.insert(Schedule(**values))
            else:
                await Schedule.update(dict[Any, Any](values)).where(Schedule.id == stored[self._key(record)][0])


# --- webhooks -----------------------------------------------------------------------------------------


async def compare_webhooks(batch: list[tuple[int, WebhookRecord]]) -> Decided:
    stored = {(r.url, r.created_at): r for r in map(webhook_record, await WebhookSubscription.select())}
    return {line: _decide(line, stored.get((record.url, record.created_at)), record) for line, record in batch}


async def apply_webhooks(batch: list[tuple[WebhookRecord, str]]) -> None:
    """Subscriptions get a new secret: the receiver's must be set again (`cms webhook rotate-secret`)."""
    for record, action in batch:
        values = msgspec.structs.asdict(record)
        for name in ("events", "content_types", "channels"):
            values[name] = _encode(values[name]).decode()
        if action == "create":
            await WebhookSubscription.insert(WebhookSubscription(**values, secret=new_secret()))
        else:
            await WebhookSubscription.update(dict[Any, Any](values)).where(
                (WebhookSubscription.url == record.url) & (WebhookSubscription.created_at == record.created_at)
            )


# --- audit events -------------------------------------------------------------------------------------


async def compare_audit(batch: list[tuple[int, AuditRecord]]) -> Decided:
    """An audit event never changes: it is there (unchanged) or not (create)."""
    instants = list({record.at for _, record in batch})
    stored = {
        encoder.encode(audit_record(row)) for row in await AuditEvent.select().where(AuditEvent.at.is_in(instants))
    }
    return {line: ("unchanged" if encoder.encode(record) in stored else "create", []) for line, record in batch}


async def apply_audit(batch: list[tuple[AuditRecord, str]]) -> None:
    rows = [
        AuditEvent(**{**msgspec.structs.asdict(record), "details": _encode(record.details).decode()})
        for record, _ in batch
    ]
    if rows:
        await AuditEvent.insert(*rows)
