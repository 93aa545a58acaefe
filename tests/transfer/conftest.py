"""Fixtures of the transfer tests."""

from __future__ import annotations

import pytest

from cms.auth.principal import cli_principal
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.workflow.entries import Editor


@pytest.fixture
async def lighting(model: ContentModel, clean_db: None) -> str:
    """An empty store but for a published category `lighting` (the example mapping's `Lamps`); its id."""
    editor = Editor(model, cli_principal())
    data = EntryData(base={"en": {"name": "Lighting", "slug": "lighting"}})
    row = await editor.create("category", data)
    await editor.publish(row["id"])
    return str(row["id"])
