"""Build the delivery document of an entry for one channel and locale, in its GraphQL output shape.

Keys are the GraphQL field names (camelCase), ids are strings, decimals are strings, enums are
their GraphQL member names, rich text is already rendered for the channel, money is formatted for
the locale, and references are ids that delivery loads in batches.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import msgspec
from babel.numbers import format_currency

from cms.commerce.prices import COMPARE_AT_FIELD, final_price, in_channel_currency, offers_applying, price_step
from cms.consistency import OfferFacts, render_offer_tokens, render_offer_tokens_in_rich_text, truncate_to_budget
from cms.consistency.config import voice_of
from cms.model.definitions import Channel, ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData
from cms.model.names import camel_case, enum_member
from cms.publishing.resolve import MISSING, resolve_field
from cms.richtext import parse_rich_text, render_email_html, render_html, render_plain_text, to_blocks

Document = dict[str, Any]
LIST_KINDS = frozenset({"references", "assets"})


class Inputs(msgspec.Struct, frozen=True):
    """What a document depends on besides the entry: asset documents, offers in force, and the instant."""

    assets: Mapping[str, Document] = {}
    offers: Mapping[str, OfferFacts] = {}
    at: dt.datetime | None = None
    """The instant the document is for (offers on or off); None renders no offer tokens."""


def build_document(
    model: ContentModel,
    content_type: ContentType,
    entry_id: str,
    data: EntryData,
    channel: Channel,
    locale: str,
    inputs: Inputs | None = None,
) -> Document:
    """The document as `channel` serves it in `locale`, with offer tokens rendered for `inputs.at` and
    text cut to the channel's hard budgets (publishing refuses over-budget copy; tokens can lengthen it)."""
    inputs = inputs or Inputs()
    assets = inputs.assets
    document: Document = {"id": entry_id}
    for field in content_type.fields:
        if not field.visible_on(channel.name):
            continue
        value = resolve_field(model, data, field, channel.name, locale)
        if inputs.at is not None and field.kind in ("string", "text", "rich_text") and value is not MISSING:
            value = _with_offers(model, f"{content_type.name}.{field.name}", field, value, channel, locale, inputs)
            if value is MISSING:
                document[camel_case(field.name)] = None
                continue
        if inputs.at is not None and field.kind == "object" and value is not MISSING and value is not None:
            value = _object_with_offers(model, content_type, field, value, channel, locale, inputs)
        if field.kind == "variants":
            price_field = content_type.field("price")
            price = MISSING if price_field is None else resolve_field(model, data, price_field, channel.name, locale)
            former_field = content_type.field(COMPARE_AT_FIELD)
            former = MISSING if former_field is None else resolve_field(model, data, former_field, channel.name, locale)
            output = VariantOutput(model, content_type, channel, locale, assets or {})
            output.offers = offers_applying(inputs.offers, entry_id, referenced_ids(model, content_type, data))
            output.at = inputs.at
            document[camel_case(field.name)] = output.variants(value, price, former)
            continue
        if field.kind in ("asset", "assets") and value is not MISSING and value is not None:
            images = [
                image_output(assets or {}, asset_id, channel, model.fallback_chain(locale))
                for asset_id in (value if field.kind == "assets" else [value])
            ]
            present = [image for image in images if image is not None]
            document[camel_case(field.name)] = present if field.kind == "assets" else (present[0] if present else None)
            continue
        if field.kind == "money" and field.name in ("price", COMPARE_AT_FIELD) and value not in (MISSING, None):
            value = in_channel_currency(value, channel)  # the price list of a channel selling in another currency
        document[camel_case(field.name)] = output_value(field, value, channel, locale)
    return document


def _with_offers(
    model: ContentModel, key: str, field: FieldDef, value: Any, channel: Channel, locale: str, inputs: Inputs
) -> Any:
    rules = voice_of(model).offers
    # Legal terms go after body copy (text, rich text), never into a one-line string such as a subject line.
    legal = rules.legal_terms_channels if field.kind in ("text", "rich_text") else ()
    options: dict[str, Any] = {"legal_terms_channels": legal, "time_zone": rules.time_zone}
    assert inputs.at is not None
    if field.kind == "rich_text":
        return render_offer_tokens_in_rich_text(value, inputs.offers, locale, channel.name, inputs.at, **options).value
    rendered = render_offer_tokens(value, inputs.offers, locale, channel.name, inputs.at, **options).text
    budget = model.budgets.get(channel.name, {}).get(key)
    return truncate_to_budget(rendered, budget) if budget is not None and rendered else (rendered or MISSING)


def _object_with_offers(
    model: ContentModel,
    content_type: ContentType,
    field: FieldDef,
    value: Any,
    channel: Channel,
    locale: str,
    inputs: Inputs,
) -> Any:
    """Offer tokens rendered in the text sub-fields of an object (or of each object of a list)."""

    def one(item: dict[str, Any]) -> dict[str, Any]:
        rendered = dict(item)
        for sub in field.fields:
            if sub.kind in ("string", "text", "rich_text") and rendered.get(sub.name) is not None:
                key = f"{content_type.name}.{field.name}.{sub.name}"
                text = _with_offers(model, key, sub, rendered[sub.name], channel, locale, inputs)
                if text is MISSING:
                    del rendered[sub.name]
                else:
                    rendered[sub.name] = text
        return rendered

    return [one(item) for item in value] if field.repeatable else one(value)


def image_output(
    assets: Mapping[str, Document], asset_id: str, channel: Channel, locales: list[str]
) -> Document | None:
    """An image as the channel's `Image` type returns it: its metadata, alt in the locale (with
    fallback), and the renditions of this channel's presets only. None when the asset is gone."""
    asset = assets.get(asset_id)
    if asset is None:
        return None
    alt = next((asset["alt"][code] for code in locales if asset["alt"].get(code)), None)
    renditions = {
        # `default` is the preset's first format, kept apart: PostgreSQL's jsonb does not keep key order.
        name: {
            "width": rendition["width"],
            "height": rendition["height"],
            "urls": rendition["urls"],
            "default": next(iter(rendition["urls"].values()), None),
        }
        for name, rendition in asset["renditions"].items()
        if rendition["channel"] == channel.name
    }
    return {
        "id": asset_id,
        "width": asset["width"],
        "height": asset["height"],
        "alt": alt,
        "blurhash": asset["blurhash"],
        "dominantColor": asset["dominantColor"],
        "focalPoint": asset["focalPoint"],
        "renditions": renditions,
    }


def asset_ids_of(content_type: ContentType, data: EntryData) -> set[str]:
    """Every asset id an entry's data refers to, in any locale or override."""
    kinds = {field.name: field.kind for field in content_type.fields if field.kind in ("asset", "assets", "variants")}
    found: set[str] = set()
    for values in [*data.base.values(), *(v for by_locale in data.overrides.values() for v in by_locale.values())]:
        for name, kind in kinds.items():
            value = values.get(name)
            if value and kind == "variants":
                found.update(image for variant in value for image in variant.get("images", []))
            elif value:
                found.update(value if kind == "assets" else [value])
    return found


def output_value(field: FieldDef, value: Any, channel: Channel, locale: str) -> Any:
    """`value` as the channel's GraphQL type returns it."""
    if value is MISSING or value is None:
        return (
            []
            if field.kind in LIST_KINDS or field.kind == "variants" or (field.kind == "object" and field.repeatable)
            else None
        )
    return _OUTPUT[field.kind](field, value, channel, locale)


def render_rich_text_for_channel(value: Any, channel: Channel) -> Document:
    document = parse_rich_text(value)
    if channel.rich_text == "email":
        return {"html": render_email_html(document), "text": render_plain_text(document)}
    if channel.rich_text == "text":
        return {"text": render_plain_text(document)}
    return {"html": render_html(document), "blocks": to_blocks(document)}


@functools.lru_cache(maxsize=4096)  # Babel parses the locale's pattern on every call; a price repeats per channel
def format_money(amount: str, currency: str, locale: str) -> str:
    """`12,99 €` in French, `€12.99` in English: as people of that locale write prices."""
    return format_currency(Decimal(amount), currency, locale=locale)


def _money(field: FieldDef, value: Any, channel: Channel, locale: str) -> Document:
    return {**value, "formatted": format_money(value["amount"], value["currency"], locale)}


def _object(field: FieldDef, value: Any, channel: Channel, locale: str) -> Any:
    def one(item: dict[str, Any]) -> Document:
        return {
            camel_case(sub.name): output_value(sub, item.get(sub.name, MISSING), channel, locale)
            for sub in field.fields
        }

    return [one(item) for item in value] if field.repeatable else one(value)


def _same(field: FieldDef, value: Any, channel: Channel, locale: str) -> Any:
    return value


_OUTPUT: dict[str, Callable[[FieldDef, Any, Channel, str], Any]] = {
    "string": _same,
    "text": _same,
    "slug": _same,
    "integer": _same,
    "decimal": _same,
    "boolean": _same,
    "datetime": _same,
    "json": _same,
    "reference": _same,
    "references": _same,
    "enum": lambda field, value, channel, locale: enum_member(value),
    "money": _money,
    "rich_text": lambda field, value, channel, locale: render_rich_text_for_channel(value, channel),
    "object": _object,
}


class VariantOutput:
    """A `variants` value as the channel's `<Type>Variant` list returns it: the price (the variant's, else the
    entry's own price), the channel's image renditions, and each option with its labels in the locale."""

    def __init__(
        self,
        model: ContentModel,
        content_type: ContentType,
        channel: Channel,
        locale: str,
        assets: Mapping[str, Document],
    ) -> None:
        self.content_type, self.channel, self.locale, self.assets = content_type, channel, locale, assets
        self.locales = model.fallback_chain(locale)
        self.offers: list[OfferFacts] = []
        """Offers applying to the entry (cms.commerce.prices), in force or not."""
        self.at: dt.datetime | None = None

    def variants(self, value: Any, entry_price: Any, entry_compare_at: Any = MISSING) -> list[Document]:
        if value is MISSING or not value:
            return []
        return [self._one(variant, entry_price, entry_compare_at) for variant in value]

    def _one(self, variant: dict[str, Any], entry_price: Any, entry_compare_at: Any) -> Document:
        base = variant.get("price", entry_price)
        # A compare-at price goes with the price it was entered beside: the variant's own, else the entry's.
        former = variant.get("compare_at", entry_compare_at if "price" not in variant else None)
        images = (image_output(self.assets, asset, self.channel, self.locales) for asset in variant.get("images", []))
        if base is MISSING or base is None:
            charged = None
        else:
            price = in_channel_currency(base, self.channel)
            before = None if former in (MISSING, None) else in_channel_currency(former, self.channel)
            charged = final_price(price, self.offers, self.at, price_step(self.channel), before)
        compare_at = None if charged is None or charged.compare_at is None else charged.compare_at
        return {
            "sku": variant["sku"],
            "gtin": variant["gtin"],
            "price": None if charged is None else self._money(charged.amount, charged.currency),
            "compareAtPrice": None
            if compare_at is None or charged is None
            else self._money(compare_at, charged.currency),
            "appliedOffer": None if charged is None else charged.offer,
            "images": [image for image in images if image is not None],
            # In the model's order of axes (PostgreSQL's jsonb keeps no key order).
            "options": [
                self._option(axis.name, variant["options"][axis.name])
                for axis in self.content_type.options
                if axis.name in variant["options"]
            ],
        }

    def _money(self, amount: str, currency: str) -> Document:
        return _money(_PRICE, {"amount": amount, "currency": currency}, self.channel, self.locale)

    def _option(self, name: str, value: str) -> Document:
        axis = self.content_type.option(name)
        assert axis is not None
        option_value = axis.value(value)
        return {
            "name": name,
            "label": self._in_locale(axis.label) or name,
            "value": value,
            "valueLabel": self._in_locale(option_value.label if option_value else {}) or value,
        }

    def _in_locale(self, labels: dict[str, str]) -> str | None:
        return next((labels[code] for code in self.locales if labels.get(code)), None)


_PRICE = FieldDef(name="price", kind="money")


def referenced_ids(model: ContentModel, content_type: ContentType, data: EntryData) -> set[str]:
    """The entries the entry refers to in its base values (its category): offers name categories."""
    values = data.base.get(model.default_locale, {})
    found: set[str] = set()
    for field in content_type.fields:
        value = values.get(field.name)
        if field.kind == "reference" and isinstance(value, str):
            found.add(value)
        elif field.kind == "references" and isinstance(value, list):
            found.update(item for item in value if isinstance(item, str))
    return found
