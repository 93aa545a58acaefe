"""The fast delivery path: answer a query that only reads stored documents by projecting them by its
selection set, instead of calling a resolver per field.

A document is parsed, validated (with the schema's own rules and limits) and compiled once per
channel schema; the root fields still run the schema's resolvers (same SQL, same loaders), and
everything below them is read from the stored documents. `execute_fast` answers None for anything it
does not reproduce exactly (introspection, invalid documents, bad variables, unknown resolvers or
extensions, data not in output form): the caller then runs Strawberry, so answers never differ.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import ExecutionResult

from cms.delivery.context import DeliveryContext
from cms.delivery.fast.compiled import compiled_schema
from cms.delivery.fast.run import run_plan
from cms.settings import get_settings

__all__ = ["execute_fast"]


async def execute_fast(
    schema: strawberry.Schema,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    context: DeliveryContext,
) -> ExecutionResult | None:
    """The same result as `schema.execute(...)`, or None when the fast path does not answer this request."""
    if not get_settings().fast_delivery:
        return None
    compiled = compiled_schema(schema, context.model).operation(query, operation_name)
    if compiled is None:
        return None
    coerced = compiled.coerce(schema, variables)
    plan = compiled.plan_for(coerced) if coerced is not None else None
    if coerced is None or plan is None:
        return None
    try:
        return await run_plan(plan, schema, coerced, context)
    except Exception:  # FallBack, or stored data regular execution would report on: let it answer
        return None
