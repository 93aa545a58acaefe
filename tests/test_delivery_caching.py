"""Persisted operations, automatic persisted queries, and HTTP caching of delivery answers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cms.delivery.operations import check_operations, operation_id
from cms.delivery.schema import build_channel_schema
from cms.events.sync_cursor import FORMAT, INCREMENTAL, SyncCursor, encode_sync_cursor
from tests.conftest import ROOT

OPERATIONS = ROOT / "graphql" / "operations"
QUERY = "{ products(first: 2) { totalCount nodes { id name } } }"


def test_every_persisted_operation_validates_against_its_channel(model) -> None:  # type: ignore[no-untyped-def]
    schemas = {name: build_channel_schema(model, name) for name in model.channels}
    assert check_operations(ROOT / "graphql", schemas) == []
    assert sorted(path.parent.name for path in OPERATIONS.glob("*/*.graphql") if path.stem != "Sync") == [
        "app",
        "app",
        "assistant",
        "email",
        "kiosk",
        "kiosk",
        "kiosk",  # ProductByGtin, ScanVariant, StoreShelf (a store's shelf: tests/commerce)
        "web",
    ]
    assert sorted(path.parent.name for path in OPERATIONS.glob("*/Sync.graphql")) == sorted(model.channels)


async def test_a_persisted_operation_runs_by_its_id_over_get(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    text = (OPERATIONS / "web" / "ProductList.graphql").read_text(encoding="utf-8")
    response = await client.get(
        "/graphql/web", params={"id": operation_id(text), "variables": json.dumps({"first": 3})}
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]["products"]["nodes"]) == 3


FORMER_PRODUCT_BY_GTIN = "08c109a15c0503f2c65d34456c047c8db0532a0f330adf1beea6df4268b7e821"
"""The id of kiosk's ProductByGtin before `locale` became the `Locale` enum and lookups took `by`."""


async def test_a_rewritten_persisted_operation_still_answers_its_former_id(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    text = (OPERATIONS / "kiosk" / "ProductByGtin.graphql").read_text(encoding="utf-8")
    assert f"# replaces: {FORMER_PRODUCT_BY_GTIN}" in text and operation_id(text) != FORMER_PRODUCT_BY_GTIN
    gtin = (await client.post("/graphql/web", json={"query": "{ products(first: 1) { nodes { gtin } } }"})).json()
    variables = {"gtin": gtin["data"]["products"]["nodes"][0]["gtin"], "locale": "fr"}
    answers = [
        await client.post("/graphql/kiosk", json={"id": id_, "variables": variables})
        for id_ in (FORMER_PRODUCT_BY_GTIN, operation_id(text))
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json() and answers[0].json()["data"]["product"]["name"]


async def test_automatic_persisted_queries_ask_for_the_query_once(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    digest = hashlib.sha256(QUERY.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    first = await client.post("/graphql/web", json={"extensions": extensions})
    assert first.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = await client.post("/graphql/web", json={"query": QUERY, "extensions": extensions})
    assert registered.json()["data"]["products"]["totalCount"] == 64
    again = await client.get("/graphql/web", params={"extensions": json.dumps(extensions)})
    assert again.json() == registered.json()


async def test_a_hash_that_does_not_match_its_query_is_refused(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    response = await client.post("/graphql/web", json={"query": QUERY, "extensions": extensions})
    assert (response.status_code, response.json()["errors"][0]["message"]) == (
        400,
        "the sha256Hash does not match the query sent with it",
    )


async def test_a_persisted_only_channel_refuses_ad_hoc_queries(settings, tmp_path: Path, demo_db) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from cms.app import create_app
    from cms.model import load_model
    from tests.conftest import build_client

    directory = tmp_path / "content_types"
    shutil.copytree(ROOT / "content_types", directory)
    channels = directory / "channels.toml"
    channels.write_text(
        channels.read_text(encoding="utf-8").replace("[channels.kiosk]\n", "[channels.kiosk]\npersisted_only = true\n"),
        encoding="utf-8",
    )
    async with build_client(create_app(settings, load_model(directory))) as client:
        refused = await client.post("/graphql/kiosk", json={"query": QUERY})
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["message"].startswith("this channel runs only persisted operations")
        text = (OPERATIONS / "kiosk" / "ProductByGtin.graphql").read_text(encoding="utf-8")
        gtin = (await client.post("/graphql/web", json={"query": "{ products(first: 1) { nodes { gtin } } }"})).json()
        variables = {"gtin": gtin["data"]["products"]["nodes"][0]["gtin"]}
        allowed = await client.post("/graphql/kiosk", json={"id": operation_id(text), "variables": variables})
        assert allowed.json()["data"]["product"]["name"]


async def test_answers_carry_a_strong_etag_and_revalidate_with_304(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    first = await client.get("/graphql/web", params={"query": QUERY})
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "public, max-age=60"
    shown = sorted(f"entry-{node['id']}" for node in first.json()["data"]["products"]["nodes"])
    assert first.headers["surrogate-key"] == " ".join(["channel-web", *shown])
    again = await client.get("/graphql/web", params={"query": QUERY}, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    other_locale = await client.get(
        "/graphql/web", params={"query": QUERY}, headers={"If-None-Match": etag, "Accept-Language": "fr"}
    )
    assert other_locale.status_code == 200


async def test_errors_are_never_cached(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    # An error inside a 200: a sync cursor ahead of the change log (as after a reset store), the one refusal left to
    # the resolver (a first of 1000, a forged cursor used to be ones: now served as 100, and refused by validation)
    ahead = encode_sync_cursor(SyncCursor(FORMAT, "web", None, (), INCREMENTAL, 10**9))
    response = await client.get("/graphql/web", params={"query": f'{{ sync(cursor: "{ahead}") {{ hasMore }} }}'})
    assert response.status_code == 200 and response.json()["errors"]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
