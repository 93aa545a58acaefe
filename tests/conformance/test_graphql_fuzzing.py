"""schemathesis' GraphQL fuzzing of every delivery channel and of the management API, against a live server: every
check passes, `not_a_server_error` included (ST113: a GraphQL error inside a 200 answer means the schema accepted
input that a resolver then refused; such rules belong in the schema, where they fail validation instead).

Bounded for CI: a few examples per operation, derandomized, so a run is quick and repeatable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.specs.graphql.schemas import GraphQLSchema

from cms.delivery.admission import Admission, QueryRefusedError
from cms.delivery.schema import build_channel_schema
from cms.lib.cursors import encode_cursor
from cms.lib.query_limits import Limits
from cms.model import ContentModel
from graphql import GraphQLSchema as CoreSchema
from graphql import build_schema, parse, validate
from tests.management_client import token_for

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant"]
EXAMPLES_PER_OPERATION = 8

# `Cursor` (after:) is opaque: the API's own cursors are its valid values.
schemathesis.graphql.scalar("Cursor", st.integers(0, 200).map(encode_cursor).map(schemathesis.graphql.nodes.String))


def operations(schema: GraphQLSchema) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def admitted(admission: Admission, document: str) -> bool:
    try:
        admission.check(document, None, None, b"{}")
    except QueryRefusedError:
        return False
    return True


def fuzz(sdl: Path, url: str, headers: dict[str, str], served: CoreSchema) -> dict[str, str]:
    """Every operation of the schema in `sdl` fuzzed against `url`: the failures found, by operation (none: empty).

    Generated documents are dropped, not sent, when they are not valid input by the schema's contract:
    - hypothesis-graphql (schemathesis' generator) does not know `@oneOf`: it sends `by: {id: null}` or two keys.
      The published schema's own validation (graphql-core's, which knows `@oneOf`) says which documents are valid.
    - a NUL character (`\u0000`): refused by the endpoint with a 400 before GraphQL (PostgreSQL text cannot
      hold one; tests/test_graphql_http_errors.py).
    - over the published limits (depth, aliases, cost: `served`'s admission, as the endpoint checks them; see
      tests/test_query_limits.py and tests/test_query_cost.py)."""
    text = sdl.read_text()
    schema = schemathesis.graphql.from_file(text)
    published = build_schema(text)
    admission = Admission(served, Limits())
    failures: dict[str, str] = {}
    for operation in operations(schema):

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing case is printed as found
        )
        @given(case=operation.as_strategy())
        def check(case: Case) -> None:
            if "\\u0000" in case.body or validate(published, parse(case.body)) or not admitted(admission, case.body):
                reject()
            case.call_and_validate(base_url=url, headers=headers)

        try:
            check()
        except FailureGroup as failure:  # every operation's failures, printed at the end
            failures[operation.label] = str(failure)
    for label, failure in failures.items():
        print(f"== {label}\n{failure}")
    return failures


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("channel", CHANNELS)
async def test_fuzzing_a_delivery_channel_finds_nothing(
    live_server: str, demo_db: None, model: ContentModel, channel: str
) -> None:
    token = await token_for(model, f"delivery:{channel}", name="fuzzing")
    served = build_channel_schema(model, channel)._schema
    failures = fuzz(ROOT / "graphql" / f"{channel}.graphql", f"{live_server}/graphql/{channel}", bearer(token), served)
    assert sorted(failures) == []
