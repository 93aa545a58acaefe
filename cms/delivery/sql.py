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

    def contains_text(self, name: str) -> str:
        """Substring test ignoring case and accents; its parameter is `contains_param(value)`. PostgreSQL
        folds with `lower()` and `unaccent` (installed by the search index's migration)."""
        if self.postgres:
            return f"strpos(lower(unaccent({self.text(name)})), lower(unaccent(CAST({{}} AS TEXT)))) > 0"
        return f"instr({self.folded(name)}, {{}}) > 0"

    def contains_param(self, value: str) -> str:
        return value if self.postgres else fold(value)

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
