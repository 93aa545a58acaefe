"""The campaign tests' world: the spring sale, a message naming it, a product, and a campaign grouping them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.management_client import Management
from tests.test_offers_delivery import OFFER, message

LAUNCH = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
END = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)
"""The campaign's window: inside the spring sale's (1 March to 1 April 2026)."""
NOW = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)
"""The test clock at the start: before the window."""
MESSAGE_CHANNELS = ("web", "app", "kiosk", "email", "social")
"""Every channel that exposes brand messages (the assistant does not)."""
PRODUCT_CHANNELS = ("web", "app", "kiosk", "email", "social", "assistant", "web_ch")
HEADLINE = '{ brandMessage(by: {slug: "spring-garden"}, locale: %s) { headline } }'
PRODUCT = '{ product(by: {slug: "garden-fork"}, locale: en) { name } }'


def campaign_data(ids: dict[str, str], **changes: Any) -> dict[str, Any]:
    values = {
        "title": "Spring in the garden",
        "slug": "spring-garden-campaign",
        "offer": ids["offer"],
        "messages": [ids["message"]],
        "products": [ids["product"]],
        "launch_at": LAUNCH.isoformat(),
        "end_at": END.isoformat(),
        "utm_campaign": "spring-garden",
        **changes,
    }
    return {"base": {"en": values, "fr": {"title": "Le printemps au jardin"}}}


async def reviewed(author: Management, reviewer: Management, type_name: str, data: dict[str, Any]) -> str:
    """An entry created by `author` and approved by `reviewer` (four eyes); its id."""
    entry = await author.create(type_name, data)
    await author.act("submitForReview", entry["id"])
    await reviewer.act("approveEntry", entry["id"])
    return str(entry["id"])


async def campaign_members(
    author: Management, reviewer: Management, *, offer: dict[str, Any] = OFFER
) -> dict[str, str]:
    """The offer and its message (approved, not published) and a product (draft) in a published category."""
    category = await author.create("category", {"base": {"en": {"name": "Garden", "slug": "garden"}}})
    await author.act("publishEntry", category["id"])
    product = await author.create(
        "product",
        {
            "base": {
                "en": {
                    "name": "Garden fork",
                    "slug": "garden-fork",
                    "gtin": "4006381333931",
                    "price": {"amount": "24.90", "currency": "EUR"},
                    "category": category["id"],
                    "availability": "in_stock",
                }
            }
        },
    )
    return {
        "offer": await reviewed(author, reviewer, "offer", offer),
        "message": await reviewed(author, reviewer, "brand_message", message()),
        "product": str(product["id"]),
    }
