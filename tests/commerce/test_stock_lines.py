"""Reading a stock batch (pure): good lines numbered, each bad one refused with its line number and reason."""

from __future__ import annotations

import pytest

from cms.commerce.availability import availability
from cms.commerce.lines import MalformedBatchError, read_batch

GOOD = b'{"sku": "KET-01", "location": "paris_store", "quantity": 2, "updated_at": "2026-12-23T10:00:00+01:00"}'


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (b'{"sku": "   ", "location": "paris_store", "quantity": 1, "updated_at": "2026-12-23T10:00:00Z"}', "sku must"),
        (b'{"sku": "A", "location": "paris_store", "quantity": 1, "updated_at": "2026-12-23T10:00:00"}', "time zone"),
        (
            b'{"sku": "A", "location": "paris_store", "quantity": 3000000000, "updated_at": "2026-12-23T10:00:00Z"}',
            "over",
        ),
        (b'{"sku": "A", "location": "paris_store", "quantity": -1, "updated_at": "2026-12-23T10:00:00Z"}', "negative"),
        (b'{"sku": "A", "location": "paris_store", "quantity": 1.5, "updated_at": "2026-12-23T10:00:00Z"}', "quantity"),
        (b'{"sku": "A", "location": "paris_store", "quantity": 1}', "missing field `updated_at`"),
        (b'{"sku": "A", "location": "paris_store", "qty": 1, "updated_at": "2026-12-23T10:00:00Z"}', "unknown field"),
        (b'{"sku": "A", "location": "paris_store", "quantity": 1, "updated_at": "yesterday"}', "updated_at"),
        (b'"just text"', "expected `object`"),
    ],
)
@pytest.mark.parametrize("ndjson", [False, True], ids=["json", "ndjson"])
def test_a_bad_line_is_refused_with_its_number_and_reason(item: bytes, reason: str, ndjson: bool) -> None:
    body = GOOD + b"\n" + item if ndjson else b"[" + GOOD + b"," + item + b"]"

    lines, refused = read_batch(body, ndjson=ndjson)

    assert [(line.sku, line.line) for line in lines] == [("KET-01", 1)]
    assert [refusal.line for refusal in refused] == [2]
    assert reason in refused[0].reason


def test_ndjson_counts_blank_lines_in_line_numbers() -> None:
    lines, refused = read_batch(b"\n" + GOOD + b"\n\n" + GOOD.replace(b"KET-01", b"LMP-02") + b"\n", ndjson=True)

    assert ([line.line for line in lines], refused) == ([2, 4], [])


@pytest.mark.parametrize(
    ("body", "ndjson", "message"),
    [
        (b"[" + GOOD, False, "not JSON"),
        (b"[" + GOOD + b", 5", False, "not JSON"),  # a bad item before the syntax error
        (b"{}", False, "JSON array"),
        (GOOD + b"\n{not json", True, "line 2 is not JSON"),
        (b"\n\n", True, "no lines"),
    ],
)
def test_a_body_that_is_not_a_batch_is_malformed_as_a_whole(body: bytes, ndjson: bool, message: str) -> None:
    with pytest.raises(MalformedBatchError, match=message):
        read_batch(body, ndjson=ndjson)


@pytest.mark.parametrize(
    ("quantity", "expected"), [(0, "OUT"), (-3, "OUT"), (1, "LOW"), (3, "LOW"), (4, "IN_STOCK"), (500, "IN_STOCK")]
)
def test_availability_from_units_with_a_threshold_of_three(quantity: int, expected: str) -> None:
    assert availability(quantity, 3) == expected


def test_a_threshold_of_zero_never_says_low() -> None:
    assert [availability(quantity, 0) for quantity in (0, 1)] == ["OUT", "IN_STOCK"]
