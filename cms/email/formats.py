"""An email answer as JSON (camelCase, like the GraphQL APIs) or as XML (for tools that read XML feeds): the same
fields, in the same order; in XML a list's items are elements named in the singular (`<products><product>`)."""

from __future__ import annotations

from typing import Any, Literal
from xml.etree import ElementTree

import msgspec

Format = Literal["json", "xml"]
MEDIA_TYPES: dict[Format, str] = {"json": "application/json", "xml": "application/xml"}
_ITEM_NAMES = {"products": "product", "tutorials": "tutorial", "errors": "error"}
_encode_json = msgspec.json.Encoder().encode


def encode(value: Any, output: Format, *, root: str) -> bytes:
    """`value` (a struct or builtins) as JSON, or as an XML document whose root element is `root`."""
    if output == "json":
        return _encode_json(value)
    element = ElementTree.Element(root)
    _fill(element, msgspec.to_builtins(value))
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if item is not None:
                _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, _ITEM_NAMES.get(element.tag, "item")), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
