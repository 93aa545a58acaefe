"""Offers as publishing sees them: the published offers' facts, and the instants where a document changes.

Copy refers to offers with `{{offer:<slug>.<field>}}`; a document that does is stored once per
stretch of time in which every offer it names is either on or off, each row valid `[from, until)`.
Delivery picks the row valid now, so an offer disappears from every channel at its exact end
instant without re-resolving anything per request.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping

import msgspec

from cms.commerce.prices import offers_applying
from cms.consistency import OfferFacts, offer_facts_from_entry
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.documents import referenced_ids
from cms.store.tables import Entry, EntryVersion

OFFER_TYPE = "offer"
TOKEN_SLUG = re.compile(r"\{\{\s*offer:([a-z0-9]+(?:-[a-z0-9]+)*)\.")
_decode_data = msgspec.json.Decoder(EntryData).decode
Window = tuple[dt.datetime | None, dt.datetime | None]


async def offers_in_force(model: ContentModel) -> dict[str, OfferFacts]:
    """The published offers by slug, as their published versions state them (two queries)."""
    if OFFER_TYPE not in model.types:
        return {}
    published = await Entry.select(Entry.id, Entry.published_version).where(
        (Entry.content_type == OFFER_TYPE) & Entry.published_version.is_not_null()
    )
    if not published:
        return {}
    keys = [f"{row['id']}:{row['published_version']}" for row in published]
    rows = await EntryVersion.select(EntryVersion.data).where(EntryVersion.key.is_in(keys))
    return offers_from(model, [_decoded(row["data"]) for row in rows])


def offers_from(model: ContentModel, offers: Iterable[EntryData]) -> dict[str, OfferFacts]:
    """Offer facts by slug; an offer too incomplete to read states nothing copy could contradict."""
    facts = {}
    for data in offers:
        try:
            offer = offer_facts_from_entry(model, model.types[OFFER_TYPE], data)
        except ValueError:
            continue
        facts[offer.slug] = offer
    return facts


def referenced_slugs(data: EntryData) -> set[str]:
    """Slugs of the offers an entry's copy names in tokens (any field, locale or override)."""
    return set(TOKEN_SLUG.findall(msgspec.json.encode(data).decode()))


def windows(
    content_type: str,
    data: EntryData,
    offers: Mapping[str, OfferFacts],
    model: ContentModel,
    now: dt.datetime,
    entry_id: str = "",
) -> list[Window]:
    """The stretches of time, from now on, in which this entry's documents stay the same.

    An offer is served only within its own `[starts_at, ends_at)`; copy naming offers changes at each
    of their boundaries. Windows that ended before `now` are left out.
    """
    if content_type == OFFER_TYPE:
        own = next((o for o in offers_from(model, [data]).values()), None)
        if own is None:
            return [(None, None)]
        return [] if own.ends_at <= now else [(own.starts_at, own.ends_at)]
    named = [offers[slug] for slug in sorted(referenced_slugs(data)) if slug in offers]
    if model.types[content_type].variants_field is not None:
        # Variants' prices change at the boundaries of the offers applying to the entry (cms.commerce.prices).
        named += offers_applying(offers, entry_id, referenced_ids(model, model.types[content_type], data))
    instants = sorted({i for offer in named for i in (offer.starts_at, offer.ends_at) if i > now})
    edges: list[dt.datetime | None] = [None, *instants, None]
    return list(itertools.pairwise(edges))


def representative_instant(window: Window, now: dt.datetime) -> dt.datetime:
    """An instant inside the window, at which its documents are built."""
    start, _ = window
    return max(start, now) if start is not None else now


async def entries_naming(slugs: Iterable[str]) -> list[tuple[str, int]]:
    """Published entries (id, version) whose live copy names any of these offers."""
    slugs = list(slugs)
    if not slugs:
        return []
    live = await Entry.select(Entry.id, Entry.published_version).where(
        Entry.published_version.is_not_null() & (Entry.content_type != OFFER_TYPE)
    )
    keys = [f"{row['id']}:{row['published_version']}" for row in live]
    found = []
    for start in range(0, len(keys), 500):
        rows = await EntryVersion.select(EntryVersion.entry, EntryVersion.number, EntryVersion.data).where(
            EntryVersion.key.is_in(keys[start : start + 500])
        )
        for row in rows:
            text = row["data"] if isinstance(row["data"], str) else msgspec.json.encode(row["data"]).decode()
            if any(f"offer:{slug}." in text for slug in slugs):
                found.append((row["entry"], row["number"]))
    return found


async def entries_priced_by(model: ContentModel, offers: Iterable[OfferFacts]) -> list[tuple[str, int]]:
    """Published entries (id, version) with variants whose prices these offers change: named among their
    products, or referring to one of their categories."""
    offers = list(offers)
    products = {entry for offer in offers for entry in offer.product_ids}
    categories = [entry for offer in offers for entry in offer.category_ids]
    priced = [name for name, content_type in model.types.items() if content_type.variants_field is not None]
    if not offers or not priced or not (products or categories):
        return []
    live = await Entry.select(Entry.id, Entry.published_version).where(
        Entry.published_version.is_not_null() & Entry.content_type.is_in(priced)
    )
    found = [(str(row["id"]), row["published_version"]) for row in live if str(row["id"]) in products]
    others = [f"{row['id']}:{row['published_version']}" for row in live if str(row["id"]) not in products]
    for start in range(0, len(others) if categories else 0, 500):
        rows = await EntryVersion.select(EntryVersion.entry, EntryVersion.number, EntryVersion.data).where(
            EntryVersion.key.is_in(others[start : start + 500])
        )
        for row in rows:
            text = row["data"] if isinstance(row["data"], str) else msgspec.json.encode(row["data"]).decode()
            if any(category in text for category in categories):
                found.append((str(row["entry"]), row["number"]))
    return found


def _decoded(data: object) -> EntryData:
    return _decode_data(data) if isinstance(data, (str, bytes)) else msgspec.convert(data, EntryData)
