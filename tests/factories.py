"""Small factories that build a catalogue through the real store and publishing code."""

from __future__ import annotations

from typing import Any

from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions
from cms.store.entries import SavedVersion, create_entry

CATEGORIES = [("kitchen", "Kitchen", "Cuisine"), ("garden", "Garden", "Jardin"), ("audio", "Audio", None)]
AVAILABILITY = ["in_stock", "low_stock", "out_of_stock", "preorder"]


def gtin13(number: int) -> str:
    """A valid GTIN-13 built from a running number (check digit computed here, independently of cms)."""
    body = f"{400000000000 + number:012d}"
    total = sum(int(digit) * (1 if index % 2 == 0 else 3) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def product_values(index: int, category_id: str) -> dict[str, Any]:
    """The English/base values of catalogue product `index`; tests derive expectations from the same rules."""
    values: dict[str, Any] = {
        "name": f"Product {index:03d}",
        "slug": f"product-{index:03d}",
        "gtin": gtin13(index),
        "price": {"amount": f"{5 + index}.50", "currency": "EUR"},
        "category": category_id,
        "availability": AVAILABILITY[index % 4],
        "stock": index % 7,
        "featured": index % 5 == 0,
        "aisle": f"A{index}",
    }
    if index % 3 != 0:
        values["rating"] = f"{index % 5}.5" if index % 5 < 5 else "5"
    return values


def has_french(index: int) -> bool:
    return index % 4 != 0


async def build_catalogue(model: ContentModel, product_count: int) -> dict[str, Any]:
    """Categories and products, all published; returns ids by slug."""
    saved: list[SavedVersion] = []
    category_ids = {}
    for slug, english, french in CATEGORIES:
        base: dict[str, dict[str, Any]] = {"en": {"name": english, "slug": slug}}
        if french:
            base["fr"] = {"name": french}
        version = await create_entry(model, model.types["category"], EntryData(base=base))
        category_ids[slug] = version.entry_id
        saved.append(version)
    product_ids = {}
    for index in range(product_count):
        category = CATEGORIES[index % len(CATEGORIES)][0]
        base = {"en": product_values(index, category_ids[category])}
        if has_french(index):
            base["fr"] = {"name": f"Produit {index:03d}"}
        overrides = {"kiosk": {"fr": {"name": f"Borne {index:03d}"}}} if index == 1 else {}
        version = await create_entry(model, model.types["product"], EntryData(base=base, overrides=overrides))
        product_ids[f"product-{index:03d}"] = version.entry_id
        saved.append(version)
    await publish_versions(model, saved)
    return {"categories": category_ids, "products": product_ids}
