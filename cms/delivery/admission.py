"""Refuse an operation before anything runs: unparsable, too deep, too wide, or too costly.

Delivery checks here before reading the content version or the response cache, so a refusal costs
no database query whatever the path that would execute the operation. What was admitted (document,
operation name, variables; as a digest) is remembered, so a cached answer costs a hash and a lookup here.
The schema's validation rules check depth, fields and aliases again (cms.lib.query_limits).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from cms.lib.graphql_http import BadRequestError, no_such_operation
from cms.lib.query_cost import operation_cost
from cms.lib.query_limits import Limits, introspection_in, measure, over_limits
from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, get_operation_ast, parse

COST_CODE = "QUERY_TOO_COSTLY"
INTROSPECTION_CODE = "INTROSPECTION_DISABLED"


class QueryRefusedError(BadRequestError):
    """The operation may not run; `errors` say why, as the GraphQL errors of a 400 answer."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class Admission:
    """The gate of one channel's schema, with bounded memories of parsed documents and admitted requests."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: Limits,
        documents: int = 256,
        admitted: int = 4096,
        *,
        introspection_off_for: str | None = None,
    ) -> None:
        """`introspection_off_for`: the name of the channel whose config switches introspection off, if it does."""
        self.schema = schema
        self.limits = limits
        self.introspection_off_for = introspection_off_for
        self.documents_kept, self.admitted_kept = documents, admitted
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._admitted: OrderedDict[bytes, None] = OrderedDict()
        """Digests of admitted requests: variables may be large, a digest is 32 bytes."""

    def check(self, text: str, operation_name: str | None, variables: dict[str, Any] | None, key: bytes) -> None:
        """Raise QueryRefusedError unless the operation may run; `key` is the variables' canonical JSON."""
        admitted = hashlib.sha256(b"\0".join([text.encode(), (operation_name or "").encode(), key])).digest()
        if admitted in self._admitted:
            self._admitted.move_to_end(admitted)
            return
        document = self._parsed(text)
        if get_operation_ast(document, operation_name) is None:
            raise QueryRefusedError([no_such_operation(document, operation_name)])
        if self.introspection_off_for is not None and (fields := introspection_in(document)):
            raise QueryRefusedError([_introspection_off(self.introspection_off_for, fields)])
        problems = [
            message for name, size in measure(document).items() for message in over_limits(name, size, self.limits)
        ]
        if problems:
            raise QueryRefusedError([GraphQLError(message) for message in problems])
        cost = operation_cost(self.schema, document, operation_name, variables)
        if cost is not None and cost > self.limits.max_cost:
            operation = get_operation_ast(document, operation_name)
            name = operation.name.value if operation and operation.name else None
            raise QueryRefusedError([_too_costly(name, cost, self.limits.max_cost)])
        _remember(self._admitted, admitted, None, self.admitted_kept)

    def operation(self, text: str, operation_name: str | None) -> OperationDefinitionNode | None:
        """The operation an admitted request runs (its document parsed once, remembered)."""
        return get_operation_ast(self._parsed(text), operation_name)

    def _parsed(self, text: str) -> DocumentNode:
        document = self._documents.get(text)
        if document is None:
            try:
                document = parse(text, max_tokens=self.limits.max_tokens)
            except GraphQLError as error:
                raise QueryRefusedError([error]) from None
            _remember(self._documents, text, document, self.documents_kept)
        return document


def _too_costly(operation_name: str | None, cost: int, limit: int) -> GraphQLError:
    label = f"operation {operation_name!r}" if operation_name else "the operation"
    return GraphQLError(
        f"{label} costs {cost} (each field counts once per item of every list around it), over the limit of"
        f" {limit}: ask for fewer items with `first`, select fewer fields inside lists, or split the query",
        extensions={"code": COST_CODE, "cost": cost, "limit": limit},
    )


def _introspection_off(channel: str, fields: list[str]) -> GraphQLError:
    return GraphQLError(
        f"introspection ({', '.join(f'`{name}`' for name in fields)}) is switched off on the {channel} channel"
        f" (`introspection = false` in channels.toml): read its schema from graphql/{channel}.graphql instead"
        " (`__typename` is allowed)",
        extensions={"code": INTROSPECTION_CODE},
    )


def _remember(memory: OrderedDict[Any, Any], key: Any, value: Any, capacity: int) -> None:
    memory[key] = value
    while len(memory) > capacity:
        memory.popitem(last=False)
