"""A site with something of everything an export carries, built through the real editorial code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from cms.auth.principal import user_principal
from cms.auth.users import create_user
from cms.lib.clock import now
from cms.media.library import MediaLibrary
from cms.model import ContentModel
from cms.settings import get_settings
from cms.store.entries import load_version
from cms.webhooks.subscriptions import Webhooks, WebhookSpec
from cms.workflow.entries import Editor
from cms.workflow.releases import add_to_release, create_release, schedule_release
from cms.workflow.schedules import schedule
from tests.demo_data import demo_entries
from tests.demo_snapshot import load_demo_for_tests
from tests.pictures import draw_picture

ADMIN = user_principal(1, "ada@example.test", "admin")
QUERIES = {
    "web": "{ products(first: 100) { totalCount nodes { id name slug images { alt width } } } }",
    "app": "{ categories(first: 20) { nodes { id name } } products(first: 5, locale: fr) { nodes { name } } }",
    "social": "{ brandMessages(first: 20) { totalCount nodes { id } } offers { nodes { id } } }",
}
"""A few channels' answers, compared before and after a round trip."""


def product_ids() -> list[str]:
    return [entry.id for entry in demo_entries() if entry.content_type == "product"]


async def build_world(model: ContentModel) -> dict[str, Any]:
    """The demo (with its pictures), then: an image with a focal point, edits (history), every workflow state, a
    release and schedules, a second user and a webhook subscription."""
    await load_demo_for_tests(model)
    editor = Editor(model, ADMIN)
    library = MediaLibrary(get_settings(), model)
    asset = await library.store_upload(
        draw_picture(1, "Kettle", (96, 72)), "kettle.png", "image/png", {"en": "A kettle"}, ADMIN
    )
    await library.change(asset["id"], b'{"focalPoint": {"x": 0.25, "y": 0.75}}', ADMIN)
    first, second, third, fourth, fifth, sixth = product_ids()[:6]
    await _edit(editor, first, name="Kettle, renamed", images=[asset["id"]])
    await editor.publish(first)
    await _edit(editor, first, name="Kettle, draft after publishing")
    await _edit(editor, second, name="Second product, in review")
    await editor.submit(second)
    await editor.archive(third)
    await editor.unpublish(fourth)
    await _edit(editor, fifth, name="Fifth product, for the release")
    release = await create_release(editor, "Winter launch")
    await add_to_release(editor, release["id"], fifth, 2)
    await schedule_release(editor, release["id"], now() + dt.timedelta(days=10))
    await _edit(editor, sixth, name="Sixth product, scheduled")
    await schedule(editor, "publish", now() + dt.timedelta(days=5), entry=sixth, version=2)
    await create_user("bob@example.test", "Bob", "editor", "a long enough password")
    hooks = Webhooks(model, ADMIN, allow_private_targets=True)
    await hooks.create(WebhookSpec(url="http://127.0.0.1:9/hook", events=["entry.published"], description="CDN"))
    return {"asset": asset["id"], "edited": first, "archived": third}


async def _edit(editor: Editor, entry_id: str, **english: Any) -> None:
    current = await load_version(entry_id)
    base = {**current.data.base, "en": {**current.data.base["en"], **english}}
    await editor.update(entry_id, current.number, msgspec.structs.replace(current.data, base=base), "edited")
