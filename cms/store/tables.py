"""Piccolo tables of the store: entries, their immutable versions, and delivery projections."""

from __future__ import annotations

import hashlib

from piccolo.columns import (
    JSONB,
    BigInt,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Entry(Table, tablename="cms_entry"):
    """One piece of content of a type; its data lives in versions."""

    id = Varchar(length=36, primary_key=True)
    content_type = Varchar(length=64, index=True)
    slug = Varchar(length=200, null=True, default=None)
    status = Varchar(length=20, default="draft")
    current_version = Integer(default=0)
    published_version = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    approved_version = Integer(null=True, default=None)
    """The version a reviewer approved; a type that requires review publishes only that version."""


class EntryVersion(Table, tablename="cms_entry_version"):
    """An immutable snapshot of an entry's data; every save appends one."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    key = Varchar(length=80, unique=True)
    """`<entry id>:<number>`: makes (entry, number) unique on every database."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    data = JSONB()
    author = Varchar(length=200, default="")
    message = Text(default="")
    created_at = Timestamptz()
    lint = JSONB(null=True, default=None)
    """The consistency linter's report when the version was saved (`{"score", "findings"}`); null before linting."""


class UniqueValue(Table, tablename="cms_unique_value"):
    """Claims a value of a unique field for one entry; the database refuses a second claim."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    key = Varchar(length=500, unique=True)
    """`<type>:<field>:<value>`."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)


class Projection(Table, tablename="cms_projection"):
    """The resolved document of a published entry for one channel and locale, as delivery serves it."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    key = Varchar(length=200, unique=True)
    """`<entry id>:<channel>:<locale>`."""
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade, index=True)
    content_type = Varchar(length=64)
    channel = Varchar(length=64)
    locale = Varchar(length=16)
    slug = Varchar(length=200, null=True, default=None)
    doc = JSONB()
    doc_hash = Varchar(length=32, null=True, default=None)
    """`document_hash(doc)` of the text written: delivery keeps decoded documents by it and skips reading
    the text of one it holds already (None on rows written by other means: their text is always read)."""
    version = Integer()
    published_at = Timestamptz()
    stage = Varchar(length=10, default="live")
    """`live` (what delivery serves) or `preview` (the current draft, served with a preview token)."""
    valid_from = Timestamptz(null=True, default=None)
    """Served from this instant on (None: always); offers and copy naming them change at exact instants."""
    valid_until = Timestamptz(null=True, default=None)
    """Served until just before this instant (None: no end)."""
    facts = Text(null=True, default=None)
    """SQLite: the values lists filter and sort on, as JSON (cms.model.facts); None on PostgreSQL, and on rows
    written by other means until the next start computes them."""


def document_hash(text: str) -> str:
    """A 128-bit hash of a projection's stored text: equal hashes mean equal documents."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class User(Table, tablename="cms_user"):
    """A person using the admin or the management API."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    email = Varchar(length=254, unique=True)
    name = Varchar(length=200, default="")
    role = Varchar(length=20)
    password_hash = Text(secret=True)
    active = Boolean(default=True)
    created_at = Timestamptz()


class UserSession(Table, tablename="cms_session"):
    """A signed-in browser session; the cookie holds the token, the table only its hash."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    csrf_token = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()


class ApiToken(Table, tablename="cms_api_token"):
    """A token for automation: shown once at creation, stored as a hash, revocable."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    token_id = Varchar(length=32, unique=True)
    secret_hash = Varchar(length=64)
    name = Varchar(length=200)
    scopes = JSONB()
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class AuditEvent(Table, tablename="cms_audit_event"):
    """Who did what, when, with the versions before and after."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    at = Timestamptz(index=True)
    actor = Varchar(length=254, index=True)
    actor_kind = Varchar(length=10)
    action = Varchar(length=64, index=True)
    entry = Varchar(length=36, null=True, default=None, index=True)
    content_type = Varchar(length=64, null=True, default=None)
    version_before = Integer(null=True, default=None)
    version_after = Integer(null=True, default=None)
    details = JSONB()


class SignInFailure(Table, tablename="cms_sign_in_failure"):
    """A failed sign-in, kept for the throttling window (cms.auth.throttle): counted by account and by address."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    account = Varchar(length=254, index=True)
    """The email typed, lower-cased (whether or not a user has it)."""
    address = Varchar(length=64, index=True)
    """The client's IP address as the server saw it."""
    at = Timestamptz(index=True)


class Release(Table, tablename="cms_release"):
    """Entries at chosen versions, published together at one instant."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    name = Varchar(length=200)
    status = Varchar(length=20, default="open")
    publish_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()


class ReleaseItem(Table, tablename="cms_release_item"):
    key = Varchar(length=80, unique=True)
    """`<release id>:<entry id>`: an entry is in a release once."""
    release = ForeignKey(Release, on_delete=OnDelete.cascade, index=True)
    entry = ForeignKey(Entry, on_delete=OnDelete.cascade)
    version = Integer()


class Schedule(Table, tablename="cms_schedule"):
    """A publish, unpublish or release job due at an instant; persisted, so it survives restarts."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    action = Varchar(length=20)
    entry = Varchar(length=36, null=True, default=None)
    version = Integer(null=True, default=None)
    release = Integer(null=True, default=None)
    run_at = Timestamptz(index=True)
    status = Varchar(length=20, default="pending", index=True)
    attempts = Integer(default=0)
    last_error = Text(default="")
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()


class Asset(Table, tablename="cms_asset"):
    """An uploaded image: its sanitized original is stored once in media storage, keyed by its sha256."""

    id = Varchar(length=36, primary_key=True)
    sha256 = Varchar(length=64, unique=True)
    """Of the stored (sanitized) original: the same image uploaded twice is one asset."""
    mime = Varchar(length=32)
    byte_size = BigInt()
    width = Integer()
    height = Integer()
    blurhash = Varchar(length=64, default="")
    dominant_color = Varchar(length=7, default="")
    focal_x = DoublePrecision(default=0.5)
    focal_y = DoublePrecision(default=0.5)
    alt = JSONB()
    """Alternative text per locale: `{"en": "…", "fr": "…"}`."""
    filename = Varchar(length=255, default="")
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ContentVersion(Table, tablename="cms_content_version"):
    """One row (id 1) counting the changes to what delivery serves; see cms.store.content_version."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    version = BigInt(default=0)
    stock_version = BigInt(default=0)
    """Stock batches that changed some quantity (migration 2026-12-28T00:00:00): what answers showing stock
    depend on besides the content version."""


class Event(Table, tablename="cms_event"):
    """The change log: one row per change the world outside should hear of, appended in the transaction of
    the change (the transactional outbox of cms.events). Its id orders events and is the sync feed's cursor."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    kind = Varchar(length=40)
    """`entry.published`, `entry.unpublished`, `entry.archived`, `entry.changed`, `release.published`,
    `schedule.fired`, `offer.started`, `offer.ended`, `asset.created`, `asset.deleted`."""
    entry = Varchar(length=36, null=True, default=None, index=True)
    content_type = Varchar(length=64, null=True, default=None)
    entries = JSONB()
    """Ids of every entry whose live documents this change touched (the sync feed reads them again)."""
    channels = JSONB()
    """Channels whose delivered documents changed."""
    data = JSONB()
    """The `data` of the webhook payload, as sent."""
    at = Timestamptz()


class WebhookSubscription(Table, tablename="cms_webhook"):
    """Where to send which events, signed with the subscription's secret (Standard Webhooks)."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    url = Varchar(length=2000)
    description = Varchar(length=200, default="")
    events = JSONB()
    """Event kinds to send (`[]`: all)."""
    content_types = JSONB()
    """Content types whose events are sent (`[]`: all)."""
    channels = JSONB()
    """Channels whose changes are sent (`[]`: all)."""
    secret = Varchar(length=100, secret=True)
    """`whsec_<base64>`: the HMAC key, needed in clear to sign; shown to people once, at creation."""
    active = Boolean(default=True)
    disabled_reason = Text(default="")
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class WebhookDelivery(Table, tablename="cms_webhook_delivery"):
    """One event owed to one subscription: pending until a 2xx, or failed once its retry period is over."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    subscription = ForeignKey(WebhookSubscription, on_delete=OnDelete.cascade, index=True)
    event = Integer(index=True)
    ordering_key = Varchar(length=80)
    """Deliveries of one subscription with the same key go out one after the other (the entry's id)."""
    status = Varchar(length=12, default="pending", index=True)
    """`pending`, `delivered` or `failed`."""
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz()
    leased_until = Timestamptz(null=True, default=None)
    """A dispatcher is sending it until then; after that instant (the dispatcher died) it is claimable again."""
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)
    last_status = Integer(null=True, default=None)
    last_error = Text(default="")


class WebhookAttempt(Table, tablename="cms_webhook_attempt"):
    """One HTTP attempt of a delivery: what the receiver answered, and how fast."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    delivery = ForeignKey(WebhookDelivery, on_delete=OnDelete.cascade, index=True)
    subscription = Integer(index=True)
    at = Timestamptz()
    status_code = Integer(null=True, default=None)
    latency_ms = DoublePrecision(default=0.0)
    response = Text(default="")
    """The first bytes of the answer (512 at most)."""
    error = Text(default="")


class EventClock(Table, tablename="cms_event_clock"):
    """One row: the instant up to which offer windows' starts and ends have been written to the change log."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    watched_until = Timestamptz(null=True, default=None)


class CampaignLaunch(Table, tablename="cms_campaign_launch"):
    """A campaign's launch: the release its window's start publishes, the jobs at its start and end, and the
    entries its end unpublishes (those the launch takes live for the first time, and the campaign itself)."""

    id: Serial  # the default primary key Piccolo adds, declared for type checkers

    campaign = Varchar(length=36, index=True)
    release = Integer()
    launch_job = Integer()
    end_job = Integer()
    launch_at = Timestamptz()
    end_at = Timestamptz()
    ends = Text(default="[]")
    """JSON list of the entry ids the end unpublishes."""
    status = Varchar(length=20, default="scheduled")
    """`scheduled`, `launched`, `ended`, `cancelled` or `failed`."""
    created_by = Varchar(length=254, default="")
    created_at = Timestamptz()


TABLES: list[type[Table]] = [
    Entry,
    EntryVersion,
    UniqueValue,
    Projection,
    User,
    UserSession,
    ApiToken,
    AuditEvent,
    SignInFailure,
    Release,
    ReleaseItem,
    Schedule,
    Asset,
    ContentVersion,
    Event,
    WebhookSubscription,
    WebhookDelivery,
    WebhookAttempt,
    EventClock,
    CampaignLaunch,
]
