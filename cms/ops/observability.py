"""What `create_app` adds to the app for the observability the settings ask for: the request log
(cms.ops.request_log), Prometheus metrics (cms.ops.metrics), OpenTelemetry traces (cms.ops.tracing).

With everything off (the default) nothing is added: no middleware, hook or route, Litestar's default logging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.logging.config import BaseLoggingConfig
from litestar.types import Empty, EmptyType

from cms.delivery.cache import ResponseCache
from cms.model import ContentModel
from cms.settings import Settings


@dataclass
class Observability:
    """Arguments for `Litestar(...)`."""

    middleware: list[Any] = field(default_factory=list)
    plugins: list[Any] = field(default_factory=list)
    route_handlers: list[Any] = field(default_factory=list)
    after_exception: list[Any] = field(default_factory=list)
    on_shutdown: list[Any] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    logging_config: BaseLoggingConfig | EmptyType = Empty
    """Empty: Litestar's default."""


def observability(settings: Settings, model: ContentModel, cache: ResponseCache) -> Observability:
    """What to add for the request log, metrics and tracing the settings turn on (modules imported only then)."""
    added = Observability()
    if settings.tracing:
        from cms.ops.tracing import tracing_plugin

        added.plugins.append(tracing_plugin())
    if settings.request_log == "json":
        from cms.ops.request_log import log_unrouted, logging_config, request_log_config

        request_log = request_log_config()
        added.middleware.append(request_log.middleware)  # first: outermost, its duration includes the metrics'
        added.after_exception.append(log_unrouted)
        added.on_shutdown.append(request_log.lines.flush)
        added.logging_config = logging_config()
    if settings.metrics:
        from cms.ops.metrics import AppMetrics, MetricsController, prometheus_config

        added.middleware.append(prometheus_config(model).middleware)
        added.route_handlers.append(MetricsController)
        added.state["metrics"] = AppMetrics(cache)
    return added
