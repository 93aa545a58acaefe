"""The store: immutable versions, stale edits refused, unique values, and what publishing changes."""

from __future__ import annotations

from typing import Any

import pytest

from cms.model import ContentModel
from cms.model.entry_data import EntryData, InvalidEntryError
from cms.publishing.publish import publish, unpublish
from cms.store.entries import ConflictError, create_entry, load_version, save_version
from cms.store.tables import Entry, EntryVersion, Projection, UniqueValue
from tests.conftest import build_client


def category(name: str = "Kitchen", slug: str = "kitchen", **more: Any) -> EntryData:
    return EntryData(base={"en": {"name": name, "slug": slug, **more}})


async def counts() -> tuple[int, int, int, int]:
    return (await Entry.count(), await EntryVersion.count(), await UniqueValue.count(), await Projection.count())


async def test_each_save_appends_a_version_and_keeps_the_old_ones(model: ContentModel, clean_db: None) -> None:
    created = await create_entry(model, model.types["category"], category(), author="ana")
    second = await save_version(
        model, created.entry_id, category("Cooking"), based_on=1, author="ben", message="rename"
    )
    assert second.number == 2
    assert (await load_version(created.entry_id, 1)).data.base["en"]["name"] == "Kitchen"
    assert (await load_version(created.entry_id)).data.base["en"]["name"] == "Cooking"
    rows = await EntryVersion.select(EntryVersion.number, EntryVersion.author, EntryVersion.message).order_by(
        EntryVersion.number
    )
    assert rows == [{"number": 1, "author": "ana", "message": ""}, {"number": 2, "author": "ben", "message": "rename"}]


async def test_an_edit_based_on_a_stale_version_is_refused_with_the_current_one(
    model: ContentModel, clean_db: None
) -> None:
    created = await create_entry(model, model.types["category"], category())
    await save_version(model, created.entry_id, category("First writer"), based_on=1)
    with pytest.raises(ConflictError) as conflict:
        await save_version(model, created.entry_id, category("Second writer"), based_on=1)
    assert (conflict.value.based_on, conflict.value.current) == (1, 2)
    assert (await load_version(created.entry_id)).data.base["en"]["name"] == "First writer"
    assert await EntryVersion.count() == 2


async def test_a_unique_value_cannot_be_claimed_twice_and_nothing_is_stored(
    model: ContentModel, clean_db: None
) -> None:
    first = await create_entry(model, model.types["category"], category())
    before = await counts()
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(model, model.types["category"], category("Other", "kitchen"))
    assert [str(error) for error in refused.value.errors] == [
        f"base.en.slug: is already used by another entry: category 'kitchen' (id {first.entry_id})"
    ]
    assert await counts() == before


async def test_a_reference_to_a_missing_or_wrong_type_entry_is_refused(model: ContentModel, clean_db: None) -> None:
    kitchen = await create_entry(model, model.types["category"], category())
    before = await counts()
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(
            model,
            model.types["tutorial"],
            EntryData(
                base={
                    "en": {
                        "title": "T",
                        "slug": "t",
                        "difficulty": "beginner",
                        "body": {"blocks": []},
                        "products": [kitchen.entry_id, "nope"],
                    }
                }
            ),
        )
    assert sorted(str(error) for error in refused.value.errors) == [
        f"base.en.products: no product entry with id {kitchen.entry_id!r}",
        "base.en.products: no product entry with id 'nope'",
    ]
    assert await counts() == before


async def test_invalid_data_names_every_field_and_stores_nothing(model: ContentModel, clean_db: None) -> None:
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(
            model, model.types["category"], EntryData(base={"en": {"slug": "Not A Slug", "position": -1}})
        )
    assert sorted(str(error) for error in refused.value.errors) == [
        "base.en.name: is required",
        "base.en.position: -1 is below the minimum of 0",
        "base.en.slug: 'Not A Slug' is not a slug: use lower-case letters, digits and single hyphens",
    ]
    assert await counts() == (0, 0, 0, 0)


QUERY = '{ category(by: { slug: "kitchen" }) { name } }'


async def served_name(app, channel: str = "web") -> Any:  # type: ignore[no-untyped-def]
    async with build_client(app) as client:
        response = await client.post(f"/graphql/{channel}", json={"query": QUERY})
        category = response.json()["data"]["category"]
        return None if category is None else category["name"]


async def test_only_publishing_changes_what_is_live(model: ContentModel, app, clean_db: None) -> None:  # type: ignore[no-untyped-def]
    created = await create_entry(model, model.types["category"], category())
    assert await served_name(app) is None  # a draft is not delivered
    await publish(model, created.entry_id)
    assert await served_name(app) == "Kitchen"
    await save_version(model, created.entry_id, category("Cooking"), based_on=1)
    assert await served_name(app) == "Kitchen"  # editing a published entry leaves it live as it was
    await publish(model, created.entry_id)
    assert await served_name(app) == "Cooking"
    serving = [channel for channel in model.channels.values() if channel.exposes("category")]
    # One document per channel and locale, replaced rather than added to.
    assert await Projection.count() == sum(len(channel.locales) for channel in serving) == 12
    await unpublish(created.entry_id)
    assert [await served_name(app, channel.name) for channel in serving] == [None] * len(serving)
    assert await Projection.count() == 0
    row = await Entry.select(Entry.status, Entry.published_version).first()
    assert row == {"status": "unpublished", "published_version": None}
