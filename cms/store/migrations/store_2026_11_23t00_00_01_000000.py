import hashlib

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

ID = "2026-11-23T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "hash the stored text of projections written before (Piccolo runs raw steps before new columns); "
    "a listing index that covers pages without their text"
)
COVERING = [
    "CREATE INDEX cms_projection_stage_listing_hashed ON cms_projection "
    "(stage, content_type, channel, locale, entry, valid_from, valid_until, doc_hash)",
    "CREATE INDEX cms_projection_entry_hashed ON cms_projection "
    "(entry, stage, channel, locale, valid_from, valid_until, doc_hash)",
]
BATCH = 400
"""Rows per UPDATE: two parameters each, under the 999 SQLite allowed before 3.32."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def hash_existing_rows() -> None:
        """Rows written before get the hash of their stored text (on PostgreSQL, of jsonb's text, with md5:
        any 128-bit hash of the text will do, a hash only has to change when the text does)."""
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("UPDATE cms_projection SET doc_hash = md5(doc::text)")
            return
        last = 0
        while True:
            rows = await engine.run_querystring(
                QueryString("SELECT id, doc FROM cms_projection WHERE id > {} ORDER BY id LIMIT {}", last, BATCH)
            )
            if not rows:
                return
            pairs = [(int(row["id"]), hashlib.blake2b(row["doc"].encode(), digest_size=16).hexdigest()) for row in rows]
            values = ", ".join(["({}, {})"] * len(pairs))
            await engine.run_querystring(
                QueryString(
                    f"WITH hashed(id, doc_hash) AS (VALUES {values}) UPDATE cms_projection SET doc_hash = "
                    "(SELECT doc_hash FROM hashed WHERE hashed.id = cms_projection.id) "
                    "WHERE id IN (SELECT id FROM hashed)",
                    *[value for pair in pairs for value in pair],
                )
            )
            last = pairs[-1][0]

    async def cover_listing() -> None:
        """A default-ordered page (by entry) with its total, and references by entry id, read indexes alone
        for documents delivery keeps; the planner needs statistics on the new indexes to prefer them."""
        engine = engine_finder()
        for statement in COVERING:
            await engine.run_ddl(statement)
        await engine.run_ddl("DROP INDEX cms_projection_stage_listing")
        await engine.run_ddl("ANALYZE cms_projection")

    async def uncover_listing() -> None:
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE INDEX cms_projection_stage_listing ON cms_projection (stage, content_type, channel, locale, entry)"
        )
        await engine.run_ddl("DROP INDEX cms_projection_stage_listing_hashed")
        await engine.run_ddl("DROP INDEX cms_projection_entry_hashed")

    manager.add_raw(hash_existing_rows)
    manager.add_raw(cover_listing)
    manager.add_raw_backwards(uncover_listing)
    return manager
