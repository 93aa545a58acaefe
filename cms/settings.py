"""Settings of a CMS instance, read once from `CMS_*` environment variables."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal

import msgspec

ENV_PREFIX = "CMS_"


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    database_url: str = "sqlite:///cms.sqlite3"
    """`sqlite:///path/to/file.sqlite3` (embedded default) or `postgresql://user:pass@host:port/db`."""

    model_dir: str = "content_types"
    """Directory holding the content model: one TOML file per type plus channels.toml and locales.toml."""

    graphql_dir: str = "graphql"
    """Where `cms schema` writes the SDL of each channel (`<channel>.graphql`)."""

    media_root: str = "media"
    """Root directory of the local media storage."""

    host: str = "127.0.0.1"
    """Interface `cms serve` binds to."""

    port: int = 8000
    """Port `cms serve` listens on."""

    db_pool_size: int = 10
    """Maximum connections in the PostgreSQL pool (ignored on SQLite)."""

    db_idle_seconds: float = 60.0
    """Seconds a PostgreSQL connection of a pool may stay unused before it is closed (0: kept open): a quiet
    worker gives its server sessions back, and connections a restarted server left broken are not kept."""

    scheduler: bool = True
    """Run scheduled publish/unpublish/release jobs in this process (every worker may; each job runs once)."""

    scheduler_interval: float = 1.0
    """Seconds between two looks for due jobs."""

    delivery_cache_entries: int = 2000
    """Most answers the delivery response cache of each worker keeps (least recently used dropped first)."""

    delivery_cache_bytes: int = 64 * 1024 * 1024
    """Most bytes of answers that cache keeps (64 MiB); one answer over an eighth of it is not kept."""

    debug: bool = False
    """Litestar debug mode: tracebacks in error responses. Never in production."""

    secure_cookies: bool = False
    """Mark the session cookie `Secure` (sent over HTTPS only): turn on whenever the admin is served over HTTPS."""

    management_rate_limit: str | None = "1200/minute"
    """Requests per token (else per session, else per address) on the management API, as `"N/unit"` (unit:
    second, minute, hour or day); empty: no limit. Counted per worker process (cms.lib.rate_limits)."""

    sign_in_max_failures_per_account: int = 5
    """Failed sign-ins of one account within the window after which its sign-ins get 429 unchecked (0: no limit)."""

    sign_in_max_failures_per_address: int = 20
    """Failed sign-ins from one client address within the window after which its sign-ins get 429 (0: no limit)."""

    sign_in_failure_window: int = 900
    """Seconds a failed sign-in counts for throttling (15 minutes)."""

    storage: Literal["local", "s3"] = "local"
    """Where media objects live: `local` (files under media_root) or `s3` (an S3-compatible bucket via boto3)."""

    upload_max_bytes: int = 20 * 1024 * 1024
    """Largest accepted upload in bytes (20 MiB); a bigger request is refused while it streams in."""

    image_max_pixels: int = 50_000_000
    """Largest accepted image in pixels (width × height), checked before decoding: refuses decompression bombs."""

    media_base_url: str = ""
    """Prefix of rendition URLs in asset metadata (a CDN or the public origin); root-relative when empty."""

    public_base_url: str = ""
    """Public origin of this CMS (`https://cms.example.com`): email HTML makes media URLs absolute with it (the
    request's own origin when empty)."""

    site_url: str = ""
    """The storefront emails link to (`https://www.example.com`): products at `/products/<slug>`, tutorials at
    `/tutorials/<slug>`, offers at `/offers/<slug>`; the public base URL when empty."""

    email_utm_source: str = "newsletter"
    """`utm_source` of email links unless a feed asks for another (`?utmSource=klaviyo`)."""

    s3_bucket: str = ""
    """Bucket holding the media when storage is `s3`."""

    s3_prefix: str = ""
    """Key prefix inside the bucket (e.g. `cms/`), so one bucket can serve several instances."""

    s3_endpoint_url: str = ""
    """Endpoint of an S3-compatible server (MinIO: `http://minio:9000`); empty for AWS S3."""

    s3_region: str = ""
    """Region of the bucket (e.g. `eu-west-3`); empty for boto3's default."""

    s3_access_key_id: str = ""
    """Access key; empty to use boto3's default credential chain (environment, profile, instance role)."""

    s3_secret_access_key: str = ""
    """Secret key paired with s3_access_key_id."""

    media_recent_bytes: int = 32 * 1024 * 1024
    """Most bytes of renditions each worker keeps from those it served lately (32 MiB), to serve them while the
    media storage cannot be reached (0: none kept)."""

    media_redirect: bool = False
    """With S3, answer rendition requests with a 302 to a presigned URL instead of proxying the bytes."""

    media_redirect_ttl: int = 3600
    """Seconds a presigned rendition URL stays valid (redirects are cached for half of that)."""

    fast_delivery: bool = True
    """Answer delivery queries that only read stored documents by projecting them (cms.delivery.fast);
    off runs every query through Strawberry's per-field execution (to compare, as bench/delivery.py does)."""

    webhooks: bool = True
    """Run the webhook dispatcher in this process (every worker may: each delivery is claimed by one)."""

    webhook_poll_interval: float = 0.25
    """Seconds between two looks for deliveries due (a publish reaches receivers within about that)."""

    webhook_timeout: float = 10.0
    """Seconds one delivery attempt may take (connect, send, answer) before it counts as failed."""

    webhook_retry_period: float = 24 * 3600.0
    """Seconds after its event during which a failing delivery is retried (exponential backoff with jitter);
    then it is marked failed, and its subscription disabled."""

    webhook_retry_base: float = 5.0
    """Seconds before the first retry; each later one waits about twice as long (at most an hour)."""

    webhook_allow_private_targets: bool = False
    """Allow webhook URLs on loopback, private or link-local addresses (tests, a receiver inside your network)."""

    request_log: Literal["off", "json"] = "off"
    """`json`: one JSON line per request on stdout, and an `X-Request-ID` on every answer (cms.ops.request_log)."""

    metrics: bool = False
    """Serve Prometheus metrics at `/metrics`: requests and latency per route and channel, cache, outbox, pools."""

    tracing: bool = False
    """OpenTelemetry traces through Litestar's plugin; needs `pip install 'cms[tracing]'` (start fails without it)."""

    @property
    def model_path(self) -> Path:
        return Path(self.model_dir)


def settings_from_environment(environ: dict[str, str] | None = None) -> Settings:
    """Decode `CMS_<FIELD>` variables into Settings, converting strings to ints and booleans."""
    environ = dict(os.environ if environ is None else environ)
    names = set(Settings.__struct_fields__)
    raw = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and key[len(ENV_PREFIX) :].lower() in names
    }
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise SystemExit(f"invalid CMS_* environment variable: {error}") from error


@functools.cache
def get_settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    return settings_from_environment()
