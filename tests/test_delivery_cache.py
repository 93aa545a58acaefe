"""The response cache of delivery: keyed by the content version, emptied by publishing, never for previews.

These run on SQLite and on PostgreSQL without the invalidation listener (the test client runs no
lifespan), so the content version is read per request; test_delivery_cache_postgres.py covers the
listener.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from cms.delivery.cache import CachedAnswer, ResponseCache
from cms.events.sync_cursor import FORMAT, INCREMENTAL, SyncCursor, encode_sync_cursor
from cms.lib.clock import TestClock, use_clock
from cms.store.content_version import read_content_version
from cms.workflow.schedules import run_due_jobs
from tests.conftest import POSTGRES_URL, build_client
from tests.management_client import Management, publish_spring_sale, token_for
from tests.model_copies import break_file, copy_shipped_model

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'


def category(name: str, slug: str = "kitchen") -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": slug}, "fr": {"name": f"{name} (fr)"}}}


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="cache-editor"))


@pytest.fixture
def cache(app) -> ResponseCache:  # type: ignore[no-untyped-def]
    return app.state.delivery.cache  # type: ignore[no-any-return]


async def kitchen(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/graphql/web", params={"query": KITCHEN}, headers=headers)


async def test_a_repeated_query_is_answered_from_the_cache(client, editor, cache, round_trips) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    first = await kitchen(client)

    round_trips.count = 0
    again = await kitchen(client)

    # No notifications here: the content version is read per request, through the pool on PostgreSQL,
    # on a connection kept open for it on SQLite (not a Piccolo round trip).
    assert round_trips.count == (1 if POSTGRES_URL else 0)
    assert (again.status_code, again.content, again.headers["etag"]) == (200, first.content, first.headers["etag"])
    assert again.headers["surrogate-key"] == f"channel-web entry-{entry['id']}"
    assert len(cache) == 1


async def test_publishing_changes_the_answer_and_its_etag(client, editor) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    before = await kitchen(client)

    await editor.update(entry["id"], 1, category("Kitchen and dining"))
    await editor.act("publishEntry", entry["id"])
    after = await kitchen(client, **{"If-None-Match": before.headers["etag"]})

    assert after.status_code == 200
    assert after.json() == {"data": {"category": {"name": "Kitchen and dining"}}}
    assert after.headers["etag"] != before.headers["etag"]


async def test_unpublishing_empties_the_cache_too(client, editor, cache) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    assert (await kitchen(client)).json() == {"data": {"category": {"name": "Kitchen"}}}

    await editor.act("unpublishEntry", entry["id"])

    assert (await kitchen(client)).json() == {"data": {"category": None}}


async def test_a_current_etag_gets_304_without_running_the_query(client, editor, cache, round_trips) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    etag = (await kitchen(client)).headers["etag"]
    cache.clear()  # as on another worker, which never computed this answer

    round_trips.count = 0
    response = await kitchen(client, **{"If-None-Match": etag})

    assert (response.status_code, response.content, response.headers["etag"]) == (304, b"", etag)
    assert round_trips.count == (1 if POSTGRES_URL else 0)  # the content version, nothing else
    assert len(cache) == 0


async def test_locale_and_variables_are_part_of_the_key(client, editor) -> None:  # type: ignore[no-untyped-def]
    await editor.act("publishEntry", (await editor.create("category", category("Kitchen")))["id"])
    await editor.act("publishEntry", (await editor.create("category", category("Garden", "garden")))["id"])
    query = "query($slug: String!) { category(by: { slug: $slug }) { name } }"

    answers = [
        (await client.post("/graphql/web", json={"query": query, "variables": variables}, headers=headers)).json()
        for variables, headers in (
            ({"slug": "kitchen"}, {}),
            ({"slug": "garden"}, {}),
            ({"slug": "kitchen"}, {"Accept-Language": "fr"}),
            ({"slug": "kitchen"}, {}),
        )
    ]

    names = [answer["data"]["category"]["name"] for answer in answers]
    assert names == ["Kitchen", "Garden", "Kitchen (fr)", "Kitchen"]


async def test_errors_are_not_kept(client, editor, cache) -> None:  # type: ignore[no-untyped-def]
    # an error inside a 200: a sync cursor ahead of the change log (as after a reset store)
    ahead = encode_sync_cursor(SyncCursor(FORMAT, "web", None, (), INCREMENTAL, 10**9))
    response = await client.get("/graphql/web", params={"query": f'{{ sync(cursor: "{ahead}") {{ hasMore }} }}'})

    assert response.json()["errors"][0]["extensions"]["code"] == "STALE_SYNC_CURSOR"
    assert len(cache) == 0


async def test_preview_answers_are_never_cached(client, model, editor, cache) -> None:  # type: ignore[no-untyped-def]
    entry = await editor.create("category", category("Kitchen"))
    preview = {"Authorization": f"Bearer {await token_for(model, 'preview')}"}
    first = await kitchen(client, **preview)

    await editor.update(entry["id"], 1, category("Kitchen 2"))  # a save: no publish, no new content version
    second = await kitchen(client, **preview)

    assert [r.json()["data"]["category"]["name"] for r in (first, second)] == ["Kitchen", "Kitchen 2"]
    assert second.headers["cache-control"] == "private, no-store"
    assert len(cache) == 0


async def test_an_offer_ending_changes_the_answer_without_any_publish(client, editor) -> None:  # type: ignore[no-untyped-def]
    clock = TestClock(dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    previous = use_clock(clock)
    try:
        await publish_spring_sale(editor)
        query = '{ offer(by: { slug: "spring-sale" }) { title } }'
        during = await client.get("/graphql/web", params={"query": query})
        version = await read_content_version()

        clock.set(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        after = await client.get(
            "/graphql/web", params={"query": query}, headers={"If-None-Match": during.headers["etag"]}
        )

        assert during.json() == {"data": {"offer": {"title": "Spring sale"}}}
        assert (after.status_code, after.json()) == (200, {"data": {"offer": None}})
        assert after.headers["etag"] != during.headers["etag"]
        assert await read_content_version() == version  # time passed, nothing was published
    finally:
        use_clock(previous)


async def test_every_change_to_live_content_counts_once(client, model, editor) -> None:  # type: ignore[no-untyped-def]
    clock = TestClock(dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC))
    previous = use_clock(clock)
    try:
        versions = [await read_content_version()]
        kitchen_entry = await editor.create("category", category("Kitchen"))
        garden_entry = await editor.create("category", category("Garden", "garden"))
        versions.append(await read_content_version())  # saves change previews only
        await editor.act("publishEntry", kitchen_entry["id"])
        versions.append(await read_content_version())
        await editor.act("unpublishEntry", kitchen_entry["id"])
        versions.append(await read_content_version())
        release = (await editor.ok('mutation { createRelease(name: "Spring") { id } }'))["createRelease"]["id"]
        for entry in (kitchen_entry, garden_entry):
            await editor.ok(
                "mutation($r: Int!, $e: ID!) { addToRelease(releaseId: $r, entryId: $e) { id } }",
                r=release,
                e=entry["id"],
            )
        await editor.ok("mutation($r: Int!) { publishRelease(id: $r) { status } }", r=release)
        versions.append(await read_content_version())
        await editor.ok(
            'mutation($id: ID!) { scheduleUnpublish(id: $id, at: "2030-01-15T10:00:00Z") { id } }',
            id=garden_entry["id"],
        )
        clock.advance(hours=2)
        assert await run_due_jobs(model) == 1
        versions.append(await read_content_version())

        start = versions[0]
        assert versions == [start, start, start + 1, start + 2, start + 3, start + 4]
    finally:
        use_clock(previous)


async def test_a_protected_channel_answer_is_private_and_never_served_without_a_token(  # type: ignore[no-untyped-def]
    settings, model, tmp_path, editor
) -> None:
    from cms.app import create_app
    from cms.model import load_model

    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", "[channels.kiosk]\n", "[channels.kiosk]\npublic = false\n")
    await editor.act("publishEntry", (await editor.create("category", category("Kitchen")))["id"])
    reader = {"Authorization": f"Bearer {await token_for(model, 'delivery:kiosk')}"}
    query = {"query": '{ category(by: { slug: "kitchen" }) { slug } }'}
    async with build_client(create_app(settings, load_model(directory))) as client:
        allowed = await client.get("/graphql/kiosk", params=query, headers=reader)
        anonymous = await client.get("/graphql/kiosk", params=query)
        with_etag = await client.get("/graphql/kiosk", params=query, headers={"If-None-Match": allowed.headers["etag"]})

    assert allowed.json() == {"data": {"category": {"slug": "kitchen"}}}
    assert allowed.headers["cache-control"] == "private, max-age=60"
    assert [anonymous.status_code, with_etag.status_code] == [401, 401]
    assert "kitchen" not in anonymous.text + with_etag.text


def answer(size: int) -> CachedAnswer:
    return CachedAnswer(b"x" * size, "channel-web")


def test_the_cache_drops_the_least_recently_used_answer_beyond_its_entries() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=10_000)
    cache.put("a", answer(10))
    cache.put("b", answer(10))
    assert cache.get("a") is not None  # "a" is now the most recently used

    cache.put("c", answer(10))

    assert [cache.get("a") is not None, cache.get("b") is not None, cache.get("c") is not None] == [True, False, True]


def test_the_cache_stays_within_its_bytes() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=1000)
    for key in "abcdefghijk":
        cache.put(key, answer(100 - len("channel-web")))  # 100 bytes each, header included

    cache.put("too big", answer(200))  # over an eighth of the budget: not kept, nothing dropped for it

    assert (len(cache), cache.size) == (10, 1000)
    assert [key for key in "abk" if cache.get(key) is not None] == ["b", "k"]
    assert cache.get("too big") is None
