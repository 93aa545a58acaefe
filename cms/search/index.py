"""Write the search index from live projection rows, in the transaction that writes them."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from cms.model.definitions import ContentModel
from cms.search.backend import IndexRow, search_backend
from cms.search.records import search_record
from cms.search.text import language_of
from cms.store.bulk import ProjectionRow
from cms.store.tables import Projection

_decode = msgspec.json.Decoder().decode


def index_rows(model: ContentModel, rows: Iterable[Projection | ProjectionRow]) -> list[IndexRow]:
    """The index rows of live projection rows: read from the stored documents, with the rows' windows."""
    found = []
    for row in rows:
        content_type = model.types.get(row.content_type)
        channel = model.channels.get(row.channel)
        if content_type is None or channel is None:
            continue
        record = search_record(content_type, channel, _decode(row.doc))
        if record is not None:
            found.append(
                IndexRow(
                    entry=row.entry,
                    content_type=row.content_type,
                    channel=row.channel,
                    locale=row.locale,
                    language=language_of(row.locale),
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                    record=record,
                )
            )
    return found


async def replace_in_index(
    model: ContentModel | None, entry_ids: list[str], rows: Iterable[Projection | ProjectionRow]
) -> None:
    """Make the index hold exactly `rows` for these entries (none: they are no longer served)."""
    await search_backend().replace(entry_ids, index_rows(model, rows) if model is not None else [])
