"""The PostgreSQL index rows as written (executemany, cms.store.bulk): values, the weighted `tsvector` built by
the locale's configuration from unaccented text, and ids in the order of the rows given."""

from __future__ import annotations

import datetime as dt

import pytest
from piccolo.querystring import QueryString

from cms.search.backend import IndexRow
from cms.search.postgres import PostgresSearch
from cms.search.records import SearchRecord
from cms.store.database import get_engine, write_transaction

pytestmark = pytest.mark.postgres

START = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _row(entry: str, locale: str, language: str, texts: tuple[str, str, str]) -> IndexRow:
    record = SearchRecord(
        texts=texts, codes=("ABC123",), title=texts[0], facets=("price:25-50", "colour:red"), numbers={"price": 30.0}
    )
    return IndexRow(
        entry=entry,
        content_type="product",
        channel="web",
        locale=locale,
        language=language,
        valid_from=START,
        valid_until=None,
        record=record,
    )


async def _indexed() -> list[dict[str, object]]:
    rows = await get_engine().run_querystring(
        QueryString(
            "SELECT entry, locale, valid_from, valid_until, title, codes, facets::text AS facets,"
            " numbers::text AS numbers, document::text AS document FROM cms_search ORDER BY id"
        )
    )
    return [dict(row) for row in rows]


async def test_rows_are_written_in_order_with_their_weighted_unaccented_documents(clean_db) -> None:  # type: ignore[no-untyped-def]
    # Given two rows, French then English, with accents and a text for each weight
    rows = [
        _row("e2", "fr", "french", ("Crème brûlée", "Dessert glacé", "Recette")),
        _row("e1", "en", "english", ("Scented candles", "Lavender", "")),
    ]
    # When the index replaces the entries' rows with them (twice: the second replaces the first)
    for _ in range(2):
        async with write_transaction():
            await PostgresSearch().replace(["e1", "e2"], rows)
    # Then each is stored once, in the order given, with its values and the locale's stemming of unaccented text
    assert await _indexed() == [
        {
            "entry": "e2",
            "locale": "fr",
            "valid_from": START,
            "valid_until": None,
            "title": "Crème brûlée",
            "codes": ["ABC123"],
            "facets": '["price:25-50", "colour:red"]',
            "numbers": '{"price": 30.0}',
            "document": "'brule':2A 'crem':1A 'dessert':3B 'glac':4B 'recet':5C",
        },
        {
            "entry": "e1",
            "locale": "en",
            "valid_from": START,
            "valid_until": None,
            "title": "Scented candles",
            "codes": ["ABC123"],
            "facets": '["price:25-50", "colour:red"]',
            "numbers": '{"price": 30.0}',
            "document": "'candl':2A 'lavend':3B 'scent':1A",
        },
    ]
    async with write_transaction():
        words = await get_engine().run_querystring(QueryString("SELECT word FROM cms_search_word ORDER BY word"))
    assert {"brule", "candl", "lavend", "recet"} <= {row["word"] for row in words}
