from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-20T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the search index (cms.search): SQLite FTS5 tables, or a PostgreSQL tsvector table (unaccent)"

SQLITE = (
    "CREATE TABLE cms_search (id INTEGER PRIMARY KEY, entry VARCHAR(36) NOT NULL, content_type VARCHAR(64) NOT NULL,"
    " channel VARCHAR(64) NOT NULL, locale VARCHAR(16) NOT NULL, valid_from TIMESTAMP NULL, valid_until TIMESTAMP NULL,"
    " title TEXT NOT NULL DEFAULT '', codes TEXT NOT NULL DEFAULT '', facets TEXT NOT NULL DEFAULT '[]',"
    " numbers TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX cms_search_entry ON cms_search (entry)",
    "CREATE VIRTUAL TABLE cms_search_text USING fts5(a, b, c, tokenize = 'unicode61 remove_diacritics 2',"
    " prefix = '2 3')",
    # Every stem written, for typos: looked up by primary key (an fts5vocab table walks the whole FTS index on
    # every query: 2 ms at 2,000 terms, growing with the catalogue).
    "CREATE TABLE cms_search_word (word TEXT PRIMARY KEY) WITHOUT ROWID",
)
POSTGRES = (
    # Needs a role allowed to create it (a superuser, or the database owner on PostgreSQL 13+, where
    # unaccent is a trusted extension): see the README.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TABLE cms_search (id BIGSERIAL PRIMARY KEY, entry VARCHAR(36) NOT NULL, content_type VARCHAR(64) NOT NULL,"
    " channel VARCHAR(64) NOT NULL, locale VARCHAR(16) NOT NULL, valid_from TIMESTAMPTZ NULL,"
    " valid_until TIMESTAMPTZ NULL, title TEXT NOT NULL DEFAULT '', codes TEXT[] NOT NULL DEFAULT '{}',"
    " facets JSONB NOT NULL DEFAULT '[]', numbers JSONB NOT NULL DEFAULT '{}', document TSVECTOR NOT NULL)",
    "CREATE INDEX cms_search_entry ON cms_search (entry)",
    "CREATE INDEX cms_search_document ON cms_search USING gin (document)",
    "CREATE TABLE cms_search_word (word TEXT PRIMARY KEY)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        for statement in POSTGRES if isinstance(engine, PostgresEngine) else SQLITE:
            await engine.run_ddl(statement)

    async def drop() -> None:
        engine = engine_finder()
        for table in ("cms_search_text", "cms_search_word", "cms_search"):
            await engine.run_ddl(f"DROP TABLE IF EXISTS {table}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
