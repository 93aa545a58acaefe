"""HTML (a shop's product bodies) to the rich-text model: a table of examples, each result a valid document."""

from __future__ import annotations

from typing import Any

import pytest

from cms.richtext import parse_rich_text
from cms.richtext.from_html import rich_text_from_html


def text(value: str, *marks: str) -> dict[str, Any]:
    return {"type": "text", "text": value, "marks": list(marks)}


def paragraph(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "children": list(children)}


EXAMPLES = [
    ("", []),
    ("   \n ", []),
    ("<p>Plain   words\n here.</p>", [paragraph(text("Plain words here."))]),
    ("Text outside any tag", [paragraph(text("Text outside any tag"))]),
    ("<p>One</p><p>Two</p>", [paragraph(text("One")), paragraph(text("Two"))]),
    (
        "<p>A <b>bold</b>, <strong><em>both</em></strong> and <i>italic</i> word</p>",
        [
            paragraph(
                text("A "),
                text("bold", "bold"),
                text(", "),
                text("both", "bold", "italic"),
                text(" and "),
                text("italic", "italic"),
                text(" word"),
            )
        ],
    ),
    (
        "<h1>Big</h1><h3>Small</h3><h6>Tiny</h6>",
        [
            {"type": "heading", "level": 1, "children": [text("Big")]},
            {"type": "heading", "level": 3, "children": [text("Small")]},
            {"type": "heading", "level": 4, "children": [text("Tiny")]},
        ],
    ),
    (
        "<ul><li>one</li><li>two <b>bold</b></li></ul>",
        [{"type": "list", "ordered": False, "items": [[text("one")], [text("two "), text("bold", "bold")]]}],
    ),
    (
        "<ol><li>first<ul><li>inner</li></ul></li><li>second</li></ol>",
        [{"type": "list", "ordered": True, "items": [[text("first")], [text("inner")], [text("second")]]}],
    ),
    (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2">the guide</a>.</p>',
        [
            paragraph(
                text("See "),
                {"type": "link", "href": "https://example.com/a?b=1&c=2", "children": [text("the guide")]},
                text("."),
            )
        ],
    ),
    ('<p><a href="javascript:alert(1)">click</a> <a href="/relative">here</a></p>', [paragraph(text("click here"))]),
    ("<blockquote>Said once</blockquote>", [{"type": "quote", "children": [text("Said once")]}]),
    ("<p>line<br>break</p><script>alert(1)</script><style>p{}</style>", [paragraph(text("line break"))]),
    ("<div>block one</div><div>block two</div>", [paragraph(text("block one")), paragraph(text("block two"))]),
    ("<p>Caf&eacute; &amp; th&#233;</p>", [paragraph(text("Café & thé"))]),
    ("<p>unclosed <b>bold", [paragraph(text("unclosed "), text("bold", "bold"))]),
    ('<meta charset="utf-8"><span data-x="1">Shopify span</span>', [paragraph(text("Shopify span"))]),
]


@pytest.mark.parametrize(("html", "blocks"), EXAMPLES)
def test_html_becomes_these_blocks(html: str, blocks: list[dict[str, Any]]) -> None:
    document = rich_text_from_html(html)
    assert document == {"blocks": blocks}
    parse_rich_text(document)  # the model takes it as it is
