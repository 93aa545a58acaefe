"""The SQL texts of delivery's reads are remembered, their parameters assembled per request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from piccolo.engine.sqlite import convert_datetime_in

from cms.delivery import queries
from cms.delivery.queries import SERVED_NOW, page_query, served_now
from cms.delivery.reads import read_rows
from cms.delivery.sql import Condition, conjunction
from cms.lib.clock import TestClock, use_clock
from cms.store.database import get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Projection

POSTGRES = is_postgres(get_engine())
START = dt.datetime(2030, 1, 15, 9, 0, 59, 999_998, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[TestClock]:
    test_clock = TestClock(START)
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


def test_the_window_instant_is_what_the_adapter_stores_across_seconds(clock: TestClock) -> None:
    for step in [0, 1, 1, 1, 3_000_000, 0, 250]:  # into the next second, onto a whole second, back
        clock.advance(microseconds=step)
        moment = served_now().params[0]
        assert moment == (clock.now() if POSTGRES else convert_datetime_in(clock.now()))
    clock.set(dt.datetime(2030, 1, 15, 9, 5, 0, 0, tzinfo=dt.UTC))
    for _ in ("made", "from its remembered second"):  # on a whole second: no fraction written
        assert served_now().params[0] == (clock.now() if POSTGRES else convert_datetime_in(clock.now()))
    clock.set(dt.datetime(2030, 1, 15, 11, 0, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert served_now().params[0] == (clock.now() if POSTGRES else convert_datetime_in(clock.now()))
    assert served_now().params[0] == served_now().params[1]


def test_a_page_query_is_the_same_text_each_time_with_its_own_values(clock: TestClock) -> None:
    conditions = [Condition("brand = {}", ["Needle"]), Condition("price > {}", [10.0])]
    first, first_count = page_query("live", "product", "web", "en", conditions, "entry ASC", 20, 40)
    clock.advance(seconds=1)
    other = [Condition("brand = {}", ["Thread"]), Condition("price > {}", [3.0])]
    second, second_count = page_query("preview", "product", "web", "fr", other, "entry ASC", 10, 0)

    assert second.sql is first.sql and second_count.sql is first_count.sql
    moment = served_now().params[0]
    scope = ["preview", "product", "web", "fr", moment, moment, "Thread", 3.0]
    # On PostgreSQL the page names its total's parameters again ($1 … $8) rather than taking them twice.
    assert second.params == ([*scope, 10, 0] if POSTGRES else [*scope, *scope, 10, 0])
    assert second_count.params == scope
    expected_scope = conjunction(
        [
            Condition("stage = {} AND content_type = {} AND channel = {} AND locale = {}", []),
            Condition(SERVED_NOW, []),
            *conditions,
        ]
    ).sql
    assert second_count.sql == f"SELECT count(*) AS total FROM cms_projection WHERE {expected_scope}"
    assert second.sql.count("{}") == len(second.params)


@pytest.mark.postgres
async def test_a_page_on_postgresql_takes_each_value_once_and_reads_as_if_it_took_them_again(demo_db) -> None:  # type: ignore[no-untyped-def]
    entries = [row["entry"] for row in await Projection.raw("SELECT entry FROM cms_projection LIMIT 3")]
    conditions = [Condition("doc->>'brand' <> {}", ["Nobody"])]
    page = page_query("live", "product", "web", "en", conditions, "entry ASC", 7, 3, also=entries)[0]
    moment, ids = page.params[4], page.params[7]
    values = ["live", "product", "web", "en", moment, moment, "Nobody"]
    spelled = re.sub(r"\$[1-7]\b", "{}", page.sql)  # every value given where it is used, as on SQLite

    assert len(page.params) == 10 and "$7" in page.sql  # seven for the total, the entries, limit, offset
    rows = await read_rows(page.sql, *page.params)
    assert rows == await read_rows(spelled, *values, "live", "web", "en", ids, moment, moment, *values, 7, 3)
    assert rows[0]["total"] == 64 and len(rows[0]["string_agg"].split(" ")) == 7 and rows[0]["also"].count("[") > 1


def test_other_conditions_or_orders_have_texts_of_their_own() -> None:
    base = page_query("live", "product", "web", "en", [], "entry ASC", 20, 0)[0]
    filtered = page_query("live", "product", "web", "en", [Condition("brand = {}", ["x"])], "entry ASC", 20, 0)[0]
    ordered = page_query("live", "product", "web", "en", [], "entry DESC", 20, 0)[0]
    with_text = page_query("live", "product", "web", "en", [], "entry ASC", 20, 0, queries.WITH_TEXT)[0]
    assert len({base.sql, filtered.sql, ordered.sql, with_text.sql}) == 4
    assert "brand = {}" in filtered.sql and "entry DESC" in ordered.sql
