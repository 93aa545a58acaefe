"""Settings of a CMS instance, read once from `CMS_*` environment variables."""

from __future__ import annotations

import functools
import os
from pathlib import Path

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

    scheduler: bool = True
    """Run scheduled publish/unpublish/release jobs in this process (every worker may; each job runs once)."""

    scheduler_interval: float = 1.0
    """Seconds between two looks for due jobs."""

    debug: bool = False
    """Litestar debug mode: tracebacks in error responses. Never in production."""

    secure_cookies: bool = False
    """Mark the session cookie `Secure` (sent over HTTPS only): turn on whenever the admin is served over HTTPS."""

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
