"""Lint versions against the offers in force: stored with every save, run again before publishing.

The rules are pure (`cms.consistency`); this module feeds them the published offers and the clock (and, where
a report is stored or listed, the entry's live stock and prices: cms.workflow.facts), stores each version's
report, and turns errors into a `LintError` that names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from cms.consistency import Finding, LintReport, OfferFacts, lint_entry
from cms.consistency.config import voice_of
from cms.consistency.lint import LiveFacts
from cms.consistency.live_facts import PRICE_RULE, STOCK_RULE
from cms.lib.clock import now
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.offers import offers_in_force
from cms.store.entries import SavedVersion
from cms.store.tables import Entry, EntryVersion
from cms.workflow.errors import LintError, NotFoundError
from cms.workflow.facts import channel_facts, entry_skus, live_facts, sells, stock_units

SHOWN_IN_MESSAGE = 3
BATCH = 500
"""Version keys per query when loading many versions."""
_decode_data = msgspec.json.Decoder(EntryData).decode


def lint_version(
    model: ContentModel, saved: SavedVersion, offers: Mapping[str, OfferFacts], live: LiveFacts | None = None
) -> LintReport:
    """The report of one version now, with `offers` in force; its copy checked against `live` facts if given."""
    content_type = model.types[saved.content_type]
    return lint_entry(model, content_type, saved.data, voice_of(model), model.budgets, offers, now(), live)


async def lint_live(model: ContentModel, saved: SavedVersion, offers: Mapping[str, OfferFacts]) -> LintReport:
    """`lint_version` with the entry's live stock and prices read now (warnings only: they never block)."""
    content_type = model.types[saved.content_type]
    facts = await live_facts(model, content_type, saved.entry_id, saved.data, offers, now())
    return lint_version(model, saved, offers, facts)


async def lint_and_store(model: ContentModel, saved: SavedVersion) -> LintReport:
    """Lint a version just saved and store the report with it."""
    report = await lint_live(model, saved, await offers_in_force(model))
    await EntryVersion.update({EntryVersion.lint: msgspec.json.encode(report).decode()}).where(
        EntryVersion.key == f"{saved.entry_id}:{saved.number}"
    )
    return report


async def stored_lint(model: ContentModel, entry_id: str, number: int | None = None) -> tuple[int, LintReport]:
    """The version number and its stored report; computed now (not stored) for a version saved unlinted."""
    entry = await Entry.select(Entry.content_type, Entry.current_version).where(Entry.id == entry_id).first()
    if entry is None:
        raise NotFoundError(f"no entry with id {entry_id!r}")
    number = entry["current_version"] if number is None else number
    row = (
        await EntryVersion.select(EntryVersion.data, EntryVersion.lint)
        .where(EntryVersion.key == f"{entry_id}:{number}")
        .first()
    )
    if row is None:
        raise NotFoundError(f"entry {entry_id} has no version {number}")
    if row["lint"] is not None:
        return number, report_from(row["lint"])
    saved = SavedVersion(entry_id, entry["content_type"], number, _decoded(row["data"]))
    return number, await lint_live(model, saved, await offers_in_force(model))


def report_from(stored: Any) -> LintReport:
    """A stored report (JSON text on SQLite, decoded on PostgreSQL) as a LintReport."""
    return msgspec.convert(msgspec.json.decode(stored) if isinstance(stored, str) else stored, LintReport)


def refuse_errors(report: LintReport, entry_id: str) -> None:
    """Raise LintError naming the first errors of `report`; warnings never block."""
    errors = report.errors
    if not errors:
        return
    shown = "; ".join(describe(finding) for finding in errors[:SHOWN_IN_MESSAGE])
    more = f"; and {len(errors) - SHOWN_IN_MESSAGE} more" if len(errors) > SHOWN_IN_MESSAGE else ""
    raise LintError(
        f"entry {entry_id} cannot be published: {len(errors)} consistency error(s): {shown}{more}",
        findings=[msgspec.to_builtins(finding) for finding in errors],
    )


def describe(finding: Finding) -> str:
    """`field social_text (social, fr): <message> [budget_hard]`, plus the suggestion."""
    where = f"{finding.channel or 'every channel'}, {finding.locale}"
    shown = finding.suggestion and finding.suggestion not in finding.message
    suggestion = f" ({finding.suggestion})" if shown else ""
    return f"field {finding.field} ({where}): {finding.message}{suggestion} [{finding.rule}]"


def _decoded(data: Any) -> EntryData:
    return _decode_data(data) if isinstance(data, str | bytes) else msgspec.convert(data, EntryData)


async def lint_current_versions(
    model: ContentModel, type_name: str | None = None
) -> list[tuple[dict[str, Any], LintReport]]:
    """Every entry that is not archived (of `type_name`, when given) with its current version linted now (with
    its live stock and prices, read for all entries at once)."""
    where: Any = Entry.status != "archived"
    if type_name is not None:
        where &= Entry.content_type == type_name
    entries = await Entry.select(Entry.id, Entry.content_type, Entry.slug, Entry.current_version).where(where)
    return await _lint_many(model, await _versions(model, entries, "current_version"))


LIVE_FACT_RULES = frozenset({STOCK_RULE, PRICE_RULE})
"""The findings of copy against live stock and prices (cms.consistency.live_facts)."""


async def live_fact_mismatches(model: ContentModel, channel: str | None = None) -> list[tuple[dict[str, Any], Finding]]:
    """What live copy says that stock or prices now contradict: the published version of every published entry
    of a type with a SKU, linted with its facts now; `stock_claim` and `price_live` findings only (of
    `channel`, when given), by type, slug and field."""
    products = [name for name, content_type in model.types.items() if sells(content_type)]
    entries = await Entry.select(Entry.id, Entry.content_type, Entry.slug, Entry.published_version).where(
        Entry.published_version.is_not_null() & Entry.content_type.is_in(products or [""])
    )
    linted = await _lint_many(model, await _versions(model, entries, "published_version"))
    return [
        (row, finding)
        for row, report in linted
        for finding in report.findings
        if finding.rule in LIVE_FACT_RULES and (channel is None or finding.channel == channel)
    ]


async def _versions(
    model: ContentModel, entries: list[dict[str, Any]], number_column: str
) -> list[tuple[dict[str, Any], SavedVersion]]:
    """The version `number_column` names of each entry (of a type the model has), ordered by type and slug."""
    entries = sorted(entries, key=lambda row: (row["content_type"], row["slug"] or "", row["id"]))
    data = {}
    for start in range(0, len(entries), BATCH):
        keys = [f"{row['id']}:{row[number_column]}" for row in entries[start : start + BATCH]]
        found = await EntryVersion.select(EntryVersion.key, EntryVersion.data).where(EntryVersion.key.is_in(keys))
        data.update({row["key"]: _decoded(row["data"]) for row in found})
    return [
        (row, SavedVersion(row["id"], row["content_type"], row[number_column], data[key]))
        for row in entries
        if (key := f"{row['id']}:{row[number_column]}") in data and row["content_type"] in model.types
    ]


async def _lint_many(
    model: ContentModel, versions: list[tuple[dict[str, Any], SavedVersion]]
) -> list[tuple[dict[str, Any], LintReport]]:
    """Each version linted now with the offers in force and its live facts; the stock of all of them read at once."""
    offers, instant = await offers_in_force(model), now()
    skus = [sku for _, saved in versions for sku in entry_skus(model, model.types[saved.content_type], saved.data)]
    units = await stock_units(skus)
    linted = []
    for row, saved in versions:
        content_type = model.types[saved.content_type]
        facts = (
            channel_facts(model, content_type, saved.entry_id, saved.data, offers, units, instant)
            if sells(content_type)
            else None
        )
        linted.append((row, lint_version(model, saved, offers, facts)))
    return linted
