"""The cost of a GraphQL operation: how many values it may return, with list sizes multiplied.

Every selected field costs 1, times the size of each list around it. A connection's size is its
`first` argument (the variable's value, else its default, else the argument's default), and it
applies to the connection's `edges` and `nodes`; any other list counts as `DEFAULT_LIST_SIZE` items.
Fragments are costed once per page size and reused, so a doubling fragment chain is priced in
microseconds without being expanded. Unknown fields and types cost 1: validation reports them.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
)

DEFAULT_LIST_SIZE = 10
"""Items assumed in a list without a size argument (references, repeatable objects, images)."""

PAGE_SIZE_ARGUMENT = "first"


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
) -> int | None:
    """The cost of the operation the request runs; None when there is no such operation (execution says why)."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return None
    return _Pricing(schema, document, operation, variables or {}).of_selections(operation.selection_set, root, None)


class _Pricing:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.defaults = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }
        self.values = variables
        self.memo: dict[tuple[str, int | None], int] = {}
        self.visiting: set[str] = set()

    def of_selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, page: int | None) -> int:
        """`page`: the size of the connection these selections belong to (for its edges and nodes)."""
        total = 0
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

    def of_field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int | None) -> int:
        if node.name.value.startswith("__"):
            return 0
        fields = parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        field = fields.get(node.name.value)
        if field is None:
            return 1
        children = 0
        if node.selection_set:
            children = self.of_selections(node.selection_set, get_named_type(field.type), self.page_size(field, node))
        items = (page if page is not None else DEFAULT_LIST_SIZE) if is_list_type(get_nullable_type(field.type)) else 1
        return items * (1 + children)

    def of_fragment(self, name: str, page: int | None) -> int:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0  # unknown fragments and cycles are reported by validation
        if (name, page) not in self.memo:
            self.visiting.add(name)
            parent = self.schema.get_type(fragment.type_condition.name.value)
            self.memo[(name, page)] = self.of_selections(fragment.selection_set, parent, page)
            self.visiting.discard(name)
        return self.memo[(name, page)]

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
        return max(given, 0) if isinstance(given, int) else DEFAULT_LIST_SIZE
