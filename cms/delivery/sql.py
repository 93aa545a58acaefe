"""SQL over stored projection documents, for SQLite and PostgreSQL.

Field names come from the validated content model (snake_case identifiers turned camelCase), so
they are safe inside JSON paths; every value a client sends travels as a bound parameter.
"""

from __future__ import annotations

from typing import Any

import msgspec

from cms.lib.folding import fold
from cms.model.facts import FOLDED

SQLITE_SOURCE = "coalesce(facts, doc)"
"""What SQLite reads filtered, sorted and looked-up values from: a row's facts (cms.model.facts, ~150 bytes
of JSON to parse instead of the ~2 KB document), or its document on a row whose facts are not written yet."""


class JsonDialect:
    """How to read a value out of a projection: its `doc` on PostgreSQL (`jsonb`, read by key), its facts on
    SQLite."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres

    def text(self, *path: str) -> str:
        if self.postgres:
            return "doc" + "".join(f"->'{key}'" for key in path[:-1]) + f"->>'{path[-1]}'"
        return f"json_extract({SQLITE_SOURCE}, '$.{'.'.join(path)}')"

    def number(self, *path: str) -> str:
        return f"CAST({self.text(*path)} AS {'NUMERIC' if self.postgres else 'REAL'})"

    def boolean(self, *path: str) -> str:
        return f"CAST({self.text(*path)} AS BOOLEAN)" if self.postgres else self.text(*path)

    def boolean_param(self, value: bool) -> Any:
        return value if self.postgres else int(value)

    def folded(self, name: str) -> str:
        """SQLite: the folded text of top-level field `name` (lower case, accents folded), from the row's facts
        (cms.model.facts), or `lower()` of its document's value on a row without them."""
        return f"coalesce(json_extract(facts, '$.\"{FOLDED}{name}\"'), lower(json_extract(doc, '$.{name}')))"

    def contains(self, name: str, value: str) -> Condition:
        """Whether top-level text field `name` holds `value`, ignoring case and accents, through a trigram index.

        PostgreSQL: `cms_fold` (lower() and unaccent, a migration) of both sides, the value's LIKE wildcards
        escaped, which a trigram GIN index of the folded field serves (cms.delivery.indexes). SQLite: the folded
        value in the row's folded text (its facts), tested on the rows `cms_projection_text` (an FTS5 trigram
        index of every folded text of each row, kept by triggers) finds holding the value in any of its texts;
        a value of under 3 characters, or with a LIKE wildcard, tests every row of the list."""
        if self.postgres:
            pattern = r"replace(replace(replace(cms_fold(CAST({} AS TEXT)), '\', '\\'), '%', '\%'), '_', '\_')"
            return Condition(f"{self.contains_expression(name)} LIKE ('%' || {pattern} || '%')", [value])
        folded = fold(value)
        test = f"instr({self.folded(name)}, {{}}) > 0"
        if len(folded) < 3 or "%" in folded or "_" in folded:
            return Condition(test, [folded])
        return Condition(
            f"id IN (SELECT rowid FROM cms_projection_text WHERE value LIKE {{}}) AND {test}", [f"%{folded}%", folded]
        )

    def contains_expression(self, name: str) -> str:
        """PostgreSQL: the folded text `contains` tests, as its trigram index names it."""
        return f"cms_fold({self.text(name)})"

    def list_contains(self, name: str) -> str:
        """Whether top-level list field `name` holds the text `{}`: on PostgreSQL through a GIN index of the list
        (`list_expression`, cms.delivery.indexes); on SQLite through `cms_projection_reference`, written from
        each row's facts by triggers (a row without facts, written by other means, is found once the next
        start has computed them)."""
        if self.postgres:
            return f"{self.list_expression(name)} @> jsonb_build_array(CAST({{}} AS TEXT))"
        return f"id IN (SELECT projection FROM cms_projection_reference WHERE field = '{name}' AND target = {{}})"

    def list_expression(self, name: str) -> str:
        """PostgreSQL: the list `list_contains` tests, as its GIN index names it."""
        return f"(doc->'{name}')"


class Condition(msgspec.Struct):
    sql: str
    params: list[Any]
    not_null: str | None = None
    """An expression no row that meets the condition has NULL (compared with `=`, `IN` or a range): an order
    by it needs no "missing values last" term (cms.delivery.filters.order_clause)."""


def conjunction(conditions: list[Condition]) -> Condition:
    if not conditions:
        return Condition("1 = 1", [])
    return Condition(" AND ".join(f"({c.sql})" for c in conditions), [p for c in conditions for p in c.params])
