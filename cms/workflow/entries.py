"""Editorial operations on entries, each checked against the principal's permissions and audited."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.auth.principal import PUBLISH, REVIEW, WRITE, Principal
from cms.events.log import ENTRY_ARCHIVED
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.offers import offers_in_force
from cms.publishing.publish import project_preview, publish_versions, remove_preview, unpublish
from cms.store import entries as store
from cms.store.database import write_transaction
from cms.store.entries import ConflictError
from cms.store.tables import Entry
from cms.workflow import states
from cms.workflow.audit import record
from cms.workflow.errors import ForbiddenError, NotFoundError, UnauthenticatedError
from cms.workflow.four_eyes import check_four_eyes
from cms.workflow.lint import lint_and_store, lint_version, refuse_errors

EntryRow = dict[str, Any]


class Editor:
    """What one principal can do to entries of one model."""

    def __init__(self, model: ContentModel, principal: Principal) -> None:
        self.model = model
        self.principal = principal

    def require(self, permission: str, action: str) -> None:
        if self.principal.kind == "anonymous":
            raise UnauthenticatedError(f"sign in or send a management token to {action}")
        if not self.principal.can(permission):
            who = f"role {self.principal.role}" if self.principal.role else f"token {self.principal.name!r}"
            raise ForbiddenError(f"{who} may not {action} (needs the {permission} permission)")

    async def create(self, type_name: str, data: EntryData, message: str = "") -> EntryRow:
        self.require(WRITE, "create entries")
        content_type = self.model.types.get(type_name)
        if content_type is None:
            raise NotFoundError(f"unknown content type {type_name!r} (known: {', '.join(self.model.types)})")
        async with write_transaction():
            saved = await store.create_entry(
                self.model, content_type, data, author=self.principal.name, message=message
            )
            await lint_and_store(self.model, saved)
            await project_preview(self.model, [saved])
            await record(self.principal, "create_entry", entry=saved.entry_id, content_type=type_name, version_after=1)
        return await entry_row(saved.entry_id)

    async def update(self, entry_id: str, based_on: int, data: EntryData, message: str = "") -> EntryRow:
        self.require(WRITE, "edit entries")
        row = await entry_row(entry_id)
        states.check_transition("update", row["status"], entry_id)
        async with write_transaction():
            saved = await store.save_version(
                self.model, entry_id, data, based_on=based_on, author=self.principal.name, message=message
            )
            # Editing never changes what is live: the entry gets a new draft, published or not.
            await Entry.update({Entry.status: states.DRAFT}).where(Entry.id == entry_id)
            await lint_and_store(self.model, saved)
            await project_preview(self.model, [saved])
            await record(
                self.principal,
                "update_entry",
                entry=entry_id,
                content_type=row["content_type"],
                version_before=based_on,
                version_after=saved.number,
                details={"message": message} if message else None,
            )
        return await entry_row(entry_id)

    async def rollback(self, entry_id: str, to_version: int, based_on: int) -> EntryRow:
        """Restore an old version's data as a new version."""
        self.require(WRITE, "edit entries")
        old = await self._version(entry_id, to_version)
        return await self.update(entry_id, based_on, old.data, f"Rollback to version {to_version}")

    async def archive(self, entry_id: str) -> EntryRow:
        self.require(WRITE, "archive entries")
        row = await entry_row(entry_id)
        states.check_transition("archive", row["status"], entry_id)
        async with write_transaction():
            await unpublish(entry_id, status=states.ARCHIVED, model=self.model, event=ENTRY_ARCHIVED)
            await remove_preview(entry_id)
            await record(
                self.principal,
                "archive_entry",
                entry=entry_id,
                content_type=row["content_type"],
                version_before=row["current_version"],
            )
        return await entry_row(entry_id)

    async def submit(self, entry_id: str) -> EntryRow:
        return await self._move(entry_id, "submit", WRITE, states.IN_REVIEW, "submit entries for review")

    async def approve(self, entry_id: str, *, override: bool = False) -> EntryRow:
        """Approve the current version; its author may not (four eyes) unless an admin overrides."""
        return await self._move(entry_id, "approve", REVIEW, states.APPROVED, "approve entries", override=override)

    async def reject(self, entry_id: str, comment: str) -> EntryRow:
        return await self._move(entry_id, "reject", REVIEW, states.DRAFT, "reject entries", {"comment": comment})

    async def publish(self, entry_id: str, version: int | None = None) -> EntryRow:
        self.require(PUBLISH, "publish entries")
        row = await entry_row(entry_id)
        states.check_transition("publish", row["status"], entry_id)
        saved = await self._version(entry_id, version)
        states.check_publishable(
            self.model.types[row["content_type"]].requires_review, row["approved_version"], saved.number, entry_id
        )
        # Linted afresh: offers may have changed, or ended, since the version was saved.
        refuse_errors(lint_version(self.model, saved, await offers_in_force(self.model)), entry_id)
        async with write_transaction():
            await publish_versions(self.model, [saved])
            await record(
                self.principal,
                "publish_entry",
                entry=entry_id,
                content_type=row["content_type"],
                version_before=row["published_version"],
                version_after=saved.number,
            )
        return await entry_row(entry_id)

    async def unpublish(self, entry_id: str) -> EntryRow:
        self.require(PUBLISH, "unpublish entries")
        row = await entry_row(entry_id)
        states.check_transition("unpublish", row["status"], entry_id)
        async with write_transaction():
            await unpublish(entry_id, model=self.model)
            await record(
                self.principal,
                "unpublish_entry",
                entry=entry_id,
                content_type=row["content_type"],
                version_before=row["published_version"],
            )
        return await entry_row(entry_id)

    async def _move(
        self,
        entry_id: str,
        operation: str,
        permission: str,
        target: str,
        action: str,
        details: dict[str, Any] | None = None,
        *,
        override: bool = False,
    ) -> EntryRow:
        self.require(permission, action)
        row = await entry_row(entry_id)
        states.check_transition(operation, row["status"], entry_id)
        changes: dict[Any, Any] = {Entry.status: target}
        if operation == "approve":
            # Checked on the version read here: the compare-and-set below approves that one or nothing.
            details = await check_four_eyes(
                self.principal,
                entry_id,
                row["current_version"],
                requires_review=self.model.types[row["content_type"]].requires_review,
                override=override,
            )
            changes[Entry.approved_version] = row["current_version"]
        async with write_transaction():
            # Only if nobody saved in between: what was reviewed is what gets approved.
            moved = (
                await Entry.update(changes)
                .where((Entry.id == entry_id) & (Entry.current_version == row["current_version"]))
                .returning(Entry.id)
            )
            if not moved:
                raise ConflictError(entry_id, row["current_version"], (await entry_row(entry_id))["current_version"])
            await record(
                self.principal,
                f"{operation}_entry",
                entry=entry_id,
                content_type=row["content_type"],
                version_before=row["current_version"],
                version_after=row["current_version"],
                details=details,
            )
        return await entry_row(entry_id)

    async def _version(self, entry_id: str, number: int | None) -> store.SavedVersion:
        try:
            return await store.load_version(entry_id, number)
        except store.EntryNotFoundError:
            raise NotFoundError(f"no entry with id {entry_id!r}") from None
        except LookupError as error:
            raise NotFoundError(str(error)) from None


async def entry_row(entry_id: str) -> EntryRow:
    row = await Entry.select().where(Entry.id == entry_id).first()
    if row is None:
        raise NotFoundError(f"no entry with id {entry_id!r}")
    return row


def entry_data_from(value: Any) -> EntryData:
    """Decode client JSON into EntryData; shape errors name the path."""
    try:
        return msgspec.convert(value, EntryData)
    except msgspec.ValidationError as error:
        from cms.model.entry_data import FieldError, InvalidEntryError

        message = str(error)
        path = message.split("`$.")[-1].rstrip("`") if "`$." in message else ""
        raise InvalidEntryError([FieldError(path, message.split(" - at ")[0])]) from None
