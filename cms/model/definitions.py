"""The content model as typed structs: what `content_types/*.toml` decode into."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

FieldKind = Literal[
    "string",
    "text",
    "rich_text",
    "integer",
    "decimal",
    "boolean",
    "datetime",
    "enum",
    "slug",
    "money",
    "reference",
    "references",
    "asset",
    "assets",
    "object",
    "json",
    "variants",
]
FIELD_KINDS: tuple[str, ...] = FieldKind.__args__  # type: ignore[attr-defined]
TEXT_KINDS = frozenset({"string", "text", "slug"})
RichTextRenderer = Literal["html", "email", "text"]
Labels = dict[str, str]


class FieldDef(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One field of a content type (or of an object field)."""

    name: str
    kind: FieldKind
    label: Labels = {}
    help: Labels = {}
    required: bool = False
    unique: bool = False
    localized: bool = False
    channels: list[str] | None = None
    """Visible only on these channels; every channel when omitted."""
    filterable: bool = False
    sortable: bool = False
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    scale: int | None = None
    """Decimal places allowed for a decimal."""
    format: Literal["gtin", "url", "email"] | None = None
    values: list[str] = []
    """Allowed values of an enum."""
    value_labels: dict[str, Labels] = {}
    """An enum value's name per language for editors (`in_stock = { en = "In stock", fr = "En stock" }`)."""
    to: str | None = None
    """Target content type of a reference(s)."""
    fields: list[FieldDef] = []
    """Sub-fields of an object."""
    repeatable: bool = False
    """An object field holding a list of objects."""
    search: Literal["A", "B", "C", "exact"] | None = None
    """Searchable, with a weight: `A` (a name) outranks `B` (a summary), which outranks `C` (a description);
    `exact` (a GTIN, a SKU): matched whole, and ranked first when the query is exactly it."""
    facet: bool = False
    """Counted in search facets, and a filter of search's `where`."""
    after: str | None = None
    """For a datetime field: another (non-localized) datetime field of the type that it must come strictly after
    (a campaign's `end_at` after its `launch_at`); checked at save when both are set."""
    facet_ranges: list[float] = []
    """Bounds of a numeric facet's buckets (money, integer, decimal), ascending: `[25, 50]` gives
    below 25, 25 to 50, 50 and above."""

    def visible_on(self, channel: str) -> bool:
        return self.channels is None or channel in self.channels


class OptionValue(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One value of an option axis (`brass` of `finish`), with its label per locale."""

    name: str
    label: Labels = {}


class OptionAxis(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """An axis along which a product's variants differ (`finish`, `size`), declared as `[[options]]`."""

    name: str
    values: list[OptionValue]
    label: Labels = {}

    def value(self, name: str) -> OptionValue | None:
        return next((value for value in self.values if value.name == name), None)


class ContentTypeFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A `content_types/<name>.toml` file."""

    fields: list[FieldDef]
    options: list[OptionAxis] = []
    """Option axes of the type's variants (its `variants` field); none when empty."""
    label: Labels = {}
    plural: str | None = None
    title_field: str | None = None
    description: Labels = {}
    requires_review: bool = False
    """Only a reviewer (or admin) can approve, and only the approved version can be published."""


class ContentType(msgspec.Struct, frozen=True):
    name: str
    fields: list[FieldDef]
    label: Labels
    plural: str
    title_field: str | None
    description: Labels
    requires_review: bool = False
    options: list[OptionAxis] = []
    """Option axes of the type's variants (cms.model.variants)."""

    def field(self, name: str) -> FieldDef | None:
        return next((field for field in self.fields if field.name == name), None)

    def option(self, name: str) -> OptionAxis | None:
        return next((axis for axis in self.options if axis.name == name), None)

    @property
    def variants_field(self) -> FieldDef | None:
        return next((field for field in self.fields if field.kind == "variants"), None)

    @property
    def slug_field(self) -> FieldDef | None:
        return next((field for field in self.fields if field.kind == "slug"), None)


class Locale(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    code: str
    name: str
    fallback: list[str] = []


class LocalesFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    default: str
    locales: list[Locale]


IMAGE_FORMATS = ("webp", "avif", "jpeg", "png")
ImageFit = Literal["width", "contain", "cover"]


class ImagePreset(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A rendition of images for a channel, named in `[channels.<name>.images]`; names are unique across channels."""

    width: int
    height: int | None = None
    """Needed by `contain` and `cover`."""
    fit: ImageFit = "width"
    """`width`: scale to `width`; `contain`: fit inside width × height; `cover`: crop to width × height around
    the focal point. Renditions never upscale."""
    formats: tuple[str, ...] = ("webp",)
    """Encodings offered, the first being the default: webp, avif, jpeg, png."""
    quality: int = 80


class PriceList(msgspec.Struct, forbid_unknown_fields=True, frozen=True, rename={"from_currency": "from"}):
    """How a channel selling in another currency than the catalogue's prices: `amount × rate`, rounded half up
    to a multiple of `round_to` (`0.05`: Swiss francs in five-centime steps)."""

    from_currency: str
    rate: str
    round_to: str = "0.01"


class Channel(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A delivery profile, served at `/graphql/<name>`."""

    locales: list[str]
    default_locale: str
    rich_text: RichTextRenderer
    currency: str = "EUR"
    label: Labels = {}
    types: list[str] | None = None
    """Content types exposed on this channel; all when omitted."""
    public: bool = True
    """Delivery open to anyone; when false, a token with the `delivery:<channel>` scope is needed."""
    persisted_only: bool = False
    """Run only the persisted operations of `graphql/operations/<channel>/` (and no ad-hoc queries)."""
    cache_control: str = "public, max-age=60"
    """Cache-Control of successful delivery answers (GET and POST); previews are never cached."""
    cors_origins: list[str] = []
    """Browser origins allowed to read this channel's answers (CORS), e.g. `["https://shop.example.com"]`;
    `["*"]` for every origin (public channels only); none when empty (the default)."""
    rate_limit: str | None = None
    """Requests a client may send per unit (`"100/minute"`; units: second, minute, hour, day), counted per token,
    else per client address (cms.lib.rate_limits); none when omitted."""
    introspection: bool = True
    """Answer GraphQL introspection (`__schema`, `__type`: GraphiQL, code generators); `false` refuses it,
    the schema being public as graphql/<channel>.graphql anyway."""
    name: str = ""
    images: dict[str, ImagePreset] = {}
    """Image presets of this channel, by name (served at `/media/<asset>/<preset>`)."""
    price_list: PriceList | None = None
    """Prices in `currency` computed from the catalogue's prices in `price_list.from` (cms.commerce.prices);
    none when the channel sells in the catalogue's currency."""
    budgets: dict[str, Any] = {}
    """Length budgets as declared (`"<type>.<field>" = { hard, soft, count }`); the loader decodes and checks
    them with `cms.consistency` into `ContentModel.budgets`."""
    locations: list[str] = []
    """Ids of the locations (locations.toml) this channel sells from: its availability sums their stock; the
    stores among them are its `store` argument's values. None: the channel shows no stock."""

    def exposes(self, content_type: str) -> bool:
        return self.types is None or content_type in self.types


LocationKind = Literal["warehouse", "store"]


class Location(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """A place holding stock (`[locations.<id>]` in locations.toml): a warehouse or a store."""

    kind: LocationKind
    label: Labels = {}
    id: str = ""


class LocationsFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """`content_types/locations.toml` (optional: without it no channel shows stock)."""

    locations: dict[str, Location] = {}
    low_stock_threshold: int = 5
    """At or below this many units (and above 0) a product is `LOW` rather than `IN_STOCK`."""


class ChannelsFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    channels: dict[str, Channel]


class ContentModel(msgspec.Struct, frozen=True):
    """The whole, validated content model of an instance."""

    types: dict[str, ContentType]
    channels: dict[str, Channel]
    locales: dict[str, Locale]
    default_locale: str
    # Typed loosely: cms.consistency builds on this module, so the model cannot import its structs.
    voice: Any = None
    """The brand voice (a `cms.consistency.VoiceConfig`) from voice.toml; None when there is no such file."""
    budgets: dict[str, dict[str, Any]] = {}
    """Decoded length budgets: channel -> `<type>.<field>` -> `cms.consistency.Budget`."""
    locations: dict[str, Location] = {}
    """Warehouses and stores by id (locations.toml), whose stock the inventory API writes."""
    low_stock_threshold: int = 5
    """Units at or below which availability is `LOW` (locations.toml)."""

    def fallback_chain(self, locale: str) -> list[str]:
        """`locale` then its fallbacks in order, ending with the default locale; no repeats."""
        chain: list[str] = []
        pending = [locale]
        while pending:
            code = pending.pop(0)
            if code in chain or code not in self.locales:
                continue
            chain.append(code)
            pending.extend(self.locales[code].fallback)
        if self.default_locale not in chain:
            chain.append(self.default_locale)
        return chain

    def channel_types(self, channel: str) -> list[ContentType]:
        return [t for t in self.types.values() if self.channels[channel].exposes(t.name)]
