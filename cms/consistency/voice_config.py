"""The brand voice, declared in `content_types/voice.toml` and decoded with msgspec.

Every rule may be narrowed with `locales`, `channels`, `types` and `fields` (a field name, or
`<type>.<field>`; sub-fields of objects match by their own name); omitted means everywhere.
"""

from __future__ import annotations

import msgspec

from cms.consistency.findings import Severity


class Scope(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    locales: list[str] | None = None
    channels: list[str] | None = None
    types: list[str] | None = None
    fields: list[str] | None = None

    def applies(self, *, locale: str, channel: str, content_type: str, field: str) -> bool:
        """Whether the rule covers `field` (a path such as `steps[0].title`) of `content_type` there."""
        return (
            (self.locales is None or locale in self.locales)
            and (self.channels is None or channel in self.channels)
            and (self.types is None or content_type in self.types)
            and (self.fields is None or not _field_names(content_type, field).isdisjoint(self.fields))
        )


def _field_names(content_type: str, path: str) -> set[str]:
    """`steps[0].title` of tutorial answers to steps, title, tutorial.steps, tutorial.title and the path itself."""
    names = {part.split("[", 1)[0] for part in path.split(".")}
    return {path, *names, *(f"{content_type}.{name}" for name in names)}


class TermRule(Scope, frozen=True, kw_only=True):
    """`[[forbidden]]` and `[[claims]]`: words matched whole and case-insensitively, with their inflections."""

    terms: list[str]
    variants: list[str] = []
    """Further spellings to match, for irregular inflections ("pas chère")."""
    inflect: bool = True
    """Also match regular inflections of the last word (en: -s, -er, -est, -ed, -ing, -ly; fr: -e, -s, -es)."""
    suggestion: str | None = None
    message: str | None = None
    severity: Severity = "error"


class PreferredTerm(Scope, frozen=True, kw_only=True):
    """`[[preferred]]`: write `use` rather than any of `instead_of`."""

    use: str
    instead_of: list[str]
    inflect: bool = False
    severity: Severity = "warning"


class CanonicalName(Scope, frozen=True, kw_only=True):
    """`[[names]]`: a brand or product name, flagged in any other casing or spacing ("maison lumen", "MaisonLumen").

    Hashtags, URLs and e-mail addresses are left alone.
    """

    canonical: str
    variants: list[str] = []
    severity: Severity = "error"


class ExclamationRule(Scope, frozen=True, kw_only=True):
    """`[[exclamations]]`: at most `max` exclamation marks in one field's text."""

    max: int
    severity: Severity = "warning"


class EmojiRule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    allowed_channels: list[str] = []
    severity: Severity = "error"


class Readability(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """`[readability.<locale>]`: sentence length in words, a sentence ending at . ! ? … or a line break."""

    max_average_sentence_words: float | None = None
    max_sentence_words: int | None = None
    severity: Severity = "warning"


class Disclaimer(Scope, frozen=True, kw_only=True):
    """`[[disclaimers]]`: an entry of `types` on `channels` must carry `require_field`, or text matching `pattern`.

    `pattern` maps a locale (or "*") to a regular expression searched in the rule's `fields`
    (every linted field when omitted).
    """

    name: str
    message: str
    require_field: str | None = None
    pattern: dict[str, str] = {}
    severity: Severity = "error"


class OfferSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    legal_terms_channels: list[str] = []
    """Channels where rendering appends the legal terms of every active offer a text refers to."""
    time_zone: str = "UTC"
    """Where offer dates are shown and read ("until 5 April")."""


IN_STOCK_PHRASES = {
    "en": ["in stock", "available now", "available today", "ready to ship", "ships today"],
    "fr": ["en stock", "disponible", "disponible immédiatement", "expédié aujourd’hui"],
}
OUT_OF_STOCK_PHRASES = {
    "en": ["out of stock", "sold out", "not in stock", "unavailable", "not available", "no longer available"],
    "fr": [
        "épuisé",
        "épuisée",
        "épuisés",
        "épuisées",
        "rupture de stock",
        "en rupture de stock",
        "en rupture",
        "indisponible",
        "pas disponible",
        "plus disponible",
        "non disponible",
        "pas en stock",
        "plus en stock",
    ],
}


class StockPhrases(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """`[stock]`: the phrases per locale that claim a product is in stock or out of it (checked against live
    stock, cms.consistency.live_facts); each list replaces the default of its locale."""

    in_stock: dict[str, list[str]] = {}
    out_of_stock: dict[str, list[str]] = {}

    def claiming_stock(self, locale: str) -> list[str]:
        return self.in_stock.get(locale, IN_STOCK_PHRASES.get(locale, []))

    def denying_stock(self, locale: str) -> list[str]:
        return self.out_of_stock.get(locale, OUT_OF_STOCK_PHRASES.get(locale, []))


class VoiceConfig(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    forbidden: list[TermRule] = []
    preferred: list[PreferredTerm] = []
    claims: list[TermRule] = []
    names: list[CanonicalName] = []
    exclamations: list[ExclamationRule] = []
    emoji: EmojiRule | None = None
    readability: dict[str, Readability] = {}
    disclaimers: list[Disclaimer] = []
    offers: OfferSettings = OfferSettings()
    stock: StockPhrases = StockPhrases()
