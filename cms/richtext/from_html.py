"""HTML (as shops and old CMSs store it) to the rich-text model, through the standard library's HTML parser.

What the model holds is kept: paragraphs, headings (h5 and h6 become level 4), bulleted and numbered lists,
quotes, links (http, https, mailto; others keep their text), bold, italic and code. Everything else keeps its
text and loses its markup: a `<div>` or `<table>` cell ends a paragraph, `<br>` is a space, scripts and styles
are dropped. Nested lists are flattened into their parent list.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from cms.richtext.document import ALLOWED_LINK_SCHEMES

_MARKS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "code": "code", "tt": "code"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_BREAKS = {"p", "div", "section", "article", "header", "footer", "table", "tr", "td", "th", "dl", "dt", "dd"}
_DROPPED = {"script", "style", "template", "noscript"}


def rich_text_from_html(html: str) -> dict[str, Any]:
    """The stored rich-text document for `html` (`{"blocks": [...]}`; no blocks for empty or blank HTML)."""
    parser = _Converter()
    parser.feed(html)
    parser.close()
    parser.end_block()
    return {"blocks": parser.blocks}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[dict[str, Any]] = []
        self.inlines: list[dict[str, Any]] = []
        """The block being read."""
        self.block: dict[str, Any] = {"type": "paragraph"}
        self.marks: list[str] = []
        self.link: dict[str, Any] | None = None
        self.lists: list[dict[str, Any]] = []
        """Open lists, outermost first; items of nested ones go to the outermost."""
        self.dropped = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped += 1
        elif tag in _MARKS:
            self.marks.append(_MARKS[tag])
        elif tag == "a":
            self.link = _link(dict(attrs).get("href"))
        elif tag == "br":
            self.handle_data(" ")
        elif tag in ("ul", "ol"):
            self._start_list(ordered=tag == "ol")
        elif tag == "li":
            self.end_item()
        elif tag in _HEADINGS or tag == "blockquote" or tag in _BREAKS:
            self.end_block()
            if tag in _HEADINGS:
                self.block = {"type": "heading", "level": _HEADINGS[tag]}
            elif tag == "blockquote":
                self.block = {"type": "quote"}

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in _MARKS and _MARKS[tag] in self.marks:
            self.marks.reverse()
            self.marks.remove(_MARKS[tag])  # the innermost one of that kind
            self.marks.reverse()
        elif tag == "a":
            self._close_link()
        elif tag == "li":
            self.end_item()
        elif tag in ("ul", "ol"):
            self._end_list()
        elif tag in _HEADINGS or tag == "blockquote" or tag in _BREAKS:
            self.end_block()

    def handle_data(self, data: str) -> None:
        if self.dropped:
            return
        text = " ".join(data.split())
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and text.strip():
            text += " "
        if not text:
            return
        marks = sorted(set(self.marks), key=("bold", "italic", "code").index)
        inline = {"type": "text", "text": text, "marks": marks}
        if self.link is not None:
            self.link["children"].append(inline)
        else:
            self.inlines.append(inline)

    def _close_link(self) -> None:
        if self.link is None:
            return
        link, self.link = self.link, None
        if link["href"] is None:
            self.inlines += link["children"]
        elif link["children"]:
            self.inlines.append(link)

    def _start_list(self, *, ordered: bool) -> None:
        if not self.lists:
            self.end_block()
            self.lists.append({"type": "list", "ordered": ordered, "items": []})
        else:
            self.end_item()
            self.lists.append(self.lists[0])  # a nested list adds its items to the outermost

    def _end_list(self) -> None:
        if not self.lists:
            return
        self.end_item()
        outer = self.lists.pop()
        if not self.lists and outer["items"]:
            self.blocks.append(outer)

    def end_item(self) -> None:
        if not self.lists:
            return
        self._close_link()
        inlines = _trimmed(self.inlines)
        self.inlines = []
        if inlines:
            self.lists[0]["items"].append(inlines)

    def end_block(self) -> None:
        """Close the block being read (inside a list, the item being read)."""
        if self.lists:
            self.end_item()
            return
        self._close_link()
        inlines = _trimmed(self.inlines)
        self.inlines = []
        if inlines:
            self.blocks.append({**self.block, "children": inlines})
        self.block = {"type": "paragraph"}


def _link(href: str | None) -> dict[str, Any]:
    scheme = (href or "").split(":", 1)[0].lower() if ":" in (href or "") else ""
    usable = href if href and scheme in ALLOWED_LINK_SCHEMES else None
    return {"type": "link", "href": usable, "children": []}


def _trimmed(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Inlines without the spaces at the start and end of their block, adjacent texts with the same marks merged."""
    merged: list[dict[str, Any]] = []
    for inline in inlines:
        last = merged[-1] if merged else None
        if last is not None and last["type"] == inline["type"] == "text" and last["marks"] == inline["marks"]:
            merged[-1] = {**last, "text": (last["text"] + inline["text"]).replace("  ", " ")}
        else:
            merged.append(inline)
    for index, edge in ((0, str.lstrip), (-1, str.rstrip)):
        while merged:
            target = merged[index] if merged[index]["type"] == "text" else merged[index]["children"][index]
            target["text"] = edge(target["text"])
            if target["text"]:
                break
            if merged[index]["type"] == "text":
                merged.pop(index)
            else:
                merged[index]["children"].pop(index)
                if not merged[index]["children"]:
                    merged.pop(index)
    return merged
