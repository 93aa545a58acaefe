"""schemathesis' GraphQL fuzzing of every delivery channel and of the management API, against a live server: every
check passes, `not_a_server_error` included (ST113: a GraphQL error inside a 200 answer means the schema accepted
input that a resolver then refused; such rules belong in the schema, where they fail validation instead).

Bounded for CI: a few examples per operation, derandomized, so a run is quick and repeatable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
)

from cms.api.schema import build_management_schema
from cms.delivery.admission import Admission, QueryRefusedError
from cms.delivery.schema import build_channel_schema
from cms.events.sync_cursor import FORMAT, INCREMENTAL, INITIAL, SyncCursor, encode_sync_cursor
from cms.events.sync_reads import last_event_id
from cms.lib.cursors import encode_cursor
from cms.lib.query_limits import Limits
from cms.model import ContentModel
from graphql import GraphQLSchema, build_schema, parse, validate
from tests.management_client import token_for

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ["web", "app", "kiosk", "email", "social", "assistant", "web_ch"]
EXAMPLES_PER_OPERATION = 4
GRAPHQL_CHECKS = [not_a_server_error, positive_data_acceptance, negative_data_rejection, response_schema_conformance]
"""Every check that applies to GraphQL (the others read an OpenAPI schema and pass over GraphQL), ST113 included."""

# `Cursor` (after:) is opaque: the API's own cursors are its valid values.
schemathesis.graphql.scalar("Cursor", st.integers(0, 200).map(encode_cursor).map(schemathesis.graphql.nodes.String))


def draw_sync_cursors(channel: str, last_event: int) -> None:
    """`SyncCursor` values: cursors the channel's feed could have given (either phase, any point of the change log
    up to its end; a cursor ahead of it comes from a reset store, tests/events/test_sync.py)."""
    initial = st.builds(
        SyncCursor,
        v=st.just(FORMAT),
        channel=st.just(channel),
        locale=st.none(),
        types=st.just(()),
        phase=st.just(INITIAL),
        mark=st.integers(0, last_event),
        after=st.tuples(st.text(max_size=8), st.text(max_size=5)),  # where the last page ended
    )
    incremental = st.builds(
        SyncCursor,
        v=st.just(FORMAT),
        channel=st.just(channel),
        locale=st.none(),
        types=st.just(()),
        phase=st.just(INCREMENTAL),
        mark=st.integers(0, last_event),
        after=st.none(),
    )
    cursors = (initial | incremental).map(encode_sync_cursor).map(schemathesis.graphql.nodes.String)
    schemathesis.graphql.scalar("SyncCursor", cursors)


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def admitted(admission: Admission, document: str) -> bool:
    try:
        admission.check(document, None, None, b"{}")
    except QueryRefusedError:
        return False
    return True


def fuzz(sdl: str, url: str, headers: dict[str, str], served: GraphQLSchema, roots: str = "Query") -> dict[str, str]:
    """Every operation of the schema in `sdl` fuzzed against `url`: the failures found, by operation (none: empty).

    Generated documents are dropped, not sent, when they are not valid input by the schema's contract:
    - hypothesis-graphql (schemathesis' generator) does not know `@oneOf`: it sends `by: {id: null}` or two keys.
      The published schema's own validation (graphql-core's, which knows `@oneOf`) says which documents are valid.
    - a NUL character (`\u0000`): refused by the endpoint with a 400 before GraphQL (PostgreSQL text cannot
      hold one; tests/test_graphql_http_errors.py).
    - over the published limits (depth, aliases, cost: `served`'s admission, as the endpoint checks them; see
      tests/test_query_limits.py and tests/test_query_cost.py)."""
    schema = schemathesis.graphql.from_file(sdl)
    published = build_schema(sdl)
    admission = Admission(served, Limits())
    session = requests.Session()  # one connection kept alive
    failures: dict[str, str] = {}
    for operation in operations(schema):
        if operation.label.split(".")[0] not in roots:
            continue

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
            case.call_and_validate(base_url=url, headers=headers, session=session, checks=GRAPHQL_CHECKS)

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
    sdl = (ROOT / "graphql" / f"{channel}.graphql").read_text()
    draw_sync_cursors(channel, await last_event_id())
    failures = fuzz(sdl, f"{live_server}/graphql/{channel}", bearer(token), served)
    assert sorted(failures) == []


async def test_fuzzing_the_management_api_queries_finds_nothing(
    live_server: str, demo_db: None, model: ContentModel
) -> None:
    # Queries only: its mutations take an entry's data as JSON, whose rules (the content model) no GraphQL type says.
    token = await token_for(model, "management:admin", name="fuzzing")
    served = build_management_schema()
    failures = fuzz(str(served), f"{live_server}/graphql", bearer(token), served._schema)
    assert sorted(failures) == []
