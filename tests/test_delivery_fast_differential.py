"""The fast delivery path gives the same answers as Strawberry, on generated queries over the demo content.

A seeded generator walks each channel's schema and writes random valid queries: random selections,
aliases, named and inline fragments, @skip/@include, `__typename`, arguments as literals or variables
(filters and sort keys sampled from the stored documents, page sizes and cursors, locales, lookups by
id or unique field, image presets and formats), nested references, and a few client mistakes (a page
too large, a forged cursor, an unknown locale, two lookup keys: the last two fail validation). Each runs
through both paths.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

import msgspec

from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.events.sync_cursor import FORMAT, INCREMENTAL, SyncCursor, encode_sync_cursor
from cms.lib.cursors import encode_cursor
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Projection
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

QUERIES_PER_CHANNEL = 60
_encode = msgspec.json.Encoder().encode


class EnumValue(str):
    """An enum value: a bare name in a literal, a string in variables."""


class QueryGenerator:
    """Random valid queries for one channel schema, with argument values sampled from its documents."""

    def __init__(
        self, schema: GraphQLSchema, documents: dict[str, list[dict[str, Any]]], rng: random.Random, channel: str
    ) -> None:
        self.schema, self.documents, self.rng, self.channel = schema, documents, rng, channel

    def query(self) -> tuple[str, dict[str, Any]]:
        self.fragments: list[str] = []
        self.variables: dict[str, tuple[str, Any]] = {}
        self.counter = 0
        query_type = self.schema.query_type
        assert query_type is not None
        # search and searchSuggest have their own comparison of both paths (tests/search/test_search.py)
        roots = sorted(name for name in query_type.fields if name not in ("search", "searchSuggest"))
        names = self.rng.sample(roots, self.rng.choice([1, 1, 1, 2, 3]))
        selections = [self.root_field(name, query_type.fields[name]) for name in names]
        if self.rng.random() < 0.1:
            selections.insert(self.rng.randrange(len(selections) + 1), "__typename")
        header = ""
        if self.variables:
            header = "query Generated(" + ", ".join(f"${n}: {t}" for n, (t, _) in self.variables.items()) + ") "
        text = header + "{ " + " ".join(selections) + " }" + "".join(" " + f for f in self.fragments)
        return text, {name: _json(value) for name, (_, value) in self.variables.items()}

    # -- fields -----------------------------------------------------------------------------

    def root_field(self, name: str, field: GraphQLField) -> str:
        named = get_named_type(field.type)
        assert isinstance(named, GraphQLObjectType)
        if named.name.endswith("Connection"):
            arguments = self.list_arguments(field, named.name.removesuffix("Connection"))
        else:
            arguments = self.lookup_arguments(field, named.name)
        return self.alias(name) + name + self.render_arguments(field, arguments) + self.selection(named, depth=0)

    def selection(self, object_type: GraphQLObjectType, depth: int) -> str:
        names = sorted(object_type.fields)
        if object_type.name.endswith("Variant"):
            # A variant's stock is read by a resolver the fast path does not know (such queries fall back, nothing to
            # compare), and when one variant of a list fails, graphql-core drops the others' pending results
            # unawaited: a RuntimeWarning at garbage collection, not a wrong answer (tests/commerce covers it).
            names = [name for name in names if name != "inventory"]
        if depth >= 4:  # deep enough: only fields without a selection of their own
            names = [n for n in names if not isinstance(get_named_type(object_type.fields[n].type), GraphQLObjectType)]
        chosen = self.rng.sample(names, self.rng.randint(1, min(6, len(names))))
        if object_type.name.endswith("Connection") and self.rng.random() < 0.7:
            chosen = [n for n in ("totalCount", "edges", "nodes", "pageInfo") if self.rng.random() < 0.6] or ["nodes"]
        parts = [self.field(object_type, name, depth) for name in chosen]
        if self.rng.random() < 0.1:
            parts.append("__typename")
        if self.rng.random() < 0.1 and parts:  # the same response key twice: merged
            parts.append(parts[0] if "(" not in parts[0] else "__typename")
        return "{ " + " ".join(self.grouped(object_type, parts)) + " }"

    def field(self, object_type: GraphQLObjectType, name: str, depth: int) -> str:
        field = object_type.fields[name]
        named = get_named_type(field.type)
        arguments: dict[str, Any] = {}
        if field.args:
            arguments = {
                arg: EnumValue(self.rng.choice(sorted(get_named_type(definition.type).values)))  # type: ignore[union-attr]
                for arg, definition in field.args.items()
                if self.rng.random() < 0.6 and isinstance(get_named_type(definition.type), GraphQLEnumType)
            }
            # `variant(by:)`, a required @oneOf input: a demo lamp's SKU (found on one product) or no such code
            arguments |= {
                arg: {self.rng.choice(["sku", "gtin"]): self.rng.choice(["ML-LMP-01-BRASS", "no-such-thing"])}
                for arg, definition in field.args.items()
                if isinstance(get_named_type(definition.type), GraphQLInputObjectType)
            }
        text = self.alias(name) + name + self.render_arguments(field, arguments) + self.directive()
        if isinstance(named, GraphQLObjectType):
            text += " " + self.selection(named, depth + 1)
        return text

    def grouped(self, object_type: GraphQLObjectType, parts: list[str]) -> list[str]:
        """Move some selections into a named fragment (spread once or twice) or an inline fragment."""
        roll = self.rng.random()
        if roll < 0.2 and len(parts) > 1:
            cut = self.rng.randint(1, len(parts) - 1)
            name = f"F{len(self.fragments)}"
            self.fragments.append(f"fragment {name} on {object_type.name} {{ {' '.join(parts[:cut])} }}")
            spreads = [f"...{name}" + self.directive()] * self.rng.choice([1, 1, 2])
            return spreads + parts[cut:]
        if roll < 0.35 and len(parts) > 1:
            condition = self.rng.choice([f"on {object_type.name} ", ""])
            return [parts[0], f"... {condition}{self.directive()}{{ {' '.join(parts[1:])} }}"]
        return parts

    def alias(self, name: str) -> str:
        if self.rng.random() < 0.12:
            self.counter += 1
            return f"{name}{self.counter}: "
        return ""

    def directive(self) -> str:
        roll = self.rng.random()
        if roll > 0.12:
            return ""
        value = self.rng.random() < 0.5
        condition = self.variable("Boolean!", value) if roll < 0.05 else ("true" if value else "false")
        return f" @{self.rng.choice(['skip', 'include'])}(if: {condition})"

    # -- arguments --------------------------------------------------------------------------

    def lookup_arguments(self, field: GraphQLField, type_name: str) -> dict[str, Any]:
        if "by" not in field.args:  # `sync`
            return self.sync_arguments(field) | self.locale()
        by_type = get_named_type(field.args["by"].type)
        assert isinstance(by_type, GraphQLInputObjectType)
        document = self.sample(type_name)
        chosen = self.rng.sample(sorted(by_type.fields), 2 if self.rng.random() < 0.05 else 1)
        by: dict[str, Any] = {}
        for key in chosen:
            value = document.get(key) if document else None
            by[key] = value if value is not None and self.rng.random() < 0.85 else "no-such-thing"
        return {"by": by} | self.locale()

    def list_arguments(self, field: GraphQLField, type_name: str) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        if self.rng.random() < 0.7:
            too_many = 101 if self.rng.random() < 0.2 else 7
            arguments["first"] = self.rng.choice([0, 1, 2, 3, 5, 10, 20, 50, 100, too_many])
        if self.rng.random() < 0.2:
            arguments["after"] = encode_cursor(self.rng.randint(0, 70)) if self.rng.random() < 0.9 else "forged"
        where = field.args.get("where")
        if where is not None and self.rng.random() < 0.5:
            arguments["where"] = self.where(get_named_type(where.type), type_name)  # type: ignore[arg-type]
        order = field.args.get("orderBy")
        if order is not None and self.rng.random() < 0.4:
            sort_fields = sorted(self.schema.get_type(f"{type_name}SortField").values)  # type: ignore[union-attr]
            arguments["orderBy"] = [
                {
                    "field": EnumValue(self.rng.choice(sort_fields)),
                    "direction": EnumValue(self.rng.choice(["ASC", "DESC"])),
                }
                for _ in range(self.rng.choice([1, 1, 2]))
            ]
        return arguments | self.locale()

    def where(self, where_type: GraphQLInputObjectType, type_name: str) -> dict[str, Any]:
        conditions = {}
        for name in self.rng.sample(sorted(where_type.fields), self.rng.choice([1, 1, 2])):
            filter_type = get_named_type(where_type.fields[name].type)
            assert isinstance(filter_type, GraphQLInputObjectType)
            document = self.sample(type_name) or {}
            value = document.get(name)
            operator = self.rng.choice(sorted(filter_type.fields))
            condition = self.condition(filter_type, operator, value)
            if condition is not None:
                conditions[name] = {operator: condition}
        return conditions

    def condition(self, filter_type: GraphQLInputObjectType, operator: str, value: Any) -> Any:
        if isinstance(value, dict):  # money
            value = value.get("amount") if operator != "currency" else value.get("currency")
        if operator == "currency":
            return value or "EUR"
        if isinstance(value, list):  # a list of references: `contains` an id
            return self.rng.choice(value) if value else None
        if value is None:
            return None
        item_type = get_named_type(filter_type.fields[operator].type)
        if isinstance(item_type, GraphQLEnumType):
            value = EnumValue(value)
        if operator == "contains" and isinstance(value, str) and len(value) > 3:
            start = self.rng.randrange(len(value) - 2)
            value = value[start : start + 3].upper()
        return [value, value] if operator == "in" else value

    def sync_arguments(self, field: GraphQLField) -> dict[str, Any]:
        """A cursor of the channel's feed, sometimes one ahead of the change log (an error inside a 200: the one
        refusal its schema cannot say), some of its types, a page size."""
        arguments: dict[str, Any] = {}
        if self.rng.random() < 0.6:
            mark = 10**9 if self.rng.random() < 0.5 else 0
            cursor = SyncCursor(FORMAT, self.channel, None, (), INCREMENTAL, mark)
            arguments["cursor"] = encode_sync_cursor(cursor)
        if self.rng.random() < 0.3:
            names = sorted(get_named_type(field.args["types"].type).values)  # type: ignore[union-attr]
            arguments["types"] = [EnumValue(name) for name in self.rng.sample(names, 2)]
        if self.rng.random() < 0.3:
            arguments["first"] = self.rng.choice([0, 1, 5, 100, 5000])
        return arguments

    def locale(self) -> dict[str, Any]:
        roll = self.rng.random()
        if roll < 0.6:
            return {}
        return {"locale": EnumValue("de" if roll < 0.63 else self.rng.choice(["en", "fr"]))}

    def render_arguments(self, field: GraphQLField, arguments: dict[str, Any]) -> str:
        if not arguments:
            return ""
        rendered = []
        for name, value in arguments.items():
            if self.rng.random() < 0.35:
                rendered.append(f"{name}: {self.variable(str(field.args[name].type), value)}")
            else:
                rendered.append(f"{name}: {_literal(value)}")
        return "(" + ", ".join(rendered) + ")"

    def variable(self, type_text: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (type_text, value)
        return f"${name}"

    def sample(self, type_name: str) -> dict[str, Any] | None:
        documents = self.documents.get(type_name)
        return self.rng.choice(documents) if documents else None


def _literal(value: Any) -> str:
    if isinstance(value, EnumValue):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_literal(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)


def _json(value: Any) -> Any:
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return str(value) if isinstance(value, EnumValue) else value


# -- the test ---------------------------------------------------------------------------------


async def stored_documents(channel: str) -> dict[str, list[dict[str, Any]]]:
    """Published documents of a channel (English), by GraphQL type name: where argument values come from."""
    rows = await Projection.raw(
        "SELECT content_type, doc FROM cms_projection WHERE stage = 'live' AND channel = {} AND locale = 'en'",
        channel,
    )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        document = row["doc"] if isinstance(row["doc"], dict) else json.loads(row["doc"])
        type_name = "".join(part.capitalize() for part in row["content_type"].split("_"))
        by_type.setdefault(type_name, []).append(document)
    return by_type


def answer(result: Any) -> bytes:
    return _encode({"data": result.data, "errors": [error.formatted for error in result.errors or []]})


async def test_generated_queries_get_identical_answers_from_both_paths(  # type: ignore[no-untyped-def]
    model, demo_db, round_trips
) -> None:
    outcomes: Counter[str] = Counter()
    dialect = JsonDialect(postgres=is_postgres(get_engine()))
    for index, channel in enumerate(model.channels):
        schema = build_channel_schema(model, channel)
        generator = QueryGenerator(
            schema._schema, await stored_documents(channel), random.Random(7000 + index), channel
        )
        for _ in range(QUERIES_PER_CHANNEL):
            query, variables = generator.query()

            def context() -> DeliveryContext:
                return DeliveryContext(model, model.channels[channel], "en", dialect)  # noqa: B023

            regular_context, fast_context = context(), context()
            for _ in range(2):  # documents seen once are kept: both paths then read the same
                await schema.execute(query, variable_values=variables, context_value=context())
            round_trips.count = 0
            regular = await schema.execute(query, variable_values=variables, context_value=regular_context)
            regular_trips, round_trips.count = round_trips.count, 0
            fast = await execute_fast(schema, query, variables, None, fast_context)
            if fast is None:
                outcomes["fell back"] += 1
                continue
            outcomes["errors" if regular.errors else "answered"] += 1
            details = f"{channel}: {query} {variables}"
            assert answer(fast) == answer(regular), details
            if not regular.errors:  # surrogate keys go with successful answers only
                assert fast_context.served == regular_context.served, details
                # (with errors, a failed non-null root cancels its siblings wherever they are)
                assert round_trips.count <= regular_trips, details
            # Twice more: lists of kept documents seen before are remembered encoded, then answer from those
            # bytes (cms.delivery.fast.run).
            assert await execute_fast(schema, query, variables, None, context()) is not None, details
            remembered_context = context()
            round_trips.count = 0
            remembered = await execute_fast(schema, query, variables, None, remembered_context)
            assert remembered is not None, details
            assert answer(remembered) == answer(regular), details
            if not regular.errors:
                assert remembered_context.served == regular_context.served, details
                assert round_trips.count <= regular_trips, details
            outcomes["from remembered bytes"] += _holds_bytes(remembered.data)
    total = QUERIES_PER_CHANNEL * len(model.channels)
    assert outcomes["answered"] + outcomes["errors"] >= 0.8 * total, outcomes
    assert outcomes["errors"] > 0, outcomes  # client mistakes are answered by the fast path too
    assert outcomes["from remembered bytes"] > 0.2 * total, outcomes


def _holds_bytes(value: Any) -> bool:
    if isinstance(value, msgspec.Raw):
        return True
    if isinstance(value, dict):
        return any(_holds_bytes(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_bytes(item) for item in value)
    return False
