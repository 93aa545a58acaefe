"""Observability: one JSON line per request with its `X-Request-ID` (the hit lane's answers included), Prometheus
metrics at `/metrics`, OpenTelemetry spans; and nothing of it when it is off."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging
import sys
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from prometheus_client.parser import text_string_to_metric_families

from cms.app import create_app
from cms.ops.doctor import examine
from cms.ops.request_log import FLUSH_DELAY, LOGGER
from cms.ops.tracing import TracingUnavailableError
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Event
from tests.conftest import build_client
from tests.management_client import Management, token_for
from tests.webhooks.helpers import pending, subscribe

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'
FIELDS = {"time", "request_id", "method", "path", "route", "channel", "status", "duration_ms", "cache", "client"}


@pytest.fixture(scope="module")
def observed(settings, model) -> Litestar:  # type: ignore[no-untyped-def]
    """An app with the request log and the metrics on."""
    return create_app(msgspec.structs.replace(settings, request_log="json", metrics=True), model)


class RequestLog:
    """The lines the app's `cms.requests` handler writes (its stream swapped for one the test reads)."""

    def __init__(self) -> None:
        # The one the app's logging config made (pytest adds its capturing handlers, subclasses of it, beside it).
        [self.handler] = [
            handler for handler in logging.getLogger(LOGGER).handlers if type(handler) is logging.StreamHandler
        ]
        self.stream = io.StringIO()
        self.handler.setStream(self.stream)

    async def lines(self, path: str | None = None) -> list[dict[str, Any]]:
        await asyncio.sleep(2 * FLUSH_DELAY)  # the lines of the requests done are written by then
        written = [json.loads(line) for line in self.stream.getvalue().splitlines()]
        return [line for line in written if path is None or line["path"] == path]


@pytest.fixture
def request_log(observed: Litestar) -> RequestLog:
    return RequestLog()


@pytest.fixture
async def client(observed: Litestar) -> Any:
    async with build_client(observed) as http:
        yield http


@pytest.fixture
async def admin(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="observability-admin"))


async def publish_category(admin: Management, slug: str = "kitchen") -> dict[str, Any]:
    entry = await admin.create("category", {"base": {"en": {"name": slug.title(), "slug": slug}}})
    await admin.act("publishEntry", entry["id"])
    return entry


# -- the request log ---------------------------------------------------------------------------------------


async def test_a_delivery_miss_then_a_lane_hit_each_log_one_line_with_the_request_id_sent(  # type: ignore[no-untyped-def]
    client, admin, request_log, endpoint_calls
) -> None:
    await publish_category(admin)
    first = await client.get("/graphql/web", params={"query": KITCHEN}, headers={"X-Request-ID": "edge-1.a_b"})
    endpoint_calls.count = 0
    again = await client.get("/graphql/web", params={"query": KITCHEN}, headers={"X-Request-ID": "edge-2"})

    assert endpoint_calls.count == 0  # the second was answered by the hit lane
    assert (first.headers["x-request-id"], again.headers["x-request-id"]) == ("edge-1.a_b", "edge-2")
    miss, hit = await request_log.lines("/graphql/web")
    assert set(miss) == FIELDS
    assert (miss["request_id"], miss["status"], miss["cache"]) == ("edge-1.a_b", 200, "miss")
    assert (hit["request_id"], hit["status"], hit["cache"]) == ("edge-2", 200, "hit")
    assert (hit["method"], hit["route"], hit["channel"], hit["client"]) == (
        "GET",
        "/graphql/{channel}",
        "web",
        "127.0.0.1",
    )
    assert 0 <= hit["duration_ms"] < 10_000
    assert dt.datetime.fromisoformat(hit["time"]) <= dt.datetime.now(dt.UTC)


async def test_a_304_from_the_lane_carries_the_request_id_too(client, admin, request_log) -> None:  # type: ignore[no-untyped-def]
    await publish_category(admin)
    etag = (await client.get("/graphql/web", params={"query": KITCHEN})).headers["etag"]

    revalidated = await client.get("/graphql/web", params={"query": KITCHEN}, headers={"If-None-Match": etag})

    assert revalidated.status_code == 304
    line = (await request_log.lines("/graphql/web"))[-1]
    assert (line["status"], line["cache"], line["request_id"]) == (304, "hit", revalidated.headers["x-request-id"])


async def test_a_request_without_an_id_gets_a_new_one_in_its_answer_and_its_line(client, admin, request_log) -> None:  # type: ignore[no-untyped-def]
    answer = await admin.client.post("/graphql", json={"query": "{ __typename }"}, headers=admin.headers)

    request_id = answer.headers["x-request-id"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    line = (await request_log.lines("/graphql"))[-1]
    assert (line["request_id"], line["status"], line["route"], line["channel"], line["cache"]) == (
        request_id,
        200,
        "/graphql",
        None,
        None,
    )


@pytest.mark.parametrize("sent", ["has space", "x" * 129, 'quote"d', "é"], ids=["space", "129", "quote", "non-ascii"])
async def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, request_log, sent: str) -> None:  # type: ignore[no-untyped-def]
    answer = await client.get("/health", headers={"X-Request-ID": sent.encode()})

    assert answer.headers["x-request-id"] != sent and len(answer.headers["x-request-id"]) == 32
    assert (await request_log.lines("/health"))[-1]["request_id"] == answer.headers["x-request-id"]


async def test_an_admin_page_is_logged(client, database, request_log) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/admin/login", headers={"X-Request-ID": "admin-page"})

    assert (page.status_code, page.headers["x-request-id"]) == (200, "admin-page")
    [line] = await request_log.lines("/admin/login")
    assert (line["status"], line["route"], line["request_id"]) == (200, "/admin/login", "admin-page")


async def test_a_path_no_route_matches_is_logged_too(client, request_log) -> None:  # type: ignore[no-untyped-def]
    answer = await client.get("/no/such/place", headers={"X-Request-ID": "lost"})

    assert answer.status_code == 404
    [line] = await request_log.lines("/no/such/place")
    assert (line["status"], line["route"], line["request_id"]) == (404, None, "lost")


async def test_with_the_request_log_off_nothing_is_added(settings, model, database) -> None:  # type: ignore[no-untyped-def]
    async with build_client(create_app(settings, model)) as plain:
        answer = await plain.get("/health", headers={"X-Request-ID": "ignored"})

    assert "x-request-id" not in answer.headers


# -- metrics -----------------------------------------------------------------------------------------------


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when there is none)."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


async def scrape(client: Any) -> str:
    answer = await client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return str(answer.text)


async def test_requests_are_counted_per_route_and_channel(client, admin) -> None:  # type: ignore[no-untyped-def]
    route = {"path": "/graphql/{channel}", "method": "GET", "status_code": "200"}
    before = await scrape(client)

    for channel in ("web", "web", "kiosk"):
        await client.get(f"/graphql/{channel}", params={"query": "{ __typename }"})
    await client.get("/graphql/made-up", params={"query": "{ __typename }"})
    after = await scrape(client)

    def counted(text: str, **labels: str) -> float:
        return metric(text, "cms_requests_total", **route, **labels)

    assert counted(after, channel="web") - counted(before, channel="web") == 2
    assert counted(after, channel="kiosk") - counted(before, channel="kiosk") == 1
    # A channel nobody declared is not a label value: clients cannot grow the metrics.
    assert "made-up" not in after
    unknown = {"path": "/graphql/{channel}", "status_code": "404", "channel": ""}
    assert metric(after, "cms_requests_total", **unknown) - metric(before, "cms_requests_total", **unknown) == 1
    assert metric(after, "cms_request_duration_seconds_count", **route, channel="web") >= 2


async def test_a_cache_hit_moves_the_hit_counter(client, admin) -> None:  # type: ignore[no-untyped-def]
    await publish_category(admin)
    await client.get("/graphql/web", params={"query": KITCHEN})
    before = await scrape(client)

    await client.get("/graphql/web", params={"query": KITCHEN})
    after = await scrape(client)

    assert metric(after, "cms_response_cache_hits_total") - metric(before, "cms_response_cache_hits_total") == 1
    assert metric(after, "cms_response_cache_misses_total") == metric(before, "cms_response_cache_misses_total")
    assert 0 < metric(after, "cms_response_cache_hit_ratio") <= 1


async def test_outbox_depth_is_the_pending_deliveries_and_publishes_are_counted(  # type: ignore[no-untyped-def]
    client, admin, settings, model
) -> None:
    await subscribe(admin, "http://127.0.0.1:9/hook")
    await subscribe(admin, "http://127.0.0.1:9/other")
    await publish_category(admin, "kitchen")  # before this worker's first scrape: read from the change log
    fresh = create_app(msgspec.structs.replace(settings, metrics=True), model)
    async with build_client(fresh) as other_worker:
        first = await scrape(other_worker)
        await publish_category(admin, "garden")
        second = await scrape(other_worker)

    published = await Event.count().where(Event.kind == "entry.published")
    assert metric(first, "cms_publishes_total", kind="entry.published") == published - 1
    assert metric(second, "cms_publishes_total", kind="entry.published") == published
    assert metric(second, "cms_webhook_outbox_pending") == await pending() == 4  # two events × two subscriptions
    assert metric(second, "cms_metrics_database_up") == 1


async def test_pools_are_reported_on_postgresql_only(client, database) -> None:  # type: ignore[no-untyped-def]
    text = await scrape(client)

    if is_postgres(get_engine()):
        assert metric(text, "cms_db_pool_max_connections", pool="main") > 0
        assert metric(text, "cms_db_pool_connections", pool="main") >= 1
    else:
        assert "cms_db_pool" not in text


async def test_with_metrics_off_there_is_no_metrics_route(settings, model, database) -> None:  # type: ignore[no-untyped-def]
    async with build_client(create_app(settings, model)) as plain:
        assert (await plain.get("/metrics")).status_code == 404


# -- tracing -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spans() -> Any:
    """Spans recorded in memory by the process's tracer provider (set once: OpenTelemetry allows one)."""
    sdk = pytest.importorskip("opentelemetry.sdk.trace")
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


async def test_with_tracing_on_a_request_makes_a_server_span(settings, model, database, spans) -> None:  # type: ignore[no-untyped-def]
    from opentelemetry.trace import SpanKind

    traced = create_app(msgspec.structs.replace(settings, tracing=True), model)
    spans.clear()
    async with build_client(traced) as http:
        answer = await http.get("/graphql/web", params={"query": "{ __typename }"})

    assert answer.status_code == 200
    [server] = [span for span in spans.get_finished_spans() if span.kind == SpanKind.SERVER]
    assert server.name == "GET /graphql/web"
    assert server.attributes["http.status_code"] == 200


@pytest.fixture
def without_opentelemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    """`import opentelemetry` fails, as when it is not installed (the modules come back after the test)."""
    for name in [name for name in sys.modules if name.startswith(("opentelemetry", "litestar.plugins.opentelemetry"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "opentelemetry", None)


def test_tracing_asked_for_without_opentelemetry_fails_at_start_saying_what_to_install(  # type: ignore[no-untyped-def]
    settings, model, without_opentelemetry
) -> None:
    with pytest.raises(
        TracingUnavailableError, match=r"CMS_TRACING=true needs OpenTelemetry.*pip install 'cms\[tracing\]'"
    ):
        create_app(msgspec.structs.replace(settings, tracing=True), model)


async def test_doctor_says_tracing_is_asked_for_without_opentelemetry(settings, without_opentelemetry) -> None:  # type: ignore[no-untyped-def]
    asked = msgspec.structs.replace(settings, tracing=True, webhook_allow_private_targets=False)
    findings = examine(asked)
    first = await anext(findings)
    await findings.aclose()

    assert (first.check, first.ok) == ("settings", False)
    assert "OpenTelemetry is not installed" in first.message and "cms[tracing]" in first.fix
