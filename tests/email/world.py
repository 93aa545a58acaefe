"""The email tests' world: the demo catalogue, a spring offer, a brand message full of merge tags and links, a
product with a picture, and a campaign tying them together; the clock standing inside the offer's window."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from typing import Any

import httpx
from PIL import Image

from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions
from cms.store.entries import create_entry, load_version, save_version
from cms.store.tables import Entry
from tests.management_client import token_for

NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
"""The spring offer runs from 1 March to 1 April 2026: on at NOW."""
OFFER_ENDS = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
SUBJECT = {"en": "{{ first_name }}, spring is here", "fr": "%%FirstName%%, le printemps est là"}
PREHEADER = {"en": "Hi *|FNAME|*: save in the garden", "fr": "Bonjour *|FNAME|* : économisez au jardin"}
MERGE_TAGS = ("{{ first_name }}", "%%FirstName%%", "*|FNAME|*")
SITE = "https://www.example.com"
CMS = "https://cms.example.com"
PRESET_UTM = f"{SITE}/partner?utm_source=partner&utm_medium=social&utm_campaign=ours"
WITH_MERGE_TAG = f"{SITE}/account?u={{{{ email }}}}"


def _text(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def _link(href: str, label: str) -> dict[str, Any]:
    return {"type": "link", "href": href, "children": [_text(label)]}


def _body(greeting: str, save: str, garden: str) -> dict[str, Any]:
    paragraph = "paragraph"
    return {
        "blocks": [
            {"type": paragraph, "children": [_text(greeting)]},
            {"type": paragraph, "children": [_text(save)]},
            {
                "type": paragraph,
                "children": [
                    _link(f"{SITE}/garden#tools", garden),
                    _text(" · "),
                    _link(PRESET_UTM, "partner"),
                    _text(" · "),
                    _link(WITH_MERGE_TAG, "account"),
                ],
            },
        ]
    }


OFFER = {
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
    "fr": {"title": "Soldes de printemps", "legal_terms": "Valable dans les magasins participants."},
}


def message(slug: str = "spring-garden", extra_paragraphs: int = 0) -> dict[str, Any]:
    english = _body(
        "Hello {{ first_name }} (%%FirstName%%, *|FNAME|*).",
        "Save {{offer:spring-sale.discount}} with code {{offer:spring-sale.code}}.",
        "Garden tools",
    )
    french = _body(
        "Bonjour {{ first_name }} (%%FirstName%%, *|FNAME|*).",
        "Économisez {{offer:spring-sale.discount}} avec le code {{offer:spring-sale.code}}.",
        "Outils de jardin",
    )
    filler = {"type": "paragraph", "children": [_text("Lorem ipsum dolor sit amet. " * 40)]}
    english["blocks"] += [filler] * extra_paragraphs
    return {
        "en": {
            "title": "Spring in the garden",
            "slug": slug,
            "headline": "Spring in the garden",
            "subject_line": SUBJECT["en"],
            "preheader": PREHEADER["en"],
            "body": english,
        },
        "fr": {
            "title": "Le printemps au jardin",
            "headline": "Le printemps au jardin",
            "subject_line": SUBJECT["fr"],
            "preheader": PREHEADER["fr"],
            "body": french,
        },
    }


async def first_ids(content_type: str, count: int) -> list[str]:
    rows = await Entry.select(Entry.id).where(Entry.content_type == content_type).order_by(Entry.slug).limit(count)
    return [row["id"] for row in rows]


async def uploaded_picture(client: httpx.AsyncClient, model: ContentModel) -> str:
    """An 800 × 600 picture with alt texts in English and French; its asset id."""
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(buffer, "PNG")
    headers = {"Authorization": f"Bearer {await token_for(model, 'management:admin', name='uploader')}"}
    files = {"file": ("lamp.png", buffer.getvalue(), "image/png")}
    data = {"alt.en": "A brass lamp", "alt.fr": "Une lampe en laiton"}
    response = await client.post("/media", files=files, data=data, headers=headers)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


async def build_world(client: httpx.AsyncClient, model: ContentModel) -> dict[str, Any]:
    """Publishes the offer, the message, a pictured product and the campaign (on the demo catalogue)."""
    products = await first_ids("product", 2)
    tutorials = await first_ids("tutorial", 1)
    picture = await uploaded_picture(client, model)
    pictured = await load_version(products[0])
    base = {locale: dict(values) for locale, values in pictured.data.base.items()}
    base[model.default_locale]["images"] = [picture]
    product = await save_version(
        model, products[0], EntryData(base=base, overrides=pictured.data.overrides), based_on=pictured.number
    )
    offer = await create_entry(model, model.types["offer"], EntryData(base=OFFER))
    garden = await create_entry(model, model.types["brand_message"], EntryData(base=message()))
    await publish_versions(model, [product, offer, garden])
    campaign = await create_entry(
        model,
        model.types["campaign"],
        EntryData(base=campaign_values(offer.entry_id, garden.entry_id, products, tutorials)),
    )
    await publish_versions(model, [campaign])
    return {"offer": offer.entry_id, "message": garden.entry_id, "products": products, "campaign": campaign.entry_id}


def campaign_values(offer: str, message_id: str, products: list[str], tutorials: list[str]) -> dict[str, Any]:
    return {
        "en": {
            "title": "Spring campaign",
            "slug": "spring-campaign",
            "offer": offer,
            "messages": [message_id],
            "products": products,
            "tutorials": tutorials,
            "launch_at": "2026-03-01T00:00:00Z",
            "end_at": "2026-04-15T00:00:00Z",
            "utm_campaign": "spring-2026",
        },
        "fr": {"title": "Campagne de printemps"},
    }


class ParsedEmail(HTMLParser):
    """What the tests check in an email's HTML, collected by the standard library's parser."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []
        self.styles: list[str] = []
        self.styled = 0
        self._in_style = False
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        self.styled += "style" in attributes
        if tag == "img":
            self.images.append(attributes)
        if tag == "a" and attributes.get("href") is not None:
            self.hrefs.append(str(attributes["href"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text += data
