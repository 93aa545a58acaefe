"""Run a compiled plan: the schema's own root resolvers, then stored documents projected by the plan.

References load in waves through the request's DataLoader (one batch per level of nesting, all root
fields together), so the fast path sends the same queries as regular execution, never more (when a
non-null root field fails, siblings are cancelled wherever they are, on either path).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from itertools import islice
from operator import is_
from typing import Any

import msgspec
import strawberry
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import gather_with_cancel
from strawberry.types import ExecutionResult
from strawberry.types.arguments import convert_arguments

from cms.delivery.context import LOCALE_KEY, PREFETCHED_MOST, PROJECTIONS_KEY, DeliveryContext, DocumentKey
from cms.delivery.documents import decoded_documents
from cms.delivery.fast.plan import CONCRETE_TYPE, FieldPlan, Kind, OperationPlan, RootPlan, uses_variables
from cms.delivery.schema import TOTAL_SELECTED
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
    """What the delivery root resolvers read from `strawberry.Info`: the context, and for a list whether its
    `totalCount` is selected (`TOTAL_SELECTED`, cms.delivery.schema.selects_total)."""

    __slots__ = ("context", TOTAL_SELECTED)

    def __init__(self, context: DeliveryContext, total_selected: bool = False) -> None:
        self.context = context
        setattr(self, TOTAL_SELECTED, total_selected)


async def run_plan(
    plan: OperationPlan, schema: strawberry.Schema, variables: VariableValues, context: DeliveryContext
) -> ExecutionResult:
    """The result regular execution gives; raises FallBack when it cannot be sure to give the same."""
    variables_key = _variables_key(variables)
    documents = context.documents
    # What a request loads depends on its variables, and on the locale it asked for and its stage.
    expected_key = (variables_key, context.header_locale, context.stage) if variables_key is not None else None
    expected = plan.expected.get(expected_key) if expected_key is not None else None
    if expected:
        documents.expected = expected
    run = _RootRun(schema, variables, _ResolverInfo(context), variables_key)
    calls = [run.resolve(root) for root in plan.roots]
    try:
        # Like graphql-core: root fields run together, and a failed non-null one cancels the others.
        outcomes = [await calls[0]] if len(calls) == 1 else await gather_with_cancel(*calls)
    except GraphQLError as error:
        return ExecutionResult(data=None, errors=[*run.errors, error])
    data: dict[str, Any] = {}
    holes: list[_Hole] = []
    memo = _Memo()
    values = {root.key: (root, outcome) for root, outcome in zip(plan.roots, outcomes, strict=True)}
    for key in plan.order:
        if key in plan.typename_keys:
            data[key] = plan.typename_keys[key]
        else:
            root, outcome = values[key]
            data[key] = None if outcome is _FAILED else _complete(outcome, root.value, holes, memo)
    await _fill(holes, context, memo)
    if memo.to_encode:
        _remember_encoded(memo, documents.loaded)
    if expected_key is not None:
        loaded = tuple(islice(documents.loaded, PREFETCHED_MOST))
        remembered = plan.expected
        if remembered.pop(expected_key, None) is None and len(remembered) >= EXPECTED_KEPT:
            del remembered[next(iter(remembered))]  # the least recently used
        remembered[expected_key] = loaded  # last: the most recently used
    return ExecutionResult(data=data, errors=run.errors or None)


def _variables_key(variables: VariableValues) -> Any:
    """The values of the request's variables as a key, or None when one is a list or an input object.
    (The class is in the key: 1, 1.0 and True are equal keys of a dict.)"""
    key = tuple((name, value.__class__, value) for name, value in variables.coerced.items())
    try:
        hash(key)
    except TypeError:
        return None
    return key


_FAILED = object()
KWARGS_KEPT = 64
"""Most sets of variable values whose converted root arguments a root field keeps."""
EXPECTED_KEPT = 64
"""Most sets of variable values (with locale and stage) whose loads an operation's plan remembers, to read
ahead next time (the oldest forgotten first)."""


@dataclass(slots=True)
class _RootRun:
    """Root resolvers of one request, and the errors of nullable ones in the order they happened."""

    schema: strawberry.Schema
    variables: VariableValues
    info: _ResolverInfo
    variables_key: Any
    """`_variables_key(variables)`."""
    errors: list[GraphQLError] = field(default_factory=list)

    async def resolve(self, root: RootPlan) -> Any:
        """The resolver's value; a client mistake (GraphQLError) is kept, or raised for a non-null field."""
        try:
            info = _ResolverInfo(self.info.context, True) if root.total_selected else self.info
            value = root.resolver(info=info, **self._arguments(root))
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
        key = self.variables_key  # None for a variable holding a list or an input object: converted every time
        kept = root.kwargs_by_variables.get(key) if key is not None else None
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


def _complete(value: Any, plan: FieldPlan, holes: list[_Hole], memo: _Memo | None = None) -> Any:
    if value is None:
        if plan.nullable:
            return None
        raise FallBack(f"null for the non-null field {plan.name!r}")
    if plan.many:
        if memo is None:
            return [_project(item, plan.fields, holes) for item in value]
        pending = memo.pending
        placed = plan.placed
        if placed is not None and placed.generation != decoded_documents.generation:
            _drop_placements()  # none can be used again: let their documents go
            placed = None
        if placed is not None and len(value) == len(placed.documents) and all(map(is_, value, placed.documents)):
            _placements[id(plan)] = _placements.pop(id(plan), plan)  # the most recently used
            # The same documents as the last time this list was placed from remembered bytes, none of them
            # remembering anything new since: the same bytes, their references checked as then.
            outputs = list(placed.outputs)
            for waves, entries in placed.groups:
                group = pending.get(id(waves))
                if group is None:
                    group = pending[id(waves)] = (waves, [])
                group[1].append((outputs, entries))
            return outputs
        # _place_kept for each item, inlined for the usual case: remembered bytes placed at once (and
        # replaced by a projection should a document below have changed).
        fields = plan.fields
        template_key = id(fields)
        outputs = []
        groups: dict[int, tuple[tuple[Wave, ...], list[tuple[int, dict[str, Any], _Template]]]] = {}
        every_one = True
        for item in value:
            templates = item.get(PROJECTIONS_KEY) if item.__class__ is dict else None
            template = templates.get(template_key) if templates is not None else None
            if template is None or template.fields is not fields or template.encoded is None:
                outputs.append(None)
                _place_kept(outputs, len(outputs) - 1, item, fields, holes, memo)
                every_one = False
                continue
            encoded = template.encoded
            waves = encoded.waves
            if waves:
                entries = groups.get(id(waves))
                if entries is None:
                    entries = groups[id(waves)] = (waves, [])
                entries[1].append((len(outputs), item, template))
            outputs.append(encoded.raw)
        for waves, entries in groups.values():
            group = pending.get(id(waves))
            if group is None:
                group = pending[id(waves)] = (waves, [])
            group[1].append((outputs, entries))
        if every_one:
            placed = _Placed(tuple(value), tuple(outputs), tuple(groups.values()), decoded_documents.generation)
            _keep_placement(plan, placed)
        return outputs
    return _project(value, plan.fields, holes, memo)


@dataclass(slots=True)
class _Placed:
    """A list of kept documents placed from their remembered bytes: while the same documents come in the same
    order and no document remembered anything new (`DecodedDocuments.generation`), its outputs are those
    bytes, and its items' references are checked in the same groups."""

    documents: tuple[dict[str, Any], ...]
    outputs: tuple[msgspec.Raw, ...]
    groups: tuple[tuple[tuple[Wave, ...], list[tuple[int, dict[str, Any], _Template]]], ...]
    generation: int


PLACEMENTS_KEPT = 64
"""Most lists whose placement is kept (on their plans), the least recently used dropped first."""
_placements: dict[int, FieldPlan] = {}
"""The plans holding a placement, all of the same generation of kept documents (`_placements_generation`):
a placement pins its documents, so all are dropped once the generation moves (one of their documents
may have been dropped from the kept ones since), when the next list is placed or found stale."""
_placements_generation = [-1]


def _keep_placement(plan: FieldPlan, placed: _Placed) -> None:
    """Keep `placed` on its list's plan, within PLACEMENTS_KEPT (the least recently used dropped first) and
    the current generation."""
    if _placements_generation[0] != placed.generation:
        _drop_placements()
        _placements_generation[0] = placed.generation
    elif _placements.pop(id(plan), None) is None and len(_placements) >= PLACEMENTS_KEPT:
        _placements.pop(next(iter(_placements))).placed = None
    plan.placed = placed
    _placements[id(plan)] = plan


def _drop_placements() -> None:
    for plan in _placements.values():
        plan.placed = None
    _placements.clear()


TEMPLATES_PER_DOCUMENT = 8
"""Most projections a kept document remembers (one per selection it was projected by)."""

Wave = tuple[tuple[DocumentKey, ...], tuple["dict[str, Any] | None", ...]]
"""Documents a projection's references read at one level: the keys loaded, and the documents they gave."""


@dataclass(slots=True)
class _Encoded:
    """A kept document's output for one selection, encoded, with every document its references read, level
    by level: while those load as the same documents, the same bytes are the answer. Items recorded by the
    same request with the same references share one `waves` (checked once for all of them)."""

    raw: msgspec.Raw
    waves: tuple[Wave, ...]


@dataclass(slots=True)
class _Template:
    """What a kept document remembers of its projection by one selection (`fields`)."""

    fields: tuple[FieldPlan, ...]
    output: dict[str, Any] | None
    """Its output with references unfilled (copied, then filled, per request); None when a reference sits in
    a nested object (the document is projected afresh every time)."""
    references: tuple[tuple[FieldPlan, list[DocumentKey]], ...] = ()
    encoded: _Encoded | None = None
    charged: int = 0
    """Characters of `encoded` counted against the bound of kept documents (cms.delivery.documents)."""


Slot = tuple[Any, Any]
"""Where an output goes: (list, index) or (dict, key)."""


@dataclass(slots=True)
class _Memo:
    """Per request: items whose remembered bytes wait for their references to be checked (grouped by the
    references they share), and items projected afresh, to encode and remember once filled."""

    pending: dict[int, tuple[tuple[Wave, ...], list[tuple[Any, list[tuple[Any, dict[str, Any], _Template]]]]]] = field(
        default_factory=dict
    )
    """By id of the shared waves: (waves, [(container, [(slot, document, template)])]), bytes already placed."""
    to_encode: list[tuple[Slot, dict[str, Any], tuple[FieldPlan, ...]]] = field(default_factory=list)


def _place_kept(
    container: Any, slot: Any, item: Any, fields: tuple[FieldPlan, ...], holes: list[_Hole], memo: _Memo
) -> None:
    """`container[slot]`: a kept document's remembered bytes when it has them (checked once its references
    load), else its projection, remembered encoded once filled."""
    templates = item.get(PROJECTIONS_KEY) if item.__class__ is dict else None
    if templates is None:
        container[slot] = _project(item, fields, holes, memo)
        return
    template = templates.get(id(fields))
    if template is not None and template.fields is fields:
        encoded = template.encoded
        if encoded is not None:
            container[slot] = encoded.raw  # replaced by a projection should a document below have changed
            waves = encoded.waves
            if waves:
                group = memo.pending.get(id(waves))
                if group is None:
                    group = memo.pending[id(waves)] = (waves, [])
                group[1].append((container, [(slot, item, template)]))
            return
        # Projected by this selection before: worth remembering encoded. (A document seen once, as on
        # random pages of a large catalogue, is not encoded twice for nothing.)
        memo.to_encode.append(((container, slot), item, fields))
    # Copied from its template, which must hold no remembered bytes: no memo below a kept document.
    container[slot] = _project(item, fields, holes)


def _project(source: Any, fields: tuple[FieldPlan, ...], holes: list[_Hole], memo: _Memo | None = None) -> Any:
    """One object's output: its selected fields in order, as the default resolver reads them.

    A document kept decoded (cms.delivery.context.DecodedDocuments) remembers its output for each
    selection, when its references are all its own fields: later requests copy that output (its nested
    values are shared, never changed) and only load the references again."""
    templates = source.get(PROJECTIONS_KEY) if source.__class__ is dict else None
    if templates is None:
        return _project_fields(source, fields, holes, memo)
    template = templates.get(id(fields))
    if template is None or template.fields is not fields:
        own: list[_Hole] = []
        output = _project_fields(source, fields, own)
        if any(hole.output is not output for hole in own):
            template = _Template(fields, None)
        else:
            template = _Template(fields, output, tuple((hole.plan, hole.keys) for hole in own))
        decoded_documents.generation += 1
        replaced = templates.get(id(fields))
        if replaced is None and len(templates) >= TEMPLATES_PER_DOCUMENT:
            replaced = templates.pop(next(iter(templates)))  # the oldest: its plan may be gone with its operation
        if replaced is not None and replaced.charged:
            decoded_documents.charge(-replaced.charged)
        templates[id(fields)] = template
        if template.output is None:
            holes.extend(own)
            return output
    kept = template.output
    if kept is None:
        return _project_fields(source, fields, holes)
    output = kept.copy()
    for plan, keys in template.references:
        holes.append(_Hole(output, plan, keys))
    return output


def _project_fields(
    source: Any, fields: tuple[FieldPlan, ...], holes: list[_Hole], memo: _Memo | None = None
) -> dict[str, Any]:
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
        if kind is Kind.VARIANT:
            variants_key, code, wanted = plan.arguments
            variant = next((v for v in source.get(variants_key) or [] if v.get(code) == wanted), None)
            output[plan.key] = _complete(variant, plan, holes, memo)
            continue
        value = source.get(plan.name) if is_document else getattr(source, plan.name)
        if kind is Kind.UNION:
            if value is None:
                if not plan.nullable:
                    raise FallBack(f"null for the non-null field {plan.name!r}")
                output[plan.key] = None
                continue
            member = plan.members.get(getattr(value, CONCRETE_TYPE, None))  # type: ignore[arg-type]
            document = getattr(value, "document", None)
            if member is None or document.__class__ is not dict:
                raise FallBack(f"a value of the union {plan.name!r} that does not name its type")
            if memo is not None and PROJECTIONS_KEY in document:
                _place_kept(output, plan.key, document, member, holes, memo)  # a search result's document
            else:
                output[plan.key] = _project(document, member, holes, memo)
            continue
        if kind is Kind.VALUE:
            if value is None:
                if not plan.nullable:
                    raise FallBack(f"null for the non-null field {plan.name!r}")
            elif value.__class__ is not plan.output_class:
                assert plan.serialize is not None
                value = plan.serialize(value)
            output[plan.key] = value
        elif kind is Kind.OBJECT:
            if memo is not None and not plan.many and value.__class__ is dict and PROJECTIONS_KEY in value:
                _place_kept(output, plan.key, value, plan.fields, holes, memo)  # an edge's node
            else:
                output[plan.key] = _complete(value, plan, holes, memo)
        elif kind is Kind.REFERENCE:
            output[plan.key] = None
            if value is not None:
                holes.append(_Hole(output, plan, [(value, source[LOCALE_KEY])]))
        else:
            output[plan.key] = []
            if value:
                holes.append(_Hole(output, plan, [(entry_id, source[LOCALE_KEY]) for entry_id in value]))
    return output


async def _fill(holes: list[_Hole], context: DeliveryContext, memo: _Memo | None = None) -> None:
    """Load every pending reference of one level in one batch, project them, and go one level down.

    A document referenced several times by the same selection (the category of fifty products) is
    projected once: its output is shared, and its own references are filled once, for all. Items whose
    encoded output is remembered load the documents it read, level by level in the same batches, and
    are placed as those bytes when all load as the same documents; otherwise projected afresh, caught
    up from what is loaded, and their remaining references join the next level's batch."""
    projected: dict[tuple[int, int], dict[str, Any]] = {}
    # Keyed by ids: the documents stay in the loader's memory and the plans in the operation's for the request.
    groups = memo.pending if memo is not None else {}
    loaded = context.documents.loaded
    level = 0
    while holes or groups:
        keys = [key for hole in holes for key in hole.keys]
        for waves, _ in groups.values():
            keys.extend(waves[level][0])
        documents = await context.documents.fetch_many(keys)
        deeper = _place(holes, documents, projected)
        still = {}
        for group, (waves, members) in groups.items():
            wave_keys, wave_documents = waves[level]
            if all(map(is_, map(loaded.__getitem__, wave_keys), wave_documents)):
                if level + 1 < len(waves):
                    still[group] = (waves, members)
                continue
            # A document they read changed: project them afresh; what they reference down to this level is loaded.
            assert memo is not None
            for container, entries in members:
                for slot, document, template in entries:
                    own: list[_Hole] = []
                    container[slot] = _project(document, template.fields, own)
                    memo.to_encode.append(((container, slot), document, template.fields))
                    while own and all(key in loaded for hole in own for key in hole.keys):
                        own = _place(own, [loaded[key] for hole in own for key in hole.keys], projected)
                    deeper.extend(own)
        holes, groups = deeper, still
        level += 1


def _place(
    holes: list[_Hole], documents: list[dict[str, Any] | None], projected: dict[tuple[int, int], dict[str, Any]]
) -> list[_Hole]:
    """Fill one level's holes with their loaded `documents` (in the order of their keys); the holes of the
    next level."""
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
    return deeper


def _remember_encoded(memo: _Memo, loaded: dict[DocumentKey, dict[str, Any] | None]) -> None:
    """Encode the items projected afresh, now filled, and remember the bytes on their documents with the
    documents their references read (when each of those remembers its own references to walk)."""
    shared: dict[tuple[Any, ...], tuple[Wave, ...]] = {}
    for (container, slot), document, fields in memo.to_encode:
        templates = document.get(PROJECTIONS_KEY)  # None once no longer kept
        template = templates.get(id(fields)) if templates is not None else None
        if template is None or template.fields is not fields or template.output is None:
            continue
        waves = _waves_of(template, loaded)
        if waves is None:
            continue
        identity = tuple((keys, tuple(map(id, documents))) for keys, documents in waves)
        raw = _encode(container[slot])
        decoded_documents.generation += 1
        template.encoded = _Encoded(msgspec.Raw(raw), shared.setdefault(identity, waves))
        decoded_documents.charge(len(raw) - template.charged)
        template.charged = len(raw)


def _waves_of(template: _Template, loaded: dict[DocumentKey, dict[str, Any] | None]) -> tuple[Wave, ...] | None:
    """The documents a projection's references read, level by level, as this request loaded them; None
    when one of them has no template to tell what it references in turn."""
    waves: list[Wave] = []
    level = [template]
    while level:
        keys: list[DocumentKey] = []
        documents: list[dict[str, Any] | None] = []
        deeper: list[_Template] = []
        for each in level:
            for plan, references in each.references:
                for key in references:
                    if key not in loaded:
                        return None
                    document = loaded[key]
                    keys.append(key)
                    documents.append(document)
                    if document is not None:
                        templates = document.get(PROJECTIONS_KEY)
                        below = templates.get(id(plan.fields)) if templates is not None else None
                        if below is None or below.fields is not plan.fields or below.output is None:
                            return None
                        deeper.append(below)
        if keys:
            waves.append((tuple(keys), tuple(documents)))
        level = deeper
    return tuple(waves)


_encode = msgspec.json.Encoder().encode


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
