"""Rich text as stored: a structured document of blocks and inlines, validated on the way in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

import msgspec

if TYPE_CHECKING:
    from collections.abc import Iterator

Mark = Literal["bold", "italic", "code"]
MARKS: tuple[str, ...] = Mark.__args__  # type: ignore[attr-defined]
ALLOWED_LINK_SCHEMES = ("http", "https", "mailto")
HEADING_LEVELS = range(1, 5)


class _Node(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, frozen=True):
    """Shared configuration: nodes are tagged by their `type` key and reject unknown keys."""


class TextInline(_Node, tag="text", frozen=True):
    text: str
    marks: tuple[Mark, ...] = ()


class LinkInline(_Node, tag="link", frozen=True):
    href: str
    children: tuple[TextInline, ...]


Inline = TextInline | LinkInline


class Paragraph(_Node, tag="paragraph", frozen=True):
    children: tuple[Inline, ...]


class Heading(_Node, tag="heading", frozen=True):
    level: int
    children: tuple[Inline, ...]


class ListBlock(_Node, tag="list", frozen=True):
    ordered: bool
    items: tuple[tuple[Inline, ...], ...]
    """Each item is a run of inlines."""


class Quote(_Node, tag="quote", frozen=True):
    children: tuple[Inline, ...]


Block = Paragraph | Heading | ListBlock | Quote
BLOCK_TYPES = ("paragraph", "heading", "list", "quote")
INLINE_TYPES = ("text", "link")


class RichTextDocument(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    blocks: tuple[Block, ...]


class RichTextError(ValueError):
    """A stored rich-text value is malformed; `path` points at the offending key."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


def parse_rich_text(value: object) -> RichTextDocument:
    """Validate a JSON-like value into a document, or raise RichTextError naming the path."""
    if not isinstance(value, dict) or "blocks" not in value:
        raise RichTextError("", 'rich text must be an object with a "blocks" list')
    try:
        document = msgspec.convert(value, RichTextDocument)
    except msgspec.ValidationError as error:
        raise _error_from_validation(str(error)) from None
    _check_rules(document)
    return document


def rich_text_from_paragraphs(*paragraphs: str) -> dict[str, Any]:
    """Build a stored document made of plain paragraphs, one per argument."""
    return {
        "blocks": [
            {"type": "paragraph", "children": [{"type": "text", "text": text, "marks": []}]} for text in paragraphs
        ]
    }


# --- structural problems, reported by msgspec -------------------------------------------------

_VALIDATION_MESSAGE = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_LINK_CHILD_TYPE_PATH = re.compile(r"\.children\[\d+\]\.children\[\d+\]\.type$")
_BLOCK_TYPE_PATH = re.compile(r"^blocks\[\d+\]\.type$")


def _error_from_validation(message: str) -> RichTextError:
    match = _VALIDATION_MESSAGE.match(message)
    assert match is not None  # the pattern accepts any string
    path = (match["path"] or "").removeprefix(".")
    return RichTextError(path, _reason_for(match["message"], path))


def _reason_for(message: str, path: str) -> str:
    if found := re.fullmatch(r"Invalid value '(.*)'", message, re.DOTALL):
        return _unknown_type_reason(found[1], path)
    if found := re.fullmatch(r"Invalid enum value '(.*)'", message, re.DOTALL):
        return f"unknown mark '{found[1]}' (expected one of: {', '.join(MARKS)})"
    if found := re.fullmatch(r"Object missing required field `(.*)`", message):
        return f"missing required field '{found[1]}'"
    if found := re.fullmatch(r"Object contains unknown field `(.*)`", message):
        return f"unknown field '{found[1]}'"
    if found := re.fullmatch(r"Expected `(.*)`, got `(.*)`", message):
        return f"expected {found[1]}, got {found[2]}"
    return message


def _unknown_type_reason(type_name: str, path: str) -> str:
    if _BLOCK_TYPE_PATH.search(path):
        return f"unknown block type '{type_name}' (expected one of: {', '.join(BLOCK_TYPES)})"
    if _LINK_CHILD_TYPE_PATH.search(path):
        return f"a link may only contain text, got '{type_name}'"
    return f"unknown inline type '{type_name}' (expected one of: {', '.join(INLINE_TYPES)})"


# --- rules a schema cannot express ---------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def _check_rules(document: RichTextDocument) -> None:
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading) and block.level not in HEADING_LEVELS:
            raise RichTextError(f"blocks[{index}].level", f"heading level must be 1 to 4, got {block.level}")
        for path, inline in _inlines_with_paths(block, f"blocks[{index}]"):
            if isinstance(inline, LinkInline):
                _check_href(inline.href, f"{path}.href")


def _inlines_with_paths(block: Block, block_path: str) -> Iterator[tuple[str, Inline]]:
    if isinstance(block, ListBlock):
        for item_index, item in enumerate(block.items):
            for index, inline in enumerate(item):
                yield f"{block_path}.items[{item_index}][{index}]", inline
    else:
        for index, inline in enumerate(block.children):
            yield f"{block_path}.children[{index}]", inline


def _check_href(href: str, path: str) -> None:
    # An allow-list on the raw string: browsers forgive leading spaces and embedded tabs
    # ("java\tscript:"), so anything not starting with a plain allowed scheme is refused.
    scheme = _SCHEME.match(href)
    if scheme is None or scheme[1].lower() not in ALLOWED_LINK_SCHEMES:
        got = scheme[0] if scheme else href
        raise RichTextError(path, f"only http, https and mailto links are allowed, got '{got}'")
