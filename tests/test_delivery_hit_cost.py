"""What a response-cache hit costs, and that it is never stale.

On SQLite the content version is selected again only after some connection or process committed
(cms.store.content_version.KeptVersionReader): these tests commit every way there is (another
connection, another process, the app's own write path, a WAL reset) and expect the next read, and
the next request, to see it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.delivery.cache import CachedAnswer
from cms.store import content_version
from cms.store.content_version import KeptVersionReader, bump_content_version
from cms.store.database import get_engine
from tests.conftest import POSTGRES_URL
from tests.management_client import Management, token_for

KITCHEN = '{ category(by: { slug: "kitchen" }) { name } }'
BUMP = "UPDATE cms_content_version SET version = version + 1 WHERE id = 1"
TABLE = (
    "CREATE TABLE cms_content_version (id INTEGER PRIMARY KEY, version INTEGER NOT NULL,"
    " stock_version INTEGER NOT NULL DEFAULT 0)"
)
sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="the kept connection is SQLite's")


class Selects:
    """Counts the SELECTs of the content version on kept connections."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        select = KeptVersionReader._select

        def counting(reader: KeptVersionReader) -> int:
            self.count += 1
            return select(reader)

        monkeypatch.setattr(KeptVersionReader, "_select", counting)


@pytest.fixture
def selects(monkeypatch: pytest.MonkeyPatch) -> Selects:
    return Selects(monkeypatch)


@pytest.fixture
def wal_database(tmp_path: Path) -> str:
    path = str(tmp_path / "versions.sqlite3")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute(TABLE)
    writer.execute("INSERT INTO cms_content_version (id, version) VALUES (1, 7)")
    writer.close()
    return path


def commit(path: str, sql: str = BUMP) -> None:
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute(sql)
    writer.close()


def commit_from_another_process(path: str) -> None:
    code = f"import sqlite3; db = sqlite3.connect({path!r}, isolation_level=None); db.execute({BUMP!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_kept_reader_selects_only_after_a_commit_by_another_connection(wal_database, selects) -> None:  # type: ignore[no-untyped-def]
    reader = KeptVersionReader(wal_database)
    assert [reader.read().content for _ in range(3)] == [7, 7, 7]
    selects.count = 0

    commit(wal_database)
    after = [reader.read().content for _ in range(3)]

    assert after == [8, 8, 8]
    assert selects.count == 1


def test_the_kept_reader_sees_a_commit_from_another_process(wal_database) -> None:  # type: ignore[no-untyped-def]
    reader = KeptVersionReader(wal_database)
    assert reader.read().content == 7

    commit_from_another_process(wal_database)

    assert reader.read().content == 8


def test_the_kept_reader_sees_commits_after_the_wal_is_checkpointed_and_restarted(wal_database) -> None:  # type: ignore[no-untyped-def]
    reader = KeptVersionReader(wal_database)
    seen = [reader.read().content]
    for _ in range(3):
        commit(wal_database)
        seen.append(reader.read().content)
        commit(wal_database, "PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL starts over: same size, new salts
        seen.append(reader.read().content)

    assert seen == [7, 8, 8, 9, 9, 10, 10]


def test_a_commit_on_a_write_that_does_not_change_the_version_costs_one_select_and_no_change(  # type: ignore[no-untyped-def]
    wal_database, selects
) -> None:
    reader = KeptVersionReader(wal_database)
    reader.read()
    selects.count = 0

    commit(wal_database, "CREATE TABLE unrelated (id INTEGER)")

    assert [reader.read().content, reader.read().content] == [7, 7]
    assert selects.count == 1


def test_without_wal_the_kept_reader_selects_every_time(tmp_path, selects) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "rollback-journal.sqlite3")
    commit(path, TABLE)
    commit(path, "INSERT INTO cms_content_version (id, version) VALUES (1, 3)")
    reader = KeptVersionReader(path)
    selects.count = 0

    first = reader.read().content
    commit(path)

    assert (reader.wal_index, first, reader.read().content, selects.count) == (None, 3, 4, 2)


# -- through the app ------------------------------------------------------------------------------


def category(name: str) -> dict[str, Any]:
    return {"base": {"en": {"name": name, "slug": "kitchen"}}}


@pytest.fixture
async def editor(client, model, clean_db) -> Management:  # type: ignore[no-untyped-def]
    return Management(client, await token_for(model, "management:admin", name="hit-cost-editor"))


async def kitchen(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/graphql/web", params={"query": KITCHEN}, headers=headers)


async def remembered_hit(client: httpx.AsyncClient, editor: Management) -> tuple[str, httpx.Response]:
    """Publish the kitchen category and ask for it until the hit lane answers it: (entry id, the hit)."""
    entry = await editor.create("category", category("Kitchen"))
    await editor.act("publishEntry", entry["id"])
    await kitchen(client)  # computed, kept and remembered
    return entry["id"], await kitchen(client)


async def test_a_hit_costs_no_round_trip_and_no_select_while_nothing_is_committed(  # type: ignore[no-untyped-def]
    client, editor, round_trips, selects
) -> None:
    _, first = await remembered_hit(client, editor)

    round_trips.count = selects.count = 0
    hits = [await kitchen(client) for _ in range(5)]

    assert {(hit.status_code, hit.content, hit.headers["etag"]) for hit in hits} == {
        (200, first.content, first.headers["etag"])
    }
    # PostgreSQL without the listener (the test client runs no lifespan) reads the version through the pool.
    assert round_trips.count == (5 if POSTGRES_URL else 0)
    assert selects.count == 0


async def test_a_publish_through_the_app_is_seen_by_the_next_request(client, editor) -> None:  # type: ignore[no-untyped-def]
    entry_id, before = await remembered_hit(client, editor)

    await editor.update(entry_id, 1, category("Kitchen and dining"))
    await editor.act("publishEntry", entry_id)
    after = await kitchen(client, **{"If-None-Match": before.headers["etag"]})

    assert before.json() == {"data": {"category": {"name": "Kitchen"}}}
    assert (after.status_code, after.json()) == (200, {"data": {"category": {"name": "Kitchen and dining"}}})


@sqlite_only
async def test_a_version_committed_by_another_process_is_seen_by_the_next_request(client, editor) -> None:  # type: ignore[no-untyped-def]
    _, before = await remembered_hit(client, editor)

    commit_from_another_process(get_engine().path)
    after = await kitchen(client, **{"If-None-Match": before.headers["etag"]})

    assert after.status_code == 200  # not a 304: the ETag names the content version
    assert after.headers["etag"] != before.headers["etag"]
    assert after.content == before.content


@sqlite_only
async def test_a_version_committed_by_another_connection_is_seen_by_the_next_request(client, editor) -> None:  # type: ignore[no-untyped-def]
    _, before = await remembered_hit(client, editor)

    commit(get_engine().path)
    after = await kitchen(client)

    assert after.headers["etag"] != before.headers["etag"]
    assert content_version._kept[get_engine().path].version.content == await content_version.read_content_version()


async def test_the_stamp_is_one_object_until_the_version_changes(app, clean_db) -> None:  # type: ignore[no-untyped-def]
    freshness = app.state.delivery.freshness
    first = await freshness.stamp()
    again = await freshness.stamp()

    await bump_content_version()
    changed = await freshness.stamp()

    assert again is first  # the hit lane hashes an answer key once per stamp object
    assert changed is not first
    assert changed.version == first.version + 1


async def test_a_hit_with_the_current_etag_is_a_304_with_the_answers_headers(client, editor) -> None:  # type: ignore[no-untyped-def]
    _, hit = await remembered_hit(client, editor)

    again = await kitchen(client, **{"If-None-Match": f'"other", {hit.headers["etag"]}'})

    assert (again.status_code, again.content) == (304, b"")
    assert {name: again.headers[name] for name in ("etag", "cache-control", "surrogate-key")} == {
        name: hit.headers[name] for name in ("etag", "cache-control", "surrogate-key")
    }


def test_a_kept_answer_builds_its_responses_once() -> None:
    answer = CachedAnswer(b'{"data":{}}', "channel-web", [(b"etag", b'"abc"')])

    ok, not_modified = answer.asgi(not_modified=False), answer.asgi(not_modified=True)

    assert answer.asgi(not_modified=False) is ok
    assert (ok.status, ok.headers, ok.body) == (200, [(b"etag", b'"abc"'), (b"content-length", b"11")], answer.body)
    assert (not_modified.status, not_modified.headers, not_modified.body) == (304, [(b"etag", b'"abc"')], b"")
