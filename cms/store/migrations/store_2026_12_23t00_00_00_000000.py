"""The stock table (cms.commerce): units per SKU and location, written by the inventory API, never versioned.

Raw SQL, like the search tables: its primary key is the pair (sku, location), which the inventory API's
`INSERT … ON CONFLICT (sku, location) DO UPDATE … WHERE excluded.updated_at > cms_stock.updated_at` needs,
and which Piccolo's table classes cannot declare. On SQLite `updated_at` is an integer, microseconds since
1970 UTC (cms.commerce.stock): exact, compared as numbers, and ten times cheaper to compute for a
100,000-line batch than a formatted text; `WITHOUT ROWID` keeps the rows in the key's b-tree (one lookup
per row instead of two).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-23T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Stock per SKU and location (cms_stock)"

_POSTGRES = (
    "CREATE TABLE cms_stock (sku VARCHAR(200) NOT NULL, location VARCHAR(100) NOT NULL, quantity INTEGER NOT NULL,"
    " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (sku, location))"
)
_SQLITE = (
    "CREATE TABLE cms_stock (sku TEXT NOT NULL, location TEXT NOT NULL, quantity INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL, PRIMARY KEY (sku, location)) WITHOUT ROWID"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        await engine.run_ddl(_POSTGRES if isinstance(engine, PostgresEngine) else _SQLITE)

    async def drop() -> None:
        await engine_finder().run_ddl("DROP TABLE IF EXISTS cms_stock")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
