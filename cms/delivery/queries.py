"""Read projections for delivery: one round trip for a page and its total, one per batch of ids."""

from __future__ import annotations

from typing import Any

import msgspec

from cms.delivery.reads import read_rows
from cms.delivery.sql import Condition, conjunction
from cms.lib.clock import now

SERVED_NOW = "(valid_from IS NULL OR valid_from <= {}) AND (valid_until IS NULL OR valid_until > {})"


def served_now() -> Condition:
    """Rows whose validity window holds the current instant: an offer ends exactly at its end."""
    moment = now()
    return Condition(SERVED_NOW, [moment, moment])


class Page(msgspec.Struct):
    documents: list[str]
    total: int


def page_query(
    stage: str,
    content_type: str,
    channel: str,
    locale: str,
    conditions: list[Condition],
    order: str,
    limit: int,
    offset: int,
) -> tuple[Condition, Condition]:
    """The SQL of a page with its total, and of the total alone (for an empty page)."""
    scope = conjunction(
        [
            Condition(
                "stage = {} AND content_type = {} AND channel = {} AND locale = {}",
                [stage, content_type, channel, locale],
            ),
            served_now(),
            *conditions,
        ]
    )
    count = Condition(f"SELECT count(*) AS total FROM cms_projection WHERE {scope.sql}", scope.params)
    page = Condition(
        f"SELECT doc, ({count.sql}) AS total FROM cms_projection WHERE {scope.sql} "
        f"ORDER BY {order} LIMIT {{}} OFFSET {{}}",
        [*scope.params, *scope.params, limit, offset],
    )
    return page, count


async def fetch_page(
    stage: str,
    content_type: str,
    channel: str,
    locale: str,
    conditions: list[Condition],
    order: str,
    limit: int,
    offset: int,
) -> Page:
    """One page of documents and the total count of matches, in a single query."""
    page, count = page_query(stage, content_type, channel, locale, conditions, order, limit, offset)
    rows = await read_rows(page.sql, *page.params)
    if rows:
        return Page([_text(row["doc"]) for row in rows], int(rows[0]["total"]))
    # An empty page carries no total: count apart (only past the last page, or with `first: 0`).
    total = await read_rows(count.sql, *count.params)
    return Page([], int(total[0]["total"]))


async def fetch_by_entry_ids(stage: str, channel: str, locale: str, entry_ids: list[str]) -> dict[str, str]:
    """Documents of these entries on one channel and locale, keyed by entry id (unpublished ones absent)."""
    if not entry_ids:
        return {}
    placeholders = ", ".join(["{}"] * len(entry_ids))
    rows = await read_rows(
        f"SELECT entry, doc FROM cms_projection WHERE stage = {{}} AND channel = {{}} AND locale = {{}} "
        f"AND entry IN ({placeholders}) AND {SERVED_NOW}",
        stage,
        channel,
        locale,
        *entry_ids,
        *served_now().params,
    )
    return {row["entry"]: _text(row["doc"]) for row in rows}


async def fetch_by_key(
    stage: str, content_type: str, channel: str, locale: str, expression: str, value: str | int
) -> str | None:
    """The document where the SQL `expression` (built from model names only) equals `value`."""
    rows = await read_rows(
        "SELECT doc FROM cms_projection WHERE stage = {} AND content_type = {} AND channel = {} AND locale = {} "
        f"AND {SERVED_NOW} AND {expression} = {{}}",
        stage,
        content_type,
        channel,
        locale,
        *served_now().params,
        value,
    )
    return _text(rows[0]["doc"]) if rows else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()
