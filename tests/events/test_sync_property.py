"""The property the sync feed exists for: whatever editors do, and whenever a consumer syncs, following the
feed ends with the same documents as a sync from scratch, which are the documents delivery serves."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.model import ContentModel
from cms.store.database import delete_all_content
from cms.workflow.entries import Editor, entry_row
from cms.workflow.errors import InvalidStateError
from cms.workflow.releases import add_to_release, create_release, publish_release
from tests.events.helpers import Mirror, category_data, delivered, editor_for

ENTRIES = 3
entry = st.integers(0, ENTRIES - 1)
actions = st.one_of(
    st.tuples(st.just("edit"), entry),
    st.tuples(st.just("publish"), entry),
    st.tuples(st.just("unpublish"), entry),
    st.tuples(st.just("release"), st.frozensets(entry, min_size=1)),
    st.tuples(st.just("rollback"), entry, st.integers(1, 4)),
)
steps = st.lists(st.tuples(actions, st.sampled_from([None, 1, 2, 100])), max_size=10)
"""An editorial action, then maybe one page of sync (of that size) by every consumer."""


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
async def test_following_the_feed_ends_where_a_sync_from_scratch_does(
    model: ContentModel, clean_db: None, steps: list[tuple[tuple[Any, ...], int | None]]
) -> None:
    await delete_all_content()  # each example starts afresh (`clean_db` cleans once per test)
    editor = editor_for(model)
    created = [await editor.create("category", category_data(f"c{i}", f"Category {i}")) for i in range(ENTRIES)]
    ids = [str(row["id"]) for row in created]
    followers = [Mirror(model, "web"), Mirror(model, "kiosk", locale="fr")]

    for action, page_size in steps:
        await act(editor, ids, action)
        for follower in followers if page_size else ():
            await follower.page(first=page_size)  # one page: the first sync may still be paging

    for follower, locales in zip(followers, (["en", "fr"], ["fr"]), strict=True):
        from_scratch = Mirror(model, follower.channel, **follower.filters)
        served = await delivered(follower.channel, locales, ids)
        assert await follower.catch_up(first=2) == served
        assert await from_scratch.catch_up(first=3) == served


async def act(editor: Editor, ids: list[str], step: tuple[Any, ...]) -> None:
    """One editorial step on the entry (or entries) it names."""
    kind, target = step[0], step[1]
    if kind == "release":
        release = await create_release(editor, "together")
        for index in sorted(target):
            await add_to_release(editor, release["id"], ids[index], None)
        await publish_release(editor, release["id"])
        return
    entry_id = ids[target]
    current = (await entry_row(entry_id))["current_version"]
    if kind == "edit":
        await editor.update(entry_id, current, category_data(f"c{target}", f"Category {target} v{current + 1}"))
    elif kind == "publish":
        await editor.publish(entry_id)
    elif kind == "unpublish":
        with contextlib.suppress(InvalidStateError):  # not published: nothing to take down
            await editor.unpublish(entry_id)
    else:
        await editor.rollback(entry_id, min(step[2], current), current)
        await editor.publish(entry_id)
