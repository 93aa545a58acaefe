"""An email's copy as the email channel serves it, now or at a send time: delivery's own GraphQL query run on the
email schema (inside `as_of(sendAt)` for a send time), and a campaign's offer checked for that instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_404_NOT_FOUND, HTTP_422_UNPROCESSABLE_ENTITY

from cms.consistency import OfferFacts, offer_facts_from_entry
from cms.consistency.config import voice_of
from cms.consistency.offer_format import offer_value
from cms.delivery.context import DeliveryContext
from cms.delivery.http import LIVE, DeliveryService, execute_operation
from cms.email.content import EmailContent, EmailImage, EmailLink, EmailOffer, EmailProduct
from cms.email.errors import EmailFeedError
from cms.email.links import Utm, absolute_url, tagged_link
from cms.lib.clock import now
from cms.lib.graphql_http import GraphQLRequest
from cms.model.definitions import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.resolve import MISSING, resolve_field
from cms.store.entries import load_version
from cms.store.tables import Entry

EMAIL_CHANNEL = "email"
PRODUCT_IMAGE_WIDTH = 160
"""Width in pixels a product's picture is shown at (its rendition is the 600-pixel email preset: sharp on
high-density screens)."""

_PRODUCT = "name slug price { formatted } images { url width height alt }"
_MESSAGE = f"id slug title subjectLine preheader headline body {{ html text }} products {{ {_PRODUCT} }}"
MESSAGE_QUERY = f"query EmailMessage($slug: String!) {{ brandMessage(by: {{slug: $slug}}) {{ {_MESSAGE} }} }}"
CAMPAIGN_QUERY = (
    "query EmailCampaign($slug: String!) { campaign(by: {slug: $slug}) {"
    f" id title slug utmCampaign endAt messages {{ {_MESSAGE} }} products {{ {_PRODUCT} }} tutorials {{ title slug }}"
    " } }"
)
_decode = msgspec.json.Decoder().decode


class Links(msgspec.Struct, frozen=True):
    """Where an email's links and images point: the storefront and the CMS's public origin."""

    site_url: str
    public_base_url: str
    utm_source: str


class EmailQuery(msgspec.Struct, frozen=True):
    kind: str
    slug: str
    locale: str
    send_at: dt.datetime | None
    links: Links
    message: str | None = None
    """For a campaign: the slug of the brand message to send (default: the campaign's first)."""


async def read_email(service: DeliveryService, query: EmailQuery) -> tuple[EmailContent, Utm]:
    """The email's copy and UTM parameters as they are now, or as they will be at `send_at`; EmailFeedError when
    there is none to send (unknown slug, a campaign without a message, an offer not on at that instant)."""
    if query.send_at is None:
        return await _read(service, query, now())
    if service.time_travel is None:  # an app assembled without the workflow (cms.app always gives it)
        raise EmailFeedError(
            HTTP_400_BAD_REQUEST, "bad_parameter", "`sendAt` is not available on this server", parameter="sendAt"
        )
    async with service.time_travel(query.send_at):
        return await _read(service, query, query.send_at)


async def _read(service: DeliveryService, query: EmailQuery, instant: dt.datetime) -> tuple[EmailContent, Utm]:
    if query.kind == "message":
        message = await _served(service, query, MESSAGE_QUERY, "brandMessage")
        utm = Utm(source=query.links.utm_source, campaign=query.slug)
        return _content(query, utm, message, message["products"]), utm
    campaign = await _served(service, query, CAMPAIGN_QUERY, "campaign")
    utm = Utm(source=query.links.utm_source, campaign=campaign["utmCampaign"] or campaign["slug"])
    _check_campaign_runs(campaign, instant)
    if not campaign["messages"]:
        raise EmailFeedError(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "no_message",
            f"campaign {query.slug!r} has no brand message published on the email channel: add one and publish it",
        )
    offer = await _campaign_offer(service, query, campaign, instant, utm)
    message = _chosen_message(query, campaign["messages"])
    content = _content(query, utm, message, campaign["products"] or message["products"])
    if offer is not None and offer.legal_terms and offer.legal_terms in content.body_text:
        offer = msgspec.structs.replace(offer, legal_terms=None)  # the body already ends with them (email channel)
    tutorials = [
        EmailLink(title=tutorial["title"] or "", url=_site_link(query.links, f"/tutorials/{tutorial['slug']}", utm))
        for tutorial in campaign["tutorials"]
    ]
    return msgspec.structs.replace(content, kind="campaign", offer=offer, tutorials=tutorials), utm


def _chosen_message(query: EmailQuery, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The campaign's message `query.message` names (a campaign may tell its offer in several messages, one per
    audience or send), else its first; 422 naming the parameter and the campaign's messages when none is."""
    if query.message is None:
        return messages[0]
    for message in messages:
        if message["slug"] == query.message:
            return message
    known = ", ".join(str(message["slug"]) for message in messages)
    raise EmailFeedError(
        HTTP_422_UNPROCESSABLE_ENTITY,
        "unknown_message",
        f"`message`: campaign {query.slug!r} has no brand message {query.message[:80]!r} published on the email"
        f" channel (its messages: {known})",
        parameter="message",
    )


async def _served(service: DeliveryService, query: EmailQuery, document: str, field: str) -> dict[str, Any]:
    """The entry the email channel serves under this slug in this locale; 404 when none."""
    channel = service.model.channels[EMAIL_CHANNEL]
    context = DeliveryContext(
        model=service.model, channel=channel, header_locale=query.locale, dialect=service.dialect, stage=LIVE
    )
    request = GraphQLRequest(query=document, variables={"slug": query.slug})
    _, body = await execute_operation(service, document, request, context)
    answer = _decode(body)
    if answer.get("errors"):
        raise RuntimeError(f"the email query failed: {answer['errors']}")
    found: dict[str, Any] | None = answer["data"][field]
    if found is None:
        kind = "brand message" if field == "brandMessage" else "campaign"
        raise EmailFeedError(
            HTTP_404_NOT_FOUND, "not_found", f"no {kind} with slug {query.slug!r} is published on the email channel"
        )
    return found


def _content(query: EmailQuery, utm: Utm, message: dict[str, Any], products: list[dict[str, Any]]) -> EmailContent:
    title = message["title"] or ""
    headline = message["headline"] or title
    body = message["body"] or {"html": "", "text": ""}
    return EmailContent(
        kind="message",
        slug=query.slug,
        locale=query.locale,
        # An email needs a subject: a message written without one is sent under its headline.
        subject=message["subjectLine"] or headline,
        preheader=message["preheader"] or "",
        headline=headline,
        body_html=body["html"],
        body_text=body["text"],
        products=[_product(query.links, product, utm) for product in products],
    )


def _product(links: Links, product: dict[str, Any], utm: Utm) -> EmailProduct:
    name = product["name"] or ""
    image = next(iter(product["images"]), None)
    return EmailProduct(
        name=name,
        url=_site_link(links, f"/products/{product['slug']}", utm),
        price=(product["price"] or {}).get("formatted"),
        image=None if image is None or not image["url"] else _image(links, image, name),
    )


def _image(links: Links, image: dict[str, Any], name: str) -> EmailImage:
    width = min(PRODUCT_IMAGE_WIDTH, image["width"])
    height = max(1, round(image["height"] * width / image["width"]))
    return EmailImage(
        url=absolute_url(image["url"], links.public_base_url),
        width=width,
        height=height,
        alt=image["alt"] or name,  # an image without alt text reads as its product's name
    )


def _site_link(links: Links, path: str, utm: Utm) -> str:
    return tagged_link(links.site_url.rstrip("/") + path, utm)


def _check_campaign_runs(campaign: dict[str, Any], instant: dt.datetime) -> None:
    end = dt.datetime.fromisoformat(campaign["endAt"]) if campaign["endAt"] else None
    if end is not None and end <= instant:
        raise EmailFeedError(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "campaign_ended",
            f"campaign {campaign['slug']!r} ends at {_iso(end)}: at {_iso(instant)} it is over, nothing to send",
        )


async def _campaign_offer(
    service: DeliveryService, query: EmailQuery, campaign: dict[str, Any], instant: dt.datetime, utm: Utm
) -> EmailOffer | None:
    """The campaign's offer, formatted in the locale; EmailFeedError naming it and its window when it is not on
    at `instant` (an email must never promise an expired offer)."""
    model = service.model
    data = await _published_data(campaign["id"])
    field = model.types["campaign"].field("offer")
    offer_id = None if data is None or field is None else resolve_field(model, data, field, EMAIL_CHANNEL, query.locale)
    if offer_id is None or offer_id is MISSING:
        return None
    offer_data = await _published_data(str(offer_id))
    if offer_data is None:
        raise EmailFeedError(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "offer_not_published",
            f"the offer of campaign {query.slug!r} is not published at {_iso(instant)}: publish it or remove it",
        )
    facts = offer_facts_from_entry(model, model.types["offer"], offer_data, channel=EMAIL_CHANNEL)
    if not facts.is_active(instant):
        raise _offer_not_on(facts, query.locale, instant)
    return _offer(facts, query, model, utm)


def _offer_not_on(facts: OfferFacts, locale: str, instant: dt.datetime) -> EmailFeedError:
    state = "is over" if facts.ends_at <= instant else "has not started"
    title = facts.title.get(locale) or facts.slug
    return EmailFeedError(
        HTTP_422_UNPROCESSABLE_ENTITY,
        "offer_not_valid",
        f"the offer {title!r} ({facts.slug}) runs from {_iso(facts.starts_at)} until {_iso(facts.ends_at)}"
        f" (end excluded): at {_iso(instant)} it {state}. Send within its window, or change the campaign's offer",
        parameter="sendAt",
    )


def _offer(facts: OfferFacts, query: EmailQuery, model: ContentModel, utm: Utm) -> EmailOffer:
    time_zone = voice_of(model).offers.time_zone
    locale = query.locale
    return EmailOffer(
        slug=facts.slug,
        title=offer_value(facts, "title", locale) or facts.slug,
        discount=offer_value(facts, "discount", locale),
        code=facts.code,
        starts_at=facts.starts_at,
        ends_at=facts.ends_at,
        last_day=offer_value(facts, "ends_at", locale, time_zone=time_zone) or "",
        legal_terms=offer_value(facts, "legal_terms", locale),
        url=_site_link(query.links, f"/offers/{facts.slug}", utm),
    )


async def _published_data(entry_id: str) -> EntryData | None:
    row = await Entry.select(Entry.published_version).where(Entry.id == entry_id).first()
    if row is None or row["published_version"] is None:
        return None
    return (await load_version(entry_id, row["published_version"])).data


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
