"""Live feedback for the entry editor: the lint panel, a counter per budgeted field, a preview per channel.

The editor posts its unsaved form as it is typed. `feedback_context` lints that data as publishing
would (`lint_entry`, the offers in force, the clock, and a product's live stock and prices: warnings), counts
each budgeted field the way its channel counts it (`count_length`, `check_budget`) and builds every channel's
preview from `build_document`, the document delivery would serve (see `feedback_previews`). Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import msgspec

from cms.admin.feedback_previews import Labels, labels_of, previews
from cms.admin.i18n import LANGUAGES
from cms.consistency import Budget, Finding, OfferFacts, check_budget, count_length, expand_offer_tokens, lint_entry
from cms.consistency.config import voice_of
from cms.consistency.entry_texts import entry_texts
from cms.consistency.lint import LiveFacts
from cms.lib.clock import now
from cms.media.assets import find_assets
from cms.media.document import asset_document
from cms.media.presets import presets_of
from cms.model.definitions import ContentModel, ContentType, FieldDef
from cms.model.entry_data import EntryData, FieldError, InvalidEntryError, validate_entry_data
from cms.publishing.documents import Document, asset_ids_of
from cms.publishing.offers import OFFER_TYPE, offers_from, offers_in_force
from cms.publishing.resolve import source_of
from cms.settings import get_settings
from cms.workflow.facts import live_facts

EXCERPT_CONTEXT = 40
"""Characters of a field's text shown on each side of a finding's span (and at most of the span itself)."""
_SUB_PATH = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?$")
_INVALID_PATH = re.compile(
    r"^(?:base\.(?P<locale>[^.]+)|overrides\.(?P<channel>[^.]+)(?:\.(?P<override_locale>[^.]+))?)(?:\.(?P<field>\w+))?"
)


class Excerpt(msgspec.Struct, frozen=True):
    """The text around a finding: `marked` is the offending span."""

    before: str
    marked: str
    after: str


class FindingView(msgspec.Struct, frozen=True):
    finding: Finding
    field: Labels
    channel: Labels | None
    """None: every channel showing the field."""
    excerpt: Excerpt | None


class LintPanel(msgspec.Struct, frozen=True):
    score: int
    errors: list[FindingView]
    warnings: list[FindingView]


class Count(msgspec.Struct, frozen=True):
    """One channel's count of one field against its budget."""

    channel: str
    channel_label: Labels
    length: int
    budget: Budget
    state: Literal["ok", "soft", "hard"]
    source: str | None
    """Where the counted text comes from when not this form field: "override", "base", or a fallback locale."""

    @property
    def limit(self) -> int | None:
        return self.budget.hard if self.budget.hard is not None else self.budget.soft


class FieldCounters(msgspec.Struct, frozen=True):
    element_id: str
    """`counters-<form field name with dots as dashes>`: the editor's placeholder, swapped out of band."""
    counts: list[Count]
    max_length: int | None = None
    """The field's own limit: over it, saving (not only publishing) is refused, and the counter says so."""


async def feedback_context(
    model: ContentModel, type_name: str, data: EntryData, *, locale: str, channel: str | None
) -> dict[str, Any]:
    """The context of `entries/_feedback.html` for unsaved `data`, edited in `locale` on `channel` (None: base).

    Keys: `lint` (LintPanel), `counters` (FieldCounters for the locale's base fields and the channel's
    overrides), `previews` (one Preview per channel showing the type, the edited channel first),
    `feedback_locale` and `feedback_channel`. Values the form would refuse are left out (it reports them).
    """
    content_type = model.types[type_name]
    data = usable_data(model, content_type, data)
    offers = await offers_in_force(model)
    if type_name == OFFER_TYPE:
        offers = {**offers, **offers_from(model, [data])}  # an offer's copy may quote itself, as when published
    assets = await _asset_documents(model, content_type, data)
    # The form does not say which entry it edits: offers naming the product by id are not counted here (its
    # category's are); the report stored at save counts both.
    live = await live_facts(model, content_type, "", data, offers, now())
    return feedback(model, content_type, data, locale, channel, offers, assets, now(), live)


def feedback(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    locale: str,
    channel: str | None,
    offers: Mapping[str, OfferFacts],
    assets: Mapping[str, Document],
    at: dt.datetime,
    live: LiveFacts | None = None,
) -> dict[str, Any]:
    """`feedback_context` once the offers, assets, instant (and the product's live stock and prices) are known
    (pure)."""
    report = lint_entry(model, content_type, data, voice_of(model), model.budgets, offers, at, live)
    texts = _checked_texts(model, content_type, data, offers)
    views = [_finding_view(model, content_type, finding, texts) for finding in report.findings]
    return {
        "lint": LintPanel(
            score=report.score,
            errors=[view for view in views if view.finding.severity == "error"],
            warnings=[view for view in views if view.finding.severity == "warning"],
        ),
        "counters": list(counters(model, content_type, data, offers, locale, channel)),
        "previews": previews(model, content_type, data, locale, channel, offers, assets, at),
        "feedback_locale": locale,
        "feedback_channel": channel,
    }


def usable_data(model: ContentModel, content_type: ContentType, data: EntryData) -> EntryData:
    """`data` normalized as saving would store it, minus the values saving would refuse.

    Required fields and length limits are not enforced: a half-written entry still gets feedback,
    and copy over a field's length limit is shown (and linted) as typed.
    """
    lenient = msgspec.structs.replace(content_type, fields=[_lenient(field) for field in content_type.fields])
    try:
        return validate_entry_data(model, lenient, data)
    except InvalidEntryError as invalid:
        return validate_entry_data(model, lenient, _without(data, invalid.errors))


def _lenient(field: FieldDef) -> FieldDef:
    return msgspec.structs.replace(field, required=False, max_length=None, fields=[_lenient(f) for f in field.fields])


def _without(data: EntryData, errors: list[FieldError]) -> EntryData:
    base = {locale: dict(values) for locale, values in data.base.items()}
    overrides = {channel: {code: dict(v) for code, v in by.items()} for channel, by in data.overrides.items()}
    for error in errors:
        match = _INVALID_PATH.match(error.path)
        if match is None:
            continue
        if match["locale"] is not None:
            values = base.get(match["locale"], {})
            _drop(base, match["locale"], values, match["field"])
        elif match["override_locale"] is None:
            overrides.pop(match["channel"], None)
        else:
            by_locale = overrides.get(match["channel"], {})
            _drop(by_locale, match["override_locale"], by_locale.get(match["override_locale"], {}), match["field"])
    return EntryData(base=base, overrides=overrides)


def _drop(layer: dict[str, Any], locale: str, values: dict[str, Any], field: str | None) -> None:
    if field is None:
        layer.pop(locale, None)
    else:
        values.pop(field, None)


async def _asset_documents(model: ContentModel, content_type: ContentType, data: EntryData) -> dict[str, Document]:
    ids = sorted(asset_ids_of(content_type, data))
    if not ids:
        return {}
    presets, base_url = presets_of(model), get_settings().media_base_url
    return {row["id"]: asset_document(row, presets, base_url) for row in await find_assets(ids)}


# --- the lint panel ------------------------------------------------------------------------------


def _checked_texts(
    model: ContentModel, content_type: ContentType, data: EntryData, offers: Mapping[str, OfferFacts]
) -> dict[tuple[str | None, str, str], tuple[str, str]]:
    """(channel, field path, locale written in) -> (text as linted, text as budgets count it); channel None: any."""
    zone = voice_of(model).offers.time_zone
    texts: dict[tuple[str | None, str, str], tuple[str, str]] = {}
    for channel in (channel for channel in model.channels.values() if channel.exposes(content_type.name)):
        for locale in (locale for locale in channel.locales if locale in model.locales):
            for text in entry_texts(model, content_type, data, channel.name, locale):
                counted = expand_offer_tokens(text.text, offers, text.locale, time_zone=zone)
                texts[channel.name, text.path, text.locale] = (text.text, counted)
                texts.setdefault((None, text.path, text.locale), (text.text, counted))
    return texts


def _finding_view(
    model: ContentModel,
    content_type: ContentType,
    finding: Finding,
    texts: Mapping[tuple[str | None, str, str], tuple[str, str]],
) -> FindingView:
    linted, counted = texts.get((finding.channel, finding.field, finding.locale), ("", ""))
    # Budget findings index the text with offer tokens rendered, as the platform counts it.
    text = counted if finding.rule.startswith("budget_") else linted
    channel = model.channels.get(finding.channel) if finding.channel else None
    return FindingView(
        finding=finding,
        field=field_label(content_type, finding.field),
        channel=labels_of(channel.label, channel.name) if channel else None,
        excerpt=excerpt(text, finding.start, finding.end),
    )


def field_label(content_type: ContentType, path: str) -> Labels:
    """`steps[1].title` -> {"en": "Steps 2 › Title", "fr": "Étapes 2 › Titre"}; unknown paths as written."""
    match = _SUB_PATH.match(path)
    field = content_type.field(match["name"]) if match else None
    if match is None or field is None:
        return dict.fromkeys(LANGUAGES, path)
    sub = next((sub for sub in field.fields if sub.name == match["sub"]), None)
    labels = labels_of(field.label, field.name)
    if match["index"] is not None:
        labels = {language: f"{label} {int(match['index']) + 1}" for language, label in labels.items()}
    if match["sub"] is not None:
        sub_labels = labels_of(sub.label, sub.name) if sub else dict.fromkeys(LANGUAGES, match["sub"])
        labels = {language: f"{label} › {sub_labels[language]}" for language, label in labels.items()}
    return labels


def excerpt(text: str, start: int, end: int) -> Excerpt | None:
    """The span `[start, end)` of `text` with some context either side; None when there is no span to show."""
    if not 0 <= start < end <= len(text):
        return None
    before = text[max(0, start - EXCERPT_CONTEXT) : start]
    marked = text[start:end]
    after = text[end : end + EXCERPT_CONTEXT]
    return Excerpt(
        before=("…" if start > EXCERPT_CONTEXT else "") + before,
        marked=marked if len(marked) <= EXCERPT_CONTEXT else marked[:EXCERPT_CONTEXT] + "…",
        after=after + ("…" if end + EXCERPT_CONTEXT < len(text) else ""),
    )


# --- counters ------------------------------------------------------------------------------------


def counters(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    offers: Mapping[str, OfferFacts],
    locale: str,
    channel: str | None,
) -> Iterator[FieldCounters]:
    """Counters for the locale's base fields (every channel budgeting them) and the channel's overrides."""
    budgeted = [field for field in content_type.fields if _budgets_of(model, content_type, field)]
    for field in budgeted:
        layer = f"base.{locale if field.localized else model.default_locale}"
        names = _budgets_of(model, content_type, field)
        counts = [_count(model, content_type, data, offers, field, name, locale) for name in names]
        yield FieldCounters(_element_id(f"{layer}.{field.name}"), counts, field.max_length)
    for field in budgeted:
        if channel is not None and channel in _budgets_of(model, content_type, field):
            path = f"overrides.{channel}.{locale if field.localized else model.default_locale}.{field.name}"
            count = _count(model, content_type, data, offers, field, channel, locale, "override")
            yield FieldCounters(_element_id(path), [count], field.max_length)


def _budgets_of(model: ContentModel, content_type: ContentType, field: FieldDef) -> dict[str, Budget]:
    key = f"{content_type.name}.{field.name}"
    return {
        name: model.budgets[name][key]
        for name, channel in model.channels.items()
        if key in model.budgets.get(name, {}) and channel.exposes(content_type.name)
    }


def _count(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    offers: Mapping[str, OfferFacts],
    field: FieldDef,
    channel: str,
    locale: str,
    layer: Literal["base", "override"] = "base",
) -> Count:
    """The field as `channel` shows it in `locale`, counted as its platform counts (offer tokens rendered)."""
    budget = model.budgets[channel][f"{content_type.name}.{field.name}"]
    shown = next((t for t in entry_texts(model, content_type, data, channel, locale) if t.path == field.name), None)
    zone = voice_of(model).offers.time_zone
    text = "" if shown is None else expand_offer_tokens(shown.text, offers, shown.locale, time_zone=zone)
    found = check_budget(text, budget, field=field.name, channel=channel, locale=locale)
    state: Literal["ok", "soft", "hard"] = "ok" if not found else "hard" if found[0].rule == "budget_hard" else "soft"
    source = source_of(model, data, field, channel, locale) if shown is not None else None
    origin = None if source is None else source[0] if source[0] != layer else source[1] if source[1] != locale else None
    label = labels_of(model.channels[channel].label, channel)
    return Count(channel, label, count_length(text, budget.count), budget, state, origin)


def _element_id(field_path: str) -> str:
    return "counters-" + field_path.replace(".", "-")
