"""Map failures of the write path to GraphQL errors with a code clients can act on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from cms.model.entry_data import InvalidEntryError
from cms.store.entries import ConflictError, EntryNotFoundError, VersionNotFoundError
from cms.workflow.errors import WorkflowError
from graphql import GraphQLError

T = TypeVar("T")


async def found_or_none(operation: Awaitable[T]) -> T | None:
    """A read of one thing by id: None when there is no such thing, as a GraphQL lookup answers (rather than an
    error inside a 200); other failures as `guarded` maps them."""
    try:
        return await guarded(operation)
    except GraphQLError as error:
        if (error.extensions or {}).get("code") == "NOT_FOUND":
            return None
        raise


def coded(error: WorkflowError) -> GraphQLError:
    extensions = {"code": error.code, **error.extensions}
    if error.code == "LINT":
        # A finding's `params` are the admin's words for other languages; the API keeps the English message (as
        # the `lint` query does).
        extensions["findings"] = [_without_params(finding) for finding in extensions.get("findings", [])]
    return GraphQLError(error.message, extensions=extensions)


def _without_params(finding: object) -> object:
    return {k: v for k, v in finding.items() if k != "params"} if isinstance(finding, dict) else finding


async def guarded(operation: Awaitable[T]) -> T:
    """Run a write-path operation, turning its known failures into coded GraphQL errors."""
    try:
        return await operation
    except WorkflowError as error:
        raise coded(error) from None
    except ConflictError as error:
        raise GraphQLError(
            str(error), extensions={"code": "CONFLICT", "currentVersion": error.current, "basedOn": error.based_on}
        ) from None
    except InvalidEntryError as error:
        fields = [{"path": problem.path, "reason": problem.reason} for problem in error.errors]
        raise GraphQLError(f"invalid entry: {error}", extensions={"code": "VALIDATION", "fields": fields}) from None
    except (EntryNotFoundError, VersionNotFoundError) as error:
        raise GraphQLError(str(error), extensions={"code": "NOT_FOUND"}) from None
