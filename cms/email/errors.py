"""Why an email feed request is refused: one exception carrying the HTTP status, the message and what it names."""

from __future__ import annotations


class EmailFeedError(Exception):
    """A refused email request; `parameter` names the query parameter at fault, `code` is machine-readable."""

    def __init__(self, status: int, code: str, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter
