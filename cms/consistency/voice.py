"""Brand-voice rules over one plain text: terms, claims, names, exclamations, emoji and readability.

Entry point: `lint_text`. Spans index the text as given; URLs, e-mail addresses, hashtags,
mentions and offer tokens are never read as words of the copy.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import regex

from cms.consistency.counting import find_emoji
from cms.consistency.findings import Finding, Params, Severity, params
from cms.consistency.readability import check_readability
from cms.consistency.terms import find_matches, inflections, name_pattern, term_pattern
from cms.consistency.text_spans import Span, protected_spans
from cms.consistency.voice_config import Scope, TermRule, VoiceConfig

_EXCLAMATION = regex.compile(r"[!‼¡]")


class Where(NamedTuple):
    """Where a text is shown: which rules apply to it and how findings are located."""

    content_type: str
    field: str
    locale: str
    channel: str

    def applies(self, scope: Scope) -> bool:
        return scope.applies(locale=self.locale, channel=self.channel, content_type=self.content_type, field=self.field)

    def finding(
        self,
        rule: str,
        severity: Severity,
        span: Span,
        message: str,
        suggestion: str | None = None,
        values: Params = (),
    ) -> Finding:
        return Finding(
            rule=rule,
            severity=severity,
            field=self.field,
            locale=self.locale,
            channel=self.channel,
            start=span[0],
            end=span[1],
            message=message,
            suggestion=suggestion,
            params=values,
        )


def lint_text(text: str, voice: VoiceConfig, where: Where) -> list[Finding]:
    """Every voice finding for `text` as `where.channel` shows it in `where.locale`."""
    protected = protected_spans(text)
    findings = [
        *_term_findings(text, protected, voice.forbidden, "forbidden_term", where),
        *_term_findings(text, protected, voice.claims, "claim_needs_review", where),
        *_preferred_findings(text, protected, voice, where),
        *_name_findings(text, protected, voice, where),
        *_exclamation_findings(text, voice, where),
        *_emoji_findings(text, voice, where),
    ]
    readability = voice.readability.get(where.locale)
    if readability is not None:
        findings += [where.finding(*problem) for problem in check_readability(text, protected, readability)]
    return findings


def _term_findings(text: str, protected: list[Span], rules: list[TermRule], rule: str, where: Where) -> list[Finding]:
    findings = []
    for term_rule in (rule_ for rule_ in rules if where.applies(rule_)):
        pattern = _terms(tuple(term_rule.terms), tuple(term_rule.variants), term_rule.inflect, _languages(term_rule))
        for match in find_matches(pattern, text, protected):
            default = "is not in the brand voice" if rule == "forbidden_term" else "is a claim that needs legal review"
            message = f"“{match.group()}” {term_rule.message or default}"
            values = params(
                term=match.group(),
                custom=term_rule.message,
                custom_suggestion=term_rule.suggestion,
                custom_language=written_in(term_rule),
            )
            findings.append(
                where.finding(rule, term_rule.severity, match.span(), message, term_rule.suggestion, values)
            )
    return findings


def _preferred_findings(text: str, protected: list[Span], voice: VoiceConfig, where: Where) -> list[Finding]:
    findings = []
    for preferred in (rule for rule in voice.preferred if where.applies(rule)):
        pattern = _terms(tuple(preferred.instead_of), (), preferred.inflect, _languages(preferred))
        for match in find_matches(pattern, text, protected):
            message = f"write “{preferred.use}” rather than “{match.group()}”"
            values = params(use=preferred.use, term=match.group())
            findings.append(
                where.finding("preferred_term", preferred.severity, match.span(), message, preferred.use, values)
            )
    return findings


def _name_findings(text: str, protected: list[Span], voice: VoiceConfig, where: Where) -> list[Finding]:
    findings = []
    for name in (rule for rule in voice.names if where.applies(rule)):
        for match in find_matches(_names(name.canonical, tuple(name.variants)), text, protected):
            if " ".join(match.group().split()) != name.canonical:
                message = f"write the name as “{name.canonical}”, not “{match.group()}”"
                values = params(name=name.canonical, term=match.group())
                findings.append(
                    where.finding("canonical_name", name.severity, match.span(), message, name.canonical, values)
                )
    return findings


def _exclamation_findings(text: str, voice: VoiceConfig, where: Where) -> list[Finding]:
    marks = [match.start() for match in _EXCLAMATION.finditer(text)]
    findings = []
    for rule in (rule for rule in voice.exclamations if where.applies(rule) and len(marks) > rule.max):
        allowed = "none" if rule.max == 0 else f"at most {rule.max}"
        message = f"{len(marks)} exclamation mark(s) in {where.field}; {allowed} on {where.channel}"
        span = (marks[rule.max], marks[-1] + 1)
        values = params(count=len(marks), allowed=rule.max, channel=where.channel)
        suggestion = "end the sentence with a full stop"
        findings.append(where.finding("exclamation", rule.severity, span, message, suggestion, values))
    return findings


def _emoji_findings(text: str, voice: VoiceConfig, where: Where) -> list[Finding]:
    rule = voice.emoji
    if rule is None or where.channel in rule.allowed_channels:
        return []
    emoji = find_emoji(text)
    if not emoji:
        return []
    allowed = ", ".join(rule.allowed_channels) or "no channel"
    message = f"{len(emoji)} emoji in {where.field}; emoji are allowed only on {allowed}"
    suggestion = f"remove them, or move them to an override for {allowed}"
    values = params(count=len(emoji), channels=", ".join(rule.allowed_channels))
    return [where.finding("emoji", rule.severity, emoji[0], message, suggestion, values)]


def written_in(rule: Scope) -> str:
    """The language a rule's own message is written in: its one locale, else English (the file's default)."""
    return rule.locales[0] if rule.locales and len(rule.locales) == 1 else "en"


def _languages(scope: Scope) -> tuple[str, ...] | None:
    return tuple(scope.locales) if scope.locales is not None else None


@lru_cache(maxsize=256)
def _terms(
    terms: tuple[str, ...], variants: tuple[str, ...], inflect: bool, languages: tuple[str, ...] | None
) -> regex.Pattern[str]:
    spellings = [form for term in terms for form in (inflections(term, languages) if inflect else [term])]
    return term_pattern([*spellings, *variants])


@lru_cache(maxsize=64)
def _names(canonical: str, variants: tuple[str, ...]) -> regex.Pattern[str]:
    return name_pattern(canonical, variants)
