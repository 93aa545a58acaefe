"""Invalidation across app instances on PostgreSQL: each instance LISTENs, publishing NOTIFYs.

Two `create_app()` instances in one process stand for two workers (or machines): each has its own
response cache and runs its own listener, started by the function the app's lifespan uses.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from cms.app import create_app
from cms.delivery.http import DeliveryService
from cms.delivery.invalidation import InvalidationListener, listening
from cms.store.content_version import read_content_version
from cms.store.database import get_engine
from tests.conftest import build_client
from tests.management_client import Management, token_for

pytestmark = pytest.mark.postgres

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'


class Instance:
    def __init__(self, client: httpx.AsyncClient, service: DeliveryService, listener: InvalidationListener) -> None:
        self.client, self.service, self.listener = client, service, listener

    async def kitchen(self) -> httpx.Response:
        return await self.client.get("/graphql/web", params={"query": KITCHEN})

    async def kitchen_name(self) -> str | None:
        found = (await self.kitchen()).json()["data"]["category"]
        return None if found is None else found["name"]  # type: ignore[no-any-return]

    async def caught_up(self) -> None:
        """Wait until this instance's listener has been told of the last publish."""
        latest = await read_content_version()
        await until(lambda: self.service.freshness.latest == latest)


@asynccontextmanager
async def instance(settings: Any, model: Any) -> AsyncIterator[Instance]:
    app = create_app(settings, model)
    service: DeliveryService = app.state.delivery
    async with listening(service.freshness, get_engine(), retry_seconds=0.05) as listener, build_client(app) as client:
        assert listener is not None
        await until(lambda: service.freshness.listening)
        yield Instance(client, service, listener)


def closed_port() -> int:
    """A port nothing listens on (bound, then released): connecting there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until(condition: Callable[[], bool], within: float = 1.0) -> None:
    """Poll `condition` until it holds; fail after `within` seconds."""
    for _ in range(int(within / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    assert condition(), f"not true within {within} s"


def category(name: str) -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": "kitchen"}}}


async def publish_kitchen(editor: Management, name: str, entry_id: str | None = None) -> str:
    if entry_id is None:
        entry_id = (await editor.create("category", category(name)))["id"]
    else:
        current = (await editor.ok("query($id: ID!) { entry(id: $id) { currentVersion } }", id=entry_id))["entry"]
        await editor.update(entry_id, current["currentVersion"], category(name))
    await editor.act("publishEntry", entry_id)
    return entry_id


async def test_a_cached_answer_costs_no_database_round_trip_while_listening(
    settings, model, clean_db, round_trips
) -> None:  # type: ignore[no-untyped-def]
    async with instance(settings, model) as worker:
        editor = Management(worker.client, await token_for(model, "management:admin"))
        await publish_kitchen(editor, "Kitchen")
        await worker.caught_up()
        first = await worker.kitchen()

        round_trips.count = 0
        again = await worker.kitchen()
        not_modified = await worker.client.get(
            "/graphql/web", params={"query": KITCHEN}, headers={"If-None-Match": first.headers["etag"]}
        )

        assert round_trips.count == 0
        assert (again.status_code, again.content) == (200, first.content)
        assert not_modified.status_code == 304


async def test_a_publish_on_one_instance_reaches_another_within_a_second(settings, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    async with instance(settings, model) as a, instance(settings, model) as b:
        editor = Management(a.client, await token_for(model, "management:admin"))
        entry_id = await publish_kitchen(editor, "Kitchen")
        await b.caught_up()
        assert await b.kitchen_name() == "Kitchen"
        assert len(b.service.cache) == 1  # warm: without a notification, B would serve this forever

        await publish_kitchen(editor, "Kitchen and dining", entry_id)

        names = []
        for _ in range(100):  # 100 × 10 ms: the 1 s bound
            names.append(await b.kitchen_name())
            if names[-1] == "Kitchen and dining":
                break
            await asyncio.sleep(0.01)
        assert names[-1] == "Kitchen and dining", names


async def test_while_its_listener_is_down_an_instance_reads_the_version_per_request(  # type: ignore[no-untyped-def]
    settings, model, clean_db, round_trips
) -> None:
    async with instance(settings, model) as worker:
        editor = Management(worker.client, await token_for(model, "management:admin"))
        entry_id = await publish_kitchen(editor, "Kitchen")
        await worker.caught_up()
        assert await worker.kitchen_name() == "Kitchen"
        dropped = worker.listener.backend_pid
        # Kept down while publishing: back already, it would learn of the publish by notification, within 1 s.
        reachable = worker.listener.connect_options
        worker.listener.connect_options = {**reachable, "host": "127.0.0.1", "port": closed_port()}

        await get_engine().run_ddl(f"SELECT pg_terminate_backend({int(dropped or 0)})")
        await until(lambda: not worker.service.freshness.listening)
        await publish_kitchen(editor, "Kitchen and dining", entry_id)

        assert await worker.kitchen_name() == "Kitchen and dining"  # no notification: the version was read
        assert not worker.service.freshness.listening
        worker.listener.connect_options = reachable
        await until(lambda: worker.service.freshness.listening, within=5.0)
        assert worker.listener.backend_pid not in (None, dropped)
        round_trips.count = 0
        assert await worker.kitchen_name() == "Kitchen and dining"
        assert round_trips.count == 0  # listening again
