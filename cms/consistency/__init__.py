"""The consistency engine: channel budgets, brand voice, offer tokens and drift, as pure functions.

Nothing here touches the database or the web framework: callers pass plain data and msgspec
Structs (the content model, an entry's `EntryData`, offers as `OfferFacts`) and get findings,
scores and rendered text back.

Where each piece plugs in:

- start-up: `load_voice(content_types/voice.toml)` and `check_voice_names(voice, model)`;
  `decode_budgets(raw channels.<name>.budgets)` and `check_budget_keys(model, channel, budgets)`.
  They raise `InvalidModelError` or return `ModelProblem`s (file, key, reason), as the model loader does.
- publishing and the management API: `lint_entry(model, content_type, data, voice, budgets,
  offers, now)` → `LintReport(score, findings)`; `report.errors` block publishing. Offers come
  from `offer_facts_from_entry` over the published offer entries.
- projection and delivery: `render_offer_tokens` (string/text) and
  `render_offer_tokens_in_rich_text` (before rendering rich text), then `truncate_to_budget`
  so no channel is served more than its hard budget; re-project at `next_offer_change(...)`.
"""

from cms.consistency.budgets import (
    Budget,
    check_budget,
    check_budget_keys,
    decode_budgets,
    read_budgets,
    truncate_to_budget,
)
from cms.consistency.counting import CountMethod, count_length, find_emoji, find_urls, graphemes
from cms.consistency.drift import find_drift
from cms.consistency.findings import Finding, LintReport, Severity, score
from cms.consistency.lint import lint_entry
from cms.consistency.offer_format import OFFER_FIELDS, offer_value
from cms.consistency.offer_render import RenderedText, render_offer_tokens
from cms.consistency.offer_render_rich import RenderedRichText, render_offer_tokens_in_rich_text
from cms.consistency.offer_tokens import check_offer_tokens, expand_offer_tokens
from cms.consistency.offers import Money, OfferFacts, next_offer_change, offer_facts_from_entry
from cms.consistency.references import referenced_offers
from cms.consistency.voice import Where, lint_text
from cms.consistency.voice_config import VoiceConfig
from cms.consistency.voice_file import check_voice, check_voice_names, load_voice

__all__ = [
    "OFFER_FIELDS",
    "Budget",
    "CountMethod",
    "Finding",
    "LintReport",
    "Money",
    "OfferFacts",
    "RenderedRichText",
    "RenderedText",
    "Severity",
    "VoiceConfig",
    "Where",
    "check_budget",
    "check_budget_keys",
    "check_offer_tokens",
    "check_voice",
    "check_voice_names",
    "count_length",
    "decode_budgets",
    "expand_offer_tokens",
    "find_drift",
    "find_emoji",
    "find_urls",
    "graphemes",
    "lint_entry",
    "lint_text",
    "load_voice",
    "next_offer_change",
    "offer_facts_from_entry",
    "offer_value",
    "read_budgets",
    "referenced_offers",
    "render_offer_tokens",
    "render_offer_tokens_in_rich_text",
    "score",
    "truncate_to_budget",
]
