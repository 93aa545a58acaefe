"""The PostgreSQL stack the fault tests share: a private cluster with the demo content and the app serving it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.servers import AppServer, PrivatePostgres, cms_environment, run_cms

IDLE_SECONDS = 1.0
"""The app's CMS_DB_IDLE_SECONDS here: short, so that a test sees idle connections closed."""


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PrivatePostgres, AppServer]]:
    """A private PostgreSQL with the demo content, and the app serving it (one worker, small pools)."""
    postgres = PrivatePostgres()
    postgres.start()
    media = tmp_path_factory.mktemp("media")
    environment = cms_environment(
        database_url=postgres.url, media_root=str(media), db_pool_size="4", db_idle_seconds=str(IDLE_SECONDS)
    )
    app = AppServer(environment)
    try:
        run_cms(environment, "demo")  # migrates, then imports cms/demo/demo.ndjson
        app.token = run_cms(environment, "token", "create", "--name", "faults", "--scope", "management:admin").strip()
        app.start()
        yield postgres, app
    finally:
        app.stop()
        postgres.remove()
