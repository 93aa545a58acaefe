"""A channel added to the model directory is served with no code change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cms.app import create_app
from cms.model import load_model
from tests.conftest import ROOT, build_client

VOICE_CHANNEL = """
[channels.voice]
label = { en = "Smart speakers", fr = "Enceintes connectées" }
locales = ["en", "fr"]
default_locale = "en"
rich_text = "text"
types = ["product", "tutorial"]
"""

SPOKEN_SUMMARY = """
[[fields]]
name = "spoken_summary"
kind = "text"
label = { en = "Spoken summary", fr = "Résumé parlé" }
localized = true
channels = ["voice"]
max_length = 200
"""


@pytest.fixture
def voice_model_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "content_types"
    shutil.copytree(ROOT / "content_types", directory)
    with (directory / "channels.toml").open("a", encoding="utf-8") as channels:
        channels.write(VOICE_CHANNEL)
    with (directory / "product.toml").open("a", encoding="utf-8") as product:
        product.write(SPOKEN_SUMMARY)
    return directory


async def test_a_voice_channel_added_in_the_model_is_served(voice_model_dir: Path, settings, clean_db) -> None:  # type: ignore[no-untyped-def]
    from cms.model.entry_data import EntryData
    from cms.publishing.publish import publish
    from cms.store.entries import create_entry

    model = load_model(voice_model_dir)
    category = await create_entry(
        model, model.types["category"], EntryData(base={"en": {"name": "Audio", "slug": "audio"}})
    )
    product = await create_entry(
        model,
        model.types["product"],
        EntryData(
            base={
                "en": {
                    "name": "Speaker One",
                    "slug": "speaker-one",
                    "gtin": "4006381333931",
                    "price": {"amount": "99.00", "currency": "EUR"},
                    "category": category.entry_id,
                    "availability": "in_stock",
                    "spoken_summary": "A small speaker with a big sound.",
                },
                "fr": {"spoken_summary": "Une petite enceinte au grand son."},
            }
        ),
    )
    await publish(model, product.entry_id)

    async with build_client(create_app(settings, model)) as client:
        response = await client.post(
            "/graphql/voice", json={"query": "{ products(locale: fr) { totalCount nodes { name spokenSummary } } }"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["data"]["products"] == {
            "totalCount": 1,
            "nodes": [{"name": "Speaker One", "spokenSummary": "Une petite enceinte au grand son."}],
        }
        # The voice-only field stays off the other channels, and the voice channel lists no offers.
        web = await client.post("/graphql/web", json={"query": "{ products { nodes { spokenSummary } } }"})
        assert web.status_code == 400
        voice_offers = await client.post("/graphql/voice", json={"query": "{ offers { totalCount } }"})
        assert voice_offers.status_code == 400
        root = await client.get("/")
        assert "voice" in root.json()["channels"]
