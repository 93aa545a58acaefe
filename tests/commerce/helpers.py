"""Products with SKUs, and stock batches sent through `PUT /inventory`."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec

from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions
from cms.store.entries import create_entry
from tests.factories import product_values

T0 = "2026-12-23T10:00:00Z"
T1 = "2026-12-23T11:00:00Z"
T2 = "2026-12-23T12:00:00Z"


async def products_with_skus(model: ContentModel, *skus: str) -> dict[str, str]:
    """One category and a published product per SKU; entry ids by SKU."""
    category = await create_entry(
        model, model.types["category"], EntryData(base={"en": {"name": "Kitchen", "slug": "kitchen"}})
    )
    saved = [category]
    ids = {}
    for index, sku in enumerate(skus):
        values = {**product_values(index, category.entry_id), "sku": sku}
        version = await create_entry(model, model.types["product"], EntryData(base={"en": values}))
        ids[sku] = version.entry_id
        saved.append(version)
    await publish_versions(model, saved)
    return ids


def line(sku: str, location: str, quantity: Any, updated_at: str = T1) -> dict[str, Any]:
    return {"sku": sku, "location": location, "quantity": quantity, "updated_at": updated_at}


async def put_stock(
    client: httpx.AsyncClient,
    token: str,
    lines: list[dict[str, Any]],
    *,
    ndjson: bool = False,
    partial: bool | None = None,
) -> httpx.Response:
    if ndjson:
        body = b"\n".join(msgspec.json.encode(item) for item in lines) + b"\n"
        content_type = "application/x-ndjson"
    else:
        body, content_type = msgspec.json.encode(lines), "application/json"
    return await client.put(
        "/inventory",
        content=body,
        params={} if partial is None else {"partial": str(partial).lower()},
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
