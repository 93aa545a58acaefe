"""Map failures of the write path to GraphQL errors with a code clients can act on."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from cms.model.entry_data import InvalidEntryError
from cms.store.entries import ConflictError, EntryNotFoundError
from cms.workflow.errors import WorkflowError
from graphql import GraphQLError

T = TypeVar("T")


def coded(error: WorkflowError) -> GraphQLError:
    return GraphQLError(error.message, extensions={"code": error.code, **error.extensions})


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
    except EntryNotFoundError as error:
        raise GraphQLError(str(error), extensions={"code": "NOT_FOUND"}) from None
