"""Offers are the single source: copy names them with tokens, rendered per locale and channel, and no
channel serves an offer (or the sentence naming it) from its exact end instant on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cms.lib.clock import TestClock, use_clock
from tests.management_client import Management, delivered, token_for

STARTS = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ENDS = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
OFFER = {
    "base": {
        "en": {
            "title": "Spring sale",
            "slug": "spring-sale",
            "discount_kind": "percent",
            "discount_percent": "25",
            "code": "SPRING25",
            "starts_at": "2026-03-01T00:00:00Z",
            "ends_at": "2026-04-01T00:00:00Z",
            "legal_terms": "Valid in participating stores while stocks last.",
        },
        "fr": {
            "title": "Soldes de printemps",
            "legal_terms": "Valable dans les magasins participants, dans la limite des stocks.",
        },
    }
}


def message() -> dict[str, Any]:
    def body(first: str, second: str) -> dict[str, Any]:
        return {"blocks": [{"type": "paragraph", "children": [{"type": "text", "text": t}]} for t in (first, second)]}

    return {
        "base": {
            "en": {
                "title": "Spring in the garden",
                "slug": "spring-garden",
                "headline": "Save {{offer:spring-sale.discount}} on garden tools.",
                "body": body(
                    "Save {{offer:spring-sale.discount}} with code {{offer:spring-sale.code}}.",
                    "Our team is here to help.",
                ),
            },
            "fr": {
                "title": "Le printemps au jardin",
                "headline": "Économisez {{offer:spring-sale.discount}} sur les outils de jardin.",
                "body": body(
                    "Économisez {{offer:spring-sale.discount}} avec le code {{offer:spring-sale.code}}.",
                    "Notre équipe est là pour vous aider.",
                ),
            },
        }
    }


@pytest.fixture
async def published(client, model, clean_db):  # type: ignore[no-untyped-def]
    clock = TestClock(dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    previous = use_clock(clock)
    admin = Management(client, await token_for(model, "management:admin"))
    reviewer = Management(client, await token_for(model, "management:admin", name="reviewer"))  # four eyes
    for data, type_name in ((OFFER, "offer"), (message(), "brand_message")):
        entry = await admin.create(type_name, data)
        await admin.act("submitForReview", entry["id"])
        await reviewer.act("approveEntry", entry["id"])
        await admin.act("publishEntry", entry["id"])
    yield clock
    use_clock(previous)


OFFER_QUERY = '{ offer(by: { slug: "spring-sale" }, locale: en) { title } }'
MESSAGE_QUERY = '{ brandMessage(by: { slug: "spring-garden" }, locale: %s) { headline body { %s } } }'
BODY_FIELD = {"web": "html", "app": "html", "kiosk": "text", "email": "text", "social": "text"}


async def served(client, channel: str, locale: str = "en") -> tuple[Any, Any]:  # type: ignore[no-untyped-def]
    offer = (await delivered(client, channel, OFFER_QUERY))["offer"]
    msg = (await delivered(client, channel, MESSAGE_QUERY % (locale, BODY_FIELD[channel])))["brandMessage"]
    return offer, msg


@pytest.mark.parametrize("channel", ["web", "app", "kiosk", "email", "social"])
async def test_an_offer_is_served_exactly_within_its_window_on_every_channel(client, published, channel: str) -> None:  # type: ignore[no-untyped-def]
    clock = published
    for instant, live in ((STARTS - MICROSECOND, False), (STARTS, True), (ENDS - MICROSECOND, True), (ENDS, False)):
        clock.set(instant)
        offer, msg = await served(client, channel)
        assert (offer is not None) == live, instant
        body = msg["body"][BODY_FIELD[channel]]
        if live:
            assert offer == {"title": "Spring sale"}
            assert msg["headline"] == "Save 25% on garden tools."
            assert "Save 25% with code SPRING25." in body
        else:
            # Copy naming an offer that is off loses the sentence (or paragraph) naming it, nothing else.
            assert msg["headline"] is None
            assert "25" not in body and "{{" not in body
            assert "Our team is here to help." in body


async def test_offer_figures_are_written_the_french_way_in_french(client, published) -> None:  # type: ignore[no-untyped-def]
    published.set(STARTS + dt.timedelta(days=3))
    _, msg = await served(client, "kiosk", "fr")
    assert msg["headline"] == "Économisez 25\xa0% sur les outils de jardin."
    assert "Économisez 25\xa0% avec le code SPRING25." in msg["body"]["text"]


async def test_email_appends_the_offer_legal_terms_other_channels_do_not(client, published) -> None:  # type: ignore[no-untyped-def]
    published.set(STARTS + dt.timedelta(days=3))
    _, email = await served(client, "email")
    _, web = await served(client, "web")
    assert "Valid in participating stores while stocks last." in email["body"]["text"]
    assert "participating stores" not in web["body"]["html"]


async def test_lists_follow_the_window_too(client, published) -> None:  # type: ignore[no-untyped-def]
    query = "{ offers { totalCount } brandMessages(locale: en) { totalCount nodes { headline } } }"
    published.set(ENDS - MICROSECOND)
    live = await delivered(client, "web", query)
    assert live["offers"]["totalCount"] == 1
    assert live["brandMessages"] == {"totalCount": 1, "nodes": [{"headline": "Save 25% on garden tools."}]}
    published.set(ENDS)
    ended = await delivered(client, "web", query)
    assert ended["offers"]["totalCount"] == 0
    assert ended["brandMessages"] == {"totalCount": 1, "nodes": [{"headline": None}]}


async def test_unpublishing_an_offer_takes_it_out_of_the_copy_naming_it_at_once(client, model, published) -> None:  # type: ignore[no-untyped-def]
    published.set(STARTS + dt.timedelta(days=3))
    admin = Management(client, await token_for(model, "management:admin"))
    offers = await admin.ok('{ entries(type: "offer") { nodes { id } } }')
    await admin.act("unpublishEntry", offers["entries"]["nodes"][0]["id"])
    offer, msg = await served(client, "web")
    assert offer is None
    assert msg["headline"] is None
    assert "25" not in msg["body"]["html"]


async def test_tokens_inside_repeatable_objects_are_rendered_and_dropped_too(client, model, published) -> None:  # type: ignore[no-untyped-def]
    admin = Management(client, await token_for(model, "management:admin"))
    tutorial = await admin.create(
        "tutorial",
        {
            "base": {
                "en": {
                    "title": "Pruning roses",
                    "slug": "pruning-roses",
                    "difficulty": "beginner",
                    "body": {
                        "blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "Prune in March."}]}]
                    },
                    "steps": [
                        {
                            "title": "Buy shears",
                            "instructions": "Shears are {{offer:spring-sale.discount}} off. Pick sharp ones.",
                        }
                    ],
                }
            }
        },
    )
    await admin.act("publishEntry", tutorial["id"])
    query = '{ tutorial(by: { slug: "pruning-roses" }, locale: en) { steps { instructions } } }'
    published.set(STARTS + dt.timedelta(days=3))
    assert (await delivered(client, "web", query))["tutorial"]["steps"] == [
        {"instructions": "Shears are 25% off. Pick sharp ones."}
    ]
    published.set(ENDS)
    assert (await delivered(client, "web", query))["tutorial"]["steps"] == [{"instructions": "Pick sharp ones."}]
