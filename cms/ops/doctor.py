"""`cms doctor`: every check an operator would make before opening the doors, each problem with its fix.

Checks run in order and go on after a failure where they can: settings, model, database, migrations,
media storage (a probe object written, read back and deleted), the SDL files and persisted operations.
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec

from cms.model import ContentModel
from cms.ops.tracing import INSTALL, tracing_installed
from cms.settings import Settings


class Finding(msgspec.Struct, frozen=True):
    check: str
    ok: bool
    message: str
    fix: str = ""


async def examine(settings: Settings) -> AsyncIterator[Finding]:
    """One finding per check (several for a check with several problems)."""
    from cms.model import InvalidModelError, load_model

    yield _settings(settings)
    try:
        model = load_model(settings.model_dir)
        yield Finding("model", True, f"{len(model.types)} content types, {len(model.channels)} channels")
    except InvalidModelError as error:
        model = None
        for problem in error.problems:
            yield Finding("model", False, str(problem), "fix the model file named, then run `cms check`")
    database_ok = False
    async for finding in _database(settings):
        database_ok = database_ok or finding.ok
        yield finding
    if database_ok:
        yield await _migrations()
    yield await _storage(settings)
    if model is not None:
        for finding in _contract(settings, model):
            yield finding


def _settings(settings: Settings) -> Finding:
    if settings.storage == "s3" and not settings.s3_bucket:
        return Finding("settings", False, "CMS_STORAGE=s3 but CMS_S3_BUCKET is empty", "set CMS_S3_BUCKET")
    if settings.webhook_allow_private_targets:
        return Finding(
            "settings",
            False,
            "CMS_WEBHOOK_ALLOW_PRIVATE_TARGETS=true: webhooks may reach this network's private addresses",
            "unset it outside tests, unless receivers run inside your network",
        )
    if settings.tracing and not tracing_installed():
        return Finding(
            "settings", False, "CMS_TRACING=true but OpenTelemetry is not installed", f"`{INSTALL}`, or unset it"
        )
    return Finding("settings", True, f"database {settings.database_url.split('@')[-1]}, storage {settings.storage}")


async def _database(settings: Settings) -> AsyncIterator[Finding]:
    from cms.store.database import get_engine

    try:
        await get_engine().run_ddl("SELECT 1")
    except Exception as error:
        yield Finding(
            "database",
            False,
            f"cannot reach {settings.database_url.split('@')[-1]}: {type(error).__name__}: {error}",
            "check CMS_DATABASE_URL, that the server runs and accepts this user",
        )
        return
    yield Finding("database", True, "reachable")


async def _migrations() -> Finding:
    from piccolo.apps.migrations.tables import Migration

    import cms.store.migrations as package

    known = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if getattr(module, "ID", None):
            known.add(module.ID)
    ran = set(await Migration.get_migrations_which_ran(app_name="store")) if await Migration.table_exists() else set()
    pending = sorted(known - ran)
    if pending:
        return Finding("migrations", False, f"{len(pending)} pending: {', '.join(pending)}", "run `cms migrate`")
    return Finding("migrations", True, f"all {len(known)} applied")


async def _storage(settings: Settings) -> Finding:
    from cms.media.storage import storage_for

    storage = storage_for(settings)
    where = f"bucket {settings.s3_bucket!r}" if settings.storage == "s3" else f"folder {settings.media_root}"
    key, data = f"probes/doctor-{uuid.uuid4().hex}.txt", b"cms doctor probe"
    try:
        await storage.put(key, data, "text/plain")
        read = await storage.get(key)
        await storage.delete(key)
    except Exception as error:
        fix = "run `cms storage init`, check CMS_S3_* (endpoint, credentials, region)"
        return Finding("storage", False, f"{where}: {type(error).__name__}: {error}", fix)
    if read != data:
        return Finding("storage", False, f"{where}: a probe written was read back different", "check the store")
    return Finding("storage", True, f"{where}: write, read and delete work")


def _contract(settings: Settings, model: ContentModel) -> list[Finding]:
    from cms.delivery.operations import check_operations
    from cms.delivery.schema import build_channel_schema
    from cms.delivery.sdl import sdl_drift

    directory = Path(settings.graphql_dir)
    findings = [
        Finding("sdl", False, problem, "run `cms schema` and commit graphql/*.graphql")
        for problem in sdl_drift(model, directory)
    ] or [Finding("sdl", True, f"{directory}/*.graphql match the model")]
    schemas = {name: build_channel_schema(model, name) for name in model.channels}
    problems = check_operations(directory, schemas)
    findings += [
        Finding("operations", False, f"{p.path}: {p.reason}", "fix or delete the operation file") for p in problems
    ] or [Finding("operations", True, "persisted operations validate against their channels")]
    return findings
