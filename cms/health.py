"""Liveness and readiness probes."""

from __future__ import annotations

import logging
import os
from typing import Any

from litestar import Request, Response, get

from cms.store.database import get_engine

logger = logging.getLogger(__name__)


@get("/health", name="health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", name="ready")
async def ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    checks: dict[str, str] = {}
    try:
        await get_engine().run_ddl("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure means not ready; the details go to the log, not to whoever asks
        logger.exception("readiness check: database unreachable")
        checks["database"] = "unreachable"
    media_root = request.app.state.settings.media_root
    checks["storage"] = "ok" if os.access(media_root, os.W_OK) else f"{media_root} is not writable"
    ready = all(value == "ok" for value in checks.values())
    return Response({"ready": ready, "checks": checks}, status_code=200 if ready else 503)
