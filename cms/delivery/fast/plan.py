"""Compile one operation of a validated document into a plan: which stored key each response key reads.

Fields are collected with graphql-core's own `collect_fields`, so response keys come out in the order
regular execution gives them (aliases, fragments at their spread, each fragment once, @skip/@include).
A plan depends on the variables only through @skip/@include and nested field arguments; the caller
caches it by their values. `Unsupported` means regular execution must answer this operation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.schema.schema_converter import GraphQLCoreConverter

from cms.delivery import schema as delivery_schema
from cms.delivery.variants import VARIANTS_KEY
from cms.model.definitions import ContentModel
from cms.model.names import camel_case, pascal_case
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)


class Unsupported(Exception):
    """The fast path does not answer this operation: run it through Strawberry."""


class Kind(enum.IntEnum):
    VALUE = 0
    """A scalar or enum read from the source, checked (and serialized when not already in output form)."""
    OBJECT = 1
    """An object read from the source (a stored sub-document, an edge, page info), projected by its selection."""
    TYPENAME = 2
    REFERENCE = 3
    """An entry id to batch-load, then project."""
    REFERENCES = 4
    """A list of entry ids to batch-load, then project (unpublished ones left out)."""
    IMAGE_URL = 5
    IMAGE_SRCSET = 6
    VARIANT = 7
    """`variant(by:)`: one of the source's variants picked by SKU or GTIN, then projected."""
    UNION = 8
    """A union member that names its type (`CONCRETE_TYPE`: a search result), projected by that member's
    selection."""


CONCRETE_TYPE = "search_type"
"""The attribute by which a union's value names its object type (cms.delivery.search_field.SearchNode), and
`document` the stored document it wraps: anything else in a union falls back to regular execution."""


BUILT_IN_CLASSES = {"String": str, "ID": str, "Int": int, "Float": float, "Boolean": bool}


@dataclass(slots=True)
class FieldPlan:
    key: str
    name: str
    kind: Kind
    nullable: bool
    many: bool = False
    fields: tuple[FieldPlan, ...] = ()
    output_class: type | None = None
    """For a VALUE: the class a value already in output form has (None: always serialize)."""
    serialize: Callable[[Any], Any] | None = None
    typename: str = ""
    arguments: tuple[Any, ...] = ()
    """IMAGE_URL: (preset, format or None); IMAGE_SRCSET: (format or None,) as plain strings."""
    members: dict[str, tuple[FieldPlan, ...]] = field(default_factory=dict)
    """UNION: the selection of each member type, by its name."""
    placed: Any = None
    """A list's last placement from remembered bytes (cms.delivery.fast.run._Placed), shared by requests."""


@dataclass(slots=True)
class RootPlan:
    key: str
    field_details: list[FieldDetails]
    definition: GraphQLField
    resolver: Callable[..., Any]
    strawberry_arguments: list[Any]
    value: FieldPlan
    static_kwargs: dict[str, Any] | None = None
    """Converted arguments when they use no variable (computed once)."""
    kwargs_by_variables: dict[Any, dict[str, Any]] = field(default_factory=dict)
    """Converted arguments by the values of plain (hashable) variables (a few kept)."""
    total_selected: bool = False
    """Whether its value (a list's connection) selects `totalCount`: told to the resolver, which counts only
    then (cms.delivery.schema.selects_total)."""


@dataclass(slots=True)
class OperationPlan:
    roots: tuple[RootPlan, ...]
    typename_keys: dict[str, str] = field(default_factory=dict)
    """`__typename` at the root, by response key (position kept in `order`)."""
    order: tuple[str, ...] = ()
    expected: dict[Any, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """By the values of plain variables (as `RootPlan.kwargs_by_variables`), the locale asked for and the
    stage: the documents the last run with them loaded by reference (at most PREFETCHED_MOST), read with
    the next run's page (cms.delivery.fast.run)."""


class PlanBuilder:
    """Builds plans for one channel schema; `model` tells references apart from other resolvers."""

    def __init__(self, schema: GraphQLSchema, model: ContentModel) -> None:
        self.schema = schema
        self.references = {
            (pascal_case(content_type.name), camel_case(f.name)): f.kind
            for content_type in model.types.values()
            for f in content_type.fields
            if f.kind in ("reference", "references")
        }

    def kind(self, parent: str, name: str, definition: GraphQLField) -> Kind:
        """How a field is read: only resolvers whose work the plan reproduces are allowed."""
        _, many, named = _unwrap(definition.type)
        if parent == "Query":
            if not isinstance(named, GraphQLObjectType):
                raise Unsupported("a root field of a scalar type")
            return Kind.OBJECT
        strawberry_field = definition.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        resolver = getattr(strawberry_field, "base_resolver", None)
        if resolver is None:
            if isinstance(named, GraphQLUnionType) and not many:
                return Kind.UNION
            return Kind.OBJECT if isinstance(named, GraphQLObjectType) else Kind.VALUE
        function = resolver.wrapped_func
        if function is delivery_schema._focal_point:
            return Kind.OBJECT  # the resolver only copies the stored {x, y}
        if function is delivery_schema._image_url:
            return Kind.IMAGE_URL
        if function is delivery_schema._image_srcset:
            return Kind.IMAGE_SRCSET
        if getattr(function, VARIANTS_KEY, None):
            return Kind.VARIANT
        reference = self.references.get((parent, name))
        if reference is not None and function.__name__.startswith("resolve_"):
            return Kind.REFERENCE if reference == "reference" else Kind.REFERENCES
        raise Unsupported(f"field {parent}.{name} has a resolver the fast path does not know")

    def build(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails], variables: VariableValues
    ) -> OperationPlan:
        return _Build(self, operation, fragments, variables).operation_plan()


@dataclass(slots=True)
class _Build:
    """One plan being built: the operation, its fragments, and the variables @skip/@include read."""

    builder: PlanBuilder
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    variables: VariableValues

    def operation_plan(self) -> OperationPlan:
        schema = self.builder.schema
        query = schema.query_type
        assert query is not None
        grouped = collect_fields(schema, self.fragments, self.variables, query, self.operation).grouped_field_set
        roots: list[RootPlan] = []
        typenames: dict[str, str] = {}
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                typenames[key] = query.name
            elif name.startswith("__"):
                raise Unsupported("introspection")
            else:
                roots.append(self._root(key, details, query.fields[name]))
        return OperationPlan(tuple(roots), typenames, tuple(grouped))

    def _root(self, key: str, details: list[FieldDetails], definition: GraphQLField) -> RootPlan:
        strawberry_field = definition.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        resolver = getattr(strawberry_field, "base_resolver", None)
        if resolver is None or resolver.self_parameter or resolver.root_parameter or resolver.parent_parameter:
            raise Unsupported("a root field without a plain resolver")
        value = self._field(key, details, definition, "Query")
        arguments = getattr(strawberry_field, "arguments", [])
        total_selected = any(plan.name == "totalCount" for plan in value.fields)
        return RootPlan(
            key, details, definition, resolver.wrapped_func, arguments, value, total_selected=total_selected
        )

    def _field(self, key: str, details: list[FieldDetails], definition: GraphQLField, parent: str) -> FieldPlan:
        name = details[0].node.name.value
        kind = self.builder.kind(parent, name, definition)
        nullable, many, named = _unwrap(definition.type)
        plan = FieldPlan(key, name, kind, nullable, many)
        if kind in (Kind.IMAGE_URL, Kind.IMAGE_SRCSET):
            detail = details[0]
            arguments = get_argument_values(definition, detail.node, self.variables, detail.fragment_variable_values)
            plan.arguments = tuple(getattr(arguments.get(a), "value", None) for a in ("preset", "format"))
            if kind is Kind.IMAGE_SRCSET:
                plan.arguments = plan.arguments[1:]
        elif kind is Kind.VARIANT:
            detail = details[0]
            by = get_argument_values(definition, detail.node, self.variables, detail.fragment_variable_values)["by"]
            chosen = by if isinstance(by, dict) else vars(by)
            ((code, value),) = ((k, v) for k, v in chosen.items() if v is not None and v is not strawberry.UNSET)
            resolver = definition.extensions[GraphQLCoreConverter.DEFINITION_BACKREF].base_resolver.wrapped_func
            plan.arguments = (getattr(resolver, VARIANTS_KEY), code, value)
            assert isinstance(named, GraphQLObjectType)
            plan.fields = self._selection(named, details)
        elif kind is Kind.UNION:
            members = self.builder.schema.get_possible_types(named)
            plan.members = {member.name: self._selection(member, details) for member in members}
        elif isinstance(named, GraphQLObjectType):
            plan.fields = self._selection(named, details)
        elif isinstance(named, GraphQLEnumType | GraphQLScalarType):
            if many:
                raise Unsupported("a list of scalars")
            plan.output_class = BUILT_IN_CLASSES.get(named.name) if isinstance(named, GraphQLScalarType) else None
            plan.serialize = named.serialize
        else:
            raise Unsupported(f"abstract type {named}")
        return plan

    def _selection(self, object_type: GraphQLObjectType, details: list[FieldDetails]) -> tuple[FieldPlan, ...]:
        schema = self.builder.schema
        collected = collect_subfields(schema, self.fragments, self.variables, self.operation, object_type, details)
        plans = []
        for key, sub_details in collected.grouped_field_set.items():
            name = sub_details[0].node.name.value
            if name == "__typename":
                plans.append(FieldPlan(key, name, Kind.TYPENAME, False, typename=object_type.name))
            elif name.startswith("__"):
                raise Unsupported("introspection")
            else:
                plans.append(self._field(key, sub_details, object_type.fields[name], object_type.name))
        return tuple(plans)


def _unwrap(output_type: GraphQLOutputType) -> tuple[bool, bool, Any]:
    """(nullable, list, named type); lists of nullable items are not supported (the schemas have none)."""
    nullable = not isinstance(output_type, GraphQLNonNull)
    inner = output_type.of_type if isinstance(output_type, GraphQLNonNull) else output_type
    if isinstance(inner, GraphQLList):
        if not isinstance(inner.of_type, GraphQLNonNull):
            raise Unsupported("a list of nullable items")
        return nullable, True, inner.of_type.of_type
    return nullable, False, inner


def uses_variables(details: list[FieldDetails]) -> bool:
    """Whether the arguments of these field nodes refer to a variable."""
    found = False

    class Finder(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            nonlocal found
            found = True

    for detail in details:
        for argument in detail.node.arguments or ():
            visit(argument, Finder())
    return found
