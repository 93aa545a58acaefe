"""Turn a `where` input and an `orderBy` list into SQL over projection documents."""

from __future__ import annotations

import hashlib
from typing import Any

from cms.delivery.sql import Condition, JsonDialect
from cms.model.definitions import ContentType, FieldDef
from cms.model.names import camel_case

RANGE_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class FilterError(ValueError):
    """A filter that cannot be applied; the message names the field and says why."""


def where_conditions(dialect: JsonDialect, content_type: ContentType, where: Any) -> list[Condition]:
    if where is None:
        return []
    conditions = []
    for field in content_type.fields:
        field_filter = getattr(where, camel_case(field.name), None)
        if field.filterable and field_filter is not None:
            conditions.extend(_field_conditions(dialect, field, field_filter))
    ids = getattr(where, "id", None)
    if ids is not None:
        conditions.extend(_id_conditions(ids))
    return conditions


def _id_conditions(ids: Any) -> list[Condition]:
    conditions = []
    if ids.eq is not None:
        conditions.append(Condition("entry = {}", [str(ids.eq)]))
    if ids.in_ is not None:
        conditions.append(_in("entry", [str(value) for value in ids.in_]))
    return conditions


def filter_expressions(dialect: JsonDialect, field: FieldDef) -> list[str]:
    """The SQL expressions a filter on `field` compares (cms.delivery.indexes indexes exactly these)."""
    name = camel_case(field.name)
    if field.kind == "references":
        return []  # a membership test in a JSON array: cms.delivery.sql.JsonDialect.list_contains
    if field.kind == "boolean":
        return [dialect.boolean(name)]
    if field.kind == "money":
        return [dialect.number(name, "amount"), dialect.text(name, "currency")]
    if field.kind in ("integer", "decimal"):
        return [dialect.number(name)]
    return [dialect.text(name)]


def _field_conditions(dialect: JsonDialect, field: FieldDef, field_filter: Any) -> list[Condition]:
    name = camel_case(field.name)
    if field.kind == "references":
        return [Condition(dialect.list_contains(name), [str(field_filter.contains)])] if field_filter.contains else []
    expression = stored(dialect, field, filter_expressions(dialect, field)[0])
    if field.kind == "boolean":
        return (
            []
            if field_filter.eq is None
            else [Condition(f"{expression} = {{}}", [dialect.boolean_param(field_filter.eq)])]
        )
    if field.kind in ("integer", "decimal", "money"):
        return _comparisons(expression, field_filter, number=True) + _currency(dialect, field, field_filter)
    conditions = _comparisons(expression, field_filter, number=False)
    contains = getattr(field_filter, "contains", None)
    if contains is not None:
        conditions.append(dialect.contains(name, contains))
    return conditions


def _comparisons(expression: str, field_filter: Any, *, number: bool) -> list[Condition]:
    def param(value: Any) -> Any:
        if number:
            return float(value)
        return getattr(value, "value", value) if not isinstance(value, str) else value

    conditions = []
    if getattr(field_filter, "eq", None) is not None:
        conditions.append(Condition(f"{expression} = {{}}", [param(field_filter.eq)], expression))
    if getattr(field_filter, "in_", None) is not None:
        conditions.append(_in(expression, [param(value) for value in field_filter.in_]))
    for attribute, operator in RANGE_OPERATORS.items():
        value = getattr(field_filter, attribute, None)
        if value is not None:
            conditions.append(Condition(f"{expression} {operator} {{}}", [param(value)], expression))
    return conditions


def _currency(dialect: JsonDialect, field: FieldDef, field_filter: Any) -> list[Condition]:
    currency = getattr(field_filter, "currency", None)
    if currency is None:
        return []
    return [Condition(f"{stored(dialect, field, filter_expressions(dialect, field)[1])} = {{}}", [currency])]


def _in(expression: str, values: list[Any]) -> Condition:
    if not values:
        return Condition("1 = 0", [])
    return Condition(f"{expression} IN ({', '.join(['{}'] * len(values))})", values, expression)


SortKey = tuple[str, bool]
"""A model field name and whether to sort descending."""


def order_clause(
    dialect: JsonDialect, content_type: ContentType, sort_keys: list[SortKey], not_null: frozenset[str] = frozenset()
) -> str:
    """ORDER BY over sortable fields (the title by default); missing values last; ties broken by entry id.

    A sort expression in `not_null` (the list's conditions leave no row where it is NULL: `not_null_in`) goes
    without its "missing last" term, which is constant there: ordered by the value and the entry id, a list
    filtered on a range of the value it sorts on reads its filter index in order and stops at its page, where
    the term made it sort every match (`bench/search.py`: 25,000 products priced 20 to 80 sorted for a page of
    20, ~35 ms of the ~70 ms request on SQLite and PostgreSQL)."""
    terms = []
    for name, descending in sort_keys or _default_order(content_type):
        field = content_type.field(name)
        if field is None or not field.sortable:
            raise FilterError(f"cannot sort on {name!r}")
        expression = stored(dialect, field, sort_expression(dialect, field))
        missing_last = "" if expression in not_null else f"({expression} IS NULL) ASC, "
        terms.append(f"{missing_last}{expression} {'DESC' if descending else 'ASC'}")
    terms.append("entry ASC")
    return ", ".join(terms)


def not_null_in(conditions: list[Condition]) -> frozenset[str]:
    """The expressions no row meeting all `conditions` has NULL."""
    return frozenset(condition.not_null for condition in conditions if condition.not_null is not None)


def sort_keys_from(order_by: list[Any] | None) -> list[SortKey]:
    """The `orderBy` GraphQL input as plain sort keys."""
    return [(order.field.value, order.direction.value == "DESC") for order in order_by or []]


def sort_expression(dialect: JsonDialect, field: FieldDef) -> str:
    """The SQL expression sorting on `field` orders by (missing values last, then ties by entry id)."""
    name = camel_case(field.name)
    if field.kind in ("integer", "decimal"):
        return dialect.number(name)
    if field.kind == "money":
        return dialect.number(name, "amount")
    if field.kind == "boolean":
        return dialect.boolean(name)
    if field.kind in ("string", "slug"):
        # Folded (accents too: "Élan" between "Eagle" and "Fox") and compared byte by byte on both: SQLite's
        # lower() folds ASCII only, its facts hold the text folded in Python; PostgreSQL folds with unaccent
        # (cms_fold, a migration) and would otherwise order by the database's collation.
        return f'(cms_fold({dialect.text(name)}) COLLATE "C")' if dialect.postgres else dialect.folded(name)
    return dialect.text(name)


def value_column(dialect: JsonDialect, field: FieldDef, expression: str) -> str:
    """The name of the generated column holding `expression`, a value `field` is filtered or sorted on
    (cms.delivery.indexes): its sort column when it is the field's sort expression, else a filter column."""
    key = (dialect.postgres, field.name, field.sortable, expression)
    name = _column_names.get(key)
    if name is None:
        sorted_on = field.sortable and expression == sort_expression(dialect, field)
        prefix = SORT_COLUMN_PREFIX if sorted_on else FILTER_COLUMN_PREFIX
        digest = hashlib.sha256(expression.encode()).hexdigest()[:8]
        name = _column_names[key] = f"{prefix}{camel_case(field.name).lower()[:40]}_{digest}"
    return name


def sort_column(field: FieldDef, expression: str) -> str:
    """The name of the PostgreSQL column holding `expression`, the value `field` sorts on (made from the
    field's name and a digest of the expression: a changed expression is another column)."""
    digest = hashlib.sha256(expression.encode()).hexdigest()[:8]
    return f"{SORT_COLUMN_PREFIX}{camel_case(field.name).lower()[:40]}_{digest}"


def stored(dialect: JsonDialect, field: FieldDef, expression: str) -> str:
    """`expression`'s generated column where the table has it (its indexes name the column: a query naming the
    expression would read each row's JSON), else the expression itself."""
    column = value_column(dialect, field, expression)
    return column if column in _stored_columns else expression


def value_column_type(dialect: JsonDialect, field: FieldDef, expression: str) -> str:
    """The declared type of `expression`'s column: none on SQLite (a declared type would convert the value
    json_extract gives: a boolean's 0 into '0'), the expression's type on PostgreSQL."""
    if not dialect.postgres:
        return ""
    if expression.startswith("CAST(") and expression.endswith(" AS NUMERIC)"):
        return "NUMERIC"
    if expression.endswith(' COLLATE "C")'):
        return 'TEXT COLLATE "C"'  # a column orders by its own collation, not its expression's
    return "BOOLEAN" if field.kind == "boolean" else "TEXT"


SORT_COLUMN_PREFIX, FILTER_COLUMN_PREFIX = "sort_", "filter_"
COLUMN_PREFIXES = (SORT_COLUMN_PREFIX, FILTER_COLUMN_PREFIX)
_column_names: dict[tuple[bool, str, bool, str], str] = {}
_stored_columns: frozenset[str] = frozenset()
"""The value columns (`value_column`) the projection table has, as `cms.delivery.indexes` last made them
match the model: conditions and orders name the column rather than its expression where there is one."""


def stored_columns() -> frozenset[str]:
    return _stored_columns


def use_columns(names: frozenset[str]) -> None:
    global _stored_columns
    _stored_columns = names


def _default_order(content_type: ContentType) -> list[SortKey]:
    title = content_type.field(content_type.title_field) if content_type.title_field else None
    return [(title.name, False)] if title is not None and title.sortable else []
