"""The migration that renumbers the search index's ascending ids (2026-12-30) on a database indexed before ids
counted down: the newest rows first again, the same texts under the same ids, the same answers."""

from __future__ import annotations

from typing import Any

import pytest
from piccolo.querystring import QueryString

from cms.search import postgres, sqlite
from cms.store.content_version import bump_content_version
from cms.store.database import get_engine
from cms.store.migrations import store_2026_12_30t00_00_00_000000 as renumbering
from tests import conftest
from tests.search.helpers import post

BROAD = (
    '{ %s: search(query: "candle", locale: en, first: 50) { totalCount'
    " edges { node { ... on Product { slug } ... on Tutorial { slug } ... on Category { slug } } } } }"
)
NEWEST_KEPT = 5
"""Rows left with the (negative) ids the current code gave them: written after the upgrade, before migrating."""


async def sql(text: str, *params: Any) -> Any:
    return await get_engine().run_querystring(QueryString(text, *params))


async def index_rows() -> list[tuple[Any, ...]]:
    """(id, entry, channel, locale, window, title) in id order: the order a search reads its candidates in."""
    rows = await sql("SELECT id, entry, channel, locale, valid_from, valid_until, title FROM cms_search ORDER BY id")
    return [tuple(row.values()) for row in rows]


async def index_texts() -> set[tuple[Any, ...]]:
    """Each row's FTS texts with what the row is, read through the shared id."""
    rows = await sql(
        "SELECT s.entry, s.channel, s.locale, s.valid_from, t.a, t.b, t.c"
        " FROM cms_search s JOIN cms_search_text t ON t.rowid = s.id"
    )
    return {tuple(row.values()) for row in rows}


async def searched(client, alias: str) -> Any:  # type: ignore[no-untyped-def]
    await bump_content_version()  # the index was changed by hand: no answer cached before it
    body = await post(client, "web", BROAD % alias)
    assert "errors" not in body, body
    return body["data"][alias]


async def renumber_forwards() -> None:
    """The migration's forward step, run as Piccolo runs it (in its transaction)."""
    manager = await renumbering.forwards()
    await manager.run()


@pytest.mark.skipif(bool(conftest.POSTGRES_URL), reason="SQLite's index ids (PostgreSQL's count up)")
async def test_ids_written_before_they_counted_down_are_renumbered_newest_first(  # type: ignore[no-untyped-def]
    client, demo_to_change, monkeypatch
) -> None:
    written = await index_rows()
    texts = await index_texts()
    assert len(written) > 20 and all(row[0] < 0 for row in written)
    every = await searched(client, "every")
    monkeypatch.setattr(sqlite, "MOST_CANDIDATES", 3)
    monkeypatch.setattr(postgres, "MOST_CANDIDATES", 3)
    newest = await searched(client, "newest")
    assert every["totalCount"] > 3 and newest["totalCount"] == 3

    # As an older version indexed them: ids from 1 up in the order written (the oldest lowest, with the gaps
    # rows deleted since leave), but for the newest few, written by the current code after the upgrade.
    old = {row[0]: 3 * (len(written) - index) for index, row in enumerate(written) if index >= NEWEST_KEPT}
    await sql(
        "UPDATE cms_search SET id = (SELECT value FROM json_each({}) WHERE key = CAST(cms_search.id AS TEXT))"
        " WHERE id > {}",
        _json(old),
        written[NEWEST_KEPT - 1][0],
    )
    await sql(
        "UPDATE cms_search_text SET rowid ="
        " (SELECT value FROM json_each({}) WHERE key = CAST(cms_search_text.rowid AS TEXT))"
        " WHERE rowid > {}",
        _json(old),
        written[NEWEST_KEPT - 1][0],
    )
    before = await index_rows()
    assert sum(row[0] > 0 for row in before) == len(written) - NEWEST_KEPT
    assert await index_texts() == texts
    oldest = await searched(client, "oldest")
    assert _slugs(oldest) != _slugs(newest), "the old ids' rows came oldest first: the broken promise"

    await renumber_forwards()

    after = await index_rows()
    assert [row[1:] for row in after] == [row[1:] for row in written]  # the order written, newest first
    assert after[-1][0] < written[0][0]  # below every id in use when it ran
    assert await index_texts() == texts  # each text under its row's new id
    (left,) = await sql("SELECT count(*) AS n FROM cms_search_text")
    assert left["n"] == len(written)
    again = await searched(client, "again")
    assert _slugs(again) == _slugs(newest)  # the cap keeps the newest matches again
    monkeypatch.setattr(sqlite, "MOST_CANDIDATES", 200)
    monkeypatch.setattr(postgres, "MOST_CANDIDATES", 200)
    assert (await searched(client, "all"))["edges"] == every["edges"]  # the same hits, ranked the same

    # Idempotent: nothing left to renumber.
    await renumber_forwards()
    assert await index_rows() == after
    assert await index_texts() == texts
    conftest.forget_demo()


@pytest.mark.skipif(bool(conftest.POSTGRES_URL), reason="SQLite's index ids")
async def test_an_index_with_no_ascending_ids_is_left_alone(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    written = await index_rows()
    await renumber_forwards()
    assert await index_rows() == written


@pytest.mark.postgres
async def test_postgresql_ids_are_left_as_they_are(demo_db) -> None:  # type: ignore[no-untyped-def]
    written = await sql("SELECT id, entry, channel, locale FROM cms_search ORDER BY id")
    assert written and all(row["id"] > 0 for row in written)
    await renumber_forwards()
    assert await sql("SELECT id, entry, channel, locale FROM cms_search ORDER BY id") == written


def _json(mapping: dict[int, int]) -> str:
    return "{" + ", ".join(f'"{key}": {value}' for key, value in mapping.items()) + "}"


def _slugs(result: dict[str, Any]) -> list[str]:
    return [edge["node"].get("slug") for edge in result["edges"]]
