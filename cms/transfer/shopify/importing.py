"""`cms import-shopify`: check a whole Shopify CSV first (refusals by line and column), then write it through
the editor's path (`Editor.create` / `update` / `publish`: validated by the model, unique codes claimed, linted,
projected, audited).

Products are found by their handle (the mapping's `handle_field`, the slug): a product whose imported values
are already its current version, and published if Shopify says it is, is left alone, so importing the same file
again changes nothing. The variants' quantities (with an `[inventory]` mapping) are then written in one stock
batch, as `PUT /inventory` writes them, counted as of the file's modification time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from cms.auth.principal import Principal
from cms.commerce.lines import StockLine
from cms.commerce.stock import StockReport, apply_stock
from cms.media.errors import MediaError
from cms.media.library import MediaLibrary
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError, validate_entry_data
from cms.store.entries import ConflictError, unique_claims
from cms.store.tables import Entry, EntryVersion, UniqueValue
from cms.transfer.reading import Refusal
from cms.transfer.shopify.csvfile import QUANTITY_COLUMNS, USED_COLUMNS, ProductRows, product_groups, read_header
from cms.transfer.shopify.images import ShopImages
from cms.transfer.shopify.mapping import Mapping
from cms.transfer.shopify.messages import RowRefusal, refuse
from cms.transfer.shopify.products import Built, Lookups, Quantity, build_product
from cms.workflow.entries import Editor
from cms.workflow.errors import WorkflowError

MESSAGE = "Imported from Shopify"
"""The message of every version an import saves (the version history says where a change came from)."""
_sorted = msgspec.json.Encoder(order="sorted").encode
_decode_data = msgspec.json.Decoder(EntryData).decode
BATCH = 500


@dataclass
class Plan:
    """What applying does to one product."""

    handle: str
    lines: list[int]
    action: str
    """`create`, `update`, `unchanged` or `refused`."""
    data: EntryData | None = None
    entry_id: str | None = None
    based_on: int = 0
    publish: bool = False
    """Publish the version written (or the current one, when unchanged but not yet live)."""
    built: Built | None = None
    stock: list[Quantity] = field(default_factory=list)
    """The variants' quantities to write once the product is saved."""


@dataclass
class ShopifyReport:
    plans: list[Plan] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    late: list[Refusal] = field(default_factory=list)
    """What the site refused while applying (set by the caller of `apply`)."""
    unmapped: list[str] = field(default_factory=list)
    """Columns of the file nothing reads (neither the importer nor the mapping), in the file's order."""

    @property
    def counts(self) -> Counter[str]:
        return Counter(plan.action for plan in self.plans)

    @property
    def quantities(self) -> int:
        """Stock quantities the products not refused carry."""
        return sum(len(plan.stock) for plan in self.plans if plan.action != "refused")


@dataclass
class _Stored:
    entry_id: str
    current_version: int
    published_version: int | None
    data: EntryData


class ShopifyImport:
    def __init__(
        self, model: ContentModel, mapping: Mapping, csv_path: Path, images: Path | None, library: MediaLibrary
    ) -> None:
        self.model, self.mapping, self.csv_path = model, mapping, csv_path
        self.content_type = model.types[mapping.content_type]
        self.columns = read_header(csv_path)
        self.images = ShopImages(library, images, mapping.locale)
        self.stock: StockReport | None = None
        """What writing the quantities did (set by `apply` when the mapping imports inventory)."""

    def unmapped_columns(self) -> list[str]:
        read = set(USED_COLUMNS) | set(self.mapping.columns) | set(self.mapping.ignore)
        if self.mapping.category is not None:
            read.add(self.mapping.category.column)
        if self.mapping.inventory is not None:
            read |= set(QUANTITY_COLUMNS)
        return [column for column in self.columns if column not in read]

    async def check(self, seen: Callable[[Plan], None] = lambda _: None) -> ShopifyReport:
        """Decide every product without writing anything; `seen` hears each decision."""
        groups = list(product_groups(self.csv_path))
        report = ShopifyReport(unmapped=self.unmapped_columns())
        lookups = Lookups(await self._categories(), {})
        await self.images.check(groups, lookups)
        claimed: dict[str, str] = {}
        """Unique value key -> the handle of the file claiming it."""
        for start in range(0, len(groups), BATCH):
            batch = groups[start : start + BATCH]
            stored = await self._stored([group.handle for group in batch])
            plans = [self._plan(group, lookups, stored.get(group.handle), claimed, report) for group in batch]
            await self._claims_taken(plans, report)
            for plan in plans:
                report.plans.append(plan)
                seen(plan)
        report.refusals.sort(key=lambda refusal: refusal.line)
        return report

    def _plan(
        self,
        group: ProductRows,
        lookups: Lookups,
        stored: _Stored | None,
        claimed: dict[str, str],
        report: ShopifyReport,
    ) -> Plan:
        lines = [row.line for row in group.rows]
        built, problems = build_product(group, self.mapping, self.content_type, lookups)
        plan = Plan(group.handle, lines, "refused", built=built)
        if not group.handle:
            problems.insert(0, refuse(group.first.line, "Handle", "missing_handle"))
        raw = self._data(built, stored)
        # Claimed before the model's checks, so a repeated code is named even when either product has other problems.
        problems += self._claimed_in_file(built, raw, claimed)
        if problems:
            report.refusals += problems
            return plan
        try:
            data = validate_entry_data(self.model, self.content_type, raw)
        except InvalidEntryError as error:
            report.refusals += [_model_refusal(built, problem) for problem in error.errors]
            return plan
        plan.data, plan.entry_id, plan.stock = data, stored.entry_id if stored else None, built.stock
        if stored is None:
            plan.action, plan.publish = "create", built.publish
        else:
            plan.based_on = stored.current_version
            unchanged = _sorted(data) == _sorted(stored.data)
            plan.action = "unchanged" if unchanged else "update"
            live = stored.published_version == stored.current_version
            plan.publish = built.publish and not (unchanged and live)
        return plan

    def _claimed_in_file(self, built: Built, data: EntryData, claimed: dict[str, str]) -> list[Refusal]:
        """Unique codes (SKU, GTIN, slug) an earlier product of the file claims already."""
        problems: list[Refusal] = []
        for key, path in unique_claims(self.model, self.content_type, data).items():
            owner = claimed.setdefault(key, built.handle)
            if owner != built.handle:
                problems.append(refuse(*_located(built, path), "claimed_in_file", owner=owner))
        return problems

    def _data(self, built: Built, stored: _Stored | None) -> EntryData:
        """The stored data with the file's values put in (a new product: the file's values and the defaults)."""
        base = {locale: dict(values) for locale, values in (stored.data.base if stored else {}).items()}
        overrides = stored.data.overrides if stored else {}
        values = built.values if stored else {**self.mapping.defaults, **built.values}
        default = self.model.default_locale
        for name in built.cleared:
            for locale_values in base.values():
                locale_values.pop(name, None)
        for name, value in values.items():
            definition = self.content_type.field(name)
            localized = definition is not None and definition.localized
            base.setdefault(self.mapping.locale if localized else default, {})[name] = value
            if localized and stored is None and self.mapping.locale != default:
                # A new product needs its required texts in the default locale: the file's stand in until translated.
                base.setdefault(default, {}).setdefault(name, value)
        return EntryData(base=base, overrides=overrides)

    async def _claims_taken(self, plans: list[Plan], report: ShopifyReport) -> None:
        """Unique codes (SKU, GTIN, slug) already held in the database by another entry."""
        wanted: dict[str, tuple[Plan, str]] = {}
        for plan in plans:
            if plan.data is not None:
                for key, path in unique_claims(self.model, self.content_type, plan.data).items():
                    wanted[key] = (plan, path)
        if not wanted:
            return
        rows = await UniqueValue.select(UniqueValue.key, UniqueValue.entry).where(UniqueValue.key.is_in(list(wanted)))
        for row in rows:
            plan, path = wanted[row["key"]]
            if row["entry"] != plan.entry_id:
                holder = await Entry.select(Entry.slug).where(Entry.id == row["entry"]).first()
                named = holder["slug"] if holder and holder["slug"] else row["entry"]
                assert plan.built is not None
                report.refusals.append(refuse(*_located(plan.built, path), "claimed_in_database", owner=named))
                plan.action, plan.data = "refused", None

    async def _categories(self) -> dict[str, str]:
        if self.mapping.category is None:
            return {}
        target = self.content_type.field(self.mapping.category.field)
        assert target is not None and target.to is not None
        rows = await Entry.select(Entry.id, Entry.slug, Entry.current_version).where(Entry.content_type == target.to)
        found = {row["slug"]: row["id"] for row in rows if row["slug"]}
        if self.mapping.category.match == "name":
            keys = [f"{row['id']}:{row['current_version']}" for row in rows]
            versions = await EntryVersion.select(EntryVersion.entry, EntryVersion.data).where(
                EntryVersion.key.is_in(keys)
            )
            for version in versions:
                data = _decode(version["data"])
                for values in data.base.values():
                    if isinstance(values.get("name"), str):
                        found.setdefault(values["name"].lower(), version["entry"])
        return found

    async def _stored(self, handles: list[str]) -> dict[str, _Stored]:
        """The products of these handles already in the database, with their current data."""
        wanted = [handle for handle in handles if handle]
        rows = await Entry.select(Entry.id, Entry.slug, Entry.current_version, Entry.published_version).where(
            (Entry.content_type == self.content_type.name) & Entry.slug.is_in(wanted or [""])
        )
        if not rows:
            return {}
        keys = [f"{row['id']}:{row['current_version']}" for row in rows]
        versions = await EntryVersion.select(EntryVersion.entry, EntryVersion.data).where(EntryVersion.key.is_in(keys))
        data = {version["entry"]: _decode(version["data"]) for version in versions}
        return {
            row["slug"]: _Stored(row["id"], row["current_version"], row["published_version"], data[row["id"]])
            for row in rows
        }

    async def apply(
        self, report: ShopifyReport, principal: Principal, advance: Callable[[Plan], None] = lambda _: None
    ) -> tuple[Counter[str], list[Refusal]]:
        """Write the planned products (refused ones left out), each in its own transaction; (action -> products,
        what the site refused only now: a publishing blocked by lint, a code an editor claimed meanwhile)."""
        editor = Editor(self.model, principal)
        written: Counter[str] = Counter()
        refusals: list[Refusal] = []
        quantities: list[Quantity] = []
        for plan in report.plans:
            if plan.data is not None and plan.action != "refused":
                action, refusal = await self._apply_one(editor, plan, principal)
                written[action] += 1
                refusals += [refusal] if refusal else []
                quantities += plan.stock if action != "refused" else []
            advance(plan)
        if self.mapping.inventory is not None and quantities:
            refusals += await self._write_stock(self.mapping.inventory.location, quantities)
        return written, refusals

    async def _write_stock(self, location: str, quantities: list[Quantity]) -> list[Refusal]:
        """One stock batch of the saved products' quantities, counted as of the file's modification time (last
        write wins: a count the shop's systems sent since is newer and stays; the same file again changes
        nothing); the lines not written, named by CSV line and column."""
        counted = dt.datetime.fromtimestamp(self.csv_path.stat().st_mtime, dt.UTC)
        lines = [StockLine(item.sku, location, item.quantity, counted, item.line) for item in quantities]
        self.stock = await apply_stock(self.model, lines, [], partial=True)
        columns = {item.line: item.column for item in quantities}
        return [
            refuse(
                line.line,
                columns.get(line.line, QUANTITY_COLUMNS[1]),
                "stock_stale" if line.outcome == "stale" else "stock_refused",
                sku=line.sku,
                location=line.location,
                reason=line.reason,
            )
            for line in self.stock.lines
        ]

    async def _apply_one(self, editor: Editor, plan: Plan, principal: Principal) -> tuple[str, Refusal | None]:
        assert plan.data is not None
        line = plan.lines[0]
        try:
            data = await self.images.stored(plan.data, principal)
            if plan.action == "create":
                row = await editor.create(self.content_type.name, data, MESSAGE)
            elif plan.action == "update":
                assert plan.entry_id is not None
                row = await editor.update(plan.entry_id, plan.based_on, data, MESSAGE)
            else:
                row = {"id": plan.entry_id, "current_version": plan.based_on}
        except (InvalidEntryError, ConflictError, WorkflowError, MediaError) as error:
            return "refused", refuse(line, "(product)", "nothing_saved", handle=plan.handle, reason=str(error))
        if not plan.publish:
            return plan.action, None
        try:
            await editor.publish(row["id"], row["current_version"])
        except WorkflowError as error:
            version = row["current_version"]
            return "draft", refuse(
                line, "Status", "not_published", handle=plan.handle, version=version, reason=str(error)
            )
        return (plan.action if plan.action != "unchanged" else "published"), None


def _located(built: Built, path: str) -> tuple[int, str]:
    """The CSV line and column a model path (`base.<locale>.<field…>`) came from."""
    return built.source(path.split(".", 2)[2] if path.startswith("base.") and path.count(".") >= 2 else path)


def _model_refusal(built: Built, problem: FieldError) -> RowRefusal:
    """A problem the model found, named by where it came from in the file, with the model's code."""
    line, column = _located(built, problem.path)
    return RowRefusal(line, column, problem.reason, f"value.{problem.code}" if problem.code else "", problem.params)


def _decode(value: Any) -> EntryData:
    return _decode_data(value) if isinstance(value, (str, bytes)) else msgspec.convert(value, EntryData)
