"""Expression indexes over projection documents for the model's filterable and sortable fields.

Filters and sorts read values out of the JSON document (cms.delivery.filters); without an index on
that exact expression every list scans all documents of its type, channel and locale. At start the
app makes the set of `cms_projection_filter_*` / `cms_projection_sort_*` indexes match the model:
missing ones are created, ones no longer in the model are dropped, and the table is analysed after a
change or (SQLite) when its statistics are stale, so the planner knows a brand is more selective than
an availability. Index names carry the field and a digest of the expression (and of the columns a sort
index covers), so a changed definition is a new index and replaces the old one on the next start. Both
databases match an index to a query by its expression, hence the expressions come from the same
functions the queries use.

A sort index also holds what a page read in its order selects and tests (the validity window, the
document's hash: cms.delivery.queries), so the page never reads the table's rows, each ~2 KB of
document ahead of those columns. On SQLite the index holds the sort expression itself. PostgreSQL's
planner takes an index as covering only when it holds every column the query names, and an order by
an expression over `doc` names `doc`: there each sort expression is also a stored generated column of
the table (`sort_<field>_<digest>`, cms.delivery.filters.sort_column), computed by PostgreSQL on every
write; the sort index and the order name that column. Columns the model no longer sorts on are dropped
at start with their indexes (a column whose expression fails on a document would refuse its writes).

PostgreSQL also gets a GIN index per filterable list of references (`@>`) and per filterable text (trigrams of
its folded value, for `contains`); SQLite answers those filters from side tables its triggers keep (the
migration that creates them says how).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import msgspec

from cms.delivery.filters import (
    COLUMN_PREFIXES,
    SORT_COLUMN_PREFIX,
    filter_expressions,
    sort_expression,
    use_columns,
    value_column,
    value_column_type,
)
from cms.delivery.sql import JsonDialect
from cms.model.definitions import ContentModel, FieldDef
from cms.model.facts import DIGEST_KEY, TEXT_KINDS, facts_digest, facts_of
from cms.model.names import camel_case
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Projection

logger = logging.getLogger(__name__)

SCOPE = ("stage", "content_type", "channel", "locale")
"""What every delivery list is restricted to, with equality."""
PREFIXES = ("cms_projection_filter_", "cms_projection_sort_")
SERVED_COLUMNS = ("valid_from", "valid_until")
"""Read by every list's validity test: in the filter indexes, a count needs no row of the table."""
PAGE_COLUMNS = (*SERVED_COLUMNS, "doc_hash")
"""Read by a page in the order of a sort index, besides its key (the row id is in every index)."""


class FieldIndex(msgspec.Struct, frozen=True):
    name: str
    columns: tuple[str, ...]
    method: str = ""
    """`USING …` and its operator class, for a PostgreSQL GIN index of a list; empty: a B-tree."""

    def create(self) -> str:
        if self.method:
            return f"CREATE INDEX IF NOT EXISTS {self.name} ON cms_projection USING {self.method}"
        # PostgreSQL wants every expression (anything but a column name) in parentheses.
        columns = ", ".join(column if column.isidentifier() else f"({column})" for column in self.columns)
        return f"CREATE INDEX IF NOT EXISTS {self.name} ON cms_projection ({columns})"


def field_indexes(model: ContentModel, dialect: JsonDialect) -> list[FieldIndex]:
    """One index per distinct filter column and per distinct sort column of the model.

    A filter index also holds the other filter columns of the types filtered on it, and what a page reads:
    a list filtered on two fields (in stock, priced 20 to 80) seeks the first and tests the second in the
    index, counts its total and sorts its matches there, never reading a row (`bench/search.py`: a third of
    100,000 products counted from each row's JSON made the list 0.05× of the unfiltered one)."""
    indexes: dict[str, FieldIndex] = {}
    covering: tuple[str, ...]
    for (name, column), others in _filter_columns(model, dialect).items():
        if column.startswith(SORT_COLUMN_PREFIX):
            # Ordered by the value then the entry, as a list sorted on the value it filters a range of is
            # (cms.delivery.filters.order_clause): its page is read in order, 20 entries, none sorted.
            key, covering = (*SCOPE, column, "entry", *others, *SERVED_COLUMNS), ("doc_hash",)
        else:
            key, covering = (*SCOPE, column, *others, *SERVED_COLUMNS), ("entry", "doc_hash")
        index = _index("filter", name, column, key, covering)
        indexes[index.name] = index
    for content_type in model.types.values():
        for field in content_type.fields:
            gin = _gin_index(dialect, field) if field.filterable and dialect.postgres else None
            if gin is not None:
                indexes[gin.name] = gin
            if field.sortable:
                column = value_column(dialect, field, sort_expression(dialect, field))
                key = (*SCOPE, f"({column} IS NULL)", column, "entry")
                index = _index("sort", camel_case(field.name).lower(), column, key, PAGE_COLUMNS)
                indexes[index.name] = index
    return sorted(indexes.values(), key=lambda index: index.name)


def _gin_index(dialect: JsonDialect, field: FieldDef) -> FieldIndex | None:
    """PostgreSQL: the GIN index a `references: {contains: id}` filter (jsonb @>) or a text's `contains` (a
    trigram index of its folded text) reads (cms.delivery.sql); SQLite reads tables its triggers keep instead."""
    name = camel_case(field.name)
    if field.kind == "references":
        expression, operators = dialect.list_expression(name), "jsonb_path_ops"
    elif field.kind in TEXT_KINDS:
        expression, operators = dialect.contains_expression(name), "gin_trgm_ops"
    else:
        return None
    index = _index("filter", name.lower(), expression, (expression,))
    return FieldIndex(index.name, index.columns, f"gin (({expression}) {operators})")


def _filter_columns(model: ContentModel, dialect: JsonDialect) -> dict[tuple[str, str], list[str]]:
    """By field name and filter column: the other filter columns of every type filtered on that column
    (types share a column when their fields have the same name and expression)."""
    held: dict[tuple[str, str], list[str]] = {}
    for content_type in model.types.values():
        columns = [
            (camel_case(field.name).lower(), value_column(dialect, field, expression))
            for field in content_type.fields
            if field.filterable
            for expression in filter_expressions(dialect, field)
        ]
        for key in columns:
            others = held.setdefault(key, [])
            others += [column for _, column in columns if column != key[1] and column not in others]
    return held


class ValueColumn(msgspec.Struct, frozen=True):
    name: str
    type: str
    expression: str

    def add(self, postgres: bool) -> str:
        if postgres:
            return f"ADD COLUMN IF NOT EXISTS {self.name} {self.type} GENERATED ALWAYS AS ({self.expression}) STORED"
        # SQLite adds no stored column to a table with rows; a virtual one in an index is read from the index.
        return f"ADD COLUMN {self.name} GENERATED ALWAYS AS ({self.expression}) VIRTUAL"


def value_columns(model: ContentModel, dialect: JsonDialect) -> list[ValueColumn]:
    """The generated columns holding the model's filter and sort expressions, one per distinct expression."""
    columns: dict[str, ValueColumn] = {}
    for content_type in model.types.values():
        for field in content_type.fields:
            expressions = filter_expressions(dialect, field) if field.filterable else []
            if field.sortable:
                expressions = [*expressions, sort_expression(dialect, field)]
            for expression in expressions:
                name = value_column(dialect, field, expression)
                columns[name] = ValueColumn(name, value_column_type(dialect, field, expression), expression)
    return sorted(columns.values(), key=lambda column: column.name)


def _index(
    purpose: str, field: str, expression: str, columns: tuple[str, ...], covering: tuple[str, ...] = ()
) -> FieldIndex:
    # Covered columns change the name (an index made without them is replaced); none keep the names
    # indexes had before any covered a column.
    definition = f"{expression} INCLUDE {', '.join(covering)}" if covering else expression
    digest = hashlib.sha256(definition.encode()).hexdigest()[:8]
    return FieldIndex(f"cms_projection_{purpose}_{field}_{digest}", (*columns, *covering))


async def sync_field_indexes(model: ContentModel) -> list[str]:
    """Create the model's missing field indexes and drop the ones it no longer has; the names created."""
    postgres = is_postgres(get_engine())
    wanted = field_indexes(model, JsonDialect(postgres=postgres))
    async with write_transaction():
        if postgres:  # several workers start at once: one of them creates, the others then find them
            await Projection.raw("SELECT pg_advisory_xact_lock(hashtext('cms_projection_field_indexes'))")
        else:
            await refresh_facts(model)
        existing = await _existing(postgres)
        for name in existing - {index.name for index in wanted}:
            await Projection.raw(f"DROP INDEX IF EXISTS {name}")
        columns = value_columns(model, JsonDialect(postgres=postgres))
        # After the indexes it no longer has: adding a column rewrites the table (PostgreSQL), and its indexes
        # with it; SQLite refuses to drop a column an index names.
        rewritten = await _sync_value_columns(columns, postgres) and postgres
        created = [index for index in wanted if index.name not in existing]
        for index in created:
            await Projection.raw(index.create())
        if created or (not postgres and await _sqlite_statistics_are_stale()):
            await Projection.raw("ANALYZE cms_projection")
    use_columns(frozenset(column.name for column in columns))  # committed: conditions and orders may name them
    if rewritten:
        # A rewritten table has no page marked all-visible: until a vacuum, an index-only scan reads the rows.
        await get_engine().run_ddl("VACUUM ANALYZE cms_projection")
    return [index.name for index in created]


FACTS_BATCH = 2000


def _document(stored: str | dict[str, Any]) -> dict[str, Any]:
    return stored if isinstance(stored, dict) else msgspec.json.decode(stored)


async def refresh_facts(model: ContentModel) -> int:
    """SQLite: write the facts (cms.model.facts) of every projection that has none or whose type's facts hold
    other fields now; how many were written. Filters read a row's document while it has no facts, so a row
    is right before as after; one whose facts miss a newly filterable field would not be, hence those are
    emptied first, in one statement per type."""
    written = 0
    for content_type in model.types.values():
        digest = facts_digest(content_type)
        await Projection.raw(
            "UPDATE cms_projection SET facts = NULL WHERE content_type = {} AND facts IS NOT NULL"
            f" AND json_extract(facts, '$.\"{DIGEST_KEY}\"') IS NOT {{}}",
            content_type.name,
            digest,
        )
        last = 0
        while True:
            rows = await Projection.raw(
                "SELECT id, doc FROM cms_projection WHERE content_type = {} AND facts IS NULL AND id > {}"
                " ORDER BY id LIMIT {}",
                content_type.name,
                last,
                FACTS_BATCH,
            )
            if not rows:
                break
            facts = {str(row["id"]): facts_of(content_type, _document(row["doc"])) for row in rows}
            await Projection.raw(
                "UPDATE cms_projection SET facts = written.value FROM json_each({}) AS written"
                " WHERE cms_projection.id = CAST(written.key AS INTEGER)",
                msgspec.json.encode(facts).decode(),
            )
            written += len(rows)
            last = rows[-1]["id"]
    if written:
        logger.info("facts written for %d projections", written)
    return written


async def _sync_value_columns(wanted: list[ValueColumn], postgres: bool) -> bool:
    """Add the missing value columns and drop the ones no longer wanted (with their indexes); whether any was
    added. On PostgreSQL in one statement each (adding a stored column rewrites the table: once for all of
    them); SQLite alters one column a statement."""
    existing = await _existing_columns(postgres)
    names = {column.name for column in wanted}
    gone = [f"DROP COLUMN {name}" for name in sorted(existing - names)]
    missing = [column.add(postgres) for column in wanted if column.name not in existing]
    for changes in (gone, missing):
        statements = [", ".join(changes)] if postgres and changes else changes
        for statement in statements:
            await Projection.raw(f"ALTER TABLE cms_projection {statement}")
    return bool(missing)


async def refresh_columns() -> None:
    """Let conditions and orders name the value columns the table has now: another process (a deploy of
    another model) may have dropped some since this one started. A column's name holds a digest of its
    expression, so any column of the name a query wants holds what it filters or sorts on."""
    use_columns(frozenset(await _existing_columns(is_postgres(get_engine()))))


async def _existing_columns(postgres: bool) -> set[str]:
    if postgres:
        sql = (
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'cms_projection'"
        )
    else:  # table_xinfo lists generated columns too (table_info leaves them out)
        sql = "SELECT name FROM pragma_table_xinfo('cms_projection')"
    rows = await Projection.raw(sql)
    return {row["name"] for row in rows if row["name"].startswith(COLUMN_PREFIXES)}


async def _sqlite_statistics_are_stale() -> bool:
    """No statistics, or the table has grown or shrunk by over a tenth since they were gathered.

    SQLite's planner needs them to prefer a selective filter (a brand) over a broad one (an
    availability) or over reading the sort index in order. PostgreSQL's autovacuum keeps its own.
    """
    try:
        rows = await Projection.raw(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'cms_projection' AND idx IS NOT NULL LIMIT 1"
        )
    except Exception:  # no sqlite_stat1 table: never analysed
        return True
    counted = (await Projection.raw("SELECT count(*) AS n FROM cms_projection"))[0]["n"]
    analysed = int(rows[0]["stat"].split()[0]) if rows else 0
    return not rows or abs(counted - analysed) > max(50, analysed // 10)


async def _existing(postgres: bool) -> set[str]:
    sql = (
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cms_projection'"
        if postgres
        else "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cms_projection'"
    )
    rows = await Projection.raw(sql)
    return {row["name"] for row in rows if row["name"].startswith(PREFIXES)}
