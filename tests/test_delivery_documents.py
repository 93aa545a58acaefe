"""Decoded documents kept between requests (cms.delivery.documents) and the projections the fast path
remembers on them: bounded, keyed by the hash of the stored text (or the text), so a publish or an
offer's window changes answers exactly as before (the response cache is emptied before each request
here); a kept document's text is not read again, and a row replaced meanwhile is read again whole."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec
import pytest

import cms.delivery.queries
from cms.delivery.context import LOCALE_KEY, DecodedDocuments, decoded_documents
from cms.delivery.queries import fetch_by_entry_ids, fetch_page
from cms.lib.clock import TestClock, use_clock
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Projection, document_hash
from tests.management_client import Management, publish_spring_sale, token_for

CATEGORIES = "{ categories(first: 10) { nodes { name parent { name } } } }"


@pytest.fixture(autouse=True)
def fresh_miss_rates() -> None:
    """Each test starts with no query known for missing its documents (cms.delivery.queries)."""
    cms.delivery.queries._miss_rates.clear()


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="documents-editor"))


async def uncached(app, client: httpx.AsyncClient, query: str) -> Any:  # type: ignore[no-untyped-def]
    app.state.delivery.cache.clear()
    response = await client.post("/graphql/web", json={"query": query})
    assert response.status_code == 200, response.text
    return response.json()


def text(number: int, padding: int = 0) -> str:
    return msgspec.json.encode({"id": str(number), "name": "x" * padding}).decode()


def test_the_same_text_decodes_to_the_same_document_per_locale() -> None:
    kept = DecodedDocuments()
    first = kept.decode(text(1), "en")
    assert kept.decode(text(1), "en") is first
    assert first[LOCALE_KEY] == "en" and first["id"] == "1"
    french = kept.decode(text(1), "fr")
    assert french is not first and french[LOCALE_KEY] == "fr"
    assert kept.decode(text(2), "en") is not first


def test_kept_documents_stay_within_their_entries_and_characters() -> None:
    kept = DecodedDocuments(entries=3, characters=64 * 1000)
    for number in range(10):
        kept.decode(text(number), "en")
    assert len(kept) == 3
    assert [key[0] for key in kept._sizes] == [text(7), text(8), text(9)]  # the oldest were dropped
    assert list(kept.in_locale("en")) == [text(7), text(8), text(9)]

    by_size = DecodedDocuments(entries=100, characters=64 * 200)
    for number in range(100):  # ~170 characters each
        by_size.decode(text(number, padding=150), "en")
    assert 64 * 200 - 200 <= by_size.size <= 64 * 200 and len(by_size) < 100

    too_large = by_size.decode(text(99, padding=500), "en")  # over 1/64 of the characters
    assert by_size.decode(text(99, padding=500), "en") is not too_large


def test_no_documents_are_kept_with_no_entries() -> None:
    kept = DecodedDocuments(entries=0)
    assert kept.decode(text(1), "en") is not kept.decode(text(1), "en")
    assert len(kept) == 0


async def test_publishing_a_referenced_entry_changes_the_answer(app, client, editor) -> None:  # type: ignore[no-untyped-def]
    home = await editor.create("category", {"base": {"en": {"name": "Home", "slug": "home"}}})
    await editor.act("publishEntry", home["id"])
    kitchen = await editor.create(
        "category", {"base": {"en": {"name": "Kitchen", "slug": "kitchen", "parent": home["id"]}}}
    )
    await editor.act("publishEntry", kitchen["id"])
    before = await uncached(app, client, CATEGORIES)
    assert await uncached(app, client, CATEGORIES) == before  # answered from kept documents the second time
    assert len(decoded_documents) > 0

    # The kitchen's stored text does not change: its kept projection is reused, its parent loaded again.
    await editor.update(home["id"], 1, {"base": {"en": {"name": "Home and garden", "slug": "home"}}})
    await editor.act("publishEntry", home["id"])
    after = await uncached(app, client, CATEGORIES)

    nodes = sorted(after["data"]["categories"]["nodes"], key=lambda node: node["name"])
    assert nodes == [
        {"name": "Home and garden", "parent": None},
        {"name": "Kitchen", "parent": {"name": "Home and garden"}},
    ]

    await editor.act("unpublishEntry", home["id"])
    gone = await uncached(app, client, CATEGORIES)
    assert gone["data"]["categories"]["nodes"] == [{"name": "Kitchen", "parent": None}]


async def test_an_offer_leaves_the_answer_at_its_end_with_its_document_kept(app, client, editor) -> None:  # type: ignore[no-untyped-def]
    clock = TestClock(dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    previous = use_clock(clock)
    try:
        await publish_spring_sale(editor)
        query = "{ offers(first: 5) { totalCount nodes { title } } }"
        during = await uncached(app, client, query)
        assert await uncached(app, client, query) == during

        clock.set(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        after = await uncached(app, client, query)

        assert during == {"data": {"offers": {"totalCount": 1, "nodes": [{"title": "Spring sale"}]}}}
        assert after == {"data": {"offers": {"totalCount": 0, "nodes": []}}}
    finally:
        use_clock(previous)


def test_a_document_is_kept_by_its_hash_when_the_row_has_one() -> None:
    kept = DecodedDocuments()
    first = kept.decode(text(1), "en", document_hash(text(1)))
    assert kept.get(document_hash(text(1)), "en") is first
    assert kept.get(document_hash(text(1)), "fr") is None and kept.get(document_hash(text(2)), "en") is None
    assert kept.decode(text(1), "en", document_hash(text(1))) is first


async def test_projections_carry_the_hash_of_their_text(demo_db) -> None:  # type: ignore[no-untyped-def]
    rows = await Projection.select(Projection.doc, Projection.doc_hash).where(Projection.channel == "web")
    assert rows and all(row["doc_hash"] is not None for row in rows)
    if not is_postgres(get_engine()):  # PostgreSQL stores jsonb, not the text written
        assert all(row["doc_hash"] == document_hash(row["doc"]) for row in rows)


class SentQueries:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sql: list[str] = []
        for name in ("read_rows", "read_tuples"):
            original = getattr(cms.delivery.queries, name)

            async def recording(sql: str, *params: Any, original: Any = original) -> Any:
                self.sql.append(sql)
                return await original(sql, *params)

            monkeypatch.setattr(cms.delivery.queries, name, recording)

    def texts_read(self) -> int:
        """Queries that read stored texts (the `doc` column itself, not only when a row has no hash)."""
        return sum(1 for sql in self.sql if "id, doc_hash, doc" in sql and "NULL AS doc" not in sql)


async def test_a_kept_document_has_its_text_read_once(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    decoded_documents.clear()
    sent = SentQueries(monkeypatch)
    first = await fetch_page("live", "product", "web", "en", [], "entry", 5, 0)
    assert (len(sent.sql), sent.texts_read()) == (2, 1)  # the page, then the texts of the five

    sent.sql.clear()
    again = await fetch_page("live", "product", "web", "en", [], "entry", 5, 0)
    assert (len(sent.sql), sent.texts_read()) == (1, 0)
    assert [a is b for a, b in zip(again.documents, first.documents, strict=True)] == [True] * 5

    sent.sql.clear()
    more = await fetch_page("live", "product", "web", "en", [], "entry", 7, 0)
    assert (len(sent.sql), sent.texts_read()) == (2, 1)  # two more documents read
    assert more.documents[:5] == first.documents and more.total == first.total


@contextlib.asynccontextmanager
async def published_meanwhile(monkeypatch, document: dict[str, Any], when: str) -> AsyncIterator[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Renames `document` (committed) just before the first delivery read whose SQL contains `when`, as a
    publish in another process would; yields the new text and the SQL of the reads it came before. The row
    is restored afterwards."""
    where = (Projection.entry == document["id"]) & (Projection.channel == "web") & (Projection.locale == "en")
    stored = await Projection.select(Projection.doc, Projection.doc_hash).where(where).first()
    changed = {**{k: v for k, v in document.items() if not k.startswith("__")}, "name": "Renamed meanwhile"}
    changed_text = msgspec.json.encode(changed).decode()
    original = cms.delivery.queries.read_tuples
    hooked: list[str] = []

    async def publishing_meanwhile(sql: str, *params: Any) -> Any:
        if when in sql:
            hooked.append(sql)
            await Projection.update(
                {Projection.doc: changed_text, Projection.doc_hash: document_hash(changed_text)}
            ).where(where)
        return await original(sql, *params)

    monkeypatch.setattr(cms.delivery.queries, "read_tuples", publishing_meanwhile)
    try:
        yield changed_text, hooked
    finally:
        monkeypatch.undo()
        await Projection.update({Projection.doc: stored["doc"], Projection.doc_hash: stored["doc_hash"]}).where(where)  # type: ignore[index]


async def test_a_row_replaced_between_the_page_and_its_texts_is_read_again(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    decoded_documents.clear()
    page = await fetch_page("live", "product", "web", "en", [], "entry", 2, 0)
    decoded_documents.clear()

    # Between the page's hashes and the texts of its documents (read by row id, or on SQLite, where a page
    # is read without ids, with the page again).
    async with published_meanwhile(monkeypatch, page.documents[1], "doc_hash, doc") as (changed_text, _):
        again = await fetch_page("live", "product", "web", "en", [], "entry", 2, 0)

    assert [document["id"] for document in again.documents] == [document["id"] for document in page.documents]
    assert again.documents[1]["name"] == "Renamed meanwhile"  # never the old document under the new hash
    assert decoded_documents.get(document_hash(changed_text), "en")["name"] == "Renamed meanwhile"  # type: ignore[index]


async def test_a_row_replaced_between_a_batch_and_its_texts_is_read_again(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    decoded_documents.clear()
    page = await fetch_page("live", "product", "web", "en", [], "entry", 2, 0)
    entries = [document["id"] for document in page.documents]
    decoded_documents.clear()

    between = "doc_hash, doc FROM cms_projection WHERE id"  # the batch's hashes, then its texts by row id
    async with published_meanwhile(monkeypatch, page.documents[1], between) as (_, texts_by_id):
        found = await fetch_by_entry_ids("live", "web", "en", entries)

    assert texts_by_id, "the texts of documents not kept are read by row id"
    assert sorted(found) == sorted(entries)
    assert found[entries[1]]["name"] == "Renamed meanwhile"  # never the old document under the new hash


async def test_a_row_without_a_hash_is_served_from_its_text(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    decoded_documents.clear()
    page = await fetch_page("live", "product", "web", "en", [], "entry", 1, 0)
    entry = page.documents[0]["id"]
    where = (Projection.entry == entry) & (Projection.channel == "web") & (Projection.locale == "en")
    stored = await Projection.select(Projection.doc_hash).where(where).first()
    await Projection.update({Projection.doc_hash: None}).where(where)  # written by other means
    try:
        sent = SentQueries(monkeypatch)
        again = await fetch_page("live", "product", "web", "en", [], "entry", 1, 0)
        assert (len(sent.sql), sent.texts_read()) == (2, 1)  # the page, then the page again with its texts
        assert again.documents[0]["id"] == entry and again.documents[0]["name"] == page.documents[0]["name"]
    finally:
        await Projection.update({Projection.doc_hash: stored["doc_hash"]}).where(where)  # type: ignore[index]


async def test_a_document_edited_by_hand_loses_its_hash_and_is_served_as_edited(demo_db) -> None:  # type: ignore[no-untyped-def]
    decoded_documents.clear()
    page = await fetch_page("live", "product", "web", "en", [], "entry", 1, 0)
    entry = page.documents[0]["id"]
    where = (Projection.entry == entry) & (Projection.channel == "web") & (Projection.locale == "en")
    stored = await Projection.select(Projection.doc, Projection.doc_hash).where(where).first()
    edited = {k: v for k, v in page.documents[0].items() if not k.startswith("__")} | {"name": "Fixed by hand"}
    await Projection.update({Projection.doc: msgspec.json.encode(edited).decode()}).where(where)  # doc alone
    try:
        row = await Projection.select(Projection.doc_hash).where(where).first()
        again = await fetch_page("live", "product", "web", "en", [], "entry", 1, 0)
    finally:
        await Projection.update({Projection.doc: stored["doc"], Projection.doc_hash: stored["doc_hash"]}).where(where)  # type: ignore[index]

    assert row == {"doc_hash": None}  # the trigger of the migration cleared it
    assert again.documents[0]["name"] == "Fixed by hand"  # not the kept document of the old hash
    restored = await Projection.select(Projection.doc_hash).where(where).first()
    assert restored == {"doc_hash": stored["doc_hash"]}  # type: ignore[index]  # both written: kept as written


async def test_a_query_whose_documents_keep_missing_reads_their_texts_at_once(demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        decoded_documents, "entries", 0
    )  # nothing kept: as many documents in rotation as a large catalogue
    sent = SentQueries(monkeypatch)
    counts = []
    for _ in range(4):
        sent.sql.clear()
        page = await fetch_page("live", "product", "web", "en", [], "entry", 5, 0)
        assert len(page.documents) == 5
        counts.append((len(sent.sql), sent.texts_read()))
    # Two queries while its misses add up, then its texts in its one query.
    assert counts == [(2, 1), (2, 1), (1, 1), (1, 1)]

    monkeypatch.setattr(decoded_documents, "entries", 4096)  # documents kept again: back to no texts
    for _ in range(3):
        sent.sql.clear()
        await fetch_page("live", "product", "web", "en", [], "entry", 5, 0)
    assert (len(sent.sql), sent.texts_read()) == (1, 0)
