"""Prometheus metrics at `/metrics` (`CMS_METRICS=true`), through Litestar's Prometheus plugin.

Requests and their latency per route and channel are the metrics of Litestar's `PrometheusMiddleware`
(`cms_requests_total`, `cms_request_duration_seconds`, `cms_requests_in_progress`, `cms_requests_error_total`, by
method, route template, status and channel), counted by a subclass that does less per request (`RouteMetrics`).
What the app knows besides is read when Prometheus scrapes, never counted on the hot path with a Prometheus
metric: the response cache's hits and misses (plain integers of cms.delivery.cache), publishes counted from the
change log (`cms_event`, so those of every worker and of the CLI), pending webhook deliveries (the outbox), the
PostgreSQL pools.

Each worker process serves its own `/metrics`: request counts, latencies, the cache and the pools are that
worker's; publishes and the outbox are read from the database, the same whichever worker answers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, Response, get
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController, PrometheusMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.postgres import PostgresEngine
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from cms.delivery import pg_reads
from cms.delivery.cache import ResponseCache
from cms.model import ContentModel
from cms.store.database import get_engine
from cms.store.tables import Event, WebhookDelivery

logger = logging.getLogger(__name__)

LATENCY_BUCKETS: list[str | float] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]
"""Seconds; finer than Prometheus' default below 5 ms, where cached delivery answers are."""
PUBLISH_KINDS = ("entry.published", "entry.unpublished", "release.published")
DATABASE_TIMEOUT = 2.0
"""Seconds a scrape waits for the database; then it answers with the figures it read last time."""


class RouteMetrics(PrometheusMiddleware):
    """Litestar's Prometheus middleware, with its metrics and labels, at a fraction of its cost per request.

    Litestar's builds a Request, its URL, a dict of labels and a `functools.wraps` send wrapper for each
    request, and looks up each metric's child for those labels four times: ~23 µs a request in process, twice
    what the app itself spends on a cached delivery answer; this one ~5 µs (docs/performance.md). It keeps the
    children of each (method, route, status, channel) seen and reads the route and channel from the scope.
    No exemplars (none configured)."""

    _config: RouteMetricsConfig

    def __init__(self, app: ASGIApp, config: RouteMetricsConfig) -> None:
        super().__init__(app, config)
        self._running: dict[tuple[str, str, str], Any] = {}
        self._done: dict[tuple[str, str, int, str], tuple[Any, Any, Any]] = {}

    def _labels(self, method: str, route: str, status: int, channel: str) -> dict[str, str | int | float]:
        """Litestar's labels in its order (its default ones, then the config's), since the metrics are its own."""
        labels: dict[str, str | int | float] = {"method": method, "path": route, "status_code": status}
        labels |= {"app_name": self._config.app_name, "channel": channel}
        return labels

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope.get("method", scope["type"])  # type: ignore[assignment]
        route: str = scope["path_template"]  # type: ignore[typeddict-item]
        channel: str = scope["path_params"].get("channel", "")
        if channel not in self._config.channels:
            channel = ""  # a label value per name a client makes up would grow the metrics without bound
        running = self._running.get((method, route, channel))
        if running is None:
            labels = self._labels(method, route, 200, channel)
            running = self._running[method, route, channel] = self.requests_in_progress(labels).labels(*labels.values())
        status = 200  # Litestar's, when nothing was sent

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        running.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            running.dec()
            count, duration, errors = self._children(method, route, status, channel)
            count.inc()
            duration.observe(time.perf_counter() - started)
            if errors is not None:
                errors.inc()

    def _children(self, method: str, route: str, status: int, channel: str) -> tuple[Any, Any, Any]:
        """The request counter's, latency histogram's and (for a 5xx) error counter's children of these labels."""
        key = (method, route, status, channel)
        children = self._done.get(key)
        if children is None:
            labels = self._labels(method, route, status, channel)
            values = labels.values()
            errors = self.requests_error_count(labels).labels(*values) if status >= 500 else None
            children = (self.request_count(labels).labels(*values), self.request_time(labels).labels(*values), errors)
            self._done[key] = children
        return children


@dataclass
class RouteMetricsConfig(PrometheusConfig):
    """Litestar's Prometheus config, with the channels the `channel` label may name."""

    channels: frozenset[str] = frozenset()
    middleware_class: type[PrometheusMiddleware] = field(default=RouteMetrics)


def prometheus_config(model: ContentModel) -> RouteMetricsConfig:
    """Metrics named `cms_…`, paths grouped by route, a `channel` label."""
    return RouteMetricsConfig(
        app_name="cms", prefix="cms", group_path=True, buckets=LATENCY_BUCKETS, channels=frozenset(model.channels)
    )


class AppMetrics:
    """The app's own figures, read from its state and the database when scraped (a Prometheus collector)."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache
        self.publishes = dict.fromkeys(PUBLISH_KINDS, 0)
        self.publishes_read_to = 0
        """The change log's id up to which publishes are counted: each scrape reads only the events after it."""
        self.outbox = 0
        self.database_up = 0
        self._reading: asyncio.Lock | None = None

    async def refresh(self) -> None:
        """Read the figures kept in the database (one scrape at a time, so no event is counted twice)."""
        self._reading = self._reading or asyncio.Lock()
        async with self._reading:
            try:
                await asyncio.wait_for(self._read_database(), DATABASE_TIMEOUT)
                self.database_up = 1
            except Exception as error:  # a scrape still answers with what the process knows
                logger.warning("metrics: the database could not be read (%s)", error)
                self.database_up = 0

    async def _read_database(self) -> None:
        # Publishes commit in id order (each transaction bumps the content version first, holding its row),
        # so an id mark never skips one committed later; the first scrape counts the whole log once.
        kinds = ", ".join(f"'{kind}'" for kind in PUBLISH_KINDS)
        rows = await Event.raw(
            f"SELECT kind, count(*) AS n, max(id) AS last FROM cms_event WHERE id > {{}} AND kind IN ({kinds}) "
            "GROUP BY kind",
            self.publishes_read_to,
        )
        for row in rows:
            self.publishes[row["kind"]] += int(row["n"])
            self.publishes_read_to = max(self.publishes_read_to, int(row["last"]))
        self.outbox = int(await WebhookDelivery.count().where(WebhookDelivery.status == "pending"))

    def collect(self) -> Iterator[Metric]:
        cache = self.cache
        yield _counter("cms_response_cache_hits", "Delivery answers served from the response cache.", cache.hits)
        yield _counter("cms_response_cache_misses", "Live delivery answers computed (not in the cache).", cache.misses)
        asked = cache.hits + cache.misses
        yield _gauge(
            "cms_response_cache_hit_ratio",
            "Hits over hits and misses since this worker started (rate() of the counters gives it over time).",
            cache.hits / asked if asked else 0.0,
        )
        yield _gauge("cms_response_cache_entries", "Answers the response cache holds.", len(cache))
        yield _gauge("cms_response_cache_bytes", "Bytes of answers the response cache holds.", cache.size)
        publishes = CounterMetricFamily(
            "cms_publishes", "Publishing events in the change log (every worker's).", labels=["kind"]
        )
        for kind, count in self.publishes.items():
            publishes.add_metric([kind], count)
        yield publishes
        yield _gauge("cms_webhook_outbox_pending", "Webhook deliveries waiting to be sent (the outbox).", self.outbox)
        yield _gauge("cms_metrics_database_up", "1 when the last scrape could read the database.", self.database_up)
        yield from _pools()


def _pools() -> Iterator[Metric]:
    """PostgreSQL connections of this worker: the main pool (Piccolo's) and delivery's read pool; none on SQLite."""
    engine = get_engine()
    usage: list[tuple[str, tuple[int, int, int]]] = []
    if isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool = engine.pool
        usage.append(("main", (pool.get_size(), pool.get_idle_size(), pool.get_max_size())))
    reads = pg_reads.pool_usage()
    if reads is not None:
        usage.append(("delivery_reads", reads))
    if not usage:
        return
    connections = GaugeMetricFamily(
        "cms_db_pool_connections", "Open connections of a PostgreSQL pool, by state.", labels=["pool", "state"]
    )
    most = GaugeMetricFamily("cms_db_pool_max_connections", "Most connections a pool opens.", labels=["pool"])
    for name, (opened, idle, maximum) in usage:
        connections.add_metric([name, "in_use"], opened - idle)
        connections.add_metric([name, "idle"], idle)
        most.add_metric([name], maximum)
    yield connections
    yield most


def _counter(name: str, documentation: str, value: float) -> Metric:
    return CounterMetricFamily(name, documentation, value=value)


def _gauge(name: str, documentation: str, value: float) -> Metric:
    return GaugeMetricFamily(name, documentation, value=value)


class MetricsController(PrometheusController):
    """Litestar's `/metrics` (its registry: the request metrics), followed by the app's own figures."""

    @get(include_in_schema=False)
    async def get(self, request: Request[Any, Any, Any]) -> Response[bytes]:  # type: ignore[override]
        app_metrics: AppMetrics = request.app.state.metrics
        await app_metrics.refresh()
        response: Response[bytes] = await PrometheusController.get.fn(self)
        registry = CollectorRegistry()
        registry.register(app_metrics)  # type: ignore[arg-type]  # a collector: it has `collect`
        response.content += generate_latest(registry)
        return response
