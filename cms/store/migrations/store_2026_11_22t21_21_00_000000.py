from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T21:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index validity window boundaries (delivery finds the next one after now)"

INDEXES = [
    "CREATE INDEX cms_projection_window_start ON cms_projection (stage, valid_from)",
    "CREATE INDEX cms_projection_window_end ON cms_projection (stage, valid_until)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    async def drop_indexes() -> None:
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(f"DROP INDEX {statement.split()[2]}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
