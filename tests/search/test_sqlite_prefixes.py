"""SQLite matches a prefix as the vocabulary's words starting with it: the same rows as FTS5's own prefix query."""

from __future__ import annotations

import pytest

from cms.delivery.reads import read_tuples
from cms.search.query import parse_query
from cms.search.sqlite import PREFIX_WORDS, match_expression
from tests import conftest

pytestmark = pytest.mark.skipif(bool(conftest.POSTGRES_URL), reason="FTS5 is SQLite's")


async def matched(expression: str, *params: str) -> set[int]:
    rows = await read_tuples(f"SELECT rowid FROM cms_search_text WHERE cms_search_text MATCH ({expression})", *params)
    return {row[0] for row in rows}


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("cand", "english"),
        ("candle", "english"),
        ("tea", "english"),
        ("pretty", "english"),
        ("bougi", "french"),
        ("ca", "english"),
        ("scented c", "english"),
    ],
)
async def test_a_prefix_matches_the_rows_fts5_prefix_query_matches(demo_db, typed: str, language: str) -> None:  # type: ignore[no-untyped-def]
    query = parse_query(typed, language)
    last = query.terms[-1]
    expression, params = match_expression(query, match_all=True)
    others = "".join(f'"{term.stem}" AND ' for term in query.terms[:-1])
    fts5 = f'{others}("{last.stem}" OR "{last.stem}"* OR "{last.word}"*)'
    expected = await matched("{}", fts5)
    assert expected, fts5  # the demo has words starting with each
    assert await matched(expression, *params) == expected


async def test_a_prefix_of_many_words_falls_back_to_fts5s_prefix_query(demo_db) -> None:  # type: ignore[no-untyped-def]
    (count,) = (await read_tuples("SELECT count(*) FROM cms_search_word WHERE word >= 'c' AND word < 'd'"))[0]
    assert count > PREFIX_WORDS
    expression, params = match_expression(parse_query("c", "english"), match_all=True)
    assert await matched(expression, *params) == await matched("{}", '"c" OR "c"*')
