"""PostgreSQL stopped under load, then started again: the app keeps serving what its response cache holds
(marked stale), refuses the rest at once with 503 and Retry-After, publishes nothing half-way, and recovers
by itself, content notifications included.

The test owns its PostgreSQL cluster and app process (tests/faults/servers.py): the shared server stays up.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
import httpx
import pytest

from cms.auth.sessions import SESSION_COOKIE
from tests.faults.servers import AppServer

pytestmark = pytest.mark.postgres

PRODUCTS = "query Products($first: Int) { products(first: $first) { totalCount nodes { id slug name } } }"
BUMP = (
    "WITH bumped AS (UPDATE cms_content_version SET version = version + 1 WHERE id = 1 RETURNING version) "
    "SELECT pg_notify('cms_content', version::text) FROM bumped"
)
CREATE = 'mutation($data: JSON!) { createEntry(type: "category", data: $data) { id } }'
EDIT = "mutation($id: ID!, $base: Int!, $data: JSON!) { updateEntry(id: $id, baseVersion: $base, data: $data) { id } }"
PUBLISH = "mutation($id: ID!) { publishEntry(id: $id) { id } }"
HALF_PUBLISHED = (
    "SELECT e.id, e.published_version, p.channel, p.locale, p.version FROM cms_entry e "
    "JOIN cms_projection p ON p.entry = e.id AND p.stage = 'live' WHERE p.version <> e.published_version"
)
STALE = ('111 cms "Revalidation Failed"', "STALE")


@pytest.fixture
async def clients(stack) -> Any:  # type: ignore[no-untyped-def]
    """An anonymous client of delivery and a management client with an admin token."""
    _, app = stack
    management = {"Authorization": f"Bearer {app.token}"}
    async with (
        httpx.AsyncClient(base_url=app.url, timeout=10) as delivery,
        httpx.AsyncClient(base_url=app.url, timeout=10, headers=management) as manager,
    ):
        yield delivery, manager


def _products(first: int) -> dict[str, str]:
    return {"query": PRODUCTS, "variables": json.dumps({"first": first})}


def _stale(answer: httpx.Response) -> tuple[str | None, str | None]:
    return answer.headers.get("warning"), answer.headers.get("x-cache")


async def _until_stale(client: httpx.AsyncClient) -> None:
    """Until the app noticed the stop: its listener's connection ends at once, but the app may read that
    socket's end after a request that came in with it (till then a hit is a plain hit)."""
    for _ in range(50):
        if "x-cache" in (await client.get("/graphql/web", params=_products(1))).headers:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("cached answers never marked stale after the database stopped")


async def _until_served(client: httpx.AsyncClient, first: int) -> httpx.Response:
    """The first fresh 200 of a query after a restart (the app reconnects by itself, within seconds)."""
    for _ in range(100):
        answer = await client.get("/graphql/web", params=_products(first))
        if answer.status_code == 200 and "x-cache" not in answer.headers:
            return answer
        await asyncio.sleep(0.1)
    raise AssertionError(f"not served again after the restart: {answer.status_code} {answer.text}")


async def test_a_stopped_database_serves_cached_answers_as_stale_and_refuses_the_rest_with_503(stack, clients) -> None:  # type: ignore[no-untyped-def]
    postgres, app = stack
    delivery, manager = clients
    # Given answers the response cache holds (two by GET, one by POST)
    kept = {first: await delivery.get("/graphql/web", params=_products(first)) for first in (1, 2)}
    kept_post = await delivery.post("/graphql/web", json={"query": PRODUCTS, "variables": {"first": 3}})
    assert [answer.status_code for answer in [*kept.values(), kept_post]] == [200, 200, 200]
    assert _stale(kept[1]) == (None, None)

    # When the database stops while requests keep coming
    reading = [delivery.get("/graphql/web", params=_products(first)) for first in (1, 2) for _ in range(10)]
    stopping = asyncio.gather(*reading, asyncio.to_thread(postgres.stop))
    during = (await stopping)[:-1]
    await _until_stale(delivery)
    cached = [delivery.get("/graphql/web", params=_products(first)) for first in (1, 2) for _ in range(10)]
    cached += [delivery.post("/graphql/web", json={"query": PRODUCTS, "variables": {"first": 3}}) for _ in range(5)]
    others = [delivery.get("/graphql/web", params=_products(20 + n)) for n in range(10)]
    others += [
        delivery.post("/graphql/web", json={"query": PRODUCTS, "variables": {"first": 30 + n}}) for n in range(5)
    ]
    others += [manager.post("/graphql", json={"query": "{ entries(first: 1) { totalCount } }"}) for _ in range(5)]
    served, refused = await asyncio.gather(asyncio.gather(*cached), asyncio.gather(*others))
    ready = await delivery.get("/ready")
    editor = await delivery.get("/admin/", headers={"Cookie": f"{SESSION_COOKIE}=a-session", "Accept-Language": "fr"})

    # Then what the cache holds is served as it was, marked stale; the rest is refused at once, 503 + Retry-After
    assert all(answer.status_code == 200 for answer in during), [answer.text for answer in during]
    assert [(answer.status_code, answer.content) for answer in served] == [
        *[(200, kept[first].content) for first in (1, 2) for _ in range(10)],
        *[(200, kept_post.content)] * 5,
    ]
    assert {_stale(answer) for answer in served} == {STALE}
    assert served[0].headers["etag"] == kept[1].headers["etag"]
    assert {(answer.status_code, answer.headers.get("retry-after")) for answer in refused} == {(503, "5")}
    assert {answer.json()["errors"][0]["extensions"]["code"] for answer in refused} == {"SERVICE_UNAVAILABLE"}
    assert (ready.status_code, ready.json()["checks"]["database"]) == (503, "unreachable")
    assert (editor.status_code, editor.headers.get("retry-after")) == (503, "5")
    assert "Indisponible pour le moment" in editor.text
    assert _cms_errors(app) == []
    assert "service unavailable: GET /graphql/web" in app.logged()

    # When it starts again, everything is served fresh, and publishes by anyone are heard again (NOTIFY)
    await asyncio.to_thread(postgres.start)
    fresh = await _until_served(delivery, 1)
    assert (fresh.content, fresh.headers["etag"]) == (kept[1].content, kept[1].headers["etag"])
    assert (await delivery.get("/graphql/web", params=_products(11))).status_code == 200
    assert (await manager.post("/graphql", json={"query": "{ entries(first: 1) { totalCount } }"})).status_code == 200
    assert (await delivery.get("/ready")).status_code == 200
    for _ in range(100):  # the listener reconnects within a second or two
        connection = await asyncpg.connect(postgres.url)
        await connection.execute(BUMP)
        await connection.close()
        await asyncio.sleep(0.1)
        if (await delivery.get("/graphql/web", params=_products(1))).headers["etag"] != kept[1].headers["etag"]:
            break
    else:
        raise AssertionError("a notified publish never changed the answer's ETag")


def _cms_errors(app: AppServer) -> list[str]:
    """Errors logged by the app itself (asyncpg logs its own retries with a traceback)."""
    return [line for line in app.logged().splitlines() if line.startswith("ERROR") and " - cms." in line]


def _category(slug: str, name: str) -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": slug}}}


async def _graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables})


async def _edit_and_publish_until_refused(client: httpx.AsyncClient, entry: str, slug: str) -> list[httpx.Response]:
    """Save and publish new versions of a category until a request is refused; the last answer of each step."""
    answers: list[httpx.Response] = []
    for version in range(2, 500):
        for query, variables in (
            (EDIT, {"id": entry, "base": version - 1, "data": _category(slug, f"Edit {version}")}),
            (PUBLISH, {"id": entry}),
        ):
            answers.append(await _graphql(client, query, **variables))
            if answers[-1].status_code != 200 or "errors" in answers[-1].json():
                return answers
    return answers


async def test_publishing_while_the_database_stops_is_refused_with_503_and_leaves_nothing_half_published(
    stack, clients
) -> None:  # type: ignore[no-untyped-def]
    postgres, app = stack
    _, manager = clients
    await _until_served(clients[0], 1)
    categories = []
    for n in range(4):
        created = await _graphql(manager, CREATE, data=_category(f"fault-{n}", "Fault"))
        entry = created.json()["data"]["createEntry"]["id"]
        assert (await _graphql(manager, PUBLISH, id=entry)).status_code == 200
        categories.append((entry, f"fault-{n}"))

    # When the database stops while four editors save and publish
    publishing = [asyncio.create_task(_edit_and_publish_until_refused(manager, *category)) for category in categories]
    await asyncio.sleep(0.5)
    await asyncio.to_thread(postgres.stop)
    steps = await asyncio.gather(*publishing)

    # Then each was refused with 503 and Retry-After (not a 500, not an error inside a 200)
    for answers in steps:
        assert len(answers) > 2 and all(answer.status_code == 200 for answer in answers[:-1])
        last = answers[-1]
        assert (last.status_code, last.headers.get("retry-after")) == (503, "5"), last.text
        assert last.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert _cms_errors(app) == []

    # And once it is back, every entry's live projections are all of its published version
    await asyncio.to_thread(postgres.start)
    connection = await asyncpg.connect(postgres.url)
    try:
        assert await connection.fetch(HALF_PUBLISHED) == []
        live = await connection.fetch(
            "SELECT entry, count(*) AS projections FROM cms_projection WHERE stage = 'live' AND entry = any($1) "
            "GROUP BY entry",
            [entry for entry, _ in categories],
        )
    finally:
        await connection.close()
    assert len({row["projections"] for row in live}) == 1 and len(live) == len(categories)
    assert (await _graphql(manager, PUBLISH, id=categories[0][0])).status_code == 200
