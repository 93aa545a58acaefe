"""Run a compiled plan: the schema's own root resolvers, then stored documents projected by the plan.

References load in waves through the request's DataLoader (one batch per level of nesting, all root
fields together), so the fast path sends the same queries as regular execution, never more.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import gather_with_cancel
from strawberry.types import ExecutionResult
from strawberry.types.arguments import convert_arguments

from cms.delivery.context import LOCALE_KEY, PROJECTIONS_KEY, DeliveryContext, DocumentKey
from cms.delivery.fast.plan import FieldPlan, Kind, OperationPlan, RootPlan, uses_variables
from graphql import GraphQLError, located_error


class FallBack(Exception):
    """The answer would differ from regular execution's (a stored value not in output form, an error to
    report from a nested field, several root errors to order): let Strawberry answer instead."""


@dataclass(slots=True)
class _Hole:
    """A reference in a projected output, filled once its documents are loaded."""

    output: dict[str, Any]
    plan: FieldPlan
    keys: list[DocumentKey]


class _ResolverInfo:
    """What the delivery root resolvers read from `strawberry.Info`: the context."""

    __slots__ = ("context",)

    def __init__(self, context: DeliveryContext) -> None:
        self.context = context


async def run_plan(
    plan: OperationPlan, schema: strawberry.Schema, variables: VariableValues, context: DeliveryContext
) -> ExecutionResult:
    """The result regular execution gives; raises FallBack when it cannot be sure to give the same."""
    run = _RootRun(schema, variables, _ResolverInfo(context))
    calls = [run.resolve(root) for root in plan.roots]
    try:
        # Like graphql-core: root fields run together, and a failed non-null one cancels the others.
        outcomes = [await calls[0]] if len(calls) == 1 else await gather_with_cancel(*calls)
    except GraphQLError as error:
        return ExecutionResult(data=None, errors=[*run.errors, error])
    data: dict[str, Any] = {}
    holes: list[_Hole] = []
    values = {root.key: (root, outcome) for root, outcome in zip(plan.roots, outcomes, strict=True)}
    for key in plan.order:
        if key in plan.typename_keys:
            data[key] = plan.typename_keys[key]
        else:
            root, outcome = values[key]
            data[key] = None if outcome is _FAILED else _complete(outcome, root.value, holes)
    await _fill(holes, context)
    return ExecutionResult(data=data, errors=run.errors or None)


_FAILED = object()
KWARGS_KEPT = 64
"""Most sets of variable values whose converted root arguments a root field keeps."""


@dataclass(slots=True)
class _RootRun:
    """Root resolvers of one request, and the errors of nullable ones in the order they happened."""

    schema: strawberry.Schema
    variables: VariableValues
    info: _ResolverInfo
    errors: list[GraphQLError] = field(default_factory=list)

    async def resolve(self, root: RootPlan) -> Any:
        """The resolver's value; a client mistake (GraphQLError) is kept, or raised for a non-null field."""
        try:
            value = root.resolver(info=self.info, **self._arguments(root))
            return await value if inspect.isawaitable(value) else value
        except GraphQLError as error:
            located = located_error(error, [detail.node for detail in root.field_details], [root.key])
            if not root.value.nullable:
                raise located from None
            self.errors.append(located)
            return _FAILED
        except Exception as error:
            raise FallBack("an unexpected error: regular execution masks and logs it") from error

    def _arguments(self, root: RootPlan) -> dict[str, Any]:
        if root.static_kwargs is not None:
            return root.static_kwargs
        try:
            key: Any = tuple((name, value.__class__, value) for name, value in self.variables.coerced.items())
            kept = root.kwargs_by_variables.get(key)
        except TypeError:  # a variable holding a list or an input object: converted every time
            # (the class is in the key: 1, 1.0 and True are equal keys of a dict)
            key = kept = None
        if kept is not None:
            return dict(kept)
        detail = root.field_details[0]
        raw = get_argument_values(root.definition, detail.node, self.variables, detail.fragment_variable_values)
        kwargs = convert_arguments(
            raw,
            root.strawberry_arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )
        if not uses_variables(root.field_details):
            root.static_kwargs = kwargs
        elif key is not None and len(root.kwargs_by_variables) < KWARGS_KEPT:
            root.kwargs_by_variables[key] = dict(kwargs)
        return kwargs


def _complete(value: Any, plan: FieldPlan, holes: list[_Hole]) -> Any:
    if value is None:
        if plan.nullable:
            return None
        raise FallBack(f"null for the non-null field {plan.name!r}")
    if plan.many:
        return [_project(item, plan.fields, holes) for item in value]
    return _project(value, plan.fields, holes)


TEMPLATES_PER_DOCUMENT = 8
"""Most projections a kept document remembers (one per selection it was projected by)."""


def _project(source: Any, fields: tuple[FieldPlan, ...], holes: list[_Hole]) -> dict[str, Any]:
    """One object's output: its selected fields in order, as the default resolver reads them.

    A document kept decoded (cms.delivery.context.DecodedDocuments) remembers its output for each
    selection, when its references are all its own fields: later requests copy that output (its nested
    values are shared, never changed) and only load the references again."""
    templates = source.get(PROJECTIONS_KEY) if source.__class__ is dict else None
    if templates is None:
        return _project_fields(source, fields, holes)
    kept = templates.get(id(fields))
    if kept is None or kept[0] is not fields:
        own: list[_Hole] = []
        output = _project_fields(source, fields, own)
        if any(hole.output is not output for hole in own):
            kept = (fields, None, ())
        else:
            kept = (fields, output, tuple((hole.plan, hole.keys) for hole in own))
        if len(templates) < TEMPLATES_PER_DOCUMENT:
            templates[id(fields)] = kept
        if kept[1] is None:
            holes.extend(own)
            return output
    template = kept[1]
    if template is None:
        return _project_fields(source, fields, holes)
    output = template.copy()
    for plan, keys in kept[2]:
        holes.append(_Hole(output, plan, keys))
    return output


def _project_fields(source: Any, fields: tuple[FieldPlan, ...], holes: list[_Hole]) -> dict[str, Any]:
    output: dict[str, Any] = {}
    is_document = source.__class__ is dict
    for plan in fields:
        kind = plan.kind
        if kind is Kind.TYPENAME:
            output[plan.key] = plan.typename
            continue
        if kind is Kind.IMAGE_URL:
            output[plan.key] = image_url(source, *plan.arguments)
            continue
        if kind is Kind.IMAGE_SRCSET:
            output[plan.key] = image_srcset(source, *plan.arguments)
            continue
        value = source.get(plan.name) if is_document else getattr(source, plan.name)
        if kind is Kind.VALUE:
            if value is None:
                if not plan.nullable:
                    raise FallBack(f"null for the non-null field {plan.name!r}")
            elif value.__class__ is not plan.output_class:
                assert plan.serialize is not None
                value = plan.serialize(value)
            output[plan.key] = value
        elif kind is Kind.OBJECT:
            output[plan.key] = _complete(value, plan, holes)
        elif kind is Kind.REFERENCE:
            output[plan.key] = None
            if value is not None:
                holes.append(_Hole(output, plan, [(value, source[LOCALE_KEY])]))
        else:
            output[plan.key] = []
            if value:
                holes.append(_Hole(output, plan, [(entry_id, source[LOCALE_KEY]) for entry_id in value]))
    return output


async def _fill(holes: list[_Hole], context: DeliveryContext) -> None:
    """Load every pending reference of one level in one batch, project them, and go one level down.

    A document referenced several times by the same selection (the category of fifty products) is
    projected once: its output is shared, and its own references are filled once, for all."""
    projected: dict[tuple[int, int], dict[str, Any]] = {}
    # Keyed by ids: the documents stay in the loader's memory and the plans in the operation's for the request.
    while holes:
        documents = await context.documents.fetch_many([key for hole in holes for key in hole.keys])
        deeper: list[_Hole] = []
        position = 0
        for hole in holes:
            plan = hole.plan
            fields = plan.fields
            if plan.kind is Kind.REFERENCE:
                document = documents[position]
                position += 1
                if document is None:
                    hole.output[plan.key] = _complete(None, plan, deeper)
                    continue
                shared = (id(document), id(fields))
                output = projected.get(shared)
                if output is None:
                    output = projected[shared] = _project(document, fields, deeper)
                hole.output[plan.key] = output
                continue
            outputs = []
            for document in documents[position : position + len(hole.keys)]:
                if document is not None:
                    shared = (id(document), id(fields))
                    output = projected.get(shared)
                    if output is None:
                        output = projected[shared] = _project(document, fields, deeper)
                    outputs.append(output)
            position += len(hole.keys)
            hole.output[plan.key] = outputs
        holes = deeper


def image_url(image: dict[str, Any], preset: str, image_format: str | None) -> str | None:
    """`Image.url(preset, format)`: the preset's default rendition, or the one in `format`."""
    rendition = image["renditions"].get(preset, {})
    if image_format is None:
        return rendition.get("default")  # type: ignore[no-any-return]
    return rendition.get("urls", {}).get(image_format)  # type: ignore[no-any-return]


def image_srcset(image: dict[str, Any], image_format: str | None) -> str:
    """`Image.srcset(format)`: `url width` pairs of the channel's presets, narrowest first."""
    entries = []
    for rendition in sorted(image["renditions"].values(), key=lambda r: r["width"]):
        url = rendition["urls"].get(image_format) if image_format is not None else rendition.get("default")
        if url:
            entries.append(f"{url} {rendition['width']}w")
    return ", ".join(entries)
