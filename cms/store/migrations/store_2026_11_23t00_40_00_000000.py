from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T00:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PostgreSQL: the covering indexes of delivery include the row id (SQLite's have it as rowid)"

COVERING = {
    "cms_projection_stage_listing_hashed": (
        "(stage, content_type, channel, locale, entry, valid_from, valid_until, doc_hash)"
    ),
    "cms_projection_entry_hashed": "(entry, stage, channel, locale, valid_from, valid_until, doc_hash)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def include_ids() -> None:
        """Delivery selects each row's id with its hash: with the id in the index, PostgreSQL can answer a
        page from the index alone (an index-only scan) once the table is vacuumed."""
        engine = engine_finder()
        if not isinstance(engine, PostgresEngine):
            return
        for name, columns in COVERING.items():
            await engine.run_ddl(f"DROP INDEX {name}")
            await engine.run_ddl(f"CREATE INDEX {name} ON cms_projection {columns} INCLUDE (id)")
        await engine.run_ddl("ANALYZE cms_projection")

    async def without_ids() -> None:
        engine = engine_finder()
        if not isinstance(engine, PostgresEngine):
            return
        for name, columns in COVERING.items():
            await engine.run_ddl(f"DROP INDEX {name}")
            await engine.run_ddl(f"CREATE INDEX {name} ON cms_projection {columns}")

    manager.add_raw(include_ids)
    manager.add_raw_backwards(without_ids)
    return manager
