"""Test world: one database per run (SQLite by default, PostgreSQL when CMS_TEST_POSTGRES_URL is set).

The environment is set before anything imports `cms`, because Piccolo binds tables to the engine
that `cms.store.piccolo_conf` builds from CMS_DATABASE_URL.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("CMS_TEST_POSTGRES_URL")
_sqlite_dir = tempfile.mkdtemp(prefix="cms-tests-")
os.environ["CMS_DATABASE_URL"] = POSTGRES_URL or f"sqlite:///{_sqlite_dir}/test.sqlite3"
os.environ["CMS_MODEL_DIR"] = str(ROOT / "content_types")
os.environ["CMS_MEDIA_ROOT"] = f"{_sqlite_dir}/media"
os.environ["CMS_SCHEDULER"] = "false"  # tests run due jobs themselves, with a test clock
os.environ["CMS_WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "true"  # receivers in tests listen on 127.0.0.1

import httpx  # noqa: E402
from litestar import Litestar  # noqa: E402

from cms.app import create_app  # noqa: E402
from cms.delivery import pg_reads  # noqa: E402
from cms.delivery.indexes import sync_field_indexes  # noqa: E402
from cms.delivery.reads import KeptConnectionsEngine  # noqa: E402
from cms.model import ContentModel, load_model  # noqa: E402
from cms.settings import Settings, settings_from_environment  # noqa: E402
from cms.store.database import delete_all_content, get_engine, migrate  # noqa: E402
from cms.store.engine import start_engine, stop_engine  # noqa: E402
from cms.store.sqlite import stop_open_connections  # noqa: E402
from tests.demo_snapshot import load_demo_for_tests  # noqa: E402

_demo_is_intact = False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the thread of any aiosqlite connection a test left open: those threads are not daemons, and
    one left running keeps pytest from exiting after its summary (a CI run waited for it until its limit)."""
    stopped = stop_open_connections()
    if stopped:
        print(f"\n(stopped {stopped} aiosqlite connection(s) left open)")


def pytest_report_header() -> str:
    return f"cms database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'} ({os.environ['CMS_DATABASE_URL']})"


SERVICES = {"postgres": "CMS_TEST_POSTGRES_URL", "s3": "CMS_TEST_S3_ENDPOINT"}


@pytest.fixture(autouse=True)
def _needs_services(request: pytest.FixtureRequest) -> None:
    """Tests marked `postgres` or `s3` need that server: skipped on a laptop without it, failed in CI."""
    for marker, variable in SERVICES.items():
        if request.node.get_closest_marker(marker) and not os.environ.get(variable):
            message = f"needs {variable} (.ci/run starts the server)"
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI=true: {message}")
            pytest.skip(message)


@pytest.fixture(scope="session")
def model() -> ContentModel:
    return load_model(ROOT / "content_types")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_from_environment()


@pytest.fixture(scope="session")
async def database(model: ContentModel) -> AsyncIterator[None]:
    """The migrated test database, with the connection pool started in the tests' event loop and the
    model's field indexes (and, on PostgreSQL, sort columns) made as the app makes them at start."""
    engine = get_engine()
    await start_engine(engine, 4)
    await migrate()
    await sync_field_indexes(model)
    yield
    await pg_reads.close_pool()
    await stop_engine(engine)


@pytest.fixture
async def clean_db(database: None) -> None:
    """An empty store."""
    global _demo_is_intact
    _demo_is_intact = False
    await delete_all_content()


@pytest.fixture
async def demo_db(database: None, model: ContentModel) -> None:
    """The published demo content, as `cms demo` loads it (cms/demo/demo.ndjson, through the import path);
    loaded once and reused by read-only tests."""
    global _demo_is_intact
    if not _demo_is_intact:
        await load_demo_for_tests(model)
        _demo_is_intact = True


def forget_demo() -> None:
    """For a fixture that empties or changes the store by itself: `demo_db` loads it again next time."""
    global _demo_is_intact
    _demo_is_intact = False


@pytest.fixture
async def demo_to_change(database: None, model: ContentModel) -> None:
    """The demo content, loaded for a test that changes it (`demo_db` is shared by read-only tests)."""
    forget_demo()
    await load_demo_for_tests(model)


GRAPHQL_CLIENT_ACCEPT = "application/graphql-response+json, application/json"
"""What GraphQL clients following GraphQL over HTTP send (graphql-http's client, urql): the test client sends it
too, so a request error is a 400; tests of clients that predate the spec (200 with the errors) send their own."""


def build_client(app: Litestar) -> httpx.AsyncClient:
    """Drive the app in the test's own event loop (Piccolo pools are bound to their loop)."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cms.test", headers={"Accept": GRAPHQL_CLIENT_ACCEPT}
    )


@pytest.fixture(scope="session")
def app(settings: Settings, model: ContentModel) -> Litestar:
    return create_app(settings, model)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with build_client(app) as http:
        yield http


class RoundTrips:
    """Counts the queries sent to the database while it is active."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[RoundTrips]:
    engine = get_engine()
    counter = RoundTrips()
    engine_class = type(engine)
    original = engine_class.run_querystring

    async def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counter.count += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    fetch_from_pool = pg_reads.fetch_from_pool  # delivery's own read pool on PostgreSQL

    async def counting_pool_reads(*args):  # type: ignore[no-untyped-def]
        counter.count += 1
        return await fetch_from_pool(*args)

    monkeypatch.setattr(pg_reads, "fetch_from_pool", counting_pool_reads)
    read = KeptConnectionsEngine.read  # delivery's own reads on SQLite

    async def counting_kept_reads(self, *args):  # type: ignore[no-untyped-def]
        counter.count += 1
        return await read(self, *args)

    monkeypatch.setattr(KeptConnectionsEngine, "read", counting_kept_reads)
    yield counter


class EndpointCalls:
    """Counts the requests the delivery endpoint handled itself (the hit lane answers the others)."""

    def __init__(self) -> None:
        self.count = 0


@pytest.fixture
def endpoint_calls(monkeypatch: pytest.MonkeyPatch) -> EndpointCalls:
    from cms.delivery.hits import DeliveryRequest

    counter = EndpointCalls()
    of = DeliveryRequest.of

    def counting(request: Any, channel: str) -> DeliveryRequest:
        counter.count += 1
        return of(request, channel)

    monkeypatch.setattr(DeliveryRequest, "of", counting)
    return counter
