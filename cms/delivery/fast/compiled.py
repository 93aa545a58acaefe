"""Documents parsed, validated and compiled once per channel schema, in bounded caches.

Parsing and validation use exactly what the schema's own extensions use (the token limit, the
validation rules added with `AddValidationRules`). A schema carrying an extension the fast path does
not know is never answered here: that extension might change results or refuse operations.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql.execution.collect_fields import FragmentDetails
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.extensions import AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from cms.delivery.fast.plan import OperationPlan, PlanBuilder, Unsupported
from cms.model.definitions import ContentModel
from graphql import (
    DirectiveNode,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    parse,
    specified_rules,
    validate,
    visit,
)

OPERATIONS_PER_SCHEMA = 512
PLANS_PER_OPERATION = 16
COERCED_PER_OPERATION = 64
KNOWN_EXTENSIONS = (AddValidationRules, MaskErrors, MaxTokensLimiter, ParserCache, ValidationCache)
"""MaskErrors only masks unexpected errors, which the fast path never answers with (it falls back)."""


class _RecordingDict(dict[str, Any]):
    """Variable values that remember which names a plan consulted (@skip/@include, nested arguments)."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __contains__(self, name: object) -> bool:
        self.read.add(str(name))
        return super().__contains__(name)

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.read.add(name)
        return super().get(name, default)


@dataclass(slots=True)
class CompiledOperation:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDetails]
    builder: PlanBuilder
    plans: list[tuple[dict[str, Any], OperationPlan | None]] = field(default_factory=list)
    """Plans built so far, each with the variable values it was built for (only those it consulted)."""

    coerced: dict[Any, VariableValues] = field(default_factory=dict)
    """Coerced variables by the values sent, for flat values (read only once coerced, so shared)."""

    def coerce(self, schema: strawberry.Schema, variables: dict[str, Any] | None) -> VariableValues | None:
        """Variables coerced as graphql-core coerces them; None when they are wrong (Strawberry says why)."""
        try:  # the class is in the key: 1, 1.0 and True are equal keys of a dict
            key: Any = tuple((name, value.__class__, value) for name, value in (variables or {}).items())
            kept = self.coerced.get(key)
        except TypeError:  # a list or an input object: coerced every time
            key = kept = None
        if kept is not None:
            return kept
        coerced = get_variable_values(schema._schema, self.operation.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            return None
        if key is not None and len(self.coerced) < COERCED_PER_OPERATION:
            self.coerced[key] = coerced
        return coerced

    def plan_for(self, variables: VariableValues) -> OperationPlan | None:
        for consulted, built in self.plans:
            if all(variables.coerced.get(name, _MISSING) == value for name, value in consulted.items()):
                return built
        recording = _RecordingDict(variables.coerced)
        plan: OperationPlan | None
        try:
            plan = self.builder.build(self.operation, self.fragments, VariableValues(variables.sources, recording))
        except Unsupported:
            plan = None
        consulted = {name: variables.coerced.get(name, _MISSING) for name in recording.read}
        if all(_hashable(value) for value in consulted.values()) and len(self.plans) < PLANS_PER_OPERATION:
            self.plans.append((consulted, plan))
        return plan


_MISSING = object()


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class CompiledSchema:
    """The fast path's view of one channel schema: its limits, its rules and the operations compiled so far."""

    def __init__(self, schema: strawberry.Schema, model: ContentModel) -> None:
        self.schema = schema
        self.enabled = True
        self.max_tokens: int | None = None
        # Strawberry validates with two rules of its own besides graphql-core's (its `validate_document`):
        # @oneOf inputs given none, several or a null key, and `Maybe` arguments given null.
        self.rules: list[Any] = [*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule]
        for extension in schema.get_extensions():
            if isinstance(extension, AddValidationRules):
                self.rules += extension.validation_rules
            elif isinstance(extension, MaxTokensLimiter):
                self.max_tokens = extension.max_token_count
            elif not isinstance(extension, KNOWN_EXTENSIONS):
                self.enabled = False
        self.builder = PlanBuilder(schema._schema, model)
        self.operations: OrderedDict[tuple[str, str | None], CompiledOperation | None] = OrderedDict()

    def operation(self, query: str, operation_name: str | None) -> CompiledOperation | None:
        """The compiled operation; None for anything regular execution must answer (and report on)."""
        if not self.enabled:
            return None
        key = (query, operation_name)
        if key in self.operations:
            self.operations.move_to_end(key)
            return self.operations[key]
        compiled = self._compile(query, operation_name)
        self.operations[key] = compiled
        if len(self.operations) > OPERATIONS_PER_SCHEMA:
            self.operations.popitem(last=False)
        return compiled

    def _compile(self, query: str, operation_name: str | None) -> CompiledOperation | None:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if validate(self.schema._schema, document, self.rules):
            return None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            chosen = operations if len(operations) == 1 else []
        else:
            chosen = [d for d in operations if d.name is not None and d.name.value == operation_name]
        if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY or _uses_other_directives(document):
            return None
        fragments = {
            d.name.value: FragmentDetails(d) for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        if any(details.definition.variable_definitions for details in fragments.values()):
            return None
        return CompiledOperation(document, chosen[0], fragments, self.builder)


def _uses_other_directives(document: DocumentNode) -> bool:
    """Directives other than @skip and @include (such as @defer) are left to regular execution."""
    found = False

    class Finder(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            nonlocal found
            found = found or node.name.value not in ("skip", "include")

    visit(document, Finder())
    return found


_compiled: weakref.WeakKeyDictionary[strawberry.Schema, CompiledSchema] = weakref.WeakKeyDictionary()


def compiled_schema(schema: strawberry.Schema, model: ContentModel) -> CompiledSchema:
    """One CompiledSchema per channel schema, for as long as the schema lives."""
    compiled = _compiled.get(schema)
    if compiled is None:
        compiled = _compiled[schema] = CompiledSchema(schema, model)
    return compiled
