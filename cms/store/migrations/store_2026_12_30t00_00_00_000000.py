"""SQLite: the search index's rows written before its ids counted down get descending ids too.

A search reads its candidates in FTS5's ascending rowid order and stops at `MOST_CANDIDATES`
(cms.search.sqlite): ids count down so that the most recently indexed rows come first. Rows written before
(ids from 1 up, in the order they were indexed) came after every newer row and oldest first, so a broad
query's 200 candidates were not the 200 most recently indexed. Every row is renumbered below every id in use,
in the order the current code would have numbered them: rows with ids of 0 or less (written by the current
code, after the older rows) first as they are, then the positive ids from the highest (the most recently
indexed) to the lowest. `cms_search_text`'s rowids follow: it is rebuilt (renamed, made again from its own
`CREATE` statement, filled in the new order, the old one dropped), which tokenizes each row once where
changing rowids in place would delete and insert each row. Nothing else holds these ids.

Positive ids are taken for the older code's: a database that ran the code counting down before this migration,
while its lowest id was above 1, holds rows that code numbered below that id but above 0; they count as the
oldest here (until republished), since nothing tells them apart.

A database with no positive id (new, or renumbered already) is left alone; PostgreSQL is (its ids count up and
a search reads them in descending order).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

ID = "2026-12-30T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "SQLite: the search index's ascending ids renumbered to count down (newest first)"

NUMBERING = (
    "CREATE TEMP TABLE cms_search_renumbered (new INTEGER PRIMARY KEY, old INTEGER NOT NULL UNIQUE)",
    # The newest first: ids of 0 or less ascending, then positive ids descending; every new id below every
    # id in use, so that no row takes an id another still holds while the statement runs.
    "INSERT INTO cms_search_renumbered (new, old) SELECT bounds.top - bounds.rows"
    " + row_number() OVER (ORDER BY s.id > 0, CASE WHEN s.id > 0 THEN -s.id ELSE s.id END), s.id"
    " FROM cms_search s, (SELECT min(coalesce(min(id), 0), 0) - 1 AS top, count(*) AS rows FROM cms_search) bounds",
    "UPDATE cms_search SET id = r.new FROM cms_search_renumbered r WHERE r.old = cms_search.id",
)
TEXT_OF_RENUMBERED = (
    "INSERT INTO cms_search_text (rowid, a, b, c) SELECT r.new, t.a, t.b, t.c"
    " FROM cms_search_text_renumbered t JOIN cms_search_renumbered r ON r.old = t.rowid"
)
TEXT = (
    "ALTER TABLE cms_search_text RENAME TO cms_search_text_renumbered",
    None,  # the table's own CREATE statement
    # In ascending new ids (FTS5 writes its pending rows out whenever a rowid is not above the last one), read in
    # the old table's own rowid order (no sort of every text): ids of 0 or less, then positive ids backwards.
    f"{TEXT_OF_RENUMBERED} WHERE t.rowid <= 0 ORDER BY t.rowid",
    f"{TEXT_OF_RENUMBERED} WHERE t.rowid > 0 ORDER BY t.rowid DESC",
    "DROP TABLE cms_search_text_renumbered",
    "DROP TABLE temp.cms_search_renumbered",
)


async def renumber() -> None:
    """Renumber on SQLite, in the migration's transaction (Piccolo's); nothing when no id is positive."""
    engine = engine_finder()
    if engine is None or isinstance(engine, PostgresEngine):
        return
    rows = await engine.run_querystring(QueryString("SELECT EXISTS (SELECT 1 FROM cms_search WHERE id > 0) AS old"))
    if not rows[0]["old"]:
        return
    created = await engine.run_querystring(
        QueryString("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cms_search_text'")
    )
    for statement in NUMBERING:
        await engine.run_ddl(statement)
    for text_statement in TEXT:
        await engine.run_ddl(created[0]["sql"] if text_statement is None else text_statement)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def nothing() -> None:
        """Backwards: the descending ids stay (the code before this migration reads them as well)."""

    manager.add_raw(renumber)
    manager.add_raw_backwards(nothing)
    return manager
