"""SQL over stored projection documents, for SQLite and PostgreSQL.

Field names come from the validated content model (snake_case identifiers turned camelCase), so
they are safe inside JSON paths; every value a client sends travels as a bound parameter.
"""

from __future__ import annotations

from typing import Any

import msgspec

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

    def contains_text(self, *path: str) -> str:
        """Case-insensitive substring test (SQLite lowers ASCII letters only)."""
        return (
            f"strpos(lower({self.text(*path)}), lower({{}})) > 0"
            if self.postgres
            else (f"instr(lower({self.text(*path)}), lower({{}})) > 0")
        )

    def list_contains(self, *path: str) -> str:
        if self.postgres:
            return f"(doc->'{path[0]}') @> jsonb_build_array(CAST({{}} AS TEXT))"
        return f"EXISTS (SELECT 1 FROM json_each({SQLITE_SOURCE}, '$.{'.'.join(path)}') WHERE value = {{}})"


class Condition(msgspec.Struct):
    sql: str
    params: list[Any]


def conjunction(conditions: list[Condition]) -> Condition:
    if not conditions:
        return Condition("1 = 1", [])
    return Condition(" AND ".join(f"({c.sql})" for c in conditions), [p for c in conditions for p in c.params])
