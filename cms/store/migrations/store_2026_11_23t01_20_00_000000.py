from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T01:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a projection's doc changed without its doc_hash loses the hash (delivery then reads its text)"

SQLITE = (
    "CREATE TRIGGER cms_projection_doc_hash_stale AFTER UPDATE OF doc ON cms_projection "
    "WHEN NEW.doc IS NOT OLD.doc AND NEW.doc_hash IS OLD.doc_hash "
    "BEGIN UPDATE cms_projection SET doc_hash = NULL WHERE id = NEW.id; END"
)
POSTGRES_FUNCTION = """
CREATE FUNCTION cms_projection_doc_hash_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.doc IS DISTINCT FROM OLD.doc AND NEW.doc_hash IS NOT DISTINCT FROM OLD.doc_hash THEN
        NEW.doc_hash := NULL;
    END IF;
    RETURN NEW;
END
$$
"""
POSTGRES_TRIGGER = (
    "CREATE TRIGGER cms_projection_doc_hash_stale BEFORE UPDATE OF doc ON cms_projection "
    "FOR EACH ROW EXECUTE FUNCTION cms_projection_doc_hash_stale()"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def guard() -> None:
        """Delivery keeps documents by `doc_hash`: a `doc` edited by hand (SQL, an import) while its hash
        stays would be served as the old document as long as that one is kept. Publishing always writes
        both; anything else that changes `doc` alone now clears the hash."""
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(POSTGRES_FUNCTION)
            await engine.run_ddl(POSTGRES_TRIGGER)
        else:
            await engine.run_ddl(SQLITE)

    async def unguard() -> None:
        engine = engine_finder()
        await engine.run_ddl(
            "DROP TRIGGER cms_projection_doc_hash_stale"
            + (" ON cms_projection" if isinstance(engine, PostgresEngine) else "")
        )
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("DROP FUNCTION cms_projection_doc_hash_stale()")

    manager.add_raw(guard)
    manager.add_raw_backwards(unguard)
    return manager
