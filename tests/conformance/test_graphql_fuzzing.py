"""schemathesis' GraphQL fuzzing of every delivery channel and of the management API, against a live server: every
check passes, `not_a_server_error` included (ST113: a GraphQL error inside a 200 answer means the schema accepted
input that a resolver then refused; such rules belong in the schema, where they fail validation instead).

Bounded for CI: a few examples per operation, derandomized, so a run is quick and repeatable."""

from __future__ import annotations

from collections.abc import Callable
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
from schemathesis.graphql import nodes
from schemathesis.graphql.checks import GraphQLServerError
from schemathesis.specs.graphql.scalars import CUSTOM_SCALARS
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
from cms.store.tables import Entry
from graphql import GraphQLSchema, build_schema, parse, validate
from tests.conftest import forget_demo
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


def fuzz(
    sdl: str,
    url: str,
    headers: dict[str, str],
    served: GraphQLSchema,
    roots: str = "Query",
    filter_failure: Callable[..., bool] | None = None,
) -> dict[str, str]:
    """Every operation of the schema in `sdl` fuzzed against `url`: the failures found, by operation (none: empty).

    Generated documents are dropped, not sent, when they are not valid input by the schema's contract:
    - hypothesis-graphql (schemathesis' generator) does not know `@oneOf`: it sends `by: {id: null}` or two keys.
      The published schema's own validation (graphql-core's, which knows `@oneOf`) says which documents are valid.
    - a NUL character (`\u0000`): refused by the endpoint with a 400 before GraphQL (PostgreSQL text cannot
      hold one; tests/test_graphql_http_errors.py).
    - over the published limits (depth, aliases, cost: `served`'s admission, as the endpoint checks them; see
      tests/test_query_limits.py and tests/test_query_cost.py).
    Operations of the root types in `roots` only, but those in NOT_FUZZED; `filter_failure`, a schemathesis hook
    registered on this schema only, may accept failures the API means (see BUSINESS_RULES)."""
    schema = schemathesis.graphql.from_file(sdl)
    if filter_failure is not None:
        schema.hook(filter_failure)
    published = build_schema(sdl)
    admission = Admission(served, Limits())
    session = requests.Session()  # one connection kept alive
    failures: dict[str, str] = {}
    for operation in operations(schema):
        if operation.label.split(".")[0] not in roots or operation.label in NOT_FUZZED:
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


NOT_FUZZED = {
    "Mutation.createEntry": "its `data` is an entry's content as JSON: the content model's rules, no GraphQL type's",
    "Mutation.updateEntry": "the same `data` as createEntry",
    "Mutation.uploadAsset": "a file sent as a multipart part (GraphQL multipart request spec): the generator cannot",
}
"""Management mutations left out of the fuzzing, and why. None would destroy what the other tests need: the
mutations fuzzed name ids the generator makes up, and `forget_demo` seeds the demo again after them."""

BUSINESS_RULES = {
    "NOT_FOUND": "the id names nothing in the store: a mutation was asked to act, it cannot answer null as a lookup",
    "INVALID_STATE": "the thing is not in a state the action applies to, or the instant is past (the clock's state)",
    "CONFLICT": "the version the edit was based on is no longer the current one",
    "LINT": "the version breaks a consistency rule (budget, brand voice, offer) of the model and channels",
    "VALIDATION": (
        "a rule the argument's GraphQL type cannot say, each field named in `extensions.fields`: a webhook's target"
        " must resolve to an address it may call, its content types and channels are the model's (the management"
        " schema does not depend on the model); a release's name is not blank (a custom scalar would break clients'"
        " `$name: String!`); `redeliverWebhooks` needs `deliveryIds` or `failedOf`"
    ),
}
"""Codes of the management mutations' refusals that are business rules, legitimately GraphQL errors inside a 200
(the GraphQL-over-HTTP spec: execution errors answer 200, with `data`): they depend on the store, the model or the
clock, not on the request's shape, and carry a `code` (and for VALIDATION the fields) that clients act on."""


def filter_failure(context: Any, failure: Any, case: Case, response: Any) -> bool:
    """schemathesis' `filter_failure` hook (its documented way to accept a failure an API means): drop an ST113 whose
    errors are all business-rule refusals (resolver-time, so with a `path`; a code in BUSINESS_RULES). Any other
    error inside a 200, an uncoded one above all, still fails."""
    return failure.code != "ST113" or not all(map(_business_rule_refusal, failure.errors))


def _business_rule_refusal(error: dict[str, Any]) -> bool:
    extensions = error.get("extensions") or {}
    code = extensions.get("code")
    return "path" in error and code in BUSINESS_RULES and (code != "VALIDATION" or bool(extensions.get("fields")))


async def test_fuzzing_the_management_api_mutations_finds_nothing(
    live_server: str, demo_db: None, model: ContentModel
) -> None:
    token = await token_for(model, "management:admin", name="fuzzing")
    served = build_management_schema()
    assert served._schema.mutation_type is not None
    assert {label.split(".")[1] for label in NOT_FUZZED} <= set(served._schema.mutation_type.fields)  # no stale name
    # `ID`s drawn mostly from the demo's entries (products, campaigns, offers…), so that the mutations reach the
    # rules past "not found"; made-up ones too.
    entries = [row["id"] for row in await Entry.select(Entry.id).order_by(Entry.id)]
    schemathesis.graphql.scalar("ID", (st.sampled_from(entries) | st.text(max_size=8)).map(nodes.String))
    try:
        failures = fuzz(
            str(served), f"{live_server}/graphql", bearer(token), served._schema, "Mutation", filter_failure
        )
    finally:
        CUSTOM_SCALARS.pop("ID")  # schemathesis' registry is global: other fuzzing draws its own IDs
        forget_demo()  # the mutations changed the store: the next test needing the demo seeds it again
    assert sorted(failures) == []


def test_only_business_rule_refusals_are_accepted_inside_a_200() -> None:
    def refusal(**error: Any) -> Any:
        return GraphQLServerError(operation="Mutation.x", message="refused", errors=[error])

    not_found = {"message": "no entry with id ''", "path": ["x"], "extensions": {"code": "NOT_FOUND"}}
    named = {"code": "VALIDATION", "fields": [{"path": "name", "reason": "blank"}]}
    accepted = [refusal(**not_found), refusal(message="`name`: blank", path=["x"], extensions=named)]
    refused = [
        refusal(message="boom", path=["x"]),  # no code
        refusal(message="boom", path=["x"], extensions={"code": "INTERNAL_SERVER_ERROR"}),
        refusal(message="bad", path=["x"], extensions={"code": "VALIDATION"}),  # names no field
        refusal(message="no entry", extensions={"code": "NOT_FOUND"}),  # no path: not the resolver's
    ]

    assert [filter_failure(None, failure, None, None) for failure in accepted] == [False, False]  # type: ignore[arg-type]
    assert [filter_failure(None, failure, None, None) for failure in refused] == [True] * 4  # type: ignore[arg-type]
