"""`cms import-shopify`: check a whole Shopify CSV first (refusals by line and column), then write it through
the editor's path (`Editor.create` / `update` / `publish`: validated by the model, unique codes claimed, linted,
projected, audited).

Products are found by their handle (the mapping's `handle_field`, the slug): a product whose imported values
are already its current version, and published if Shopify says it is, is left alone, so importing the same file
again changes nothing.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from anyio import to_thread

from cms.auth.principal import Principal
from cms.media.errors import MediaError
from cms.media.library import MediaLibrary
from cms.media.upload import clean_upload
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.store.entries import unique_claims
from cms.store.tables import Asset, Entry, EntryVersion, UniqueValue
from cms.transfer.reading import Refusal
from cms.transfer.shopify.csvfile import KNOWN_COLUMNS, USED_COLUMNS, ProductRows, product_groups, read_header
from cms.transfer.shopify.mapping import Mapping
from cms.transfer.shopify.products import Built, Lookups, build_product, image_file, slugify

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


@dataclass
class ShopifyReport:
    plans: list[Plan] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    """Columns of the file nothing reads (neither the importer nor the mapping), in the file's order."""

    @property
    def counts(self) -> Counter[str]:
        return Counter(plan.action for plan in self.plans)


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
        self.model, self.mapping, self.csv_path, self.images = model, mapping, csv_path, images
        self.library = library
        self.content_type = model.types[mapping.content_type]
        self.columns = read_header(csv_path)
        self.alts: dict[str, str] = {}
        """Image file name -> its alt text (the first the file gives)."""

    def unmapped_columns(self) -> list[str]:
        read = set(USED_COLUMNS) | set(self.mapping.columns) | set(self.mapping.ignore)
        if self.mapping.category is not None:
            read.add(self.mapping.category.column)
        return [column for column in self.columns if column not in read]

    async def check(self, seen: Callable[[Plan], None] = lambda _: None) -> ShopifyReport:
        """Decide every product without writing anything; `seen` hears each decision."""
        groups = list(product_groups(self.csv_path))
        report = ShopifyReport(unmapped=self.unmapped_columns())
        lookups = Lookups(await self._categories(), {})
        await self._images(groups, lookups)
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
            problems.insert(0, Refusal(group.first.line, "Handle", "missing: every row names its product's handle"))
        raw = self._data(built, stored)
        # Claimed before the model's checks, so a repeated code is named even when either product has other problems.
        problems += self._claimed_in_file(built, raw, claimed)
        if problems:
            report.refusals += problems
            return plan
        try:
            data = validate_entry_data(self.model, self.content_type, raw)
        except InvalidEntryError as error:
            report.refusals += [self._refusal(built, problem.path, problem.reason) for problem in error.errors]
            return plan
        plan.data, plan.entry_id = data, stored.entry_id if stored else None
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
        problems = []
        for key, path in unique_claims(self.model, self.content_type, data).items():
            owner = claimed.setdefault(key, built.handle)
            if owner != built.handle:
                problems.append(self._refusal(built, path, f"the same value as product {owner!r} of this file"))
        return problems

    def _refusal(self, built: Built, path: str, reason: str) -> Refusal:
        """A problem the model found at `base.<locale>.<field…>`, named by the CSV line and column it came from."""
        field_path = path.split(".", 2)[2] if path.startswith("base.") and path.count(".") >= 2 else path
        line, column = built.source(field_path)
        return Refusal(line, column, reason)

    def _data(self, built: Built, stored: _Stored | None) -> EntryData:
        """The stored data with the file's values put in (a new product: the file's values and the defaults)."""
        base = {locale: dict(values) for locale, values in (stored.data.base if stored else {}).items()}
        overrides = stored.data.overrides if stored else {}
        values = built.values if stored else {**self.mapping.defaults, **built.values}
        default = self.model.default_locale
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
                report.refusals.append(
                    self._refusal(plan.built, path, f"already used by entry {named!r} in the database")
                )
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

    async def _images(self, groups: list[ProductRows], lookups: Lookups) -> None:
        """Each image the file names, checked as an upload would be: the asset holding it already, or pending."""
        for group in groups:
            for row in group.rows:
                for column in ("Image Src", "Variant Image"):
                    if row.get(column):
                        name = image_file(row.get(column))
                        alt = row.get("Image Alt Text") if column == "Image Src" else ""
                        if not self.alts.get(name):
                            self.alts[name] = alt
        for name in self.alts:
            problem = await self._check_image(name, lookups)
            if problem:
                lookups.image_problems[name] = problem

    async def _check_image(self, name: str, lookups: Lookups) -> str | None:
        path = self._image_path(name)
        if path is None:
            return "is not in the images folder (--images)" if self.images else "needs --images DIR to be read"
        settings = self.library.settings
        clean = functools.partial(
            clean_upload, max_bytes=settings.upload_max_bytes, max_pixels=settings.image_max_pixels
        )
        try:
            image = await to_thread.run_sync(clean, path.read_bytes(), name, None)
        except MediaError as error:
            return str(error)
        existing = await Asset.select(Asset.id).where(Asset.sha256 == image.sha256).first()
        lookups.images[name] = existing["id"] if existing else f"pending:{name}"
        return None

    def _image_path(self, name: str) -> Path | None:
        if self.images is None or not name or name.startswith(".") or "/" in name or "\\" in name:
            return None
        path = self.images / name
        return path if path.is_file() else None

    async def apply(
        self, report: ShopifyReport, principal: Principal, advance: Callable[[Plan], None] = lambda _: None
    ) -> tuple[Counter[str], list[Refusal]]:
        """Write the planned products (refused ones left out); (action -> products, what the site refused)."""
        from cms.workflow.entries import Editor  # a floor above transfer's checks; only applying needs it

        editor = Editor(self.model, principal)
        uploaded: dict[str, str] = {}
        written: Counter[str] = Counter()
        refusals: list[Refusal] = []
        for plan in report.plans:
            if plan.data is not None and plan.action != "refused":
                try:
                    action = await self._apply_one(editor, plan, principal, uploaded)
                except Exception as error:  # the site's own refusal (lint, a claim taken meanwhile): named, then on
                    refusals.append(Refusal(plan.lines[0], "(product)", f"{plan.handle}: {error}"))
                    action = "refused"
                written[action] += 1
            advance(plan)
        return written, refusals

    async def _apply_one(self, editor: Any, plan: Plan, principal: Principal, uploaded: dict[str, str]) -> str:
        assert plan.data is not None
        data = await self._with_uploads(plan.data, principal, uploaded)
        if plan.action == "create":
            row = await editor.create(self.content_type.name, data, "Imported from Shopify")
        elif plan.action == "update":
            row = await editor.update(plan.entry_id, plan.based_on, data, "Imported from Shopify")
        else:
            row = {"id": plan.entry_id, "current_version": plan.based_on}
        if plan.publish:
            await editor.publish(row["id"], row["current_version"])
            return plan.action if plan.action != "unchanged" else "published"
        return plan.action

    async def _with_uploads(self, data: EntryData, principal: Principal, uploaded: dict[str, str]) -> EntryData:
        """`data` with each pending image uploaded through the media library and named by its asset id."""
        encoded = msgspec.json.encode(data)
        if b'"pending:' not in encoded:
            return data
        for name in self.alts:
            marker = f'"pending:{name}"'.encode()
            if marker not in encoded:
                continue
            if name not in uploaded:
                path = self._image_path(name)
                assert path is not None
                alt = {self.mapping.locale: self.alts[name]} if self.alts[name] else {}
                result = await self.library.upload(path.read_bytes(), name, None, alt, principal)
                uploaded[name] = result.asset["id"]
            encoded = encoded.replace(marker, f'"{uploaded[name]}"'.encode())
        return _decode_data(encoded)


def _decode(value: Any) -> EntryData:
    return _decode_data(value) if isinstance(value, (str, bytes)) else msgspec.convert(value, EntryData)


__all__ = ["KNOWN_COLUMNS", "Plan", "ShopifyImport", "ShopifyReport", "slugify"]
