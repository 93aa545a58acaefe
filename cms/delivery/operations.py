"""Persisted operations: `graphql/operations/<channel>/*.graphql`, addressed by the sha256 of their text,
plus Apollo's automatic persisted queries (a client sends the hash first, the query only when asked).

A channel with `persisted_only = true` in channels.toml runs nothing else.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from pathlib import Path

import msgspec
import strawberry

from cms.lib.graphql_http import BadRequestError, GraphQLRequest
from graphql import parse, validate

APQ_CAPACITY = 1000
NOT_FOUND = "PersistedQueryNotFound"


class OperationProblem(msgspec.Struct, frozen=True):
    path: str
    reason: str


def operation_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


REPLACES = re.compile(r"^# replaces: ([0-9a-f]{64})\b", re.MULTILINE)
"""A comment line `# replaces: <former id>`: an operation rewritten for a new schema keeps answering the id
clients have (e.g. when `locale: String` became the channel's `Locale` enum); its variables must not change."""


def load_operations(directory: Path, channel: str) -> dict[str, str]:
    """The registered operations of a channel: id -> document text (also under the former ids it replaces)."""
    folder = directory / "operations" / channel
    registered: dict[str, str] = {}
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        registered[operation_id(text)] = text
        registered |= dict.fromkeys(REPLACES.findall(text), text)
    return registered


def check_operations(directory: Path, schemas: dict[str, strawberry.Schema]) -> list[OperationProblem]:
    """Each operation file must parse and validate against its channel's schema."""
    problems = []
    for channel, schema in schemas.items():
        for path in sorted((directory / "operations" / channel).glob("*.graphql")):
            try:
                errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))
            except Exception as error:
                errors = [error]  # type: ignore[list-item]
            problems += [OperationProblem(str(path), str(error).splitlines()[0]) for error in errors]
    for folder in sorted((directory / "operations").glob("*")):
        if folder.is_dir() and folder.name not in schemas:
            problems.append(OperationProblem(str(folder), "no channel of that name"))
    return problems


class OperationRegistry:
    """Registered operations of one channel, and the queries clients persisted automatically (bounded LRU)."""

    def __init__(self, registered: dict[str, str], *, persisted_only: bool) -> None:
        self.registered = registered
        self.persisted_only = persisted_only
        self.automatic: OrderedDict[str, str] = OrderedDict()

    def resolve(self, request: GraphQLRequest) -> str | None:
        """The document to run; None when the client must send the query (APQ's PersistedQueryNotFound)."""
        wanted = request.persisted_hash
        if wanted is None:
            if self.persisted_only:
                raise BadRequestError("this channel runs only persisted operations: send `id` (or APQ's sha256Hash)")
            return request.query
        known = self.registered.get(wanted) or self.automatic.get(wanted)
        if known is not None:
            return known
        if request.query is None or self.persisted_only:
            if self.persisted_only:
                raise BadRequestError(f"no persisted operation with id {wanted!r} on this channel")
            return None
        if operation_id(request.query) != wanted:
            raise BadRequestError("the sha256Hash does not match the query sent with it")
        self.automatic[wanted] = request.query
        while len(self.automatic) > APQ_CAPACITY:
            self.automatic.popitem(last=False)
        return request.query
