"""`inventory(store:)` on products: availability computed from the stock table at request time.

A product's `inventory` sums the stock of its SKU over the locations its channel sells from, or shows one
store's shelf when `store` names it (a kiosk). Stock is kept per SKU, so a variant (its own SKU) has its own
`inventory`, and a product with variants aggregates them: its quantity is the sum over its SKUs (its own and its
variants'), its status the best of theirs (in stock when any variant is, as a shopper choosing a finish sees it).
Nothing is projected: a stock batch (cms.commerce) bumps the content version, which keys the response cache, so
a cached answer never outlives the stock it shows.
The SKUs of an answer are read in one query per request (a DataLoader), whatever the number of products.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from cms.commerce.availability import AVAILABILITIES, aggregate_inventory
from cms.delivery.reads import read_rows
from cms.delivery.types import Namespace, optional
from cms.model.definitions import Channel, ContentModel, ContentType
from cms.model.locations import stores_of
from cms.model.names import camel_case, enum_member

SKU_KEY = "sku"
"""The document key holding a product's SKU (its `sku` field)."""


class StockBySkuLoader(DataLoader[str, dict[str, int]]):
    """Units by location of each SKU, over the channel's locations: one query per batch."""

    def __init__(self, locations: list[str]) -> None:
        self.locations = locations
        super().__init__(load_fn=self._load)

    async def _load(self, skus: list[str]) -> list[dict[str, int]]:
        wanted = list(dict.fromkeys(skus))
        sql = "SELECT sku, location, quantity FROM cms_stock WHERE sku IN ({}) AND location IN ({})".format(
            ", ".join("{}" for _ in wanted), ", ".join("{}" for _ in self.locations)
        )
        stock: dict[str, dict[str, int]] = {sku: {} for sku in wanted}
        for row in await read_rows(sql, *wanted, *self.locations):
            stock[row["sku"]][row["location"]] = int(row["quantity"])
        return [stock[sku] for sku in skus]


def stock_loader(context: Any) -> StockBySkuLoader:
    """The request's stock loader, made on first use (most answers show no stock)."""
    loader: StockBySkuLoader | None = getattr(context, "stock", None)
    if loader is None:
        loader = context.stock = StockBySkuLoader(context.channel.locations)
    return loader


def product_skus(document: dict[str, Any], variants_key: str | None) -> list[str]:
    """The distinct SKUs a product document counts: its own, then its variants' (the first often repeats it)."""
    skus = [document.get(SKU_KEY)]
    if variants_key is not None:
        skus += [variant.get(SKU_KEY) for variant in document.get(variants_key) or []]
    return list(dict.fromkeys(sku for sku in skus if isinstance(sku, str) and sku))


def shows_inventory(channel: Channel, content_type: ContentType) -> bool:
    """A type with a SKU, on a channel selling from some location."""
    field = content_type.field(SKU_KEY)
    return bool(channel.locations) and field is not None and field.visible_on(channel.name)


class InventoryTypes:
    """The channel's `Inventory`, `StockStatus` and (with stores) `Store` types, and the field's resolver."""

    def __init__(self, model: ContentModel, channel: Channel, ns: Namespace) -> None:
        self.threshold = model.low_stock_threshold
        self.status = ns.enum_type(
            "StockStatus",
            {name: name for name in AVAILABILITIES},
            f"Availability from units in stock: OUT at 0, LOW up to {model.low_stock_threshold}, IN_STOCK above.",
        )
        self.inventory = ns.object_type(
            "Inventory",
            {"status": self.status, "quantity": int},
            {
                "status": strawberry.field(description="In stock, low or out, from the units below."),
                "quantity": strawberry.field(description="Units in stock at the locations counted."),
            },
            "Stock of a product at this channel's locations (or one store's), as the inventory API last set it.",
        )
        stores = stores_of(model, channel.name)
        self.stores = {enum_member(store.id): store.id for store in stores}
        self.store = (
            ns.enum_type("Store", self.stores, "The stores this channel sells from: one store's shelf.")
            if stores
            else None
        )
        self.ns = ns

    def field(self, owner: ContentType, *, variant: bool = False) -> Any:
        """`inventory(store:)` on `owner`'s type, or (`variant`) on its variant type: one SKU each."""
        threshold, inventory_class, status_class = self.threshold, self.inventory, self.status
        variants_field = owner.variants_field
        variants_key = camel_case(variants_field.name) if variants_field is not None and not variant else None

        async def resolve(root: dict[str, Any], info: strawberry.Info, store: Any = None) -> Any:
            skus = product_skus(root, variants_key)
            units = list(await stock_loader(info.context).load_many(skus)) if skus else []
            # A `Store` member's value is the location id.
            status, quantity = aggregate_inventory(units, store.value if store is not None else None, threshold)
            return inventory_class(status=status_class[status], quantity=quantity)

        arguments = [("store", optional(self.store), None)] if self.store is not None else []
        name = f"inventory_of_{owner.name}" + ("_variant" if variant else "")
        resolver = self.ns.resolver(resolve, name, arguments, "Inventory", with_root=True)
        counted = "this variant's SKU" if variant else "its SKU and its variants' (the best status of any)"
        description = f"Availability now, from stock of {counted}: summed over the channel's locations" + (
            ", or of one store when `store` names it." if self.store is not None else "."
        )
        return strawberry.field(resolver=resolver, description=description)
