"""The facts column of projections (cms.model.facts): what SQLite's list filters and sorts read.

Rows are given their facts by the next start (cms.delivery.indexes.sync_field_indexes), not here: which
fields they hold comes from the content model, which migrations do not load.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-20T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Facts of projections (cms_projection.facts)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def add() -> None:
        await engine_finder().run_ddl("ALTER TABLE cms_projection ADD COLUMN facts TEXT")

    async def drop() -> None:
        engine = engine_finder()
        if not isinstance(engine, PostgresEngine):
            # SQLite refuses to drop a column an index names: the field indexes read the facts (made again at
            # start from the model).
            rows = await engine.run_ddl(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
                " AND (name LIKE 'cms_projection_filter_%' OR name LIKE 'cms_projection_sort_%')"
            )
            for row in rows or []:
                await engine.run_ddl(f"DROP INDEX IF EXISTS {row['name']}")
        await engine.run_ddl("ALTER TABLE cms_projection DROP COLUMN facts")

    manager.add_raw(add)
    manager.add_raw_backwards(drop)
    return manager
