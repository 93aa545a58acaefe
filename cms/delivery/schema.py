"""Generate the GraphQL schema of one channel from the content model: only what that channel sees."""

from __future__ import annotations

import inspect
import operator
from collections.abc import Awaitable, Iterator, Sequence
from typing import Any, overload

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types.nodes import SelectedField, Selection

from cms.delivery.context import LOCALE_KEY, PROJECTIONS_KEY, DeliveryContext
from cms.delivery.filters import (
    FilterError,
    SortKey,
    not_null_in,
    order_clause,
    sort_keys_from,
    stored_columns,
    where_conditions,
)
from cms.delivery.indexes import refresh_columns
from cms.delivery.locale import UnknownLocaleError, choose_locale, locale_member
from cms.delivery.queries import Page, fetch_by_key, fetch_page, fetch_where
from cms.delivery.scalars import SCALAR_MAP, CursorScalar
from cms.delivery.search_field import SearchFields, is_searchable, search_type_check
from cms.delivery.sql import Condition, JsonDialect
from cms.delivery.stock_field import InventoryTypes, shows_inventory
from cms.delivery.sync_field import sync_field, sync_scalars
from cms.delivery.types import (
    FILTERS,
    SCALAR_ANNOTATIONS,
    FocalPoint,
    ImageFormat,
    Namespace,
    PageInfo,
    SortDirection,
    list_of,
    optional,
)
from cms.delivery.variants import (
    OPTIONS_WHERE,
    SELECTED_VARIANT,
    VARIANT_CODES,
    VariantTypes,
    option_conditions,
    select_variant,
    variant_code_condition,
)
from cms.lib.cursors import decode_cursor, encode_cursor, page_size
from cms.lib.graphql_schema import QuietSchema, standard_extensions
from cms.lib.query_cost import PAGE_SIZE_LIMIT
from cms.lib.query_limits import Limits
from cms.model.definitions import Channel, ContentModel, ContentType, FieldDef
from cms.model.names import camel_case, enum_member, pascal_case
from graphql import GraphQLError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
ORDERS_KEPT = 256
"""Most ORDER BY clauses remembered per content type (sort keys beyond are built per request)."""
UNDEFINED_COLUMN = "42703"
"""PostgreSQL's SQLSTATE for a column that does not exist."""
_ID = operator.itemgetter("id")


def _names_a_missing_column(error: Exception) -> bool:
    """PostgreSQL's undefined column, or SQLite's "no such column"."""
    return getattr(error, "sqlstate", None) == UNDEFINED_COLUMN or "no such column" in str(error)


def read_document_value(source: Any, name: str) -> Any:
    """Default resolver: stored documents are dicts keyed by GraphQL field name."""
    return source.get(name) if isinstance(source, dict) else getattr(source, name)


TOTAL_SELECTED = "total_selected"
"""The attribute by which the fast path's stand-in for `strawberry.Info` (cms.delivery.fast.run) tells a list's
resolver whether its connection's `totalCount` is selected (from its plan: fragments, aliases, @skip and
@include already applied)."""


def selects_total(info: Any) -> bool:
    """Whether the list field being resolved selects `totalCount` on its connection, directly, under an alias or
    through fragments (inline or named). Read from Strawberry's `info.selected_fields`, where @skip and @include
    are not applied: a field they leave out is still counted (a count too many, never one missing)."""
    known = getattr(info, TOTAL_SELECTED, None)
    if known is not None:
        return bool(known)
    return any(_names_total(field.selections) for field in info.selected_fields)


def _names_total(selections: list[Selection]) -> bool:
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == "totalCount":
                return True
        elif _names_total(selection.selections):  # a fragment on the connection (its only type)
            return True
    return False


def build_channel_schema(model: ContentModel, channel_name: str) -> strawberry.Schema:
    return _ChannelSchemaBuilder(model, channel_name).build()


def _label(labels: dict[str, str], help_text: dict[str, str] | None = None) -> str | None:
    parts = [labels.get("en"), (help_text or {}).get("en")]
    return ". ".join(part.rstrip(".") for part in parts if part) or None


class _ChannelSchemaBuilder:
    def __init__(self, model: ContentModel, channel_name: str) -> None:
        self.model = model
        self.channel = model.channels[channel_name]
        self.types = {t.name: t for t in model.channel_types(channel_name)}
        self.ns = Namespace(channel_name)
        self.locale = locale_enum(self.ns, self.channel)
        self.rich_text = self._rich_text_type()
        self.image = self._image_type()
        self.inventory = (
            InventoryTypes(model, self.channel, self.ns)
            if any(shows_inventory(self.channel, t) for t in self.types.values())
            else None
        )
        self.variant_types: dict[str, VariantTypes] = {}

    def build(self) -> strawberry.Schema:
        query_fields: dict[str, Any] = {}
        object_types: dict[str, Any] = {}
        for content_type in self.types.values():
            object_types[content_type.name] = self._object_type(content_type)
            query_fields[camel_case(content_type.name)] = self._single_field(content_type)
            query_fields[camel_case(content_type.plural)] = self._list_field(content_type)
        sync = sync_scalars(self.channel.name)  # the channel's sync feed (cms.events.sync)
        query_fields["sync"] = sync_field(self.ns, self.channel.name, sync.cursor, self.locale, list(self.types))
        # `search` and `searchSuggest` where the channel has searchable types (cms.search)
        query_fields |= SearchFields(self.model, self.channel, self.ns, object_types, self.locale).root_fields()
        query = self.ns.object_type("Query", {}, query_fields, f"Published content of the {self.channel.name} channel.")
        return QuietSchema(
            query=query,
            config=StrawberryConfig(
                auto_camel_case=False, default_resolver=read_document_value, scalar_map=SCALAR_MAP | sync.scalar_map
            ),
            extensions=standard_extensions(Limits(max_depth=12, max_fields=2000, max_aliases=30), 4000),
        )

    # -- object types -------------------------------------------------------------------------

    def _rich_text_type(self) -> Any:
        renderer = self.channel.rich_text
        annotations: dict[str, Any] = {
            "html": {"html": str, "blocks": SCALAR_ANNOTATIONS["json"]},
            "email": {"html": str, "text": str},
            "text": {"text": str},
        }[renderer]
        description = {
            "html": "Rich text as HTML and as structured blocks.",
            "email": "Rich text as email-safe HTML (inline styles) and as the plain-text part.",
            "text": "Rich text rendered as plain text.",
        }[renderer]
        return self.ns.object_type("RichText", annotations, {}, description)

    def _image_type(self) -> Any:
        """`Image` with this channel's presets only: `url(preset, format)`, `srcset(format)`, metadata."""
        presets = self.channel.images
        annotations: dict[str, Any] = {
            "id": strawberry.ID,
            "width": int,
            "height": int,
            "alt": str | None,
            "blurhash": str | None,
            "dominantColor": str | None,
            "focalPoint": FocalPoint,
        }
        attributes: dict[str, Any] = {"focalPoint": strawberry.field(resolver=_focal_point)}
        if presets:
            preset_enum = self.ns.enum_type(
                "ImagePreset", {name.upper(): name for name in presets}, "This channel's image sizes."
            )
            first = next(iter(presets))
            attributes["url"] = strawberry.field(
                resolver=self.ns.resolver(
                    _image_url,
                    "image_url",
                    [
                        ("preset", preset_enum, getattr(preset_enum, first.upper())),
                        ("format", optional(ImageFormat), None),
                    ],
                    "Optional[str]",
                    with_root=True,
                ),
                description="URL of a rendition: the preset's first format unless `format` names another.",
            )
            attributes["srcset"] = strawberry.field(
                resolver=self.ns.resolver(
                    _image_srcset, "image_srcset", [("format", optional(ImageFormat), None)], "str", with_root=True
                ),
                description="`url width` pairs of this channel's presets in one format, for <img srcset>.",
            )
        return self.ns.object_type("Image", annotations, attributes, "An image with renditions for this channel.")

    def _object_type(self, content_type: ContentType) -> Any:
        annotations: dict[str, Any] = {"id": strawberry.ID}
        attributes: dict[str, Any] = {}
        for field in content_type.fields:
            if not field.visible_on(self.channel.name):
                continue
            name = camel_case(field.name)
            description = _label(field.label, field.help)
            if field.kind in ("reference", "references"):
                if field.to in self.types:
                    attributes[name] = strawberry.field(
                        resolver=self._reference_resolver(content_type, field), description=description
                    )
                continue
            if field.kind == "variants":
                inventory = (
                    self.inventory.field(content_type, variant=True)
                    if self.inventory is not None and shows_inventory(self.channel, content_type)
                    else None
                )
                money = SCALAR_ANNOTATIONS["money"]
                variants = VariantTypes(self.ns, content_type, field, self.image, money, inventory)
                self.variant_types[content_type.name] = variants
                annotations[name] = list_of(variants.variant)
                attributes[name] = strawberry.field(description=description)
                more_annotations, more_attributes = variants.fields()
                annotations |= more_annotations
                attributes |= more_attributes
                continue
            annotations[name] = self._annotation(content_type, field)
            attributes[name] = strawberry.field(description=description)
        if self.inventory is not None and shows_inventory(self.channel, content_type):
            attributes["inventory"] = self.inventory.field(content_type)  # stock, read per request
        if is_searchable(self.model, self.channel, content_type):
            attributes["is_type_of"] = search_type_check(pascal_case(content_type.name))  # the SearchResult union
        return self.ns.object_type(
            pascal_case(content_type.name),
            annotations,
            attributes,
            _label(content_type.label, content_type.description),
        )

    def _annotation(self, owner: ContentType, field: FieldDef, prefix: str = "") -> Any:
        type_prefix = prefix or pascal_case(owner.name)
        if field.kind == "rich_text":
            return self.rich_text | None
        if field.kind == "assets":
            return list_of(self.image)
        if field.kind == "asset":
            return optional(self.image)
        if field.kind == "enum":
            return self._enum(owner, field) | None
        if field.kind == "object":
            nested_name = type_prefix + pascal_case(field.name)
            nested = self.ns.object_type(
                nested_name,
                {camel_case(sub.name): self._annotation(owner, sub, nested_name) for sub in field.fields},
                {
                    camel_case(sub.name): strawberry.field(description=_label(sub.label, sub.help))
                    for sub in field.fields
                },
                _label(field.label),
            )
            return list_of(nested) if field.repeatable else optional(nested)
        return SCALAR_ANNOTATIONS[field.kind] | None

    def _enum(self, owner: ContentType, field: FieldDef) -> Any:
        name = pascal_case(owner.name) + pascal_case(field.name)
        existing = getattr(self.ns.module, name, None)
        if existing is not None:
            return existing
        return self.ns.enum_type(name, {enum_member(v): enum_member(v) for v in field.values}, _label(field.label))

    def _reference_resolver(self, owner: ContentType, field: FieldDef) -> Any:
        name = camel_case(field.name)
        target = pascal_case(field.to or "")

        async def resolve(root: dict[str, Any], info: strawberry.Info) -> Any:
            loader = info.context.documents
            locale = root[LOCALE_KEY]
            if field.kind == "reference":
                return None if root.get(name) is None else await loader.load((root[name], locale))
            documents = await loader.load_many([(entry_id, locale) for entry_id in root.get(name) or []])
            return [document for document in documents if document is not None]

        returns = f"Optional[{target}]" if field.kind == "reference" else f"list[{target}]"
        return self.ns.resolver(resolve, f"resolve_{owner.name}_{field.name}", [], returns, with_root=True)

    # -- root fields --------------------------------------------------------------------------

    def _single_field(self, content_type: ContentType) -> Any:
        unique = {camel_case(f.name): f for f in content_type.fields if f.unique and f.visible_on(self.channel.name)}
        type_name = pascal_case(content_type.name)
        variants = self.variant_types.get(content_type.name)
        by = self._lookup_type(content_type, unique, variants is not None)

        async def resolve(info: strawberry.Info, by: Any, locale: Any = None) -> Any:
            # `by` is a @oneOf input: validation lets through exactly one key, never null.
            ((key, value),) = ((k, v) for k, v in vars(by).items() if v is not None and v is not strawberry.UNSET)
            context: DeliveryContext = info.context
            chosen = _locale(context, locale)
            if variants is not None and key in VARIANT_CODES:
                return await self._by_variant_code(context, content_type, variants, unique, chosen, key, value)
            field = unique.get(key)
            if field is None:
                expression, value = "entry", str(value)
            elif field.kind == "slug":
                expression = "slug"
            elif field.kind == "integer":
                expression = f"CAST({context.dialect.text(key)} AS INTEGER)"
            else:
                expression = context.dialect.text(key)
            document = await fetch_by_key(
                context.stage, content_type.name, self.channel.name, chosen, expression, value
            )
            if document is None:
                return None
            context.served.add(document["id"])
            return document

        arguments = [("by", by, inspect.Parameter.empty), ("locale", optional(self.locale), None)]
        label = content_type.label.get("en", content_type.name).lower()
        description = f"One {label} by id or unique field; null when not published on this channel."
        return strawberry.field(
            resolver=self.ns.resolver(
                resolve, camel_case(content_type.name), arguments, f"Optional[{type_name}]", with_root=False
            ),
            description=description,
        )

    async def _by_variant_code(
        self,
        context: DeliveryContext,
        content_type: ContentType,
        variants: VariantTypes,
        unique: dict[str, FieldDef],
        locale: str,
        code: str,
        value: str,
    ) -> Any:
        """The entry whose own SKU/GTIN (a unique field) or one of whose variants' is `value`, with that variant
        as `selectedVariant` (a copy: documents are shared between requests)."""
        stage, channel = context.stage, self.channel.name
        document = None
        if code in unique:
            document = await fetch_by_key(stage, content_type.name, channel, locale, context.dialect.text(code), value)
        if document is None:
            condition = variant_code_condition(context.dialect, variants.field, code, value)
            document = await fetch_where(stage, content_type.name, channel, locale, condition)
        if document is None:
            return None
        context.served.add(document["id"])
        # A copy without the kept document's remembered outputs (cms.delivery.fast.run): those were projected
        # without this selected variant, and the next scan selects another.
        selected = select_variant(document, variants.field, code, value)
        return {**document, SELECTED_VARIANT: selected, PROJECTIONS_KEY: None}

    def _lookup_type(self, content_type: ContentType, unique: dict[str, FieldDef], has_variants: bool) -> Any:
        """`<Type>By`, a @oneOf input: the id or one unique field (validation refuses none, two, or null), and
        a variant's SKU or GTIN on a type with variants."""
        keys: dict[str, Any] = {"id": strawberry.ID | None}
        keys |= {name: (int if f.kind == "integer" else str) | None for name, f in unique.items()}
        if has_variants:
            keys |= {code: str | None for code in VARIANT_CODES if code not in keys}
        name = f"{pascal_case(content_type.name)}By"
        cls = type(name, (), {"__annotations__": keys, "__module__": self.ns.module.__name__})
        for key in keys:
            setattr(cls, key, strawberry.UNSET)
        return self.ns.add(name, strawberry.input(cls, one_of=True, description=f"Exactly one of: {', '.join(keys)}."))

    def _list_field(self, content_type: ContentType) -> Any:
        type_name = pascal_case(content_type.name)
        connection = self._connection_type(type_name)
        where = self._where_type(content_type)
        order_by = self._order_type(content_type)

        orders: dict[tuple[frozenset[str] | None, tuple[SortKey, ...], frozenset[str]], str] = {}
        """ORDER BY clauses by the value columns an order may name, sort keys and expressions the conditions
        leave no NULL in (`not_null_in`): the same few serve every request."""

        async def resolve(info: strawberry.Info, **arguments: Any) -> Any:
            counted = selects_total(info)
            return await self._list(info.context, content_type, connection, orders, counted, **arguments)

        arguments: list[tuple[str, Any, Any]] = [
            ("first", int, DEFAULT_PAGE_SIZE),
            ("after", CursorScalar | None, None),
        ]
        if where is not None:
            arguments.append(("where", where | None, None))
        if order_by is not None:
            arguments.append(("orderBy", optional(list_of(order_by)), None))
        arguments.append(("locale", optional(self.locale), None))
        return strawberry.field(
            resolver=self.ns.resolver(resolve, camel_case(content_type.plural), arguments, connection, with_root=False),
            description=(
                f"Published {content_type.plural.replace('_', ' ')}: paginated, filtered and sorted."
                f" `first`: 0 to {MAX_PAGE_SIZE} (more is served as {MAX_PAGE_SIZE}, less than 0 as 0)."
            ),
            metadata={PAGE_SIZE_LIMIT: MAX_PAGE_SIZE},
        )

    async def _list(
        self,
        context: DeliveryContext,
        content_type: ContentType,
        connection: Any,
        orders: dict[tuple[frozenset[str] | None, tuple[SortKey, ...], frozenset[str]], str],
        counted: bool,
        *,
        first: int,
        after: str | None,
        locale: str | None,
        where: Any = None,
        orderBy: Any = None,
    ) -> Any:
        first = page_size(first, MAX_PAGE_SIZE)
        offset = decode_cursor(after) + 1 if after else 0
        chosen = _locale(context, locale)
        dialect = context.dialect
        try:
            conditions, order, columns = self._conditions_and_order(dialect, content_type, where, orderBy, orders)
        except FilterError as error:
            raise GraphQLError(str(error)) from None
        documents = context.documents
        also = documents.take_expected(chosen) if documents.expected else None

        def read(conditions: list[Condition], order: str) -> Awaitable[Page]:
            where_read = (context.stage, content_type.name, self.channel.name, chosen)
            return fetch_page(*where_read, conditions, order, first, offset, also, counted)

        try:
            page = await read(conditions, order)
        except Exception as error:
            if not columns or not _names_a_missing_column(error):
                raise
            # Another process dropped a value column this one names (a deploy of another model): filter and
            # order on what the table has now (the expression where the column is gone).
            await refresh_columns()
            conditions, order, _ = self._conditions_and_order(dialect, content_type, where, orderBy, orders)
            page = await read(conditions, order)
        if page.also:
            documents.read_ahead(chosen, page.also)
        nodes = page.documents
        context.served.update(map(_ID, nodes))
        if nodes:
            page_info = PageInfo(
                hasNextPage=offset + len(nodes) < page.total,
                hasPreviousPage=offset > 0,
                startCursor=encode_cursor(offset),
                endCursor=encode_cursor(offset + len(nodes) - 1),
            )
        else:
            page_info = PageInfo(
                hasNextPage=offset < page.total, hasPreviousPage=offset > 0, startCursor=None, endCursor=None
            )
        # Without `counted`, page.total only tells whether more follow: None where nothing reads it (a missed
        # selection would be an error for the non-null field, never a wrong number).
        total = page.total if counted else None
        return connection(edges=_Edges(nodes, offset), nodes=nodes, pageInfo=page_info, totalCount=total)

    def _conditions_and_order(
        self,
        dialect: JsonDialect,
        content_type: ContentType,
        where: Any,
        order_by: Any,
        orders: dict[tuple[frozenset[str] | None, tuple[SortKey, ...], frozenset[str]], str],
    ) -> tuple[list[Condition], str, frozenset[str]]:
        """The conditions and the order of a list, naming the value columns the table has (cms.delivery.indexes)."""
        conditions = [] if where is None else where_conditions(dialect, content_type, where)
        variants = self.variant_types.get(content_type.name)
        if where is not None and variants is not None:
            conditions += option_conditions(dialect, content_type, variants.field, where)
        columns = stored_columns()
        sort_keys = (columns, tuple(sort_keys_from(order_by)) if order_by else (), not_null_in(conditions))
        order = orders.get(sort_keys)
        if order is None:
            order = order_clause(dialect, content_type, list(sort_keys[1]), sort_keys[2])
            if len(orders) < ORDERS_KEPT:
                orders[sort_keys] = order
        return conditions, order, columns

    def _connection_type(self, type_name: str) -> Any:
        edge = self.ns.object_type(
            f"{type_name}Edge", {"cursor": str, "node": type_name}, {}, f"A {type_name} in a connection."
        )
        return self.ns.object_type(
            f"{type_name}Connection",
            {"edges": list_of(edge), "nodes": f"list[{type_name}]", "pageInfo": PageInfo, "totalCount": int},
            {},
            f"A page of {type_name} entries with the total number of matches.",
        )

    def _where_type(self, content_type: ContentType) -> Any:
        annotations: dict[str, Any] = {"id": FILTERS["reference"] | None}
        for field in content_type.fields:
            if not field.filterable or not field.visible_on(self.channel.name):
                continue
            if field.kind in ("reference", "references") and field.to not in self.types:
                continue
            annotations[camel_case(field.name)] = self._filter_for(content_type, field) | None
        variants = self.variant_types.get(content_type.name)
        if variants is not None:
            annotations[OPTIONS_WHERE] = optional(variants.options_where)
        return self.ns.input_type(
            f"{pascal_case(content_type.name)}Where", annotations, "Conditions that must all hold."
        )

    def _filter_for(self, content_type: ContentType, field: FieldDef) -> Any:
        if field.kind != "enum":
            return FILTERS[field.kind]
        enum_type = self._enum(content_type, field)
        name = f"{pascal_case(content_type.name)}{pascal_case(field.name)}Filter"
        return self.ns.input_type(
            name, {"eq": optional(enum_type), "in_": optional(list_of(enum_type))}, f"Match on {field.name}."
        )

    def _order_type(self, content_type: ContentType) -> Any:
        sortable = [f for f in content_type.fields if f.sortable and f.visible_on(self.channel.name)]
        if not sortable:
            return None
        type_name = pascal_case(content_type.name)
        fields = self.ns.enum_type(f"{type_name}SortField", {enum_member(f.name): f.name for f in sortable})
        return self.ns.input_type(
            f"{type_name}OrderBy",
            {"field": fields, "direction": SortDirection},
            "A sort key.",
            defaults={"field": ..., "direction": SortDirection.ASC},
        )


def _focal_point(root: dict[str, Any]) -> FocalPoint:
    return FocalPoint(x=root["focalPoint"]["x"], y=root["focalPoint"]["y"])


async def _image_url(root: dict[str, Any], info: strawberry.Info, preset: Any, format: Any = None) -> str | None:
    rendition = root["renditions"].get(preset.value, {})
    if format is None:
        return rendition.get("default")  # type: ignore[no-any-return]
    return rendition.get("urls", {}).get(format.value)  # type: ignore[no-any-return]


async def _image_srcset(root: dict[str, Any], info: strawberry.Info, format: Any = None) -> str:
    entries = []
    for rendition in sorted(root["renditions"].values(), key=lambda r: r["width"]):
        url = rendition["urls"].get(format.value) if format is not None else rendition.get("default")
        if url:
            entries.append(f"{url} {rendition['width']}w")
    return ", ".join(entries)


def locale_enum(ns: Namespace, channel: Channel) -> Any:
    """`Locale`: the channel's locales, so an unknown or empty locale fails validation (values: the codes)."""
    members = {locale_member(code): code for code in channel.locales}
    return ns.enum_type("Locale", members, f"A locale the {channel.name} channel serves.")


def _locale(context: DeliveryContext, argument: Any) -> str:
    try:
        return choose_locale(argument, context.header_locale, context.channel)
    except UnknownLocaleError as error:
        raise GraphQLError(str(error)) from None


class _Edges(Sequence[dict[str, Any]]):
    """The edges of a page, built when a query selects them (most ask for `nodes`)."""

    def __init__(self, nodes: list[Any], offset: int) -> None:
        self.nodes, self.offset = nodes, offset
        self._edges: list[dict[str, Any]] | None = None

    def _built(self) -> list[dict[str, Any]]:
        if self._edges is None:
            offset = self.offset
            self._edges = [{"cursor": encode_cursor(offset + i), "node": node} for i, node in enumerate(self.nodes)]
        return self._edges

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._built())

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | Sequence[dict[str, Any]]:
        return self._built()[index]
