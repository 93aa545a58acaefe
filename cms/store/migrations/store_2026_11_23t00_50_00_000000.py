from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T00:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: projections' documents compressed with lz4 when the server has it"

HAS_LZ4 = "SELECT 1 AS yes FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def lz4() -> None:
        """A ~2 KB document is stored compressed in its row; a page ordered by a field reads that field from
        every row it passes (`doc->>'name'`), decompressing the document each time. lz4 decompresses several
        times faster than the default pglz (a 50-product page by name: ~1.0 ms to ~0.65 ms here). Documents
        written from now on use it; older ones keep pglz until published again."""
        engine = engine_finder()
        if isinstance(engine, PostgresEngine) and await engine.run_ddl(HAS_LZ4):
            await engine.run_ddl("ALTER TABLE cms_projection ALTER COLUMN doc SET COMPRESSION lz4")

    async def pglz() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine) and await engine.run_ddl(HAS_LZ4):
            await engine.run_ddl("ALTER TABLE cms_projection ALTER COLUMN doc SET COMPRESSION pglz")

    manager.add_raw(lz4)
    manager.add_raw_backwards(pglz)
    return manager
