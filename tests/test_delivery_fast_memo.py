"""The fast path's remembered bytes: a kept document's encoded output is reused only while every document
its references read loads as the same; a change anywhere below shows at once, as regular execution shows it."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from cms.delivery.context import PROJECTIONS_KEY, DeliveryContext
from cms.delivery.documents import decoded_documents
from cms.delivery.fast import execute_fast, run
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.lib.graphql_http import graphql_answer
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish, unpublish
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.entries import create_entry, load_version, save_version

NODES = "{ products(first: 60) { nodes { id name category { id name parent { id name } } } } }"
FEW = NODES.replace("first: 60", "first: 3")
PICKED = 'products(first: 1, where: {name: {eq: "%s"}}) { nodes { name category { id name parent { name } } } }'
TWO_PAGES = "{ a: " + PICKED % "Alba electric kettle" + " b: " + PICKED % "Cloche pendant light" + " }"
EDGES = "{ products(first: 60) { edges { cursor node { id name category { id name parent { id name } } } } } }"


def context_for(model) -> DeliveryContext:  # type: ignore[no-untyped-def]
    return DeliveryContext(model, model.channels["web"], "en", JsonDialect(postgres=is_postgres(get_engine())))


async def both_paths(schema, model, query: str, round_trips) -> tuple[Any, bytes, bytes]:  # type: ignore[no-untyped-def]
    """The fast result, its answer and regular execution's; the fast path never makes more round trips.
    (Remembered bytes belong to the plans of one schema's compiled operations: tests keep one schema.)"""
    round_trips.count = 0
    regular = await schema.execute(query, context_value=context_for(model))
    regular_trips, round_trips.count = round_trips.count, 0
    fast = await execute_fast(schema, query, None, None, context_for(model))
    assert fast is not None
    assert round_trips.count <= regular_trips
    return fast, graphql_answer(fast)[1], graphql_answer(regular)[1]


def items(result: Any, edges: bool = False) -> list[Any]:
    connection = result.data["products"]
    return [edge["node"] for edge in connection["edges"]] if edges else connection["nodes"]


@pytest.mark.parametrize("query", [NODES, EDGES], ids=["nodes", "edges"])
async def test_a_repeated_list_is_answered_from_remembered_bytes(model, demo_db, round_trips, query: str) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    first, first_answer, regular_answer = await both_paths(schema, model, query, round_trips)
    assert first_answer == regular_answer
    assert all(isinstance(item, dict) for item in items(first, query is EDGES))
    second, _, _ = await both_paths(schema, model, query, round_trips)  # seen before: now remembered
    assert all(isinstance(item, dict) for item in items(second, query is EDGES))
    again, again_answer, regular_again = await both_paths(schema, model, query, round_trips)
    assert again_answer == regular_again == regular_answer
    assert all(isinstance(item, msgspec.Raw) for item in items(again, query is EDGES))


async def edit_and_publish(model, entry_id: str, **values: Any) -> None:  # type: ignore[no-untyped-def]
    current = await load_version(entry_id)
    data = msgspec.structs.replace(
        current.data, base={**current.data.base, "en": {**current.data.base["en"], **values}}
    )
    saved = await save_version(model, entry_id, data, based_on=current.number)
    await publish(model, entry_id, saved.number)


@pytest.mark.parametrize("level", ["category", "parent"])
async def test_a_referenced_document_published_again_shows_at_once(
    model, demo_to_change, round_trips, level: str
) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    for _ in ("projected", "remembered"):
        await both_paths(schema, model, NODES, round_trips)
    remembered, _, _ = await both_paths(schema, model, NODES, round_trips)
    products = [msgspec.json.decode(item) for item in items(remembered)]
    if level == "category":
        changed = products[0]["category"]["id"]
    else:
        changed = next(p["category"]["parent"]["id"] for p in products if p["category"]["parent"])
    await edit_and_publish(model, changed, name="Renamed for the test")

    fresh, fresh_answer, regular_answer = await both_paths(schema, model, NODES, round_trips)
    assert fresh_answer == regular_answer
    showing = [
        p for p in json.loads(fresh_answer)["data"]["products"]["nodes"] if _names_of(p).count("Renamed for the test")
    ]
    assert showing, "the new name is served"
    assert all(isinstance(item, dict) for item in items(fresh) if msgspec.json.decode(_encode(item)) in showing)
    assert any(isinstance(item, msgspec.Raw) for item in items(fresh)), "the others still answered from their bytes"
    # Remembered again with the new documents, then placed as a whole list (the same documents again).
    for _ in ("item by item", "whole list"):
        again, again_answer, _ = await both_paths(schema, model, NODES, round_trips)
        assert again_answer == regular_answer
        assert all(isinstance(item, msgspec.Raw) for item in items(again))


async def test_a_reference_moved_below_a_document_not_loaded_costs_no_extra_round_trip(  # type: ignore[no-untyped-def]
    model, demo_to_change, round_trips
) -> None:
    """A category given a parent nothing on the page reads: the products showing it are projected afresh,
    caught up from what is loaded, and the new parent joins the batch where the other products' parents
    load: no more round trips than the fast path remembering nothing."""
    schema = build_channel_schema(model, "web")
    for _ in ("projected", "remembered"):
        await both_paths(schema, model, TWO_PAGES, round_trips)
    remembered, _, _ = await both_paths(schema, model, TWO_PAGES, round_trips)
    lighting = msgspec.json.decode(remembered.data["b"]["nodes"][0])["category"]  # type: ignore[index]
    assert lighting["parent"] is not None, "the demo's pendant light sits in a category with a parent"
    elsewhere = await create_entry(
        model, model.types["category"], EntryData(base={"en": {"name": "Elsewhere", "slug": "elsewhere"}})
    )
    await publish(model, elsewhere.entry_id)
    await edit_and_publish(model, lighting["id"], parent=elsewhere.entry_id)

    fresh, fresh_answer, regular_answer = await both_paths(schema, model, TWO_PAGES, round_trips)
    fresh_trips = round_trips.count
    assert fresh_answer == regular_answer
    assert b'"Elsewhere"' in fresh_answer
    round_trips.count = 0
    nothing_remembered = await execute_fast(
        build_channel_schema(model, "web"), TWO_PAGES, None, None, context_for(model)
    )
    assert nothing_remembered is not None and graphql_answer(nothing_remembered)[1] == fresh_answer
    # Fewer, even: the remembered plan reads the categories it expects with the first page.
    assert fresh_trips <= round_trips.count
    assert isinstance(fresh.data["a"]["nodes"][0], msgspec.Raw)  # type: ignore[index]


async def test_an_unpublished_reference_disappears_at_once(model, demo_to_change, round_trips) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    for _ in ("projected", "remembered"):
        await both_paths(schema, model, NODES, round_trips)
    remembered, _, _ = await both_paths(schema, model, NODES, round_trips)
    category = msgspec.json.decode(items(remembered)[0])["category"]["id"]
    await unpublish(category, model=model)

    _, fresh_answer, regular_answer = await both_paths(schema, model, NODES, round_trips)
    assert fresh_answer == regular_answer
    assert category.encode() not in fresh_answer


def _names_of(product: dict[str, Any]) -> list[str]:
    category = product["category"] or {}
    parent = category.get("parent") or {}
    return [category.get("name"), parent.get("name")]  # type: ignore[list-item]


_encode = msgspec.json.Encoder().encode


async def test_remembered_bytes_count_against_the_bound_of_kept_documents(  # type: ignore[no-untyped-def]
    model, demo_db, round_trips, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = build_channel_schema(model, "web")
    await both_paths(schema, model, NODES, round_trips)  # every document kept, projected once
    before = decoded_documents.size
    _, answer, regular_answer = await both_paths(schema, model, NODES, round_trips)  # seen before: remembered
    charged = decoded_documents.size - before
    assert charged > 0 and answer == regular_answer
    again, _, _ = await both_paths(schema, model, NODES, round_trips)
    assert charged == sum(len(item) for item in items(again))

    # Fewer documents kept than a page shows: documents leave while their bytes are remembered.
    monkeypatch.setattr(decoded_documents, "entries", 40)
    decoded_documents.clear()
    assert decoded_documents.size == 0
    for _ in range(3):
        _, answer, regular_answer = await both_paths(schema, model, NODES, round_trips)
        assert answer == regular_answer
        kept = [document for documents in decoded_documents._kept.values() for document in documents.values()]
        assert len(kept) <= 40
        remembering = sum(t.charged for document in kept for t in (document[PROJECTIONS_KEY] or {}).values())
        assert decoded_documents.size == sum(decoded_documents._sizes.values()) + remembering


async def test_a_list_of_the_same_documents_is_placed_at_once(model, demo_db, round_trips, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    placements: list[Any] = []

    class Counted(run._Placed):  # type: ignore[name-defined,misc]
        def __init__(self, *values: Any) -> None:
            placements.append(values)
            super().__init__(*values)

    monkeypatch.setattr(run, "_Placed", Counted)
    for _ in ("projected", "remembered"):
        await both_paths(schema, model, NODES, round_trips)
    assert placements == []
    item_by_item, answer, regular_answer = await both_paths(schema, model, NODES, round_trips)
    assert answer == regular_answer and len(placements) == 1  # every item from its bytes: the list is kept
    whole, answer, regular_answer = await both_paths(schema, model, NODES, round_trips)
    assert answer == regular_answer and len(placements) == 1  # placed at once, not placed again
    assert items(whole) == items(item_by_item) and items(whole) is not items(item_by_item)
