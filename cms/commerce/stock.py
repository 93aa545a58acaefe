"""Applying a stock batch: one transaction of set-based SQL, last write wins by `updated_at`.

The batch's lines go into a temporary table in one statement batch (executemany on SQLite, COPY on
PostgreSQL); one grouped pass counts per location what the batch would do (rows to write, quantities that
change, stale lines, unknown SKUs), the stale and unknown lines are listed only when there are some, and the
rest is written with one
`INSERT … SELECT … ON CONFLICT (sku, location) DO UPDATE … WHERE excluded.updated_at > cms_stock.updated_at`.
A batch that changes any quantity bumps the stock version (delivery's cached answers showing stock are
keyed by it, the others are not and stay cached; PostgreSQL's listener hears it) and records one
`stock.changed` event, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec

from cms.commerce.lines import Refusal, StockLine
from cms.events.log import STOCK_CHANGED, record_event
from cms.model.definitions import ContentModel
from cms.store.content_version import bump_stock_version
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres

SKU_FIELD = "sku"
"""The field whose value is a product's SKU: stock is keyed by that string (a variant's SKU alike)."""
SKUS_IN_EVENT = 1000
"""Most SKUs an event lists (a 100,000-line batch would make every webhook delivery megabytes long)."""


class StockReport(msgspec.Struct, kw_only=True, rename="camel"):
    """What became of a batch, line by line for the lines not applied."""

    received: int
    applied: int = 0
    """Lines written: new pairs, or newer than what was stored."""
    changed: int = 0
    """Of those, the ones whose quantity differs from what was stored (what the event counts)."""
    unchanged: int = 0
    """Lines already applied (the same quantity at the same instant): a batch sent again changes nothing."""
    stale: int = 0
    refused: int = 0
    partial: bool = False
    lines: list[Refusal] = []
    """The stale and refused lines, by line number."""
    event: int | None = None
    """The `stock.changed` event recorded, when some quantity changed."""


def sku_claims(model: ContentModel) -> list[str]:
    """Prefixes of the unique-value claims (cms_unique_value) holding SKUs: `product:sku:` and alike."""
    claims = []
    for content_type in model.types.values():
        field = content_type.field(SKU_FIELD)
        if field is not None and field.unique:
            claims.append(f"{content_type.name}:{SKU_FIELD}:")
    return claims


async def apply_stock(
    model: ContentModel, lines: list[StockLine], refused: list[Refusal], *, partial: bool
) -> StockReport:
    """Write the batch's good lines (all of them or, with refusals, only when `partial`); report the others."""
    received = len(lines) + len(refused)
    lines, others = _known_and_latest(model, lines)
    refused = [*refused, *(refusal for refusal in others if refusal.outcome == "refused")]
    superseded = [refusal for refusal in others if refusal.outcome == "stale"]
    postgres = is_postgres(get_engine())
    try:
        async with write_transaction() as transaction:
            batch = _Batch(transaction.connection, postgres)
            await batch.fill(lines)
            # One pass counts what the batch would do; the lines of unknown SKUs and stale lines are looked
            # for only when it found some (a clean batch, the common case, is read twice, not four times).
            summary = await batch.summary(sku_claims(model))
            if summary.unknown:
                refused += await batch.unknown_skus(sku_claims(model))
            if refused and not partial:
                raise _Refused()
            return await _write(model, batch, summary, received, refused, superseded, partial)
    except _Refused:
        return StockReport(received=received, refused=len(refused), lines=_by_line(refused), partial=partial)


async def _write(
    model: ContentModel,
    batch: _Batch,
    summary: _Summary,
    received: int,
    refused: list[Refusal],
    superseded: list[Refusal],
    partial: bool,
) -> StockReport:
    await batch.drop([refusal.line for refusal in refused])
    stale_in_store = await batch.stale() if summary.stale else []
    await batch.drop([refusal.line for refusal in stale_in_store])  # superseded lines never entered the batch
    stale = superseded + stale_in_store
    if refused or summary.stale:
        summary = await batch.summary([])  # counted again without the lines dropped
    applied, changed, unchanged, locations = summary.applied, summary.changed, summary.unchanged, summary.locations
    skus = await batch.changed_skus() if changed else []
    await batch.upsert()
    event = None
    if changed:
        await bump_stock_version()
        event = await record_event(
            STOCK_CHANGED,
            {
                "changes": changed,
                "locations": locations,
                "skus": skus[:SKUS_IN_EVENT],
                "skusTruncated": len(skus) > SKUS_IN_EVENT,
            },
            channels=[name for name, channel in model.channels.items() if set(channel.locations) & set(locations)],
        )
    return StockReport(
        received=received,
        applied=applied,
        changed=changed,
        unchanged=unchanged,
        stale=len(stale),
        refused=len(refused),
        partial=partial,
        lines=_by_line([*refused, *stale]),
        event=event,
    )


class _Refused(Exception):
    """Some line is refused and the batch is not partial: roll back (nothing applied)."""


def _by_line(refusals: list[Refusal]) -> list[Refusal]:
    return sorted(refusals, key=lambda refusal: refusal.line)


def _known_and_latest(model: ContentModel, lines: list[StockLine]) -> tuple[list[StockLine], list[Refusal]]:
    """Lines at known locations, one per (sku, location): the latest `updated_at` (the later line on a tie).
    The others are refused (unknown location) or stale (superseded in this batch). One loop, no call per line."""
    known = model.locations
    # The common batch, every location known and every pair once, costs two comprehensions and no loop.
    if {line.location for line in lines} <= known.keys():
        unique = {(line.sku, line.location): line for line in lines}
        if len(unique) == len(lines):
            return lines, []
    latest: dict[tuple[str, str], StockLine] = {}
    others: list[Refusal] = []
    for line in lines:
        if line.location not in known:
            others.append(_unknown_location(model, line))
            continue
        pair = (line.sku, line.location)
        kept = latest.get(pair)
        if kept is None:
            latest[pair] = line
            continue
        older, newer = (kept, line) if line.updated_at >= kept.updated_at else (line, kept)
        latest[pair] = newer
        reason = (
            f"stale: superseded by line {newer.line} of this batch (same sku and location, later or equal updated_at)"
        )
        others.append(Refusal(older.line, "stale", reason, older.sku, older.location))
    return list(latest.values()), others


def _unknown_location(model: ContentModel, line: StockLine) -> Refusal:
    names = ", ".join(model.locations) or "none declared (content_types/locations.toml)"
    reason = f"unknown location {line.location!r} (locations: {names})"
    return Refusal(line.line, "refused", reason, line.sku, line.location)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def _instant(stored: Any) -> dt.datetime:
    return stored if isinstance(stored, dt.datetime) else EPOCH + int(stored) * MICROSECOND


_JOINED = "FROM cms_stock_batch b LEFT JOIN cms_stock s ON s.sku = b.sku AND s.location = b.location"
_NEWER = "s.sku IS NULL OR b.updated_at > s.updated_at"
_DIFFERS = "s.sku IS NULL OR (b.updated_at > s.updated_at AND b.quantity <> s.quantity)"
_STALE = "s.updated_at > b.updated_at OR (s.updated_at = b.updated_at AND s.quantity <> b.quantity)"


def _known_sku(claims: list[str]) -> str:
    """A condition true for a batch line (`b`) whose SKU some entry claims (one `?` per claim prefix)."""
    if not claims:
        return "TRUE"
    keys = ", ".join("? || b.sku" for _ in claims)
    return f"EXISTS (SELECT 1 FROM cms_unique_value u WHERE u.key IN ({keys}))"


class _Summary(msgspec.Struct, frozen=True):
    applied: int
    changed: int
    unchanged: int
    stale: int
    unknown: int
    locations: list[str]


class _Batch:
    """The batch's lines in a temporary table of the transaction's connection, and the set-based statements
    over it (the same SQL on both databases but for placeholders)."""

    def __init__(self, connection: Any, postgres: bool) -> None:
        self.connection, self.postgres = connection, postgres

    async def fill(self, lines: Sequence[StockLine]) -> None:
        if self.postgres:
            await self.connection.execute(
                "CREATE TEMP TABLE cms_stock_batch (line INTEGER PRIMARY KEY, sku TEXT NOT NULL,"
                " location TEXT NOT NULL, quantity INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL) ON COMMIT DROP"
            )
            records = [(line.line, line.sku, line.location, line.quantity, line.updated_at) for line in lines]
            await self.connection.copy_records_to_table("cms_stock_batch", records=records)
            await self.connection.execute("ANALYZE cms_stock_batch")  # a temporary table has no statistics
            return
        await self.connection.execute("PRAGMA temp_store = MEMORY")  # the batch table never touches a file
        await self.connection.execute(
            "CREATE TEMP TABLE IF NOT EXISTS cms_stock_batch (line INTEGER PRIMARY KEY, sku TEXT NOT NULL,"
            " location TEXT NOT NULL, quantity INTEGER NOT NULL, updated_at INTEGER NOT NULL)"
        )
        await self.connection.execute("DELETE FROM cms_stock_batch")
        # On SQLite an instant is stored as microseconds since 1970 UTC (exact, compared as numbers), computed
        # inline: a function call per line was a tenth of the fill's time.
        epoch, unit = EPOCH, MICROSECOND
        rows = [
            (line.line, line.sku, line.location, line.quantity, (line.updated_at - epoch) // unit) for line in lines
        ]
        await self.connection.executemany("INSERT INTO cms_stock_batch VALUES (?, ?, ?, ?, ?)", rows)

    async def unknown_skus(self, claims: list[str]) -> list[Refusal]:
        where = f"NOT ({_known_sku(claims)})"
        rows = await self._rows(f"SELECT b.line, b.sku, b.location FROM cms_stock_batch b WHERE {where}", *claims)
        return [
            Refusal(
                row["line"], "refused", f"unknown sku {row['sku']!r}: no product has it", row["sku"], row["location"]
            )
            for row in rows
        ]

    async def stale(self) -> list[Refusal]:
        rows = await self._rows(
            "SELECT b.line, b.sku, b.location, s.updated_at AS stored, s.quantity AS stored_quantity,"
            " b.updated_at AS sent FROM cms_stock_batch b"
            " JOIN cms_stock s ON s.sku = b.sku AND s.location = b.location"
            f" WHERE {_STALE}"
        )
        return [Refusal(row["line"], "stale", _stale_reason(row), row["sku"], row["location"]) for row in rows]

    async def summary(self, claims: list[str]) -> _Summary:
        """Per location, in one pass: lines to write (new or newer), quantities that change, stale lines, and
        (with `claims`) lines of unknown SKUs. Counted as if every line were good: a batch with stale lines or
        unknown SKUs is counted again once they are dropped."""
        known = _known_sku(claims)
        counts = await self._rows(
            f"SELECT b.location, count(*) AS total, sum(CASE WHEN {_NEWER} THEN 1 ELSE 0 END) AS applied,"
            f" sum(CASE WHEN {_DIFFERS} THEN 1 ELSE 0 END) AS changed,"
            f" sum(CASE WHEN {_STALE} THEN 1 ELSE 0 END) AS stale,"
            f" sum(CASE WHEN {known} THEN 0 ELSE 1 END) AS unknown {_JOINED} GROUP BY b.location",
            *claims,
        )

        def total(name: str) -> int:
            return sum(int(row[name] or 0) for row in counts)

        return _Summary(
            applied=total("applied"),
            changed=total("changed"),
            unchanged=total("total") - total("applied") - total("stale"),
            stale=total("stale"),
            unknown=total("unknown"),
            locations=sorted(row["location"] for row in counts if row["changed"]),
        )

    async def changed_skus(self) -> list[str]:
        """SKUs whose quantity changes, at most the event's limit + 1 (unordered in SQL: a DISTINCT sorted over
        100,000 rows cost a fifth of the batch)."""
        rows = await self._rows(f"SELECT DISTINCT b.sku {_JOINED} WHERE {_DIFFERS} LIMIT {SKUS_IN_EVENT + 1}")
        return sorted(row["sku"] for row in rows)

    async def upsert(self) -> None:
        await self._execute(
            "INSERT INTO cms_stock (sku, location, quantity, updated_at)"
            " SELECT sku, location, quantity, updated_at FROM cms_stock_batch WHERE TRUE"
            " ON CONFLICT (sku, location) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at"
            " WHERE excluded.updated_at > cms_stock.updated_at"
        )

    async def drop(self, lines: list[int]) -> None:
        if not lines:
            return
        if self.postgres:
            await self.connection.execute("DELETE FROM cms_stock_batch WHERE line = ANY($1::int[])", lines)
        else:
            await self.connection.executemany("DELETE FROM cms_stock_batch WHERE line = ?", [(n,) for n in lines])

    async def _rows(self, sql: str, *params: Any) -> list[Any]:
        if self.postgres:
            return list(await self.connection.fetch(_numbered(sql), *params))
        cursor = await self.connection.execute(sql, params)
        return list(await cursor.fetchall())

    async def _execute(self, sql: str) -> None:
        await self.connection.execute(sql)


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1`, `$2`, … (no `?` appears in these statements otherwise)."""
    parts = sql.split("?")
    return "".join(part + (f"${index}" if index < len(parts) else "") for index, part in enumerate(parts, 1))


def _stale_reason(row: Any) -> str:
    stored_text = _instant(row["stored"]).isoformat()
    if row["stored"] == row["sent"]:
        return f"stale: stock at this instant ({stored_text}) was already set to {row['stored_quantity']}"
    return f"stale: the stored stock is newer (updated_at {stored_text})"
