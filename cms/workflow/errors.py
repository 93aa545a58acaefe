"""Failures of workflow operations; each carries a GraphQL error code and what a client needs to recover."""

from __future__ import annotations

from typing import Any


class WorkflowError(Exception):
    code = "BAD_REQUEST"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class NotFoundError(WorkflowError):
    code = "NOT_FOUND"


class ForbiddenError(WorkflowError):
    code = "FORBIDDEN"


class FourEyesError(ForbiddenError):
    """The author of a version asked to approve it, on a type that requires review (cms.workflow.four_eyes)."""


class InvalidStateError(WorkflowError):
    """The operation does not apply to the entry as it is (e.g. publishing an unapproved offer)."""

    code = "INVALID_STATE"


class InvalidInputError(WorkflowError):
    """An argument breaks a rule its GraphQL type cannot say (e.g. a blank name): `extensions.fields` names it."""

    code = "VALIDATION"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"`{path}`: {reason}", fields=[{"path": path, "reason": reason}])


class UnauthenticatedError(WorkflowError):
    code = "UNAUTHENTICATED"


class LintError(WorkflowError):
    """The version breaks a consistency rule (budget, brand voice, offer): it cannot be published as it is."""

    code = "LINT"
