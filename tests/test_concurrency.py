"""Writers racing on one entry, and schedulers racing on one due job: each accepted change happens once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import msgspec
import pytest

from cms.lib.clock import TestClock, use_clock
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.store.database import write_transaction
from cms.store.entries import ConflictError, create_entry, save_version
from cms.workflow.schedules import run_due_jobs
from tests.management_helpers import Caller, admin_caller, category_data

WRITERS = 8
UPDATE = """mutation($id: ID!, $base: Int!, $data: JSON!) {
  updateEntry(id: $id, baseVersion: $base, data: $data) { currentVersion }
}"""
HISTORY = """query($id: ID!) {
  entry(id: $id) { versions { number data } }
  auditEvents(action: "update_entry", entryId: $id) { nodes { versionBefore versionAfter } }
}"""


@pytest.fixture
def clock() -> Iterator[TestClock]:
    test_clock = TestClock(dt.datetime(2030, 1, 15, 9, 0, tzinfo=dt.UTC))
    previous = use_clock(test_clock)
    yield test_clock
    use_clock(previous)


@pytest.fixture
async def admin(clean_db: None, client: httpx.AsyncClient, model: ContentModel) -> Caller:
    return await admin_caller(client, model)


def _text_of(writer: int) -> str:
    return f"Lamps by writer {writer}"


def _text_in(version: dict[str, Any]) -> str:
    return version["data"]["base"]["en"]["name"]


async def _update(admin: Caller, entry_id: str, base: int, writer: int) -> dict[str, Any]:
    data = category_data("desk-lamps", name=_text_of(writer))
    return (await admin.post(UPDATE, id=entry_id, base=base, data=data)).json()


async def test_concurrent_updates_from_one_base_version_accept_exactly_one(admin: Caller) -> None:
    entry_id = await admin.create_entry("category", category_data("desk-lamps"))

    answers = await asyncio.gather(*(_update(admin, entry_id, 1, writer) for writer in range(WRITERS)))

    accepted = [writer for writer, answer in enumerate(answers) if "errors" not in answer]
    assert len(accepted) == 1, answers
    winner = accepted[0]
    assert answers[winner] == {"data": {"updateEntry": {"currentVersion": 2}}}
    refusals = [answer["errors"][0]["extensions"] for writer, answer in enumerate(answers) if writer != winner]
    assert refusals == [{"code": "CONFLICT", "currentVersion": 2, "basedOn": 1}] * (WRITERS - 1)
    history = await admin.data(HISTORY, id=entry_id)
    assert [version["number"] for version in history["entry"]["versions"]] == [2, 1]
    assert _text_in(history["entry"]["versions"][0]) == _text_of(winner)
    assert history["auditEvents"]["nodes"] == [{"versionBefore": 1, "versionAfter": 2}]


async def _write_until_accepted(admin: Caller, entry_id: str, writer: int) -> int:
    """Save from version 1, rebasing on the version each CONFLICT reports; returns the version saved."""
    base = 1
    for _ in range(WRITERS):  # each refusal means another writer's save was accepted: at most 7 refusals
        answer = await _update(admin, entry_id, base, writer)
        if "errors" not in answer:
            return answer["data"]["updateEntry"]["currentVersion"]
        conflict = answer["errors"][0]["extensions"]
        assert conflict["code"] == "CONFLICT", answer
        assert conflict["currentVersion"] > base, f"writer {writer} was told to rebase on {conflict} from {base}"
        base = conflict["currentVersion"]
    pytest.fail(f"writer {writer} was refused {WRITERS} times")


async def test_writers_that_rebase_on_the_reported_version_all_get_their_write_in_the_history(admin: Caller) -> None:
    entry_id = await admin.create_entry("category", category_data("desk-lamps"))

    saved = await asyncio.gather(*(_write_until_accepted(admin, entry_id, writer) for writer in range(WRITERS)))

    assert sorted(saved) == list(range(2, WRITERS + 2))
    history = await admin.data(HISTORY, id=entry_id)
    versions = history["entry"]["versions"]
    assert [version["number"] for version in versions] == list(range(WRITERS + 1, 0, -1))
    for writer, number in enumerate(saved):
        assert [version["number"] for version in versions if _text_in(version) == _text_of(writer)] == [number]
    transitions = sorted((event["versionBefore"], event["versionAfter"]) for event in history["auditEvents"]["nodes"])
    assert transitions == [(number - 1, number) for number in range(2, WRITERS + 2)]


async def test_concurrent_scheduler_runs_do_a_due_publish_once(
    admin: Caller, model: ContentModel, clock: TestClock
) -> None:
    entry_id = await admin.create_entry("category", category_data("desk-lamps"))
    document = 'mutation($id: ID!) { schedulePublish(id: $id, at: "2030-01-15T10:00:00Z") { id } }'
    await admin.data(document, id=entry_id)
    clock.advance(hours=1)

    ran = await asyncio.gather(*(run_due_jobs(model) for _ in range(4)))

    assert sum(ran) == 1
    outcome = await admin.data(
        f'{{ entry(id: "{entry_id}") {{ status publishedVersion schedules {{ status attempts }} }}'
        ' auditEvents(action: "publish_entry") { nodes { actor entryId } } }'
    )
    assert outcome == {
        "entry": {"status": "published", "publishedVersion": 1, "schedules": [{"status": "done", "attempts": 1}]},
        "auditEvents": {"nodes": [{"actor": "scheduler", "entryId": entry_id}]},
    }


async def test_a_save_that_waited_for_a_concurrent_save_reports_the_version_that_save_created(
    clean_db: None, model: ContentModel
) -> None:
    """On PostgreSQL the second save reads version 1 before the first commits, then waits on the row lock:
    its CONFLICT must name the version found once the lock is released, or a client rebases on a stale one."""

    def data(writer: int) -> EntryData:
        return msgspec.convert(category_data("desk-lamps", name=_text_of(writer)), EntryData)

    entry_id = (await create_entry(model, model.types["category"], data(0))).entry_id
    saved, commit = asyncio.Event(), asyncio.Event()

    async def first_writer() -> None:
        async with write_transaction():
            await save_version(model, entry_id, data(1), based_on=1)
            saved.set()
            await commit.wait()

    first = asyncio.create_task(first_writer())
    await saved.wait()
    second = asyncio.create_task(save_version(model, entry_id, data(2), based_on=1))
    await asyncio.sleep(0.2)  # time for the second save to read the entry and block on the first one's lock
    commit.set()
    await first

    with pytest.raises(ConflictError) as conflict:
        await second
    assert (conflict.value.based_on, conflict.value.current) == (1, 2)
