"""SQLite lists read the facts of each projection (cms.model.facts), not its whole document: written when
publishing, computed at start for rows without them or written for another model, and never needed for a
right answer (a row without facts is read from its document)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import msgspec
import pytest

from cms.delivery.indexes import refresh_facts
from cms.model import ContentModel
from cms.model.facts import DIGEST_KEY, fact_keys, facts_digest
from cms.model.names import camel_case
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Projection

pytestmark = pytest.mark.skipif(is_postgres(get_engine()), reason="PostgreSQL reads its jsonb documents by key")

LIST = (
    "{ %s: products(first: 50, where: {availability: {eq: IN_STOCK}, price: {gte: 10, lte: 500}},"
    " orderBy: [{field: PRICE}, {field: NAME}]) { totalCount nodes { slug } } }"
)


async def listed(client: httpx.AsyncClient, alias: str) -> dict[str, Any]:
    """The filtered, sorted list (under a new alias each time: the response cache never answers it)."""
    response = await client.post("/graphql/web", json={"query": LIST % alias})
    body = response.json()
    assert "errors" not in body, body
    return body["data"][alias]  # type: ignore[no-any-return]


async def live_products() -> list[dict[str, Any]]:
    return await Projection.select(Projection.id, Projection.doc, Projection.facts).where(
        (Projection.content_type == "product") & (Projection.stage == "live")
    )


async def test_publishing_writes_the_values_lists_read_and_nothing_else(demo_to_change: None, model: ContentModel) -> None:
    product = model.types["product"]
    keys = set(fact_keys(product))
    assert {"availability", "price", "brand", "name"} <= keys
    assert "description" not in keys  # a long text no list filters on
    rows = await live_products()
    assert rows
    for row in rows:
        document = row["doc"] if isinstance(row["doc"], dict) else json.loads(row["doc"])
        facts = json.loads(row["facts"])
        assert facts == {DIGEST_KEY: facts_digest(product)} | {k: document[k] for k in keys if k in document}
        assert len(row["facts"]) < len(json.dumps(document)) / 2


async def test_a_list_answers_the_same_from_facts_from_documents_and_from_refreshed_facts(
    demo_to_change: None, model: ContentModel, client: httpx.AsyncClient
) -> None:
    from_facts = await listed(client, "fromFacts")
    assert from_facts["totalCount"] > 1

    await Projection.raw("UPDATE cms_projection SET facts = NULL")  # rows written by other means
    assert await listed(client, "fromDocuments") == from_facts

    # Facts written for another model (another set of fields), with values no longer true:
    stale = {DIGEST_KEY: "0ld0ld00", "availability": "OUT_OF_STOCK", "price": {"amount": 1, "currency": "EUR"}}
    await Projection.raw("UPDATE cms_projection SET facts = {}", json.dumps(stale))
    written = await refresh_facts(model)

    assert written == await Projection.count()
    assert await listed(client, "fromRefreshedFacts") == from_facts
    assert await refresh_facts(model) == 0  # nothing left to write


async def test_making_another_field_filterable_changes_the_digest(model: ContentModel) -> None:
    product = model.types["product"]
    plain = next(f for f in product.fields if not (f.filterable or f.sortable or f.unique))
    fields = [msgspec.structs.replace(f, filterable=True) if f is plain else f for f in product.fields]
    widened = msgspec.structs.replace(product, fields=fields)

    assert camel_case(plain.name) in fact_keys(widened)
    assert facts_digest(widened) != facts_digest(product)
