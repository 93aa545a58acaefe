"""Rich text as editors type it in a textarea, converted to and from the stored document (pure).

A small, lossless subset of Markdown: blocks are separated by blank lines; `## ` starts a heading
(one to four `#`), `> ` a quote, `- ` or `1. ` list items (one per line); inside a block `**bold**`,
`*italic*`, `` `code` `` and `[label](https://…)`; a backslash makes the next character literal.
Every stored document turns into text that reads back as the same document.
"""

from __future__ import annotations

import re
from typing import Any

from cms.richtext.document import MARKS

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n+")
_HEADING = re.compile(r"^(#{1,4}) (.*)$", re.DOTALL)
_BULLET = re.compile(r"^- (.*)$")
_NUMBERED = re.compile(r"^\d+\. (.*)$")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\])*)\)", re.DOTALL)
_MARKERS = {"bold": "**", "italic": "*", "code": "`"}
_ESCAPED = re.compile(r"([\\*`\[\]])")
_ESCAPED_IN_HREF = re.compile(r"([\\)])")
_BLOCK_START = re.compile(r"^(#|>|- |\d+\. )")

Inline = dict[str, Any]


# --- stored document -> text -----------------------------------------------------------------


def rich_text_to_markup(document: dict[str, Any]) -> str:
    """The editable text of a stored rich-text document."""
    return "\n\n".join(_block_to_markup(block) for block in document.get("blocks", []))


def _block_to_markup(block: dict[str, Any]) -> str:
    kind = block["type"]
    if kind == "heading":
        return "#" * int(block["level"]) + " " + _inlines_to_markup(block["children"])
    if kind == "quote":
        return "\n".join(f"> {line}" for line in _inlines_to_markup(block["children"]).split("\n"))
    if kind == "list":
        items = [_inlines_to_markup(item) for item in block["items"]]
        if block["ordered"]:
            return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))
        return "\n".join(f"- {item}" for item in items)
    text = _inlines_to_markup(block["children"])
    # A paragraph that would read as another kind of block gets its first character escaped.
    return "\\" + text if _BLOCK_START.match(text) else text


def _inlines_to_markup(inlines: list[Inline]) -> str:
    parts: list[str] = []
    open_marks: set[str] = set()
    for inline in inlines:
        if inline["type"] == "link":
            parts.append(_toggle(open_marks, set()))
            open_marks = set()
            label = _inlines_to_markup(inline["children"])
            href = _ESCAPED_IN_HREF.sub(r"\\\1", inline["href"])
            parts.append(f"[{label}]({href})")
            continue
        marks = set(inline.get("marks") or ())
        parts.append(_toggle(open_marks, marks))
        open_marks = marks
        parts.append(_ESCAPED.sub(r"\\\1", inline["text"]))
    parts.append(_toggle(open_marks, set()))
    return "".join(parts)


def _toggle(before: set[str], after: set[str]) -> str:
    """Markers closing what `before` had and `after` lacks, then opening what `after` adds (toggles commute)."""
    return "".join(_MARKERS[mark] for mark in MARKS if (mark in before) != (mark in after))


# --- text -> stored document -----------------------------------------------------------------


def markup_to_rich_text(markup: str) -> dict[str, Any] | None:
    """The stored document for the editable text; None when there is no text at all."""
    text = markup.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return None
    return {"blocks": [_block_from_markup(chunk) for chunk in _BLOCK_SPLIT.split(text) if chunk.strip()]}


def _block_from_markup(chunk: str) -> dict[str, Any]:
    lines = chunk.split("\n")
    if heading := _HEADING.match(chunk):
        return {"type": "heading", "level": len(heading[1]), "children": parse_inlines(heading[2])}
    if all(line.startswith(">") for line in lines):
        quoted = "\n".join(line[2:] if line.startswith("> ") else line[1:] for line in lines)
        return {"type": "quote", "children": parse_inlines(quoted)}
    for pattern, ordered in ((_BULLET, False), (_NUMBERED, True)):
        items = [pattern.match(line) for line in lines]
        if all(items):
            return {"type": "list", "ordered": ordered, "items": [parse_inlines(item[1]) for item in items if item]}
    return {"type": "paragraph", "children": parse_inlines(chunk)}


def parse_inlines(text: str) -> list[Inline]:
    """Text runs with their marks, and links; adjacent runs with the same marks are merged."""
    inlines: list[Inline] = []
    marks: set[str] = set()
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            _append_text(inlines, "".join(buffer), marks)
            buffer.clear()

    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            buffer.append(text[index + 1])
            index += 2
            continue
        marker = "bold" if text.startswith("**", index) else {"*": "italic", "`": "code"}.get(char)
        if marker:
            flush()
            marks ^= {marker}
            index += len(_MARKERS[marker])
            continue
        link = _LINK.match(text, index) if char == "[" else None
        if link:
            flush()
            href = re.sub(r"\\(.)", r"\1", link[2])
            inlines.append({"type": "link", "href": href, "children": parse_inlines(link[1])})
            index = link.end()
            continue
        buffer.append(char)
        index += 1
    flush()
    return inlines


def _append_text(inlines: list[Inline], text: str, marks: set[str]) -> None:
    ordered = [mark for mark in MARKS if mark in marks]
    previous = inlines[-1] if inlines else None
    if previous and previous["type"] == "text" and list(previous.get("marks") or []) == ordered:
        previous["text"] += text
        return
    inline: Inline = {"type": "text", "text": text}
    if ordered:
        inline["marks"] = ordered
    inlines.append(inline)
