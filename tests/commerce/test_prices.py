"""Prices computed in one place: a variant's price after the offer in force, its compare-at price, and the price
feed (`GET /prices/<channel>`) agreeing with every channel's delivery for every variant, before, during and
after an offer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest

from cms.commerce.prices import FinalPrice, final_price, in_channel_currency
from cms.consistency import Money, OfferFacts
from cms.lib.clock import TestClock, use_clock
from cms.model import ContentModel
from cms.model.definitions import Channel, PriceList
from cms.model.entry_data import EntryData
from cms.model.loader import read_model
from cms.publishing.publish import publish, publish_versions, unpublish
from cms.store.entries import create_entry, save_version
from tests import conftest
from tests.commerce.test_variants import lamp, new_category, throw
from tests.model_copies import break_file, copy_shipped_model

STARTS = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ENDS = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
BEFORE, DURING, AFTER = STARTS - dt.timedelta(days=1), STARTS + dt.timedelta(days=3), ENDS
EUR = {"amount": "89.00", "currency": "EUR"}


def offer(slug: str, **facts: Any) -> OfferFacts:
    return OfferFacts(
        slug=slug, discount_kind=facts.pop("discount_kind", "percent"), starts_at=STARTS, ends_at=ENDS, **facts
    )


# -- the computation ------------------------------------------------------------------------------

PRICES = [
    pytest.param([offer("a", discount_percent=Decimal(25))], DURING, FinalPrice("66.75", "EUR", "89.00", "a"),
                 id="percent"),
    pytest.param([offer("a", discount_percent=Decimal(25))], BEFORE, FinalPrice("89.00", "EUR"), id="before"),
    pytest.param([offer("a", discount_percent=Decimal(25))], ENDS, FinalPrice("89.00", "EUR"), id="at-its-end"),
    pytest.param([offer("a", discount_percent=Decimal("33.3"))], DURING, FinalPrice("59.36", "EUR", "89.00", "a"),
                 id="rounded-half-up"),
    pytest.param([offer("a", discount_kind="amount", discount_amount=Money(Decimal(10), "EUR"))], DURING,
                 FinalPrice("79.00", "EUR", "89.00", "a"), id="amount"),
    pytest.param([offer("a", discount_kind="amount", discount_amount=Money(Decimal(10), "CHF"))], DURING,
                 FinalPrice("89.00", "EUR"), id="amount-in-another-currency"),
    pytest.param([offer("a", price=Money(Decimal(70), "EUR"))], DURING, FinalPrice("70.00", "EUR", "89.00", "a"),
                 id="fixed-price"),
    pytest.param([offer("a", price=Money(Decimal(95), "EUR"))], DURING, FinalPrice("89.00", "EUR"),
                 id="fixed-price-above"),
    pytest.param([offer("b", discount_percent=Decimal(10)), offer("a", discount_percent=Decimal(20))], DURING,
                 FinalPrice("71.20", "EUR", "89.00", "a"), id="best-of-two"),
]  # fmt: skip


@pytest.mark.parametrize(("offers", "at", "expected"), PRICES)
def test_a_price_after_the_best_offer_in_force(offers: list[OfferFacts], at: dt.datetime, expected: FinalPrice) -> None:
    assert final_price(EUR, offers, at) == expected


CONVERSIONS = [
    pytest.param("89.00", "0.95", "0.05", "84.55", id="already-a-step"),
    pytest.param("12.99", "0.95", "0.05", "12.35", id="up-to-the-step"),
    pytest.param("10.01", "1", "0.05", "10.00", id="down-to-the-step"),
    pytest.param("10.025", "1", "0.05", "10.05", id="half-up"),
]


@pytest.mark.parametrize(("amount", "rate", "step", "converted"), CONVERSIONS)
def test_a_channel_price_list_converts_and_rounds_to_its_step(
    amount: str, rate: str, step: str, converted: str
) -> None:
    channel = Channel(
        locales=["fr"],
        default_locale="fr",
        rich_text="html",
        currency="CHF",
        price_list=PriceList(from_currency="EUR", rate=rate, round_to=step),
    )
    assert in_channel_currency({"amount": amount, "currency": "EUR"}, channel) == {
        "amount": converted,
        "currency": "CHF",
    }
    # a price in another currency than the list's is left as it is
    assert in_channel_currency({"amount": amount, "currency": "USD"}, channel) == {"amount": amount, "currency": "USD"}


def test_a_broken_price_list_names_the_channel_and_the_key(tmp_path: Any) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", 'rate = "0.95"', 'rate = "-1"')
    model, problems = read_model(directory)
    assert model is None
    assert [(p.file, p.key, p.reason) for p in problems] == [
        ("channels.toml", "channels.web_ch.price_list.rate", "'-1' is not a positive decimal number")
    ]


# -- feed and delivery -------------------------------------------------------------------------------

SPRING: dict[str, Any] = {
    "title": "Spring sale",
    "slug": "spring-sale",
    "discount_kind": "percent",
    "discount_percent": "25",
    "starts_at": "2026-03-01T00:00:00Z",
    "ends_at": "2026-04-01T00:00:00Z",
}
VARIANTS = "variants { sku price { amount currency } compareAtPrice { amount } appliedOffer }"
LIST = f"{{ products(first: 100) {{ nodes {{ id {VARIANTS} }} }} }}"


@pytest.fixture
async def clock() -> Any:
    clock = TestClock(BEFORE - dt.timedelta(days=5))
    previous = use_clock(clock)
    yield clock
    use_clock(previous)


@pytest.fixture
async def shop(clean_db: None, model: ContentModel, clock: TestClock) -> dict[str, str]:
    """A lamp and a throw, published, then the spring sale on the lamp (by product) published after them."""
    conftest._demo_is_intact = False
    category = await new_category(model)
    lamp_version = await create_entry(model, model.types["product"], lamp(category))
    throw_version = await create_entry(model, model.types["product"], throw(category))
    await publish_versions(model, [lamp_version, throw_version])
    data = EntryData(base={"en": SPRING | {"products": [lamp_version.entry_id]}})
    sale = await create_entry(model, model.types["offer"], data)
    await publish_versions(model, [sale])
    return {"lamp": lamp_version.entry_id, "throw": throw_version.entry_id, "sale": sale.entry_id}


async def feed(client: httpx.AsyncClient, channel: str) -> dict[str, tuple[Any, ...]]:
    response = await client.get(f"/prices/{channel}")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return {
        line["sku"]: (line["amount"], line["currency"], line["compareAt"], line["offer"])
        for line in response.json()["items"]
    }


async def delivered(client: httpx.AsyncClient, channel: str) -> dict[str, tuple[Any, ...]]:
    response = await client.post(f"/graphql/{channel}", json={"query": LIST})
    body = response.json()
    assert "errors" not in body, body
    return {
        v["sku"]: (
            v["price"]["amount"],
            v["price"]["currency"],
            (v["compareAtPrice"] or {}).get("amount"),
            v["appliedOffer"],
        )
        for node in body["data"]["products"]["nodes"]
        for v in node["variants"]
    }


def expected(during: bool, channel: str = "web") -> dict[str, tuple[Any, ...]]:
    if channel == "web_ch":  # Swiss francs: the euro prices × 0.95, in steps of 5 centimes, then the offer
        if not during:
            return {
                "LMP-01-BRASS": ("84.55", "CHF", None, None),
                "LMP-01-BLACK": ("84.55", "CHF", None, None),
                "LMP-01-WHITE": ("79.80", "CHF", None, None),
                "THR-130": ("75.05", "CHF", None, None),
                "THR-150": ("75.05", "CHF", None, None),
            }
        return {
            "LMP-01-BRASS": ("63.40", "CHF", "84.55", "spring-sale"),
            "LMP-01-BLACK": ("63.40", "CHF", "84.55", "spring-sale"),
            "LMP-01-WHITE": ("59.85", "CHF", "79.80", "spring-sale"),
            "THR-130": ("75.05", "CHF", None, None),
            "THR-150": ("75.05", "CHF", None, None),
        }
    if not during:
        return {
            "LMP-01-BRASS": ("89.00", "EUR", None, None),
            "LMP-01-BLACK": ("89.00", "EUR", None, None),
            "LMP-01-WHITE": ("84.00", "EUR", None, None),
            "THR-130": ("79.00", "EUR", None, None),
            "THR-150": ("79.00", "EUR", None, None),
        }
    return {
        "LMP-01-BRASS": ("66.75", "EUR", "89.00", "spring-sale"),
        "LMP-01-BLACK": ("66.75", "EUR", "89.00", "spring-sale"),
        "LMP-01-WHITE": ("63.00", "EUR", "84.00", "spring-sale"),
        "THR-130": ("79.00", "EUR", None, None),
        "THR-150": ("79.00", "EUR", None, None),
    }


async def test_the_feed_and_every_channels_delivery_agree_before_during_and_after_an_offer(
    client: httpx.AsyncClient, model: ContentModel, shop: dict[str, str], clock: TestClock
) -> None:
    channels = [name for name, channel in model.channels.items() if channel.exposes("product")]
    assert len(channels) >= 6 and "web_ch" in channels
    instants = [(BEFORE, False), (STARTS, True), (DURING, True), (ENDS - dt.timedelta(microseconds=1), True)]
    instants += [(ENDS, False), (AFTER + dt.timedelta(days=1), False)]
    for instant, during in instants:
        clock.set(instant)
        for channel in channels:
            assert await feed(client, channel) == expected(during, channel), (channel, instant)
            assert await delivered(client, channel) == expected(during, channel), (channel, instant)


async def test_unpublishing_the_offer_gives_every_channel_its_price_back(
    client: httpx.AsyncClient, model: ContentModel, shop: dict[str, str], clock: TestClock
) -> None:
    clock.set(DURING)
    assert (await feed(client, "web"))["LMP-01-BRASS"][0] == "66.75"
    await unpublish(shop["sale"], model=model)
    assert await feed(client, "web") == expected(during=False)
    assert await delivered(client, "app") == expected(during=False)


async def test_an_offer_moved_to_another_product_reprices_both(
    client: httpx.AsyncClient, model: ContentModel, shop: dict[str, str], clock: TestClock
) -> None:
    clock.set(DURING)
    data = EntryData(base={"en": SPRING | {"products": [shop["throw"]]}})
    await save_version(model, shop["sale"], data, based_on=1)
    await publish(model, shop["sale"])
    prices = await feed(client, "kiosk")
    assert prices["LMP-01-BRASS"] == ("89.00", "EUR", None, None)
    assert prices["THR-150"] == ("59.25", "EUR", "79.00", "spring-sale")
    assert await delivered(client, "kiosk") == prices


async def test_the_feed_of_an_unknown_channel_is_a_404_naming_the_channels(client: httpx.AsyncClient) -> None:
    response = await client.get("/prices/shop")
    assert response.status_code == 404
    assert "unknown channel 'shop'" in response.text and "web" in response.text
