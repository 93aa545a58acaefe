"""The Litestar application factory: the one place where the pieces are assembled."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import TooManyRequestsException

from cms.admin import admin_router, admin_static, template_config
from cms.admin.errors import APP_EXCEPTION_HANDLERS
from cms.api.http import management_endpoint
from cms.api.schema import MANAGEMENT_LIMITS, build_management_schema
from cms.auth.http import AUTH_ROUTES
from cms.campaigns.jobs import register_campaign_jobs
from cms.commerce.http import inventory_endpoint
from cms.delivery.admission import Admission
from cms.delivery.cache import ResponseCache
from cms.delivery.http import DeliveryService, delivery_endpoint
from cms.delivery.indexes import sync_field_indexes
from cms.delivery.invalidation import listening
from cms.delivery.operations import OperationRegistry, load_operations
from cms.delivery.pg_reads import close_pool
from cms.delivery.prices_http import prices_endpoint
from cms.delivery.reads import close_readers
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.delivery.sync_http import sync_endpoint
from cms.email.http import EMAIL_ROUTES
from cms.health import health, ready
from cms.lib.rate_limits import rate_limit_configs, rate_limited
from cms.media import MediaLibrary
from cms.media.http import MEDIA_ROUTES
from cms.model import ContentModel, load_model
from cms.ops.observability import observability
from cms.settings import Settings, get_settings
from cms.store.database import get_engine
from cms.store.engine import is_postgres, start_engine, stop_engine
from cms.webhooks.dispatch import dispatching
from cms.workflow.schedules import run_scheduler
from cms.workflow.time_travel import as_of


def create_app(settings: Settings | None = None, model: ContentModel | None = None) -> Litestar:
    """Build the app; raises InvalidModelError (listing every problem) when the model is invalid."""
    settings = settings or get_settings()
    model = model or load_model(settings.model_dir)
    register_campaign_jobs()  # cms.campaigns: the scheduler runs campaign launches and ends
    Path(settings.media_root).mkdir(parents=True, exist_ok=True)
    delivery = DeliveryService(
        model=model,
        schemas={name: build_channel_schema(model, name) for name in model.channels},
        dialect=JsonDialect(postgres=is_postgres(get_engine())),
        operations={
            name: OperationRegistry(
                load_operations(Path(settings.graphql_dir), name), persisted_only=channel.persisted_only
            )
            for name, channel in model.channels.items()
        },
        cache=ResponseCache(settings.delivery_cache_entries, settings.delivery_cache_bytes),
        time_travel=functools.partial(as_of, model),
    )

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        await start_engine(get_engine(), settings.db_pool_size, settings.db_idle_seconds)
        try:
            await sync_field_indexes(model)  # cms.delivery.indexes: filters and sorts of the model use an index
            yield
        finally:
            close_readers()  # cms.delivery.reads: the kept SQLite read connections
            await close_pool()  # cms.delivery.pg_reads: the PostgreSQL read pool
            await stop_engine(get_engine())

    @asynccontextmanager
    async def invalidation(app: Litestar) -> AsyncIterator[None]:
        """On PostgreSQL, LISTEN for publishes by any worker and drop cached answers (cms.delivery.invalidation)."""
        async with listening(delivery.freshness, get_engine()):
            yield

    @asynccontextmanager
    async def scheduler(app: Litestar) -> AsyncIterator[None]:
        """Every worker runs the scheduler; each due job still runs once (see cms.workflow.schedules)."""
        task = asyncio.create_task(run_scheduler(model, settings.scheduler_interval)) if settings.scheduler else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    @asynccontextmanager
    async def webhooks(app: Litestar) -> AsyncIterator[None]:
        """Every worker runs a dispatcher; each delivery is claimed by one at a time (see cms.webhooks.dispatch)."""
        if not settings.webhooks:
            yield
            return
        async with dispatching(settings):
            yield

    management_schema = build_management_schema()
    rate_limits = rate_limit_configs(settings.management_rate_limit, model)
    ops = observability(settings, model, delivery.cache)  # request log, metrics, tracing: nothing when off
    return Litestar(
        route_handlers=[
            index,
            delivery_endpoint,
            sync_endpoint,
            *EMAIL_ROUTES,
            inventory_endpoint,
            prices_endpoint,
            management_endpoint,
            *AUTH_ROUTES,
            health,
            ready,
            *MEDIA_ROUTES,
            admin_router(settings),
            admin_static(settings),
            *ops.route_handlers,
        ],
        # Rate limits (cms.lib.rate_limits): after the request log, so a 429 is logged too.
        middleware=[*ops.middleware, *(config.middleware for config in rate_limits)],
        plugins=ops.plugins,
        after_exception=ops.after_exception,
        on_shutdown=ops.on_shutdown,
        logging_config=ops.logging_config,
        template_config=template_config(),
        exception_handlers={**APP_EXCEPTION_HANDLERS, TooManyRequestsException: rate_limited},
        lifespan=[database, invalidation, scheduler, webhooks],
        state=State(
            {
                "settings": settings,
                "model": model,
                "delivery": delivery,
                "management_schema": management_schema,
                "management_admission": Admission(management_schema._schema, MANAGEMENT_LIMITS),
                "media": MediaLibrary(settings, model),
                **ops.state,
            }
        ),
        debug=settings.debug,
    )


@get("/", name="index")
async def index(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Where to go from here: the GraphQL endpoint of every channel."""
    model: ContentModel = request.app.state.model
    base = str(request.base_url).rstrip("/")
    return {
        "name": "cms",
        "channels": {
            name: {"graphql": f"{base}/graphql/{name}", "locales": channel.locales}
            for name, channel in model.channels.items()
        },
        "health": f"{base}/health",
    }
