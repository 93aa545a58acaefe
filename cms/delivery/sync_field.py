"""`sync(cursor, locale, types, first)` on every channel's delivery schema: the sync feed (cms.events.sync).

It serves live documents only, preview token or not: a feed mixing drafts into what a consumer mirrors
would have to be unlearned later. Its types are the same in every channel's schema.
"""

from __future__ import annotations

from typing import Any, NamedTuple, NewType

import msgspec
import strawberry
from strawberry.types.scalar import ScalarDefinition

from cms.delivery.context import DeliveryContext
from cms.delivery.scalars import JSONScalar
from cms.delivery.types import Namespace, list_of, optional
from cms.events.sync import DEFAULT_FIRST, MAX_FIRST, StaleSyncCursorError, SyncError, SyncPage, SyncQuery, sync
from cms.events.sync_cursor import check_cursor_channel, decode_sync_cursor
from cms.lib.cursors import page_size
from cms.lib.query_cost import PAGE_SIZE_LIMIT
from graphql import GraphQLError

_decode = msgspec.json.decode


@strawberry.type(name="SyncItem", description="A document the channel serves now, in its delivery shape.")
class SyncItemType:
    id: strawberry.ID
    type: str = strawberry.field(description="The entry's content type, as named in the model (`product`).")
    locale: str
    version: int = strawberry.field(description="The published version the document was built from.")
    document: JSONScalar = strawberry.field(description="The document as this channel's type returns it.")


@strawberry.type(name="SyncRemoval", description="An entry the channel no longer serves (in the locale asked).")
class SyncRemovalType:
    id: strawberry.ID
    type: str


@strawberry.type(name="SyncPage", description="Documents upserted and entries removed since the cursor.")
class SyncPageType:
    items: list[SyncItemType]
    removed: list[SyncRemovalType]
    nextCursor: str = strawberry.field(description="Where to go on from: send it as `cursor` next time.")
    hasMore: bool = strawberry.field(description="More is waiting now; false: up to date, call again later.")


async def resolve_sync(
    info: strawberry.Info,
    cursor: str | None = None,
    locale: Any = None,
    types: list[Any] | None = None,
    first: int = DEFAULT_FIRST,
) -> SyncPageType:
    """`cursor`: already checked by the channel's `SyncCursor` scalar; `locale` and `types`: members of the
    channel's `Locale` and `SyncType` enums (their values are the codes and type names), or None."""
    context: DeliveryContext = info.context
    code = None if locale is None else str(locale.value)
    names = None if types is None else tuple(str(member.value) for member in types)
    first = page_size(first, MAX_FIRST, minimum=1)
    try:
        page = await sync(context.model, SyncQuery(context.channel.name, cursor, code, names, first))
    except StaleSyncCursorError as error:
        # The one refusal left at run time: it depends on the change log, not on the request (a business rule).
        raise GraphQLError(str(error), extensions={"code": error.code}) from None
    except SyncError as error:  # the schema's types refuse everything else before this runs
        raise GraphQLError(str(error)) from None
    context.served.update(item.id for item in page.items)
    context.served.update(removal.id for removal in page.removed)
    return _page_type(page)


def _page_type(page: SyncPage) -> SyncPageType:
    items = [
        SyncItemType(
            id=strawberry.ID(item.id),
            type=item.type,
            locale=item.locale,
            version=item.version,
            document=JSONScalar(_decode(item.document)),
        )
        for item in page.items
    ]
    removed = [SyncRemovalType(id=strawberry.ID(removal.id), type=removal.type) for removal in page.removed]
    return SyncPageType(items=items, removed=removed, nextCursor=page.next_cursor, hasMore=page.has_more)


class SyncScalars(NamedTuple):
    """The channel's `SyncCursor`: the annotation `sync` uses, and its entry for the schema's scalar map."""

    cursor: Any
    scalar_map: dict[object, ScalarDefinition]


def sync_scalars(channel: str) -> SyncScalars:
    """`SyncCursor`: a cursor this channel's feed returned, so that any other text fails validation."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"`cursor` must be a cursor returned by this sync feed (a string), got {value!r}")
        check_cursor_channel(decode_sync_cursor(value), channel)  # SyncError, a ValueError, names what is wrong
        return value

    # A NewType per channel: each schema's scalar map gives it that channel's `SyncCursor`.
    annotation = NewType("annotation", str)
    definition = strawberry.scalar(
        name="SyncCursor",
        description=(
            f"A position in the {channel} channel's sync feed, as `SyncPage.nextCursor` gave it: opaque; any other"
            " text, or a cursor of another channel, fails validation."
        ),
        serialize=str,
        parse_value=parse,
    )
    return SyncScalars(annotation, {annotation: definition})


def sync_type_enum(ns: Namespace, type_names: list[str], channel: str) -> Any:
    """`SyncType`: the content types the channel serves, named as the model does (`product`), as `types` takes them."""
    return ns.enum_type(
        "SyncType", {name: name for name in type_names}, f"A content type the {channel} channel serves."
    )


def sync_field(ns: Namespace, channel: str, cursor_type: Any, locale_type: Any, type_names: list[str]) -> Any:
    """The root field, the same on every channel but for its channel's `Locale`, `SyncType` and `SyncCursor`."""
    arguments: list[tuple[str, Any, Any]] = [
        ("cursor", optional(cursor_type), None),
        ("locale", optional(locale_type), None),
        ("types", optional(list_of(sync_type_enum(ns, type_names, channel))), None),
        ("first", int, DEFAULT_FIRST),
    ]

    async def resolve(info: strawberry.Info, **arguments: Any) -> SyncPageType:
        return await resolve_sync(info, **arguments)

    return strawberry.field(
        resolver=ns.resolver(resolve, "sync", arguments, SyncPageType, with_root=False),
        metadata={PAGE_SIZE_LIMIT: MAX_FIRST},
        description=(
            "The sync feed: without `cursor`, every published document of this channel, page by page; then,"
            " from the `nextCursor` it returned, the documents upserted and the entries removed since."
            " `locale` and `types` filter it; left out with a cursor, they are the cursor's own (a cursor is a"
            " position in the channel's change log: other filters apply from there on, with no backlog)."
            f" `first`: 1 to {MAX_FIRST} documents a page (whole changes: an answer may hold more; a `first` outside"
            " is served as the nearest bound)."
        ),
    )
