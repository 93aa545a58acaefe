"""The stock version (cms.store.content_version): a second counter in the content version's row, bumped by a
stock batch instead of the content version, so a stock change invalidates only the cached answers showing
stock (cms.delivery.cache).

Raw SQL: `ADD COLUMN … NOT NULL DEFAULT 0` reads the same on SQLite and PostgreSQL, and the existing row
starts at 0.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-28T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The stock version (cms_content_version.stock_version)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def add() -> None:
        await engine_finder().run_ddl(
            "ALTER TABLE cms_content_version ADD COLUMN stock_version BIGINT NOT NULL DEFAULT 0"
        )

    async def drop() -> None:
        await engine_finder().run_ddl("ALTER TABLE cms_content_version DROP COLUMN stock_version")

    manager.add_raw(add)
    manager.add_raw_backwards(drop)
    return manager
