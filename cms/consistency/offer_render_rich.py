"""Offer tokens in rich text: a block (paragraph, heading, quote) or list item is the unit kept or dropped.

Formatting may cut a sentence into several inlines, so the whole block holding a token that cannot
render (inactive or unknown offer, unknown field, or a token itself cut by formatting) is dropped.
See `offer_render` for the rules shared with plain text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

import msgspec

from cms.consistency.offer_render import Tokens, active_legal_terms
from cms.consistency.offers import OfferFacts
from cms.consistency.text_spans import OFFER_TOKEN


class RenderedRichText(msgspec.Struct, frozen=True):
    value: dict[str, Any]
    """The stored rich-text shape (`{"blocks": [...]}`), ready for `cms.richtext` renderers."""
    dropped: bool


def render_offer_tokens_in_rich_text(
    value: dict[str, Any],
    offers: Mapping[str, OfferFacts],
    locale: str,
    channel: str,
    now: dt.datetime,
    *,
    legal_terms_channels: Collection[str] = (),
    time_zone: str = "UTC",
) -> RenderedRichText:
    """A stored rich-text value with its tokens rendered and blocks about inactive offers dropped."""
    tokens = Tokens(offers, locale, now, time_zone)
    originals = value.get("blocks", [])
    pairs = [(original, _block(original, tokens)) for original in originals]
    kept = [rendered for _, rendered in pairs if rendered is not None]
    dropped = len(kept) < len(originals) or any(_list_shrank(a, b) for a, b in pairs)
    if channel in legal_terms_channels:
        copy = "\n".join(_block_text(original) for original, rendered in pairs if rendered is not None)
        shown = "\n".join(_block_text(block) for block in kept)
        kept += [_paragraph(terms) for terms in active_legal_terms(copy, tokens) if terms not in shown]
    return RenderedRichText({**value, "blocks": kept}, dropped)


def _block(block: dict[str, Any], tokens: Tokens) -> dict[str, Any] | None:
    if block.get("type") == "list":
        items = [_run(item, tokens) for item in block.get("items", [])]
        kept = [item for item in items if item is not None]
        return {**block, "items": kept} if kept else None
    children = _run(block.get("children", []), tokens)
    return None if children is None else {**block, "children": children}


def _run(inlines: list[dict[str, Any]], tokens: Tokens) -> list[dict[str, Any]] | None:
    """The inlines with tokens filled in, or None when one cannot render (or is cut by formatting)."""
    whole = _run_text(inlines)
    pieces = [inline.get("text", "") for inline in _texts_of(inlines)]
    if len(OFFER_TOKEN.findall(whole)) != sum(len(OFFER_TOKEN.findall(piece)) for piece in pieces):
        return None
    if not tokens.renderable(whole):
        return None
    return [_fill_inline(inline, tokens) for inline in inlines]


def _fill_inline(inline: dict[str, Any], tokens: Tokens) -> dict[str, Any]:
    if inline.get("type") == "link":
        return {**inline, "children": [_fill_inline(child, tokens) for child in inline.get("children", [])]}
    return {**inline, "text": tokens.fill(inline.get("text", ""))}


def _texts_of(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for inline in inlines for t in (inline.get("children", []) if inline.get("type") == "link" else [inline])]


def _run_text(inlines: list[dict[str, Any]]) -> str:
    return "".join(inline.get("text", "") for inline in _texts_of(inlines))


def _block_text(block: dict[str, Any]) -> str:
    runs = block.get("items", [block.get("children", [])])
    return "\n".join(_run_text(run) for run in runs)


def _list_shrank(original: dict[str, Any], rendered: dict[str, Any] | None) -> bool:
    return rendered is not None and len(rendered.get("items", [])) < len(original.get("items", []))


def _paragraph(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "children": [{"type": "text", "text": text, "marks": []}]}
