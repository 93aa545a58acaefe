"""Rich text: parsing refuses bad documents with a path; each channel renders the same content."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cms.richtext import (
    RichTextError,
    parse_rich_text,
    render_email_html,
    render_html,
    render_plain_text,
    rich_text_from_paragraphs,
    to_blocks,
)

# --- small factories for stored documents ---------------------------------------------------------


def text(value: str, *marks: str) -> dict[str, Any]:
    return {"type": "text", "text": value, "marks": list(marks)}


def link(href: str, label: str) -> dict[str, Any]:
    return {"type": "link", "href": href, "children": [text(label)]}


def paragraph(*inlines: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "children": list(inlines)}


def heading(level: int, *inlines: dict[str, Any]) -> dict[str, Any]:
    return {"type": "heading", "level": level, "children": list(inlines)}


def bullets(*items: str, ordered: bool = False) -> dict[str, Any]:
    return {"type": "list", "ordered": ordered, "items": [[text(item)] for item in items]}


def quote(*inlines: dict[str, Any]) -> dict[str, Any]:
    return {"type": "quote", "children": list(inlines)}


def document(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"blocks": list(blocks)}


# --- HTML for web and app ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "expected_html"),
    [
        (document(paragraph(text("Hello"))), "<p>Hello</p>"),
        (document(heading(1, text("Title"))), "<h1>Title</h1>"),
        (document(heading(4, text("Small"))), "<h4>Small</h4>"),
        (document(bullets("one", "two")), "<ul><li>one</li><li>two</li></ul>"),
        (document(bullets("one", "two", ordered=True)), "<ol><li>one</li><li>two</li></ol>"),
        (document(quote(text("Wise words"))), "<blockquote>Wise words</blockquote>"),
        (document(paragraph(text("Hi", "bold"))), "<p><strong>Hi</strong></p>"),
        (document(paragraph(text("Hi", "italic"))), "<p><em>Hi</em></p>"),
        (document(paragraph(text("x = 1", "code"))), "<p><code>x = 1</code></p>"),
        (
            document(paragraph(text("Hi", "code", "italic", "bold"))),
            "<p><strong><em><code>Hi</code></em></strong></p>",
        ),
        (
            document(paragraph(text("See "), link("https://example.com", "docs"))),
            '<p>See <a href="https://example.com">docs</a></p>',
        ),
        (
            document(paragraph(text("One")), paragraph(text("Two"))),
            "<p>One</p>\n<p>Two</p>",
        ),
    ],
)
def test_html_renders_each_block_with_its_semantic_element(stored: dict[str, Any], expected_html: str) -> None:
    assert render_html(parse_rich_text(stored)) == expected_html


@pytest.mark.parametrize(
    ("stored", "expected_html"),
    [
        (
            document(paragraph(text('<script>alert("x")</script>'))),
            "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>",
        ),
        (document(paragraph(text("Tom's & Jerry's"))), "<p>Tom&#x27;s &amp; Jerry&#x27;s</p>"),
        (
            document(paragraph(link('https://example.com/"onclick="x', "<b>"))),
            '<p><a href="https://example.com/&quot;onclick=&quot;x">&lt;b&gt;</a></p>',
        ),
        (
            document(paragraph(link("https://example.com/?a=1&b=2", "q"))),
            '<p><a href="https://example.com/?a=1&amp;b=2">q</a></p>',
        ),
    ],
)
def test_html_escapes_text_and_hrefs(stored: dict[str, Any], expected_html: str) -> None:
    assert render_html(parse_rich_text(stored)) == expected_html


# --- HTML for email ------------------------------------------------------------------------------

EVERY_BLOCK = document(
    heading(2, text("Title")),
    paragraph(text("Bold", "bold"), text(" and "), text("code", "code", "italic")),
    bullets("one", "two"),
    bullets("first", ordered=True),
    quote(text("Wise"), link("mailto:team@example.com", "write")),
)


def test_email_html_gives_a_paragraph_an_inline_sans_serif_style() -> None:
    rendered = render_email_html(parse_rich_text(document(paragraph(text("Hello")))))

    assert rendered == (
        '<p style="margin:0 0 16px;font-family:Arial,Helvetica,sans-serif;'
        'font-size:16px;line-height:24px;color:#222222;">Hello</p>'
    )


def test_email_html_puts_an_inline_style_on_every_element() -> None:
    rendered = render_email_html(parse_rich_text(EVERY_BLOCK))

    opening_tags = re.findall(r"<[a-z0-9]+[^>]*>", rendered)
    assert len(opening_tags) == 12
    assert all(' style="' in tag for tag in opening_tags)
    assert "class=" not in rendered
    assert "<div" not in rendered


@pytest.mark.parametrize("tag", ["h2", "p", "ul", "ol", "li", "blockquote"])
def test_email_html_block_elements_name_a_sans_serif_font(tag: str) -> None:
    rendered = render_email_html(parse_rich_text(EVERY_BLOCK))

    assert re.search(rf'<{tag} style="[^"]*font-family:Arial,Helvetica,sans-serif;', rendered)


def test_email_html_links_open_in_a_new_window_with_colour_and_underline() -> None:
    stored = document(paragraph(link("https://example.com/?a=1&b=2", "Shop <now>")))

    rendered = render_email_html(parse_rich_text(stored))

    assert rendered.endswith(
        '<a href="https://example.com/?a=1&amp;b=2" target="_blank" '
        'style="color:#1a5fb4;text-decoration:underline;">Shop &lt;now&gt;</a></p>'
    )


def test_email_html_escapes_text() -> None:
    rendered = render_email_html(parse_rich_text(document(quote(text("<script>'x'</script>")))))

    assert rendered.endswith(">&lt;script&gt;&#x27;x&#x27;&lt;/script&gt;</blockquote>")


# --- plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "expected_text"),
    [
        (document(paragraph(text("One")), paragraph(text("Two"))), "One\n\nTwo"),
        (document(heading(2, text("Title")), paragraph(text("Body"))), "Title\n\nBody"),
        (document(bullets("one", "two")), "- one\n- two"),
        (document(bullets("one", "two", "three", ordered=True)), "1. one\n2. two\n3. three"),
        (document(quote(text("Wise words"))), "> Wise words"),
        (document(quote(text("line one\nline two"))), "> line one\n> line two"),
        (
            document(paragraph(text("Intro")), bullets("a", "b"), quote(text("q"))),
            "Intro\n\n- a\n- b\n\n> q",
        ),
        (document(paragraph(text("Hi", "bold"), text(" there", "italic"))), "Hi there"),
        (document(paragraph(text("<script>&"))), "<script>&"),
        (document(paragraph(text("spaced   out\tword"))), "spaced   out\tword"),
        (
            document(paragraph(text("ends with spaces   ")), paragraph(text("next"))),
            "ends with spaces\n\nnext",
        ),
    ],
)
def test_plain_text_lays_out_blocks_separated_by_a_blank_line(stored: dict[str, Any], expected_text: str) -> None:
    assert render_plain_text(parse_rich_text(stored)) == expected_text


def test_plain_text_renders_link_as_text_then_url() -> None:
    stored = document(paragraph(text("Read "), link("https://example.com/docs", "the docs")))

    assert render_plain_text(parse_rich_text(stored)) == "Read the docs (https://example.com/docs)"


def test_plain_text_renders_link_whose_text_is_its_url_once() -> None:
    stored = document(paragraph(link("https://example.com", "https://example.com")))

    assert render_plain_text(parse_rich_text(stored)) == "https://example.com"


# --- JSON blocks ---------------------------------------------------------------------------------


def test_blocks_always_carry_marks_and_use_plain_lists() -> None:
    stored = document(
        {"type": "paragraph", "children": [{"type": "text", "text": "Hi"}]},
        {"type": "list", "ordered": True, "items": [[{"type": "text", "text": "a"}]]},
    )

    assert to_blocks(parse_rich_text(stored)) == [
        {"type": "paragraph", "children": [{"type": "text", "text": "Hi", "marks": []}]},
        {"type": "list", "ordered": True, "items": [[{"type": "text", "text": "a", "marks": []}]]},
    ]


def test_blocks_keep_links_and_heading_levels() -> None:
    stored = document(heading(3, link("mailto:a@example.com", "mail")))

    assert to_blocks(parse_rich_text(stored)) == [
        {
            "type": "heading",
            "level": 3,
            "children": [
                {
                    "type": "link",
                    "href": "mailto:a@example.com",
                    "children": [{"type": "text", "text": "mail", "marks": []}],
                }
            ],
        }
    ]


# --- parsing refuses bad documents ---------------------------------------------------------------

NOT_A_DOCUMENT = 'rich text must be an object with a "blocks" list'


@pytest.mark.parametrize(
    ("value", "path", "reason"),
    [
        (
            document(paragraph(link("javascript:alert(1)", "x"))),
            "blocks[0].children[0].href",
            "only http, https and mailto links are allowed, got 'javascript:'",
        ),
        (
            document(paragraph(text("ok")), quote(text("a"), link("JavaScript:alert(1)", "x"))),
            "blocks[1].children[1].href",
            "only http, https and mailto links are allowed, got 'JavaScript:'",
        ),
        (
            document(
                bullets("a"),
                {"type": "list", "ordered": False, "items": [[], [link("data:text/html,x", "x")]]},
            ),
            "blocks[1].items[1][0].href",
            "only http, https and mailto links are allowed, got 'data:'",
        ),
        (
            document(paragraph(link(" javascript:alert(1)", "x"))),
            "blocks[0].children[0].href",
            "only http, https and mailto links are allowed, got ' javascript:alert(1)'",
        ),
        (
            document(paragraph(link("/about", "x"))),
            "blocks[0].children[0].href",
            "only http, https and mailto links are allowed, got '/about'",
        ),
        (
            document({"type": "table", "rows": []}),
            "blocks[0].type",
            "unknown block type 'table' (expected one of: paragraph, heading, list, quote)",
        ),
        (
            document(paragraph({"type": "image", "src": "x.png"})),
            "blocks[0].children[0].type",
            "unknown inline type 'image' (expected one of: text, link)",
        ),
        (
            document(
                paragraph(
                    {
                        "type": "link",
                        "href": "https://a.example",
                        "children": [link("https://b.example", "b")],
                    }
                )
            ),
            "blocks[0].children[0].children[0].type",
            "a link may only contain text, got 'link'",
        ),
        (document(heading(7, text("x"))), "blocks[0].level", "heading level must be 1 to 4, got 7"),
        (document(heading(0, text("x"))), "blocks[0].level", "heading level must be 1 to 4, got 0"),
        (
            document(paragraph(text("x", "bold", "underline"))),
            "blocks[0].children[0].marks[1]",
            "unknown mark 'underline' (expected one of: bold, italic, code)",
        ),
        (
            document(paragraph({"type": "text", "text": 42})),
            "blocks[0].children[0].text",
            "expected str, got int",
        ),
        (
            document(paragraph({"type": "text", "text": "x", "color": "red"})),
            "blocks[0].children[0]",
            "unknown field 'color'",
        ),
        (
            document({"type": "heading", "children": []}),
            "blocks[0]",
            "missing required field 'level'",
        ),
        ({"blocks": "Hello"}, "blocks", "expected array, got str"),
        ({}, "", NOT_A_DOCUMENT),
        ({"body": []}, "", NOT_A_DOCUMENT),
        ("Hello", "", NOT_A_DOCUMENT),
        (None, "", NOT_A_DOCUMENT),
        ([paragraph(text("x"))], "", NOT_A_DOCUMENT),
    ],
)
def test_parse_refuses_bad_documents_naming_the_path(value: object, path: str, reason: str) -> None:
    with pytest.raises(RichTextError) as raised:
        parse_rich_text(value)

    assert (raised.value.path, raised.value.reason) == (path, reason)


def test_error_message_reads_path_then_reason() -> None:
    with pytest.raises(ValueError, match=r"^blocks\[0\]\.level: heading level must be 1 to 4, got 7$"):
        parse_rich_text(document(heading(7, text("x"))))


def test_error_at_the_root_reads_as_the_reason_alone() -> None:
    with pytest.raises(RichTextError) as raised:
        parse_rich_text("Hello")

    assert str(raised.value) == NOT_A_DOCUMENT


@pytest.mark.parametrize(
    "href",
    [
        "http://example.com",
        "https://example.com/a?b=c",
        "HTTPS://EXAMPLE.COM",
        "mailto:a@example.com",
    ],
)
def test_parse_accepts_http_https_and_mailto_links(href: str) -> None:
    parsed = parse_rich_text(document(paragraph(link(href, "x"))))

    assert to_blocks(parsed)[0]["children"][0]["href"] == href


# --- building documents --------------------------------------------------------------------------


def test_paragraphs_helper_builds_a_stored_document_of_plain_paragraphs() -> None:
    stored = rich_text_from_paragraphs("One", "Two")

    assert stored == {
        "blocks": [
            {"type": "paragraph", "children": [{"type": "text", "text": "One", "marks": []}]},
            {"type": "paragraph", "children": [{"type": "text", "text": "Two", "marks": []}]},
        ]
    }
    assert render_plain_text(parse_rich_text(stored)) == "One\n\nTwo"
