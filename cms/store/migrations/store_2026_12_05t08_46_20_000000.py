from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-05T08:46:20:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "indexes of the webhook dispatcher's claim and of the admin's recent attempts; "
    "on SQLite, event ids never reused (AUTOINCREMENT)"
)

INDEXES = (
    "CREATE INDEX cms_webhook_delivery_due ON cms_webhook_delivery (status, next_attempt_at)",
    "CREATE INDEX cms_webhook_delivery_order ON cms_webhook_delivery (subscription, ordering_key, status, id)",
    "CREATE INDEX cms_webhook_attempt_recent ON cms_webhook_attempt (subscription, id)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def indexes() -> None:
        """What the dispatcher's claim reads: due pending deliveries, and the earlier ones of the same entry."""
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)
        if not isinstance(engine, PostgresEngine):
            await _never_reuse_event_ids(engine)

    async def drop_indexes() -> None:
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl("DROP INDEX IF EXISTS " + statement.split()[2])

    async def _never_reuse_event_ids(engine) -> None:
        """SQLite gives a table without AUTOINCREMENT the largest id plus one: after the newest events are
        deleted (a reset), new events would take ids a sync cursor has already passed. The table is new
        and empty here, so it is made again with AUTOINCREMENT (PostgreSQL's sequence never goes back)."""
        rows = await engine.run_ddl("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cms_event'")
        ddl = rows[0]["sql"].replace('"id" INTEGER PRIMARY KEY NOT NULL', '"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL')
        await engine.run_ddl("DROP TABLE cms_event")
        await engine.run_ddl(ddl)

    manager.add_raw(indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
