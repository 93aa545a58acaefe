from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T05:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: projections' documents under ~8 KB (a block) stay in their row uncompressed"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def inline() -> None:
        """PostgreSQL compresses a value once its row passes ~2 KB (`toast_tuple_target`), and a page ordered
        by a field decompresses the document of every row it passes to read that field (`doc->>'name'`,
        computed per row even when the index gives the order). With the target at its maximum, documents
        up to ~8 KB are stored as they are: a page of 50 by name cost the server ~330 µs of CPU, ~215 µs
        uncompressed. Larger documents are still compressed (lz4). Rows written from now on; older ones
        keep their storage until published again."""
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            # The largest target a server allows: its block size less a page header and one line pointer
            # (8160 with the usual 8 KB blocks).
            block_size = int((await engine.run_ddl("SELECT current_setting('block_size') AS size"))[0]["size"])
            await engine.run_ddl(f"ALTER TABLE cms_projection SET (toast_tuple_target = {block_size - 32})")

    async def default() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("ALTER TABLE cms_projection RESET (toast_tuple_target)")

    manager.add_raw(inline)
    manager.add_raw_backwards(default)
    return manager
