"""Liveness and readiness probes."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get

from cms.lib.unavailable import is_database_unavailable
from cms.media.storage import StorageUnavailableError, storage_for
from cms.store.database import get_engine

logger = logging.getLogger(__name__)


@get("/health", name="health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", name="ready")
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """200 when the database answers and the media storage can be listed (S3: the bucket), else 503."""
    checks: dict[str, str] = {}
    try:
        await get_engine().run_ddl("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means not ready; the details go to the log, not to whoever asks
        if is_database_unavailable(error):
            logger.warning("readiness check: database unreachable: %s", error)
        else:
            logger.exception("readiness check: database unreachable")
        checks["database"] = "unreachable"
    try:
        await storage_for(request.app.state.settings).reachable()
        checks["storage"] = "ok"
    except StorageUnavailableError as error:
        logger.warning("readiness check: media storage unavailable: %s", error)
        checks["storage"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return Response({"ready": ready, "checks": checks}, status_code=200 if ready else 503)
