from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T08:46:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes of the webhook dispatcher's claim and of the admin's recent attempts"

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

    async def drop_indexes() -> None:
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl("DROP INDEX IF EXISTS " + statement.split()[2])

    manager.add_raw(indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
