"""Reading a stock batch: a JSON array or NDJSON lines of `{sku, location, quantity, updated_at}` (pure).

A body that cannot be read as a whole (not JSON, an NDJSON line that is not JSON, a batch over the limit)
is a `MalformedBatchError`: nothing of it is applied. A line that is JSON but not a valid stock line is
refused on its own, with its line number and the reason (`Refusal`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

MAX_LINES = 100_000
"""Most lines in one batch: an OMS sends more as several batches."""
MAX_QUANTITY = 2_147_483_647
"""The largest quantity the stock table holds (a 32-bit integer)."""
MAX_SKU_LENGTH = 200


class StockLine(msgspec.Struct, forbid_unknown_fields=True):
    """Units of one SKU at one location, as counted at `updated_at` (the OMS's instant, with its time zone).

    The constraints are checked by msgspec while decoding a whole array (in C, no Python per line); a batch
    in which some line breaks one is read again line by line as `LooseStockLine`, to say which and why."""

    sku: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    location: str
    quantity: Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)]
    updated_at: Annotated[dt.datetime, msgspec.Meta(tz=True)]
    line: int = 0
    """1-based: the item of a JSON array, or the line of an NDJSON body (blank lines counted)."""


class LooseStockLine(msgspec.Struct, forbid_unknown_fields=True):
    """A stock line's shape without its constraints: checked by `_problem`, whose reasons name the rule."""

    sku: str
    location: str
    quantity: int
    updated_at: dt.datetime


class Refusal(msgspec.Struct, frozen=True):
    """A line not applied, and why: `refused` (not a valid stock line) or `stale` (older than what is stored)."""

    line: int
    outcome: str
    reason: str
    sku: str | None = None
    location: str | None = None


class MalformedBatchError(ValueError):
    """The body cannot be read as a batch: nothing of it is applied (HTTP 400, or 413 over the limit)."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


_lines_decoder = msgspec.json.Decoder(list[StockLine])
_line_decoder = msgspec.json.Decoder(StockLine)
_any_decoder = msgspec.json.Decoder()


def read_batch(body: bytes, *, ndjson: bool) -> tuple[list[StockLine], list[Refusal]]:
    """The well-formed lines of a batch (numbered) and the refused ones; MalformedBatchError for a body
    that is not a batch at all."""
    typed = None if ndjson else _typed_array(body)
    if typed is not None:
        _check_size(len(typed))
        return _checked_typed(typed)
    items = _ndjson_items(body) if ndjson else _array_items(body)
    _check_size(len(items))
    lines: list[StockLine] = []
    refused: list[Refusal] = []
    for number, item in items:
        checked = _checked(number, item)
        if isinstance(checked, Refusal):
            refused.append(checked)
        else:
            lines.append(checked)
    return lines, refused


def _check_size(count: int) -> None:
    if count > MAX_LINES:
        raise MalformedBatchError(
            f"the batch has {count} lines, over the limit of {MAX_LINES}: send it as several batches",
            too_large=True,
        )
    if not count:
        raise MalformedBatchError("the batch has no lines: send at least one {sku, location, quantity, updated_at}")


def _typed_array(body: bytes) -> list[StockLine] | None:
    """The common case, a JSON array of valid lines, decoded typed in one pass (no dict per line); None when
    some item is not a stock line (then checked one by one)."""
    try:
        return _lines_decoder.decode(body)
    except msgspec.ValidationError:
        return None
    except msgspec.DecodeError as error:
        raise MalformedBatchError(f"the body is not JSON ({error}): send a JSON array or NDJSON lines") from None


def _checked_typed(typed: list[StockLine]) -> tuple[list[StockLine], list[Refusal]]:
    """Lines decoded typed passed every check already: only numbered here."""
    for number, line in enumerate(typed, 1):
        line.line = number
    return typed, []


def _ndjson_items(body: bytes) -> list[tuple[int, Any]]:
    items: list[tuple[int, Any]] = []
    for number, text in enumerate(body.split(b"\n"), 1):
        if not text.strip():
            continue
        try:
            items.append((number, _line_decoder.decode(text)))  # valid (constraints included) in one call
        except msgspec.ValidationError:
            items.append((number, _any_decoder.decode(text)))  # checked by `_checked`, which says why
        except msgspec.DecodeError as error:
            # A line cut short (an interrupted upload) must not pass as a batch of the lines before it.
            raise MalformedBatchError(f"line {number} is not JSON ({error}): nothing was applied") from None
    return items


def _array_items(body: bytes) -> list[tuple[int, Any]]:
    """Items of an array some of which are not stock lines (`_typed_array` failed): each checked alone."""
    try:
        loose = _any_decoder.decode(body)
    except msgspec.DecodeError as error:
        # The typed decoder stops at the first item that is not a stock line, before reaching a syntax error.
        raise MalformedBatchError(f"the body is not JSON ({error}): send a JSON array or NDJSON lines") from None
    if not isinstance(loose, list):
        raise MalformedBatchError(
            "the body must be a JSON array of {sku, location, quantity, updated_at} (or NDJSON lines)"
        )
    return list(enumerate(loose, 1))


def _checked(number: int, item: Any) -> StockLine | Refusal:
    if isinstance(item, StockLine):
        item.line = number
        return item
    try:
        loose = msgspec.convert(item, LooseStockLine)
    except msgspec.ValidationError as error:
        return _refused(number, f"malformed: {_reason(str(error))}", item)
    problem = _problem(loose)
    if problem:
        return _refused(number, problem, item)
    return StockLine(loose.sku, loose.location, loose.quantity, loose.updated_at, number)


def _problem(line: LooseStockLine) -> str | None:
    if not line.sku.strip() or len(line.sku) > MAX_SKU_LENGTH:
        return f"malformed: sku must be 1 to {MAX_SKU_LENGTH} characters"
    if line.quantity < 0:
        return f"negative quantity {line.quantity}: send 0 for none in stock"
    if line.quantity > MAX_QUANTITY:
        return f"malformed: quantity {line.quantity} is over {MAX_QUANTITY}"
    if line.updated_at.tzinfo is None:
        return "malformed: updated_at needs a time zone (2026-12-23T10:00:00Z)"
    return None


def _refused(number: int, reason: str, item: Any) -> Refusal:
    sku = _text(item, "sku")
    location = _text(item, "location")
    return Refusal(line=number, outcome="refused", reason=reason, sku=sku, location=location)


def _text(item: Any, key: str) -> str | None:
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _reason(message: str) -> str:
    """msgspec's 'Expected `int`, got `str` - at `$.quantity`' as 'quantity: expected `int`, got `str`'."""
    reason, _, at = message.partition(" - at `$")
    key = at.rstrip("`").lstrip(".")
    reason = reason.replace("Object missing required field", "missing field").replace(
        "Object contains unknown field", "unknown field"
    )
    reason = reason[:1].lower() + reason[1:]
    return f"{key}: {reason}" if key else reason
