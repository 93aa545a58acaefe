"""The editor's form and entry data are two views of the same thing: every demo entry survives the trip."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from cms.admin.entry_richtext import markup_to_rich_text, rich_text_to_markup
from cms.admin.forms import entry_data_from_form, form_from_entry_data, input_id
from cms.model import ContentModel
from cms.model.entry_data import EntryData, InvalidEntryError, validate_entry_data
from cms.richtext import parse_rich_text
from tests.demo_data import demo_entries


def _canonical(value: Any) -> Any:
    """Rich text compared as parsed documents (an absent `marks` equals `marks: []`)."""
    if isinstance(value, dict) and "blocks" in value:
        return msgspec.to_builtins(parse_rich_text(value))
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def test_every_demo_entry_survives_form_and_back(model: ContentModel) -> None:
    checked: set[str] = set()
    for demo in demo_entries():
        content_type = model.types[demo.content_type]
        data = validate_entry_data(model, content_type, EntryData(base=demo.base, overrides=demo.overrides))
        form = form_from_entry_data(model, demo.content_type, data)
        again = entry_data_from_form(model, demo.content_type, form)
        assert _canonical(msgspec.to_builtins(again)) == _canonical(msgspec.to_builtins(data)), demo.base["en"]
        checked.add(demo.content_type)
    assert checked == set(model.types)


def test_empty_inputs_are_absent_and_overrides_hold_only_what_was_typed(model: ContentModel) -> None:
    form = {
        "base.en.name": "Chef knife",
        "base.fr.name": "",
        "base.en.slug": "chef-knife",
        "base.en.stock": "  ",
        "base.en.price.amount": "",
        "base.en.price.currency": "EUR",
        "base.en.featured": ["false", "true"],
        "overrides.social.en.social_text": "Sharp.",
        "overrides.web.en.name": "",
        "_csrf": "ignored",
    }
    data = entry_data_from_form(model, "product", form)
    assert data.base == {"en": {"name": "Chef knife", "slug": "chef-knife", "featured": True}}
    assert data.overrides == {"social": {"en": {"social_text": "Sharp."}}}


def test_typed_values_become_stored_values(model: ContentModel) -> None:
    form = {
        "base.en.stock": "12",
        "base.en.price.amount": "19.90",
        "base.en.price.currency": "eur",
        "base.en.released_at": "2026-03-01T09:30",
        "base.en.images": ["a1", "a2", "a1"],
        "base.en.specs.0.label": "Blade",
        "base.en.specs.0.value": "20 cm",
        "base.en.specs.3.label": "",
        "base.en.specs.3.value": "",
        "base.en.specs.5.label": "Steel",
        "base.en.specs.5.value": "VG-10",
        "base.en.attributes": '{"vegan": true}',
        "base.en.description": "## Care\n\nWash **by hand**.\n\n- dry it\n- oil it",
    }
    values = entry_data_from_form(model, "product", form).base["en"]
    assert values["stock"] == 12
    assert values["price"] == {"amount": "19.90", "currency": "EUR"}
    assert values["released_at"] == "2026-03-01T09:30:00Z"
    assert values["images"] == ["a1", "a2"]
    assert values["specs"] == [{"label": "Blade", "value": "20 cm"}, {"label": "Steel", "value": "VG-10"}]
    assert values["attributes"] == {"vegan": True}
    assert [block["type"] for block in values["description"]["blocks"]] == ["heading", "paragraph", "list"]


def test_unreadable_inputs_are_named_by_their_input(model: ContentModel) -> None:
    form = {"base.en.stock": "twelve", "base.en.attributes": "{oops", "base.en.specs.2.label": "x"}
    with pytest.raises(InvalidEntryError) as raised:
        entry_data_from_form(model, "product", form)
    assert [error.path for error in raised.value.errors] == ["base.en.stock", "base.en.attributes"]
    assert "not a whole number" in raised.value.errors[0].reason


@pytest.mark.parametrize(
    "markup",
    [
        "Plain text.",
        "## Heading\n\nA **bold** and *italic* and `code` and ***both*** word.",
        "- one\n- two [link](https://example.test/a_(b))\n\n1. first\n2. second",
        "> A quote\n> on two lines",
        "\\# not a heading, \\*not italic\\*, \\[not a link\\]",
        "\\- not a list\n\nline one\nline two",
    ],
)
def test_rich_text_markup_reads_back_as_written(markup: str) -> None:
    document = markup_to_rich_text(markup)
    assert document is not None
    parse_rich_text(document)
    assert rich_text_to_markup(document) == markup


def test_blank_rich_text_is_no_value() -> None:
    assert markup_to_rich_text(" \r\n \n") is None


def test_input_ids_replace_dots_and_brackets() -> None:
    assert input_id("overrides.social.fr.specs.0.label") == "overrides-social-fr-specs-0-label"
    assert input_id("base.en.specs[1].value") == "base-en-specs-1-value"
