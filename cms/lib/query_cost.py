"""The cost of a GraphQL operation: how many values it may return, with list sizes multiplied.

Every selected field costs 1, times the size of each list around it. A connection's size is its
`first` argument (the variable's value, else its default, else the argument's default), and it
applies to the connection's `edges` and `nodes`; any other list counts as `DEFAULT_LIST_SIZE` items.
Fragments are costed once per page size and reused, so a doubling fragment chain is priced in
microseconds without being expanded. Unknown fields and types cost 1: validation reports them.

Introspection (`__schema`, `__type`) is priced the same way, its lists at their mean size in the schema
(`types` at the number of types, a type's `fields` at the mean over all types, and so on), so selecting
the whole schema costs about the values it returns (the standard introspection query of a channel: ~5,000)
and aliased copies of it multiply. `__typename` is a constant string and costs nothing.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
)

DEFAULT_LIST_SIZE = 10
"""Items assumed in a list without a size argument (references, repeatable objects, images)."""

PAGE_SIZE_ARGUMENT = "first"
PAGE_SIZE_LIMIT = "page_size_limit"
"""Key of a Strawberry field's `metadata` giving the most items its `first` serves (a larger one is served as that)."""


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
) -> int | None:
    """The cost of the operation the request runs; None when there is no such operation (execution says why)."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return None
    # Introspection's mean list sizes are fractions: the total is rounded up once, at the end.
    return math.ceil(
        _Pricing(schema, document, operation, variables or {}).of_selections(operation.selection_set, root, None)
    )


class _Pricing:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.root = schema.get_root_type(operation.operation)
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        self.values = variables
        self.memo: dict[tuple[str, int | None, int], float] = {}
        self.unwrapped = 0
        """How many `ofType` levels of introspection are around the selections priced now."""
        self.visiting: set[str] = set()

    def of_selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, page: int | None
    ) -> float:
        """`page`: the size of the connection these selections belong to (for its edges and nodes)."""
        total: float = 0  # an int (exact, however large) until an introspection mean makes it a float
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.of_field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.of_selections(selection.selection_set, inner, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.of_fragment(selection.name.value, page)
        return total

    def of_field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int | None) -> float:
        name = node.name.value
        if name == "__typename":
            return 0
        fields = parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        field = _INTROSPECTION_ROOTS.get(name) if parent is self.root else None
        field = field or fields.get(name)
        if field is None:
            return 1
        children: float = 0
        if node.selection_set:
            children = self.of_selections(node.selection_set, get_named_type(field.type), self.page_size(field, node))
        if (parent.name if parent else None, name) == ("__Type", "ofType"):
            return self.of_wrapped_type(node)
        items: float = 1
        if is_list_type(get_nullable_type(field.type)):
            introspected = introspection_list_sizes(self.schema).get((parent.name, name)) if parent else None
            items = introspected if introspected is not None else (page if page is not None else DEFAULT_LIST_SIZE)
        return items * (1 + children)

    def of_wrapped_type(self, node: FieldNode) -> float:
        """`ofType` is null past the deepest wrapping of the schema (`[T!]!`: 3): the standard introspection query
        asks nine levels deep, so its last levels cost nothing."""
        if self.unwrapped >= wrapping_depth(self.schema):
            return 0
        self.unwrapped += 1
        children = (
            self.of_selections(node.selection_set, self.schema.get_type("__Type"), None) if node.selection_set else 0
        )
        self.unwrapped -= 1
        return 1 + children

    def of_fragment(self, name: str, page: int | None) -> float:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0  # unknown fragments and cycles are reported by validation
        key = (name, page, self.unwrapped)
        if key not in self.memo:
            self.visiting.add(name)
            parent = self.schema.get_type(fragment.type_condition.name.value)
            self.memo[key] = self.of_selections(fragment.selection_set, parent, page)
            self.visiting.discard(name)
        return self.memo[key]

    def page_size(self, field: GraphQLField, node: FieldNode) -> int | None:
        """The `first` this field is asked for, when it takes one."""
        argument = field.args.get(PAGE_SIZE_ARGUMENT)
        if argument is None:
            return None
        given: Any = next((a.value for a in node.arguments or () if a.name.value == PAGE_SIZE_ARGUMENT), None)
        if isinstance(given, VariableNode):
            given = self.values.get(given.name.value, self.defaults.get(given.name.value))
        if isinstance(given, IntValueNode):
            given = int(given.value)
        if not isinstance(given, int) or isinstance(given, bool):
            given = argument.default_value
        if not isinstance(given, int):
            return DEFAULT_LIST_SIZE
        definition = field.extensions.get("strawberry-definition")
        limit = (getattr(definition, "metadata", None) or {}).get(PAGE_SIZE_LIMIT)
        return max(min(given, limit) if isinstance(limit, int) else given, 0)


_INTROSPECTION_ROOTS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


@lru_cache(maxsize=32)
def wrapping_depth(schema: GraphQLSchema) -> int:
    """The most list and non-null wrappers around a type of a field or argument of the schema (`[T!]!`: 3)."""
    typed: list[Any] = []
    for named in schema.type_map.values():
        for field in getattr(named, "fields", {}).values():
            typed.append(field.type)
            typed.extend(argument.type for argument in getattr(field, "args", {}).values())
    typed.extend(argument.type for directive in schema.directives for argument in directive.args.values())
    depth = 0
    for wrapped in typed:
        levels = 0
        while hasattr(wrapped, "of_type"):
            wrapped, levels = wrapped.of_type, levels + 1
        depth = max(depth, levels)
    return depth


@lru_cache(maxsize=32)
def introspection_list_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], float]:
    """The size each list of GraphQL's introspection types is priced at, by (type, field): the number of types
    and directives, else the mean over every type (or field, or directive) of the schema."""
    types = list(schema.type_map.values())
    objects = [t for t in types if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
    fields = [field for t in objects for field in t.fields.values()]
    directives = schema.directives

    def mean(total: int, count: int) -> float:
        return total / max(count, 1)

    abstract = [t for t in types if isinstance(t, GraphQLInterfaceType | GraphQLUnionType)]
    return {
        ("__Schema", "types"): len(types),
        ("__Schema", "directives"): len(directives),
        ("__Type", "fields"): mean(len(fields), len(types)),
        ("__Type", "interfaces"): mean(sum(len(t.interfaces) for t in objects), len(types)),
        ("__Type", "possibleTypes"): mean(sum(len(schema.get_possible_types(t)) for t in abstract), len(types)),
        ("__Type", "enumValues"): mean(sum(len(t.values) for t in types if isinstance(t, GraphQLEnumType)), len(types)),
        ("__Type", "inputFields"): mean(
            sum(len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType)), len(types)
        ),
        ("__Field", "args"): mean(sum(len(field.args) for field in fields), len(fields)),
        ("__Directive", "args"): mean(sum(len(d.args) for d in directives), len(directives)),
        ("__Directive", "locations"): mean(sum(len(d.locations) for d in directives), len(directives)),
    }
