"""Seed the demo content into the store and publish it on every channel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import msgspec

from cms.auth.principal import ROLE_PERMISSIONS, Principal
from cms.demo.content import DemoEntry, demo_entries
from cms.demo.stock import seed_demo_stock
from cms.media import generate_demo_image
from cms.media.library import MediaLibrary
from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions
from cms.settings import get_settings
from cms.store.entries import SavedVersion, create_entry
from cms.store.tables import Entry

DEMO_NAMESPACE = uuid.UUID("8f0c6c3e-3a51-4c1e-9a43-5d2b8a1f7e10")


def demo_entry_id(content_type: str, slug: str) -> str:
    """Stable ids, so the demo's ids are the same on every machine."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{content_type}:{slug}"))


async def has_content() -> bool:
    return await Entry.count() > 0


DEMO_IMAGE_SIZE = (960, 720)
SEEDER = Principal(kind="system", name="demo", permissions=ROLE_PERMISSIONS["admin"])


async def seed_demo(
    model: ContentModel, progress: Callable[[int, int], None] | None = None, *, images: bool = True
) -> int:
    """Create and publish every demo entry; returns how many. References are given by slug in the demo.

    With `images`, every product gets a generated picture (drawn with Pillow, uploaded like any image).
    """
    entries = demo_entries()
    saved: list[SavedVersion] = []
    library = MediaLibrary(get_settings(), model) if images else None
    for index, demo in enumerate(entries):
        if library is not None and demo.content_type == "product":
            demo = await _with_image(library, index, demo)
        content_type = model.types[demo.content_type]
        data = EntryData(
            base={locale: _with_ids(content_type, values) for locale, values in demo.base.items()},
            overrides={
                channel: {locale: _with_ids(content_type, values) for locale, values in by_locale.items()}
                for channel, by_locale in demo.overrides.items()
            },
        )
        saved.append(
            await create_entry(
                model, content_type, data, author="demo", message="Demo content", entry_id=_id_of(content_type, demo)
            )
        )
        if progress:
            progress(index + 1, len(entries))
    await publish_versions(model, saved)
    await seed_demo_stock(model, entries)  # the warehouse's and the stores' stock (cms.demo.stock)
    return len(saved)


async def _with_image(library: MediaLibrary, index: int, demo: DemoEntry) -> DemoEntry:
    english, french = demo.base["en"], demo.base.get("fr", {})
    picture = await generate_demo_image(index, english["name"], DEMO_IMAGE_SIZE)
    alt = {"en": english["name"], **({"fr": french["name"]} if french.get("name") else {})}
    asset = await library.store_upload(picture, f"{english['slug']}.png", "image/png", alt, SEEDER)
    base = {**demo.base, "en": {**english, "images": [asset["id"]]}}
    return msgspec.structs.replace(demo, base=base)


def _id_of(content_type: ContentType, demo: DemoEntry) -> str:
    slug_field = content_type.slug_field
    assert slug_field is not None, f"demo {content_type.name} entries need a slug"
    return demo_entry_id(content_type.name, demo.base["en"][slug_field.name])


def _with_ids(content_type: ContentType, values: dict[str, Any]) -> dict[str, Any]:
    converted = dict(values)
    for name, value in values.items():
        field = content_type.field(name)
        if field is None or field.to is None:
            continue
        if field.kind == "reference":
            converted[name] = demo_entry_id(field.to, value)
        elif field.kind == "references":
            converted[name] = [demo_entry_id(field.to, slug) for slug in value]
    return converted
