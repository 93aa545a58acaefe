"""An asset's end: deleting it (refused while an entry's current or published version uses it, otherwise the row,
its files, an audit event and `asset.deleted` go) and `cms media gc`, which finds files no asset owns."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar

from cms.auth.principal import user_principal
from cms.media import MediaLibrary
from cms.media.gc import is_orphan, orphans_among
from cms.media.storage import StoredObject
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.settings import Settings
from cms.store.tables import Asset, AuditEvent, Event, WebhookDelivery
from cms.webhooks.subscriptions import Webhooks, WebhookSpec
from cms.workflow.entries import Editor
from tests.conftest import build_client
from tests.management_client import Management, token_for
from tests.test_media_kit import bearer, png
from tests.test_media_s3 import s3_app

CMS = Path(sys.executable).with_name("cms")
EDITOR = user_principal(1, "editor@example.test", "editor")
ADMIN = user_principal(2, "admin@example.test", "admin")
SHA_OF_NOTHING = "0" * 64


@dataclass
class World:
    """A clean store, an app on one storage backend, and what a `cms` process needs to reach the same storage."""

    http: httpx.AsyncClient
    library: MediaLibrary
    writer: dict[str, str]
    environment: dict[str, str]

    async def upload(self, colour: tuple[int, int, int], name: str = "picture.png") -> dict[str, Any]:
        response = await self.http.post("/media", files={"file": (name, png((320, 240), colour))}, headers=self.writer)
        assert response.status_code == 201, response.text
        asset: dict[str, Any] = response.json()
        return asset

    async def build_renditions(self, asset: dict[str, Any]) -> None:
        for preset in ("web_400", "social_card"):
            assert (await self.http.get(asset["renditions"][preset]["urls"]["webp"])).status_code == 200

    async def keys(self) -> list[str]:
        return await self.library.storage.keys()

    def gc(self, *options: str) -> subprocess.CompletedProcess[str]:
        command = [str(CMS), "media", "gc", *options]
        environment = os.environ | self.environment
        return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)


def s3_environment(settings: Settings) -> dict[str, str]:
    fields = ("storage", "s3_bucket", "s3_prefix", "s3_endpoint_url", "s3_region", "s3_access_key_id")
    environment = {f"CMS_{name.upper()}": getattr(settings, name) for name in fields}
    return environment | {"CMS_S3_SECRET_ACCESS_KEY": settings.s3_secret_access_key}


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
async def world(
    request: pytest.FixtureRequest, clean_db: None, app: Litestar, settings: Settings, model: ContentModel
) -> AsyncIterator[World]:
    writer = bearer(await token_for(model, "management:write", name="writer"))
    if request.param == "s3":
        app = await s3_app(settings, model)
    library: MediaLibrary = app.state.media
    for key in await library.storage.keys():  # the store is clean: so is the storage
        await library.storage.delete(key)
    environment = s3_environment(library.settings) if request.param == "s3" else {}
    async with build_client(app) as http:
        yield World(http, library, writer, environment)


def category(name: str, slug: str, image: str | None = None) -> EntryData:
    values = {"name": name, "slug": slug} | ({"image": image} if image else {})
    return msgspec.convert({"base": {"en": values}}, EntryData)


async def delete(world: World, asset_id: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return await world.http.delete(f"/media/{asset_id}", headers=world.writer if headers is None else headers)


# --- refused while used -----------------------------------------------------------------------------------


async def test_deleting_an_asset_a_published_version_uses_is_refused_and_says_where(
    world: World, model: ContentModel
) -> None:
    asset, other = await world.upload((200, 30, 30)), await world.upload((30, 200, 30))
    await world.build_renditions(asset)
    editor = Editor(model, EDITOR)
    lamps = await editor.create("category", category("Lamps", "lamps", asset["id"]))
    await editor.publish(lamps["id"])
    await editor.update(lamps["id"], 1, category("Lamps", "lamps", other["id"]))  # only the live version has it
    stored = await world.keys()

    refused = await delete(world, asset["id"])

    assert refused.status_code == 409
    [error] = refused.json()["errors"]
    assert f"category “Lamps” (slug lamps, id {lamps['id']}): published version 1" in error["message"]
    assert error["usedBy"] == [
        {
            "entryId": lamps["id"],
            "type": "category",
            "title": "Lamps",
            "slug": "lamps",
            "versions": [{"number": 1, "role": "published"}],
        }
    ]
    assert (await world.http.get(f"/media/{asset['id']}", headers=world.writer)).status_code == 200
    assert await world.keys() == stored
    assert await Event.count().where(Event.kind == "asset.deleted") == 0


async def test_deleting_an_asset_a_draft_uses_is_refused_too(world: World, model: ContentModel) -> None:
    """Deleting it would break the draft: publishing it later would lose the image without a word."""
    asset = await world.upload((20, 20, 200))
    override = {
        "base": {"en": {"name": "Chairs", "slug": "chairs"}},
        "overrides": {"web": {"en": {"image": asset["id"]}}},
    }
    chairs = await Editor(model, EDITOR).create("category", msgspec.convert(override, EntryData))

    refused = await delete(world, asset["id"])

    assert refused.status_code == 409
    [error] = refused.json()["errors"]
    assert f"(slug chairs, id {chairs['id']}): current version 1" in error["message"]
    assert error["usedBy"][0]["versions"] == [{"number": 1, "role": "current"}]
    assert await Asset.count() == 1


async def test_the_delete_asset_mutation_is_refused_with_where_it_is_used(
    client: httpx.AsyncClient, clean_db: None, model: ContentModel
) -> None:
    admin = Management(client, await token_for(model, "management:admin"))
    response = await client.post("/media", files={"file": ("a.png", png(colour=(9, 9, 9)))}, headers=admin.headers)
    asset_id = response.json()["id"]
    entry = await admin.create("category", {"base": {"en": {"name": "Desks", "slug": "desks", "image": asset_id}}})
    await admin.act("publishEntry", entry["id"])
    mutation = "mutation($id: ID!) { deleteAsset(id: $id) }"

    error = await admin.error(mutation, id=asset_id)

    assert error["extensions"]["code"] == "ASSET_IN_USE"
    assert error["extensions"]["usedBy"][0]["versions"] == [
        {"number": 1, "role": "current"},
        {"number": 1, "role": "published"},
    ]
    assert "current and published version 1" in error["message"]
    unknown = await admin.error(mutation, id="6b1c3a52-0000-4000-8000-000000000000")
    assert unknown["extensions"]["code"] == "NOT_FOUND"


# --- deleted once unused ------------------------------------------------------------------------------------


async def test_an_unused_asset_goes_with_its_original_and_renditions(world: World, model: ContentModel) -> None:
    asset, kept = await world.upload((200, 30, 30), "gone.png"), await world.upload((30, 30, 30))
    await world.build_renditions(asset)
    await world.build_renditions(kept)
    editor = Editor(model, EDITOR)
    lamps = await editor.create("category", category("Lamps", "lamps", asset["id"]))
    await editor.publish(lamps["id"])
    await editor.update(lamps["id"], 1, category("Lamps", "lamps"))
    await editor.publish(lamps["id"])  # neither the current nor the published version uses it now
    assert len([key for key in await world.keys() if asset["sha256"] in key]) == 3

    deleted = await delete(world, asset["id"])

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (await world.http.get(f"/media/{asset['id']}", headers=world.writer)).status_code == 404
    assert [key for key in await world.keys() if asset["sha256"] in key] == []
    assert len([key for key in await world.keys() if kept["sha256"] in key]) == 3  # the other asset keeps its files
    assert (await delete(world, asset["id"])).status_code == 404


async def test_a_deletion_is_audited_and_recorded_for_webhooks(world: World, model: ContentModel) -> None:
    webhooks = Webhooks(model, ADMIN, allow_private_targets=True)
    wanted, _ = await webhooks.create(WebhookSpec(url="http://127.0.0.1:9/assets", events=["asset.deleted"]))
    await webhooks.create(WebhookSpec(url="http://127.0.0.1:9/entries", events=["entry.published"]))
    asset = await world.upload((1, 2, 3), "brochure.png")

    assert (await delete(world, asset["id"])).status_code == 204

    [event] = await Event.select().where(Event.kind == "asset.deleted").output(load_json=True)
    data = event["data"] if isinstance(event["data"], dict) else msgspec.json.decode(event["data"])
    assert data == {"assetId": asset["id"], "sha256": asset["sha256"], "filename": "brochure.png"}
    owed = await WebhookDelivery.select().where(WebhookDelivery.event == event["id"])
    assert [(row["subscription"], row["status"]) for row in owed] == [(wanted["id"], "pending")]
    [audit] = await AuditEvent.select().where(AuditEvent.action == "asset_deleted").output(load_json=True)
    assert (audit["actor"], audit["details"]["asset"], audit["details"]["sha256"]) == (
        "writer",
        asset["id"],
        asset["sha256"],
    )


async def test_files_that_cannot_be_removed_after_the_commit_are_logged_and_left_for_gc(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    asset = await world.upload((5, 6, 7))

    async def unavailable(key: str) -> None:
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(world.library.storage, "delete", unavailable)
    with caplog.at_level(logging.ERROR, logger="cms.media.library"):
        deleted = await delete(world, asset["id"])

    assert deleted.status_code == 204
    assert await Asset.count() == 0
    assert "cms media gc" in caplog.text
    monkeypatch.undo()
    assert world.gc("--dry-run", "--min-age", "0").stdout.splitlines()[0].startswith(f"originals/{asset['sha256']}.png")


# --- who may ------------------------------------------------------------------------------------------------


async def test_deleting_needs_the_write_permission(world: World, model: ContentModel) -> None:
    asset = await world.upload((7, 7, 7))
    reader = bearer(await token_for(model, "management:read", name="reader"))

    assert (await delete(world, asset["id"], headers={})).status_code == 401
    refused = await delete(world, asset["id"], headers=reader)
    assert refused.status_code == 403
    assert "needs the 'write' permission" in refused.json()["errors"][0]["message"]
    assert await Asset.count() == 1
    assert await AuditEvent.count().where(AuditEvent.action == "asset_deleted") == 0


# --- cms media gc -------------------------------------------------------------------------------------------


async def plant_orphans(world: World) -> list[str]:
    """An original and a rendition of an image no asset has, as files left behind would be."""
    orphans = [f"originals/{SHA_OF_NOTHING}.png", f"renditions/{SHA_OF_NOTHING}/web_400-0123456789.webp"]
    for key in orphans:
        await world.library.storage.put(key, b"left behind", "image/png")
    return orphans


async def test_gc_dry_run_lists_files_no_asset_owns_and_deletes_nothing(world: World) -> None:
    await world.build_renditions(await world.upload((90, 90, 90)))
    orphans = await plant_orphans(world)
    stored = await world.keys()

    listed = world.gc("--dry-run", "--min-age", "0")

    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        *(f"{key}\t11" for key in orphans),
        "2 files, 22 bytes no asset owns (dry run: nothing deleted)",
    ]
    assert await world.keys() == stored


async def test_gc_deletes_files_no_asset_owns_and_keeps_the_others(world: World) -> None:
    await world.build_renditions(await world.upload((90, 90, 90)))
    owned = await world.keys()
    orphans = await plant_orphans(world)

    young = world.gc()  # by default a file younger than an hour may belong to an upload under way
    assert young.stdout.splitlines() == ["0 files, 0 bytes no asset owns"]
    collected = world.gc("--min-age", "0")

    assert collected.returncode == 0, collected.stderr
    assert collected.stdout.splitlines()[:2] == [f"{key}\t11" for key in orphans]
    assert collected.stdout.splitlines()[-1] == "2 files, 22 bytes no asset owns: 2 deleted"
    assert await world.keys() == owned


@pytest.mark.parametrize(
    ("key", "orphan"),
    [
        ("originals/aaa.png", False),
        ("originals/aaa.jpg", True),  # the asset's type is PNG: this file is not its original
        ("originals/bbb.png", True),
        ("renditions/aaa/web_400-1.webp", False),
        ("renditions/bbb/web_400-1.webp", True),
        ("renditions/aaa", True),
        ("probes/doctor-1", False),  # not the media library's
        ("elsewhere.txt", False),
    ],
)
def test_an_asset_owns_its_original_and_every_rendition_under_its_sha256(key: str, orphan: bool) -> None:
    assert is_orphan(key, {"originals/aaa.png"}, {"aaa"}) is orphan


def test_files_younger_than_the_minimum_age_are_never_orphans() -> None:
    noon = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    stored = [StoredObject("originals/x.png", 1, noon), StoredObject("originals/y.png", 1, noon + dt.timedelta(1))]

    assert [found.key for found in orphans_among(stored, [], older_than=noon)] == ["originals/x.png"]
