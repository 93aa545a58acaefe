"""Rich text stored once as a structured document and rendered per channel."""

from cms.richtext.document import (
    Block,
    Heading,
    Inline,
    LinkInline,
    ListBlock,
    Paragraph,
    Quote,
    RichTextDocument,
    RichTextError,
    TextInline,
    parse_rich_text,
    rich_text_from_paragraphs,
)
from cms.richtext.render import render_email_html, render_html, render_plain_text, to_blocks

__all__ = [
    "Block",
    "Heading",
    "Inline",
    "LinkInline",
    "ListBlock",
    "Paragraph",
    "Quote",
    "RichTextDocument",
    "RichTextError",
    "TextInline",
    "parse_rich_text",
    "render_email_html",
    "render_html",
    "render_plain_text",
    "rich_text_from_paragraphs",
    "to_blocks",
]
