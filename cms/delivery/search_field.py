"""`search` and `searchSuggest` on every channel with searchable types: the search index (cms.search) as
GraphQL, read like any list (delivery's reads, documents through the request's loader).

Results are one Relay connection over every searchable type of the channel, so a kiosk searching
"bougie" gets the candles and the tutorial that lights them in one ranked list: `node` is the union
`SearchResult` of those types (a union rather than an interface: the types share only `id`, and an
interface would add a field to every type of the schema). The union is what Strawberry executes: the
fast path answers None for abstract types, so `search` with `node` or `facets` always runs here.

Search serves live documents, preview token or not (the index holds what is published).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Annotated, Any, Union

import strawberry

from cms.delivery.context import DeliveryContext, DocumentsByEntryIdLoader
from cms.delivery.documents import decoded_documents
from cms.delivery.locale import UnknownLocaleError, choose_locale
from cms.delivery.queries import served_now
from cms.delivery.reads import read_tuples
from cms.delivery.scalars import CursorScalar
from cms.delivery.types import Namespace, PageInfo, list_of, optional
from cms.lib.cursors import decode_cursor, encode_cursor, page_size
from cms.lib.query_cost import PAGE_SIZE_LIMIT
from cms.model.definitions import Channel, ContentModel, ContentType
from cms.model.names import camel_case, pascal_case
from cms.search.backend import (
    MOST_CANDIDATES,
    TYPE_FACET,
    FacetCounts,
    Hit,
    SearchFilters,
    SearchRequest,
    search_backend,
)
from cms.search.highlight import Matcher, snippet
from cms.search.query import EmptyQueryError, QueryError, parse_query
from cms.search.reading import prepare_query, search_page
from cms.search.records import (
    bucket_bounds,
    facet_fields,
    field_text,
    option_axes,
    searchable_fields,
    searchable_types,
    type_member,
)
from cms.search.text import language_of
from graphql import GraphQLError

DEFAULT_FIRST, MAX_FIRST = 20, 50
MAX_SUGGESTIONS = 10
HIGHLIGHTS_KEPT = 3
RANGE_KINDS = frozenset({"money", "integer", "decimal"})
_WEIGHT_ORDER = {"A": 0, "exact": 1, "B": 2, "C": 3}


@strawberry.type(
    name="SearchHighlight", description="Where a result matched: the field, and a snippet with the matches marked."
)
class SearchHighlightType:
    field: str = strawberry.field(description="The field's GraphQL name (`name`, `summary`).")
    snippet: str = strawberry.field(
        description="Text around the first match, matches as `<mark>…</mark>` (HTML channels) or `«…»` (plain text)."
    )


@strawberry.type(name="SearchFacetValue", description="One value of a facet and how many results have it.")
class SearchFacetValueType:
    value: str = strawberry.field(description="What to send back in `where` (a range facet's bucket: `25-50`).")
    count: int
    label: str | None = strawberry.field(default=None, description="A name to show (a category's, a type's).")
    min: float | None = strawberry.field(default=None, description="A range bucket's lower bound (included).")
    max: float | None = strawberry.field(default=None, description="A range bucket's upper bound (excluded).")


@strawberry.type(name="SearchFacet", description="Counts of a facet's values among the results.")
class SearchFacetType:
    field: str = strawberry.field(description="`type`, or the field's GraphQL name.")
    values: list[SearchFacetValueType]


@strawberry.input(name="SearchRange", description="A range of a numeric facet: at least `gte`, below `lt`.")
class SearchRangeInput:
    gte: float | None = None
    lt: float | None = None


@strawberry.type(name="SearchSuggestion", description="A completion of what is being typed: an entry's title.")
class SearchSuggestionType:
    text: str
    id: strawberry.ID
    type: str = strawberry.field(description="The entry's content type, as named in the model (`product`).")


class SearchNode(dict[str, Any]):
    """A result's document, tagged with its GraphQL type so the union knows which member it is (the fast
    path projects `document`, the stored one, by that member's selection: cms.delivery.fast.plan.CONCRETE_TYPE)."""

    __slots__ = ("document", "search_type")

    def __init__(self, document: dict[str, Any], search_type: str) -> None:
        super().__init__(document)
        self.document = document
        self.search_type = search_type


def search_type_check(type_name: str) -> Any:
    """`is_type_of` of a searchable object type: a search result says its type; any other document is one
    of the type it is read as (graphql-core asks for every object completed)."""

    def is_type_of(value: Any, info: Any) -> bool:
        return getattr(value, "search_type", type_name) == type_name

    return staticmethod(is_type_of)


def is_searchable(model: ContentModel, channel: Channel, content_type: ContentType) -> bool:
    return channel.exposes(content_type.name) and bool(searchable_fields(content_type, channel))


class SearchFields:
    """Builds the channel's search types and root fields into its schema's namespace."""

    def __init__(
        self, model: ContentModel, channel: Channel, ns: Namespace, object_types: dict[str, Any], locale_type: Any
    ) -> None:
        """`locale_type`: the channel's `Locale` enum (cms.delivery.schema.locale_enum)."""
        self.model, self.channel, self.ns, self.locale_type = model, channel, ns, locale_type
        self.types = {t.name: t for t in searchable_types(model, channel)}
        self.object_types = {name: object_types[name] for name in self.types}
        self.facets = {name: f for name, f in facet_fields(model, channel).items() if name != "types"}
        self.mode = "text" if channel.rich_text == "text" else "html"
        self.highlighted = {
            name: [
                (camel_case(field.name), field)
                for field in sorted(searchable_fields(t, channel), key=lambda f: _WEIGHT_ORDER[f.search or "C"])
            ]
            for name, t in self.types.items()
        }
        """By type: its searchable fields (GraphQL name, definition), best weight first, as highlights go."""

    def root_fields(self) -> dict[str, Any]:
        """`search` and `searchSuggest`; none on a channel without searchable types."""
        if not self.types:
            return {}
        self.type_enum = self.ns.enum_type(
            "SearchType", {type_member(name): name for name in self.types}, "A content type search finds."
        )
        connection = self._connection_type()
        where = self._where_type()

        async def resolve(info: strawberry.Info, **arguments: Any) -> Any:
            return await self._search(info.context, connection, **arguments)

        arguments: list[tuple[str, Any, Any]] = [
            ("query", str, inspect.Parameter.empty),  # required
            ("locale", optional(self.locale_type), None),
            ("where", optional(where), None),
            ("first", int, DEFAULT_FIRST),
            ("after", CursorScalar | None, None),
        ]
        search = strawberry.field(
            resolver=self.ns.resolver(resolve, "search", arguments, connection, with_root=False),
            description=(
                "Published entries of this channel matching `query` (up to 200 characters), best first: French and"
                " English stemming, accents ignored, the last word as a prefix, one typo forgiven in words of five"
                " letters or more, an exact GTIN or SKU first; a query with no letter or digit finds nothing."
                f" `first`: 0 to {MAX_FIRST} (more is served as {MAX_FIRST}). At most {MOST_CANDIDATES} results, the"
                " most recently published matches (see `totalCount`)."
            ),
            metadata={PAGE_SIZE_LIMIT: MAX_FIRST},
        )

        async def resolve_suggestions(info: strawberry.Info, **arguments: Any) -> list[SearchSuggestionType]:
            return await self._suggest(info.context, arguments["prefix"], arguments["locale"], arguments["first"])

        suggestion_arguments: list[tuple[str, Any, Any]] = [
            ("prefix", str, inspect.Parameter.empty),
            ("locale", optional(self.locale_type), None),
            ("first", int, MAX_SUGGESTIONS),
        ]
        suggest = strawberry.field(
            resolver=self.ns.resolver(
                resolve_suggestions, "searchSuggest", suggestion_arguments, list[SearchSuggestionType], with_root=False
            ),
            description=(
                f"Up to {MAX_SUGGESTIONS} titles completing `prefix` (type-ahead), best first (`first` is served within"
                f" 0 to {MAX_SUGGESTIONS}); none for a prefix with no letter or digit."
            ),
        )
        return {"search": search, "searchSuggest": suggest}

    # -- types ------------------------------------------------------------------------------------

    def _connection_type(self) -> Any:
        members = tuple(self.object_types.values())
        union: Any = Annotated[
            Union[members],  # noqa: UP007 - a union built from a tuple of types made at run time
            strawberry.union("SearchResult", description="A content type this channel's search finds."),
        ]
        edge = self.ns.object_type(
            "SearchEdge",
            {"cursor": str, "score": float, "highlights": list_of(SearchHighlightType), "node": union},
            {
                "score": strawberry.field(description="Relevance: higher is better (comparable within one answer)."),
                "highlights": strawberry.field(description="The fields that matched, best weighted first (3 at most)."),
            },
            "A search result.",
        )

        async def resolve_facets(root: Any, info: strawberry.Info) -> list[SearchFacetType]:
            return await self._facets(root._search_state)

        facets = strawberry.field(
            resolver=self.ns.resolver(resolve_facets, "search_facets", [], list_of(SearchFacetType), with_root=True),
            description=(
                "Counts of each facet's values among the results (the query and `where`), each facet ignoring"
                " its own condition in `where` so its other values still show; counted, like `totalCount`, among"
                f" the {MOST_CANDIDATES} most recently published matches at most."
            ),
        )
        return self.ns.object_type(
            "SearchConnection",
            {"edges": list_of(edge), "pageInfo": PageInfo, "totalCount": int},
            {
                "facets": facets,
                "totalCount": strawberry.field(
                    description=(
                        f"How many results there are, counting at most {MOST_CANDIDATES}: a search ranks, counts and"
                        f" pages through the {MOST_CANDIDATES} most recently published entries matching its query and"
                        f" `where`, so a query matching more reports {MOST_CANDIDATES} (narrow it to see the others)."
                    )
                ),
            },
            "A page of search results, their total and facet counts.",
        )

    def _where_type(self) -> Any:
        annotations: dict[str, Any] = {"types": optional(list_of(self.type_enum))}
        for name, field in self.facets.items():
            annotations[name] = optional(SearchRangeInput if field.kind in RANGE_KINDS else list_of(str))
        return self.ns.input_type(
            "SearchWhere", annotations, "Conditions on results: their types, and values of facets (any one of)."
        )

    # -- resolvers --------------------------------------------------------------------------------

    async def _search(
        self,
        context: DeliveryContext,
        connection: Any,
        *,
        query: str,
        locale: Any,
        where: Any,
        first: int,
        after: str | None,
    ) -> Any:
        first = page_size(first, MAX_FIRST)
        offset = decode_cursor(after) + 1 if after else 0
        chosen = self._locale(context, locale)
        backend = search_backend()
        try:
            parsed = parse_query(query, language_of(chosen))  # typos: looked up by search_page when needed
        except EmptyQueryError:  # nothing to look for (a search box left blank): no results, not an error
            empty = connection(
                edges=[],
                pageInfo=PageInfo(hasNextPage=False, hasPreviousPage=offset > 0, startCursor=None, endCursor=None),
                totalCount=0,
            )
            empty._search_state = None
            return empty
        except QueryError as error:
            raise GraphQLError(f"`query`: {error}") from None
        request = SearchRequest(
            query=parsed,
            channel=self.channel.name,
            locale=chosen,
            at=served_now().params[0],  # the instant delivery's reads bind
            all_types=tuple(self.types),
            filters=self._filters(where),
            first=first,
            offset=offset,
        )
        page, request = await search_page(backend, read_tuples, request)
        loader = self._loader(context)
        documents = await self._documents(loader, page.hits, chosen)
        matcher = Matcher(request.query)  # with the typos search_page looked up
        edges = [
            {
                "cursor": encode_cursor(offset + index),
                "score": hit.score,
                "highlights": list(self._highlights(hit.content_type, document, matcher)),
                "node": SearchNode(document, pascal_case(hit.content_type)),
            }
            for index, (hit, document) in enumerate(zip(page.hits, documents, strict=True))
            if document is not None
        ]
        shown = len(page.hits)
        page_info = PageInfo(
            hasNextPage=offset + shown < page.total,
            hasPreviousPage=offset > 0,
            startCursor=encode_cursor(offset) if shown else None,
            endCursor=encode_cursor(offset + shown - 1) if shown else None,
        )
        edge_type = connection.__annotations__["edges"].__args__[0]
        result = connection(edges=[edge_type(**edge) for edge in edges], pageInfo=page_info, totalCount=page.total)
        result._search_state = (context, request, loader)
        return result

    async def _suggest(
        self, context: DeliveryContext, prefix: str, locale: Any, first: int
    ) -> list[SearchSuggestionType]:
        first = page_size(first, MAX_SUGGESTIONS)
        chosen = self._locale(context, locale)
        backend = search_backend()
        try:
            parsed = await prepare_query(backend, read_tuples, prefix, language_of(chosen))
        except EmptyQueryError:  # nothing typed yet: nothing to suggest
            return []
        except QueryError as error:
            raise GraphQLError(f"`prefix`: {error}") from None
        request = SearchRequest(
            query=parsed,
            channel=self.channel.name,
            locale=chosen,
            at=served_now().params[0],  # the instant delivery's reads bind
            all_types=tuple(self.types),
            filters=SearchFilters(types=()),
            first=first * 4,  # several entries share a title (a product in two windows, namesakes)
            titles_only=True,
        )
        found: dict[str, SearchSuggestionType] = {}
        for suggestion in await backend.suggest(read_tuples, request):
            key = suggestion.title.casefold()
            if suggestion.title and key not in found and len(found) < first:
                found[key] = SearchSuggestionType(
                    text=suggestion.title, id=strawberry.ID(suggestion.entry), type=suggestion.content_type
                )
        context.served.update(str(suggestion.id) for suggestion in found.values())
        return list(found.values())

    async def _facets(
        self, state: tuple[DeliveryContext, SearchRequest, DocumentsByEntryIdLoader] | None
    ) -> list[SearchFacetType]:
        if state is None:  # an empty query: no results to count
            return []
        _, request, loader = state
        counts = await search_backend().facet_counts(read_tuples, request)
        labels = await self._reference_labels(counts, loader, request.locale)
        facets = [self._type_facet(counts.get(TYPE_FACET, {}), request.locale)]
        for name, field in self.facets.items():
            values = counts.get(name, {})
            if field.kind in RANGE_KINDS:
                ordered = sorted(values.items(), key=lambda item: bucket_bounds(item[0])[0] or float("-inf"))
                facet_values = [
                    SearchFacetValueType(
                        value=value, count=count, min=bucket_bounds(value)[0], max=bucket_bounds(value)[1]
                    )
                    for value, count in ordered
                ]
            else:
                facet_values = [
                    SearchFacetValueType(value=value, count=count, label=labels.get((name, value)))
                    for value, count in sorted(values.items(), key=lambda item: (-item[1], item[0]))
                ]
            facets.append(SearchFacetType(field=name, values=facet_values))
        return facets

    def _type_facet(self, counts: dict[str, int], locale: str) -> SearchFacetType:
        values = []
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            content_type = self.types.get(name)
            label = None if content_type is None else content_type.label.get(locale) or content_type.label.get("en")
            values.append(SearchFacetValueType(value=type_member(name), count=count, label=label))
        return SearchFacetType(field=TYPE_FACET, values=values)

    async def _reference_labels(
        self, counts: FacetCounts, loader: DocumentsByEntryIdLoader, locale: str
    ) -> dict[tuple[str, str], str]:
        """The titles of referenced entries counted in facets (a category's name), in one batch."""
        wanted: list[tuple[str, str, str]] = []
        for name, field in self.facets.items():
            target = self.model.types.get(field.to or "")
            if field.kind in ("reference", "references") and target is not None and target.title_field:
                wanted += [(name, value, camel_case(target.title_field)) for value in counts.get(name, {})]
        documents = await loader.load_many([(value, locale) for _, value, _ in wanted])
        labels = {
            (name, value): document[title]
            for (name, value, title), document in zip(wanted, documents, strict=True)
            if document is not None and isinstance(document.get(title), str)
        }
        return labels | self._option_labels(counts, locale)

    def _option_labels(self, counts: FacetCounts, locale: str) -> dict[tuple[str, str], str]:
        """Option values counted in facets with their label in the locale (`brass` -> `Laiton`)."""
        chain = self.model.fallback_chain(locale)
        labels: dict[tuple[str, str], str] = {}
        for name, axis in option_axes(self.model, self.channel).items():
            for value in counts.get(camel_case(name), {}):
                option = axis.value(value)
                label = next((option.label[code] for code in chain if option and option.label.get(code)), None)
                if label:
                    labels[(camel_case(name), value)] = label
        return labels

    # -- helpers ----------------------------------------------------------------------------------

    def _filters(self, where: Any) -> SearchFilters:
        if where is None:
            return SearchFilters(types=())
        types = tuple(member.value for member in where.types or ())
        facets: dict[str, tuple[str, ...]] = {}
        ranges: dict[str, tuple[float | None, float | None]] = {}
        for name, field in self.facets.items():
            value = getattr(where, name, None)
            if value is None:
                continue
            if field.kind in RANGE_KINDS:
                if value.gte is not None or value.lt is not None:
                    ranges[name] = (value.gte, value.lt)
            elif value:
                facets[name] = tuple(value)
        return SearchFilters(types=types, facets=facets, ranges=ranges)

    def _highlights(
        self, content_type: str, document: dict[str, Any], matcher: Matcher
    ) -> Iterator[SearchHighlightType]:
        shown = 0
        for name, field in self.highlighted[content_type]:
            marked = snippet(field_text(field, document.get(name)), matcher, self.mode)
            if marked is not None:
                yield SearchHighlightType(field=name, snippet=marked)
                shown += 1
                if shown == HIGHLIGHTS_KEPT:
                    return

    @staticmethod
    async def _documents(loader: DocumentsByEntryIdLoader, hits: list[Hit], locale: str) -> list[dict[str, Any] | None]:
        """The hits' documents: those kept decoded found by the hash read with the page (no query), the others
        loaded by entry id in one batch. Through the loader either way, so they are served and loaded once."""
        kept = decoded_documents.in_locale(locale).get
        loader.read_ahead(
            locale, {hit.entry: document for hit in hits if hit.doc_hash and (document := kept(hit.doc_hash))}
        )
        return await loader.fetch_many([(hit.entry, locale) for hit in hits])

    def _loader(self, context: DeliveryContext) -> DocumentsByEntryIdLoader:
        if context.stage == "live":
            return context.documents
        return DocumentsByEntryIdLoader("live", self.channel.name, context.served)

    def _locale(self, context: DeliveryContext, argument: Any) -> str:
        try:
            return choose_locale(argument, context.header_locale, self.channel)
        except UnknownLocaleError as error:
            raise GraphQLError(str(error)) from None
