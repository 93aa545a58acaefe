"""Render one rich-text document per channel: JSON blocks, web HTML, email HTML and plain text."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import msgspec

from cms.richtext.document import (
    Block,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    RichTextDocument,
    TextInline,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Marks nest in this order whatever order they were stored in, so equal content renders equally.
_MARK_TAGS = {"bold": "strong", "italic": "em", "code": "code"}

_EMAIL_FONT = "font-family:Arial,Helvetica,sans-serif;"
_EMAIL_TEXT = f"{_EMAIL_FONT}font-size:16px;line-height:24px;color:#222222;"
_EMAIL_HEADING = f"{_EMAIL_FONT}font-weight:bold;color:#111111;margin:0 0 16px;"
# Email clients ignore stylesheets, so every element carries its own inline style.
_EMAIL_STYLES: Mapping[str, str] = {
    "p": f"margin:0 0 16px;{_EMAIL_TEXT}",
    "h1": f"{_EMAIL_HEADING}font-size:28px;line-height:34px;",
    "h2": f"{_EMAIL_HEADING}font-size:24px;line-height:30px;",
    "h3": f"{_EMAIL_HEADING}font-size:20px;line-height:26px;",
    "h4": f"{_EMAIL_HEADING}font-size:18px;line-height:24px;",
    "ul": f"margin:0 0 16px;padding:0 0 0 24px;{_EMAIL_TEXT}",
    "ol": f"margin:0 0 16px;padding:0 0 0 24px;{_EMAIL_TEXT}",
    "li": f"margin:0 0 8px;{_EMAIL_TEXT}",
    "blockquote": (f"margin:0 0 16px;padding:0 0 0 16px;border-left:4px solid #dddddd;{_EMAIL_TEXT}color:#555555;"),
    "strong": "font-weight:bold;",
    "em": "font-style:italic;",
    "code": "font-family:Menlo,Consolas,Courier,monospace;font-size:14px;background-color:#f4f4f4;",
    "a": "color:#1a5fb4;text-decoration:underline;",
}
_NO_STYLES: Mapping[str, str] = {}

_encoder = msgspec.json.Encoder()
_blocks_decoder = msgspec.json.Decoder(list[dict[str, Any]])


def to_blocks(document: RichTextDocument) -> list[dict[str, Any]]:
    """The normalized stored structure (builtins only, `marks` always present) for JSON channels."""
    # A JSON round trip, because `to_builtins` would keep the structs' tuples as tuples.
    return _blocks_decoder.decode(_encoder.encode(document.blocks))


def render_html(document: RichTextDocument) -> str:
    """Semantic HTML for web and app channels, one block per line."""
    return "\n".join(_html_block(block, _NO_STYLES, email=False) for block in document.blocks)


def render_email_html(document: RichTextDocument) -> str:
    """Email-safe HTML: the same elements, each with an inline style; links open a new window."""
    return "\n".join(_html_block(block, _EMAIL_STYLES, email=True) for block in document.blocks)


def render_plain_text(document: RichTextDocument) -> str:
    """Plain text for SMS, push and text email: blocks separated by a blank line, marks dropped."""
    sections = (_without_trailing_spaces(_plain_block(block)) for block in document.blocks)
    return "\n\n".join(section for section in sections if section)


# --- HTML ----------------------------------------------------------------------------------------


def _html_block(block: Block, styles: Mapping[str, str], *, email: bool) -> str:
    def inlines(run: tuple[Inline, ...]) -> str:
        return "".join(_html_inline(inline, styles, email=email) for inline in run)

    match block:
        case Paragraph():
            return _element("p", inlines(block.children), styles)
        case Heading():
            return _element(f"h{block.level}", inlines(block.children), styles)
        case ListBlock():
            items = "".join(_element("li", inlines(item), styles) for item in block.items)
            return _element("ol" if block.ordered else "ul", items, styles)
        case Quote():
            return _element("blockquote", inlines(block.children), styles)


def _html_inline(inline: Inline, styles: Mapping[str, str], *, email: bool) -> str:
    if isinstance(inline, TextInline):
        return _html_text(inline, styles)
    text = "".join(_html_text(child, styles) for child in inline.children)
    attributes = [("href", inline.href)] + ([("target", "_blank")] if email else [])
    return _element("a", text, styles, attributes)


def _html_text(inline: TextInline, styles: Mapping[str, str]) -> str:
    html = escape(inline.text, quote=True)
    for mark in reversed(_MARK_TAGS):
        if mark in inline.marks:
            html = _element(_MARK_TAGS[mark], html, styles)
    return html


def _element(tag: str, content: str, styles: Mapping[str, str], attributes: Sequence[tuple[str, str]] = ()) -> str:
    if tag in styles:
        attributes = [*attributes, ("style", styles[tag])]
    rendered = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in attributes)
    return f"<{tag}{rendered}>{content}</{tag}>"


# --- plain text ----------------------------------------------------------------------------------


def _plain_block(block: Block) -> str:
    match block:
        case Paragraph() | Heading():
            return _plain_inlines(block.children)
        case ListBlock():
            return "\n".join(
                f"{_list_marker(block, index)} {_plain_inlines(item)}" for index, item in enumerate(block.items)
            )
        case Quote():
            return "\n".join(f"> {line}" for line in _plain_inlines(block.children).split("\n"))


def _list_marker(block: ListBlock, index: int) -> str:
    return f"{index + 1}." if block.ordered else "-"


def _plain_inlines(run: tuple[Inline, ...]) -> str:
    return "".join(_plain_inline(inline) for inline in run)


def _plain_inline(inline: Inline) -> str:
    if isinstance(inline, TextInline):
        return inline.text
    text = "".join(child.text for child in inline.children)
    return inline.href if text in ("", inline.href) else f"{text} ({inline.href})"


def _without_trailing_spaces(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
