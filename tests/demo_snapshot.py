"""The demo for tests: loaded once per run through the import path, then restored from a copy of its rows.

Importing the demo takes seconds (every entry checked, versioned, projected and indexed); the fixtures need it
again after every test that changed the store. So the first load copies every content table into a
`demo_snapshot__<table>` table beside it, in the same database (same SQL on SQLite and PostgreSQL), and later
restores are a delete and an `INSERT … SELECT` per table in one transaction. Generated columns (the model's
sort and index columns) are left for the database to compute; the FTS5 table keeps its rowids, which the
search rows point at. The content and stock versions are bumped, never restored: an answer cached under an
earlier version must not come back.
"""

from __future__ import annotations

from piccolo.engine.base import Engine

from cms.demo.load import load_demo, put_demo_pictures
from cms.media.storage import storage_for
from cms.model.definitions import ContentModel
from cms.settings import get_settings
from cms.store.content_version import bump_content_version, bump_stock_version
from cms.store.database import delete_all_content, get_engine, raw_content_tables, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import TABLES, ContentVersion

PREFIX = "demo_snapshot__"
_STORED_AS_IS = {True: " WITH (toast_tuple_target=8160)", False: ""}
"""PostgreSQL copies a compressed value as it is: a snapshot compressing what `cms_projection` keeps whole (its
documents under 8 KB, stored uncompressed in their row) would give restored rows compressed documents."""
_columns: dict[str, list[str]] = {}
"""Per content table, the columns copied (set by `take_demo_snapshot`)."""


def content_tables(engine: Engine) -> list[str]:
    """Every table `delete_all_content` empties, parents first (the order rows can be inserted in)."""
    piccolo = [table._meta.tablename for table in TABLES if table is not ContentVersion]
    return piccolo + list(raw_content_tables(engine))


async def load_demo_and_take_snapshot(model: ContentModel) -> None:
    """Empty the store, load the demo through `cms.demo.load` and copy its rows aside."""
    await delete_all_content()
    await load_demo(model)
    engine = get_engine()
    for table in content_tables(engine):
        columns = await _stored_columns(engine, table)
        selected = ", ".join(["rowid AS snapshot_rowid", *columns] if _is_fts(engine, table) else columns)
        await engine.run_ddl(f"DROP TABLE IF EXISTS {PREFIX}{table}")
        await engine.run_ddl(
            f"CREATE TABLE {PREFIX}{table}{_STORED_AS_IS[is_postgres(engine)]} AS SELECT {selected} FROM {table}"
        )
        _columns[table] = columns


async def load_demo_for_tests(model: ContentModel) -> None:
    """The store holding the demo and nothing else: imported the first time in a run, restored after that."""
    if _columns:
        await restore_demo_snapshot()
    else:
        await load_demo_and_take_snapshot(model)


async def restore_demo_snapshot() -> None:
    """The store as `load_demo_and_take_snapshot` left it, in one transaction; the demo's pictures put back in
    media storage if a test removed them."""
    engine = get_engine()
    async with write_transaction():
        await delete_all_content()
        for table, columns in _columns.items():
            listed = ", ".join(columns)
            if _is_fts(engine, table):
                insert = f"INSERT INTO {table} (rowid, {listed}) SELECT snapshot_rowid, {listed}"
            else:
                insert = f"INSERT INTO {table} ({listed}) SELECT {listed}"
            await engine.run_ddl(f"{insert} FROM {PREFIX}{table}")
        await bump_stock_version()
        await bump_content_version()
    await put_demo_pictures(storage_for(get_settings()))


def _is_fts(engine: Engine, table: str) -> bool:
    return not is_postgres(engine) and table == "cms_search_text"


async def _stored_columns(engine: Engine, table: str) -> list[str]:
    """The table's columns but generated ones, in order."""
    if is_postgres(engine):
        rows = await engine.run_ddl(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = '{table}' AND is_generated = 'NEVER' ORDER BY ordinal_position"
        )
        return [f'"{row["name"]}"' for row in rows]
    rows = await engine.run_ddl(f"PRAGMA table_xinfo({table})")
    return [f'"{row["name"]}"' for row in rows if row["hidden"] == 0]
