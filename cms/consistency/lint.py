"""Lint one version of an entry: budgets, brand voice, offer tokens, drift and disclaimers, scored.

Every prose field (see `entry_texts`) is checked as each channel exposing the type resolves it, in
each of the channel's locales; a value that falls back to another locale is checked (and reported)
in the locale it is written in, once. A finding raised identically on every channel that shows the
field in that locale, when more than one does, is reported once with `channel=None` (it comes from
the shared value); otherwise once per channel. Spans index the field's plain text as stored, except
budget findings, which index it with offer tokens rendered (what the platform counts). The score is
`findings.score`: 100 − 25 per error − 5 per warning, floored at 0, counted after this merging.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import msgspec

from cms.consistency.budgets import Budget, check_budget
from cms.consistency.disclaimers import check_disclaimers
from cms.consistency.drift import find_drift
from cms.consistency.entry_texts import EntryText, entry_texts
from cms.consistency.findings import Finding, LintReport, report
from cms.consistency.live_facts import ChannelFacts, check_live_facts
from cms.consistency.offer_tokens import check_offer_tokens, expand_offer_tokens
from cms.consistency.offers import Money, OfferFacts, offer_facts_from_entry
from cms.consistency.references import referenced_offers
from cms.consistency.voice import Where, lint_text
from cms.consistency.voice_config import VoiceConfig
from cms.model.definitions import ContentModel, ContentType
from cms.model.entry_data import EntryData
from cms.publishing.resolve import MISSING, resolve_field

OFFER_TYPE = "offer"
Budgets = Mapping[str, Mapping[str, Budget]]
"""channel -> `<type>.<field>` -> Budget."""
LiveFacts = Mapping[str, ChannelFacts]
"""channel -> what the entry is live there (stock, prices charged): cms.commerce.facts."""


class _Lint(msgspec.Struct, frozen=True):
    model: ContentModel
    content_type: ContentType
    data: EntryData
    voice: VoiceConfig
    budgets: Budgets
    offers: Mapping[str, OfferFacts]
    now: dt.datetime
    live: LiveFacts | None = None


def lint_entry(
    model: ContentModel,
    content_type: ContentType,
    data: EntryData,
    voice: VoiceConfig,
    budgets: Budgets,
    offers: Mapping[str, OfferFacts],
    now: dt.datetime,
    live: LiveFacts | None = None,
) -> LintReport:
    """The score and findings of one version; `offers` are the published offers by slug; `live`, when given,
    what the entry is live on each channel (its stock and prices), which its copy is checked against.

    Linting an offer checks its own copy against the version being linted, not the published one.
    """
    offers = _with_own_offer(model, content_type, data, offers)
    lint = _Lint(model, content_type, data, voice, budgets, offers, now, live)
    findings: list[Finding] = []
    seen_by: dict[tuple[str, str], set[str]] = defaultdict(set)
    for channel in (channel for channel in model.channels.values() if channel.exposes(content_type.name)):
        for locale in (locale for locale in channel.locales if locale in model.locales):
            texts = list(entry_texts(model, content_type, data, channel.name, locale))
            for text in texts:
                seen_by[text.path, text.locale].add(channel.name)
                findings += _lint_one(lint, Where(content_type.name, text.path, text.locale, channel.name), text)
            where = Where(content_type.name, "", locale, channel.name)
            findings += check_disclaimers(voice, where, {text.path: text.text for text in texts})
    return report(_merge_channels(findings, seen_by))


def _lint_one(lint: _Lint, where: Where, text: EntryText) -> list[Finding]:
    zone = lint.voice.offers.time_zone
    located = {"field": where.field, "channel": where.channel}
    findings = check_offer_tokens(text.text, lint.offers, locale=where.locale, now=lint.now, time_zone=zone, **located)
    findings += lint_text(text.text, lint.voice, where)
    referenced = referenced_offers(text.text, lint.offers.values())
    own_price = _own_price(lint, where.channel)
    drift = find_drift(text.text, where.locale, referenced, own_price, time_zone=zone, **located)
    findings += drift
    facts = None if lint.live is None else lint.live.get(where.channel or "")
    if facts is not None:
        flagged = {(finding.start, finding.end) for finding in drift}  # a drift error says it already
        live = check_live_facts(text.text, where.locale, facts, lint.voice.stock, referenced, **located)
        findings += [finding for finding in live if (finding.start, finding.end) not in flagged]
    budget = lint.budgets.get(where.channel, {}).get(f"{where.content_type}.{where.field}")
    if budget is not None:
        expanded = expand_offer_tokens(text.text, lint.offers, where.locale, time_zone=zone)
        findings += check_budget(expanded, budget, field=where.field, channel=where.channel, locale=where.locale)
    return findings


def _own_price(lint: _Lint, channel: str) -> Money | None:
    field = lint.content_type.field("price")
    if lint.content_type.name == OFFER_TYPE or field is None or field.kind != "money":
        return None
    value = resolve_field(lint.model, lint.data, field, channel, lint.model.default_locale)
    return None if value is MISSING else Money.from_value(value)


def _with_own_offer(
    model: ContentModel, content_type: ContentType, data: EntryData, offers: Mapping[str, OfferFacts]
) -> Mapping[str, OfferFacts]:
    if content_type.name != OFFER_TYPE:
        return offers
    try:
        own = offer_facts_from_entry(model, content_type, data)
    except ValueError:
        return offers  # an incomplete draft: validation reports what is missing
    return {**offers, own.slug: own}


def _merge_channels(findings: list[Finding], seen_by: Mapping[tuple[str, str], set[str]]) -> list[Finding]:
    """One finding with `channel=None` where every channel showing the field (two or more) raised it."""
    channels_of: dict[Finding, set[str]] = defaultdict(set)
    for finding in findings:
        channels_of[msgspec.structs.replace(finding, channel=None)].add(finding.channel or "")
    merged = []
    for shared, channels in channels_of.items():
        everyone = seen_by.get((shared.field, shared.locale), set())
        if len(everyone) > 1 and channels >= everyone:
            merged.append(shared)
        else:
            merged += [msgspec.structs.replace(shared, channel=channel) for channel in sorted(channels)]
    return merged
