"""Limits on a GraphQL document's size once its fragments are expanded: depth, fields and aliases.

Fragments are measured once each and reused, so a chain of fragments that doubles at every level
is refused in microseconds instead of being expanded (and timed out) by a naive limiter.
Introspection (`__schema`, `__type` and what they select) counts like any field toward fields and
aliases: 1,000 aliases of `__schema { types { fields { name } } }` are refused as any 1,000 aliases are.
It is left out of depth only: the standard introspection query nests `ofType` nine levels to unwrap
`[T!]!`, which a depth limit made for content would refuse (its cost bounds it: cms.lib.query_cost).
`__typename` is a constant string: only its alias counts.
"""

from __future__ import annotations

from typing import Any

import msgspec

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
"""The root fields that read the schema itself (GraphQL's introspection), besides `__typename`."""


class Size(msgspec.Struct, frozen=True):
    depth: int = 0
    fields: int = 0
    aliases: int = 0

    def __add__(self, other: Size) -> Size:
        return Size(max(self.depth, other.depth), self.fields + other.fields, self.aliases + other.aliases)


class Limits(msgspec.Struct, frozen=True):
    max_depth: int = 12
    max_fields: int = 2000
    max_aliases: int = 30
    max_cost: int = 20_000
    """Values an operation may return, list sizes multiplied (cms.lib.query_cost); checked by delivery."""
    max_tokens: int = 4000
    """Tokens of a whole document (delivery's admission parses with it, as Strawberry's MaxTokensLimiter does)."""


def measure(document: DocumentNode) -> dict[str, Size]:
    """The expanded size of each operation of the document, by operation name ('' when anonymous)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, Size] = {}

    def of_fragment(name: str, visiting: frozenset[str]) -> Size:
        if name in memo:
            return memo[name]
        if name in visiting or name not in fragments:
            return Size()  # cycles and unknown fragments are reported by the standard rules
        memo[name] = of_selections(fragments[name].selection_set, visiting | {name})
        return memo[name]

    def of_selections(selection_set: SelectionSetNode | None, visiting: frozenset[str]) -> Size:
        total = Size()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                alias = 1 if selection.alias else 0
                name = selection.name.value
                if name == "__typename":
                    total += Size(0, 0, alias)
                    continue
                child = of_selections(selection.selection_set, visiting)
                depth = 0 if name in INTROSPECTION_FIELDS else child.depth + 1
                total += Size(depth, child.fields + 1, child.aliases + alias)
            elif isinstance(selection, InlineFragmentNode):
                total += of_selections(selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                total += of_fragment(selection.name.value, visiting)
        return total

    return {
        (definition.name.value if definition.name else ""): of_selections(definition.selection_set, frozenset())
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    }


def introspection_in(document: DocumentNode) -> list[str]:
    """The introspection fields (`__schema`, `__type`) the document selects anywhere, in order, each once."""
    found: dict[str, None] = {}

    def visit(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode) and selection.name.value in INTROSPECTION_FIELDS:
                found[selection.name.value] = None
            elif isinstance(selection, FieldNode | InlineFragmentNode):  # a spread's fragment is visited as such
                visit(selection.selection_set)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            visit(definition.selection_set)
    return list(found)


def limits_rule(limits: Limits) -> type[ValidationRule]:
    """A graphql-core validation rule refusing operations over `limits`, with a message naming the limit."""

    class OperationLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            for name, size in measure(node).items():
                for message in over_limits(name, size, limits):
                    self.report_error(GraphQLError(message))

    return OperationLimits


def over_limits(operation_name: str, size: Size, limits: Limits) -> list[str]:
    """A message for each limit the operation's size is over (none when it is within them all)."""
    label = f"operation {operation_name!r}" if operation_name else "the operation"
    return [
        f"{label} {what.format(value)}, over the limit of {limit}"
        for value, limit, what in (
            (size.depth, limits.max_depth, "is {} levels deep"),
            (size.fields, limits.max_fields, "selects {} fields once fragments are expanded"),
            (size.aliases, limits.max_aliases, "uses {} aliases once fragments are expanded"),
        )
        if value > limit
    ]
