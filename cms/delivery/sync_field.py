"""`sync(cursor, locale, types, first)` on every channel's delivery schema: the sync feed (cms.events.sync).

It serves live documents only, preview token or not: a feed mixing drafts into what a consumer mirrors
would have to be unlearned later. Its types are the same in every channel's schema.
"""

from __future__ import annotations

from typing import Any

import msgspec
import strawberry

from cms.delivery.context import DeliveryContext
from cms.delivery.scalars import JSONScalar
from cms.delivery.types import Namespace, list_of, optional
from cms.events.sync import DEFAULT_FIRST, MAX_FIRST, SyncError, SyncPage, SyncQuery, sync
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
    types: list[str] | None = None,
    first: int = DEFAULT_FIRST,
) -> SyncPageType:
    """`locale`: a member of the channel's `Locale` enum (its value is the code), or None."""
    context: DeliveryContext = info.context
    code = None if locale is None else str(locale.value)
    first = page_size(first, MAX_FIRST, minimum=1)
    query = SyncQuery(context.channel.name, cursor, code, None if types is None else tuple(types), first)
    try:
        page = await sync(context.model, query)
    except SyncError as error:
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


def sync_field(ns: Namespace, locale_type: Any) -> Any:
    """The root field, the same on every channel but for its `locale`: the channel's `Locale` enum."""
    arguments: list[tuple[str, Any, Any]] = [
        ("cursor", str | None, None),
        ("locale", optional(locale_type), None),
        ("types", optional(list_of(str)), None),
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
            f" `first`: 1 to {MAX_FIRST} documents a page (whole changes: an answer may hold more; a `first` outside"
            " is served as the nearest bound)."
        ),
    )
