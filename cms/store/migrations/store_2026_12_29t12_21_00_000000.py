"""What lists need beside the value columns and indexes made at start (cms.delivery.indexes).

PostgreSQL: `cms_fold(text)`, lower case without accents (`unaccent`, installed by the search index's
migration), declared IMMUTABLE so that a generated sort column can hold it: string sorts then fold as SQLite's
do (cms.lib.folding), where `lower()` left "Élan" after "Zebra".

PostgreSQL: `pg_trgm`, for the trigram indexes `contains` filters use (cms.delivery.indexes).

SQLite: `cms_projection_text`, an FTS5 table (trigram tokenizer) of each projection's folded texts (its facts'
`~` values, one per line), rowid = the projection's id, for `contains` filters (cms.delivery.sql); and
`cms_projection_reference`, one row per (list field, referenced id, projection) of every text item of
a list in a projection's facts (cms.model.facts: a filterable `references` field), kept by triggers in the
transaction that writes the projection, so that a `references: {contains: id}` filter looks its rows up by
primary key instead of reading every row's list with `json_each`. PostgreSQL indexes those lists with GIN
(cms.delivery.indexes).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

ID = "2026-12-29T12:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "lists: cms_fold() and pg_trgm on PostgreSQL; cms_projection_reference and cms_projection_text on SQLite"

FOLD = (
    "CREATE OR REPLACE FUNCTION cms_fold(value TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    " AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, value)) $$"
)
"""unaccent() with its dictionary named is immutable in fact (PostgreSQL declares it stable: the dictionary
could change), and names its schema so that it works whatever the search path of whoever writes a row."""

TRIGRAMS = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
"""Trigram GIN indexes of folded texts for `contains` filters (cms.delivery.indexes): trusted since PostgreSQL 13,
like unaccent (see the README)."""

ITEMS = (
    "json_each({facts}) AS fact, json_each(CASE WHEN fact.type = 'array' THEN fact.value END) AS item"
    " WHERE item.type = 'text'"
)
"""The text items of the lists in a row's facts (json_each of NULL is empty; of a non-list value, an error)."""
INSERT = "INSERT OR IGNORE INTO cms_projection_reference (field, target, projection) SELECT fact.key, item.value,"
TEXTS_OF_NEW = (
    "INSERT INTO cms_projection_text (rowid, value) SELECT new.id, (SELECT group_concat(value, char(10))"
    " FROM json_each(new.facts) WHERE substr(key, 1, 1) = '~' AND length(key) > 1) WHERE new.facts IS NOT NULL"
)
"""The folded texts of a row's facts (`~name`, `~brand`, …; `~` alone is their digest), one per line."""
TRIGGERS = ("insert", "update", "delete")
SQLITE = (
    "CREATE TABLE cms_projection_reference (field TEXT NOT NULL, target TEXT NOT NULL, projection INTEGER NOT NULL,"
    " PRIMARY KEY (field, target, projection)) WITHOUT ROWID",
    "CREATE INDEX cms_projection_reference_projection ON cms_projection_reference (projection)",
    "CREATE VIRTUAL TABLE cms_projection_text USING fts5(value, tokenize = 'trigram')",
    "CREATE TRIGGER cms_projection_lists_insert AFTER INSERT ON cms_projection"
    f" BEGIN {INSERT} new.id FROM {ITEMS.format(facts='new.facts')}; {TEXTS_OF_NEW}; END",
    "CREATE TRIGGER cms_projection_lists_update AFTER UPDATE OF facts ON cms_projection"
    " BEGIN DELETE FROM cms_projection_reference WHERE projection = old.id;"
    f" {INSERT} new.id FROM {ITEMS.format(facts='new.facts')};"
    f" DELETE FROM cms_projection_text WHERE rowid = old.id; {TEXTS_OF_NEW}; END",
    "CREATE TRIGGER cms_projection_lists_delete AFTER DELETE ON cms_projection"
    " BEGIN DELETE FROM cms_projection_reference WHERE projection = old.id;"
    " DELETE FROM cms_projection_text WHERE rowid = old.id; END",
    f"{INSERT} projection.id FROM cms_projection AS projection, {ITEMS.format(facts='projection.facts')}",
    TEXTS_OF_NEW.replace("new.", "projection.").replace(" WHERE projection.facts", " FROM cms_projection AS projection WHERE projection.facts"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            rows = await engine.run_querystring(
                QueryString("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'unaccent'")
            )
            await engine.run_ddl(FOLD.format(schema=rows[0]["schema"]))
            await engine.run_ddl(TRIGRAMS)
        else:
            for statement in SQLITE:
                await engine.run_ddl(statement)

    async def drop() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("DROP FUNCTION IF EXISTS cms_fold(TEXT)")
        else:
            for trigger in TRIGGERS:
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS cms_projection_lists_{trigger}")
            await engine.run_ddl("DROP TABLE IF EXISTS cms_projection_reference")
            await engine.run_ddl("DROP TABLE IF EXISTS cms_projection_text")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
