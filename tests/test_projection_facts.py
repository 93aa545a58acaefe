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
from cms.lib.folding import fold
from cms.model import ContentModel
from cms.model.facts import DIGEST_KEY, fact_keys, facts_digest
from cms.model.names import camel_case
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Projection
from tests.management_client import Management, token_for

POSTGRES = is_postgres(get_engine())
sqlite_only = pytest.mark.skipif(POSTGRES, reason="PostgreSQL reads its jsonb documents by key: no facts")

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


@sqlite_only
async def test_publishing_writes_the_values_lists_read_and_nothing_else(
    demo_to_change: None, model: ContentModel
) -> None:
    product = model.types["product"]
    keys = set(fact_keys(product))
    assert {"availability", "price", "brand", "name"} <= keys
    assert "description" not in keys  # a long text no list filters on
    rows = await live_products()
    assert rows
    for row in rows:
        document = row["doc"] if isinstance(row["doc"], dict) else json.loads(row["doc"])
        facts = json.loads(row["facts"])
        texts = [camel_case(f.name) for f in product.fields if f.kind in ("string", "slug", "text")]
        folded = {f"~{k}": fold(document[k]) for k in texts if k in keys and isinstance(document.get(k), str)}
        assert {"~name", "~brand", "~sku"} <= folded.keys()
        assert {k: v for k, v in facts.items() if k.startswith("~") and k != DIGEST_KEY} == folded
        assert "~description" not in facts
        plain = {k: v for k, v in facts.items() if not k.startswith("~")}
        assert plain == {k: document[k] for k in keys if k in document}
        assert facts[DIGEST_KEY] == facts_digest(product)
        assert len(row["facts"]) < len(json.dumps(document)) / 2


@sqlite_only
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


async def test_contains_and_string_sorts_fold_accents_and_case_alike_on_both(
    clean_db: None, model: ContentModel, client: httpx.AsyncClient
) -> None:
    admin = Management(client, await token_for(model, "management:admin"))
    for name in ("Fox lamp", "Élan vase", "Eagle rug", "Zèbre plaid", "Œuvre print"):
        entry = await admin.create("category", {"base": {"en": {"name": name, "slug": fold(name).replace(" ", "-")}}})
        await admin.act("publishEntry", entry["id"])

    async def names(query: str) -> list[str]:
        response = await client.post("/graphql/web", json={"query": query})
        body = response.json()
        assert "errors" not in body, body
        return [node["name"] for node in body["data"]["categories"]["nodes"]]

    ordered = await names("{ categories(first: 10, orderBy: [{field: NAME}]) { nodes { name } } }")
    descending = await names("{ categories(first: 10, orderBy: [{field: NAME, direction: DESC}]) { nodes { name } } }")
    # Neither in the database's collation (PostgreSQL's C put "Élan" after "Zèbre") nor ASCII-folded (SQLite's lower()).
    assert ordered == ["Eagle rug", "Élan vase", "Fox lamp", "Œuvre print", "Zèbre plaid"]
    assert descending == ordered[::-1]
    found = await names('{ categories(first: 10, where: {name: {contains: "ELAN"}}) { nodes { name } } }')
    assert found == ["Élan vase"]
    found = await names('{ categories(first: 10, where: {name: {contains: "oeuvre"}}) { nodes { name } } }')
    assert found == ["Œuvre print"]
