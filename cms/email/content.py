"""What an email says, read from what the email channel serves: a brand message, or a campaign's first message
with its offer, products and tutorials. Pure shapes here; `reading.py` fills them from the store."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from cms.email.links import Utm


class EmailImage(msgspec.Struct, frozen=True, rename="camel"):
    url: str
    width: int
    height: int
    alt: str


class EmailProduct(msgspec.Struct, frozen=True, rename="camel"):
    name: str
    url: str
    price: str | None
    image: EmailImage | None


class EmailLink(msgspec.Struct, frozen=True, rename="camel"):
    title: str
    url: str


class EmailOffer(msgspec.Struct, frozen=True, rename="camel"):
    """The offer's facts, written the locale's way (as offer tokens in copy write them)."""

    slug: str
    title: str
    discount: str | None
    code: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    """Exclusive: the offer is off from this instant."""
    last_day: str
    """The last day the offer is on, e.g. `31 mars 2026` / `March 31, 2026`."""
    legal_terms: str | None
    url: str


class EmailContent(msgspec.Struct, frozen=True, rename="camel"):
    """The copy of one email in one locale, links absolute and tagged, ready for the template."""

    kind: Literal["message", "campaign"]
    slug: str
    locale: str
    subject: str
    preheader: str
    headline: str
    body_html: str
    body_text: str
    offer: EmailOffer | None = None
    products: list[EmailProduct] = []
    tutorials: list[EmailLink] = []


class EmailAnswer(msgspec.Struct, frozen=True, rename="camel"):
    """What `GET /email/...` answers (JSON, or the same fields as XML elements)."""

    kind: Literal["message", "campaign"]
    slug: str
    locale: str
    send_at: dt.datetime | None
    subject: str
    preheader: str
    headline: str
    html: str
    text: str
    html_bytes: int
    utm: Utm
    offer: EmailOffer | None
    products: list[EmailProduct]
    tutorials: list[EmailLink]
