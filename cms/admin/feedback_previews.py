"""Each channel's preview of an unsaved entry, built from the very document delivery would serve.

`build_document` renders offer tokens, rich text and money, and cuts text at hard budgets, exactly
as publishing does. The same document built without budgets gives the uncut text, so a preview
shows where a platform folds a text (its soft budget, "… more") and where delivery cuts it (hard).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec

from cms.admin.i18n import LANGUAGES
from cms.consistency import Budget, CountMethod, OfferFacts, check_budget
from cms.consistency.budgets import ELLIPSIS
from cms.consistency.config import voice_of
from cms.model.definitions import Channel, ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData
from cms.model.names import camel_case
from cms.publishing.documents import Document, Inputs, build_document

Labels = dict[str, str]
"""A text in every admin language."""
PREVIEW_ID = "preview"
LAYOUTS = {"email": "inbox", "social": "post", "kiosk": "kiosk", "app": "compact"}
"""How the instance's channels look; a channel not named here is previewed as a web card."""
SUBJECT_FIELDS = ("subject_line", "subject")
PREHEADER_FIELDS = ("preheader",)
POST_FIELDS = ("social_text",)
TEXT_KINDS = frozenset({"string", "text"})


class Clip(msgspec.Struct, frozen=True):
    """A text as a platform shows it: `shown` before its fold ("… more"), `folded` behind it, `cut` never served."""

    shown: str
    folded: str = ""
    cut: str = ""
    budget: Budget | None = None


class Image(msgspec.Struct, frozen=True):
    url: str
    alt: str
    width: int
    height: int


class Preview(msgspec.Struct, frozen=True):
    channel: str
    label: Labels
    layout: str
    """inbox, post, kiosk, compact or card."""
    locale: str
    current: bool
    """The channel being edited (every channel when editing base values)."""
    title: Clip | None = None
    """The title, or an e-mail's subject line."""
    text: Clip | None = None
    """The summary, an e-mail's preheader, or a post's text."""
    price: str | None = None
    image: Image | None = None
    details: list[tuple[Labels, str]] = []
    """Fields only some channels show (a kiosk's aisle), as this channel serves them."""
    sender: str | None = None
    email_html: str | None = None
    """A whole HTML document: shown only inside a sandboxed iframe (`srcdoc`)."""


def labels_of(labels: Mapping[str, str], name: str) -> Labels:
    """A model label in every admin language, English (then the name) where one is missing."""
    return {language: labels.get(language) or labels.get("en") or name for language in LANGUAGES}


def previews(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    locale: str,
    channel: str | None,
    offers: Mapping[str, OfferFacts],
    assets: Mapping[str, Document],
    at: dt.datetime,
) -> list[Preview]:
    """One preview per channel showing the type, the edited channel first."""
    shown = sorted(
        (c for c in model.channels.values() if c.exposes(content_type.name)), key=lambda c: c.name != channel
    )
    inputs = Inputs(assets=assets, offers=offers, at=at)
    return [_preview(model, content_type, data, c, locale, inputs, c.name == channel or channel is None) for c in shown]


def _preview(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    channel: Channel,
    locale: str,
    inputs: Inputs,
    current: bool,
) -> Preview:
    locale = locale if locale in channel.locales else channel.default_locale
    served = build_document(model, content_type, PREVIEW_ID, data, channel, locale, inputs)
    uncut = build_document(
        msgspec.structs.replace(model, budgets={}), content_type, PREVIEW_ID, data, channel, locale, inputs
    )
    budgets = model.budgets.get(channel.name, {})

    def clip(field: FieldDef | None) -> Clip | None:
        if field is None or not isinstance(served.get(camel_case(field.name)), str):
            return None
        key = camel_case(field.name)
        return clip_text(uncut[key], served[key], budgets.get(f"{content_type.name}.{field.name}"))

    layout = LAYOUTS.get(channel.name, "inbox" if channel.rich_text == "email" else "card")
    title = _field(content_type, channel, content_type.title_field)
    summary = _summary_field(content_type, channel)
    roles = {"title": title, "text": summary}
    if layout == "inbox":
        roles = {"title": _named(content_type, channel, SUBJECT_FIELDS) or title}
        roles["text"] = _named(content_type, channel, PREHEADER_FIELDS) or summary
    elif layout == "post":
        roles = {"title": None, "text": _named(content_type, channel, POST_FIELDS) or summary or title}
    used = {field.name for field in roles.values() if field is not None}
    return Preview(
        channel=channel.name,
        label=labels_of(channel.label, channel.name),
        layout=layout,
        locale=locale,
        current=current,
        title=clip(roles["title"]),
        text=clip(roles["text"]),
        price=_price(content_type, channel, served),
        image=_image(content_type, channel, served),
        details=_details(content_type, served, used),
        sender=_sender(model) if layout in ("inbox", "post") else None,
        email_html=_email_html(content_type, channel, served, locale) if layout == "inbox" else None,
    )


def clip_text(full: str, served: str, budget: Budget | None) -> Clip:
    """Where `full` folds (soft budget) and where delivery cut it (`served` ends in "…" when it did)."""
    if budget is None:
        return Clip(served)
    cut_at = len(full) if served == full else max(0, len(served) - len(ELLIPSIS))
    fold_at = min(cut_at, _index_at_limit(full, budget.soft, budget.count))
    return Clip(full[:fold_at], full[fold_at:cut_at], full[cut_at:], budget)


def _index_at_limit(text: str, limit: int | None, method: CountMethod) -> int:
    """Where `text` passes `limit` as `method` counts (a budget finding's span starts there), or its end."""
    if limit is None:
        return len(text)
    found = check_budget(text, Budget(soft=limit, count=method), field="", channel=None, locale="")
    return found[0].start if found else len(text)


def _field(content_type: ContentType, channel: Channel, name: str | None) -> FieldDef | None:
    field = content_type.field(name) if name else None
    return field if field is not None and field.visible_on(channel.name) else None


def _named(content_type: ContentType, channel: Channel, names: tuple[str, ...]) -> FieldDef | None:
    return next((f for name in names if (f := _field(content_type, channel, name)) is not None), None)


def _summary_field(content_type: ContentType, channel: Channel) -> FieldDef | None:
    """The first text field, else the first string shown everywhere that is not the title (a headline)."""
    prose = [f for f in content_type.fields if f.kind in TEXT_KINDS and f.format is None and f.visible_on(channel.name)]
    texts = [f for f in prose if f.kind == "text"]
    strings = [f for f in prose if f.name != content_type.title_field and f.channels is None]
    return next(iter(texts or strings), None)


def _price(content_type: ContentType, channel: Channel, served: Document) -> str | None:
    money = next((f for f in content_type.fields if f.kind == "money" and f.visible_on(channel.name)), None)
    value = served.get(camel_case(money.name)) if money else None
    return value["formatted"] if isinstance(value, dict) else None


def _image(content_type: ContentType, channel: Channel, served: Document) -> Image | None:
    """The first image, in the channel's smallest rendition (a preview is small)."""
    for field in (f for f in content_type.fields if f.kind in ("asset", "assets") and f.visible_on(channel.name)):
        value = served.get(camel_case(field.name))
        images = value if isinstance(value, list) else [value] if value else []
        for image in images:
            renditions = sorted(image["renditions"].values(), key=lambda rendition: rendition["width"])
            if renditions and renditions[0]["default"]:
                smallest = renditions[0]
                return Image(smallest["default"], image["alt"] or "", smallest["width"], smallest["height"])
    return None


def _details(content_type: ContentType, served: Document, used: set[str]) -> list[tuple[Labels, str]]:
    """Fields shown on some channels only (this one among them: `served` holds visible fields only)."""
    return [
        (labels_of(field.label, field.name), str(value))
        for field in content_type.fields
        if field.channels is not None
        and field.name not in used
        and isinstance(value := served.get(camel_case(field.name)), str | int)
        and value != ""
    ]


def _sender(model: ContentModel) -> str | None:
    """The brand's name as voice.toml spells it: who an e-mail or a post comes from."""
    names = voice_of(model).names
    return names[0].canonical if names else None


def _email_html(content_type: ContentType, channel: Channel, served: Document, locale: str) -> str | None:
    body = next((f for f in content_type.fields if f.kind == "rich_text" and f.visible_on(channel.name)), None)
    value: Any = served.get(camel_case(body.name)) if body else None
    if not isinstance(value, dict) or not value.get("html"):
        return None
    return (
        f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8"></head>'
        f'<body style="margin:0;padding:12px;font-family:Arial,Helvetica,sans-serif">{value["html"]}</body></html>'
    )
