"""Disclaimers that must be present: a field that must be filled, or a pattern that must appear."""

from __future__ import annotations

import re

from cms.consistency.findings import Finding, params
from cms.consistency.voice import Where, written_in
from cms.consistency.voice_config import Disclaimer, VoiceConfig


def check_disclaimers(voice: VoiceConfig, where: Where, texts: dict[str, str]) -> list[Finding]:
    """Findings for each disclaimer of `voice` that applies to `where` (field ignored) and is missing.

    `texts` maps each field path to its text as the channel shows it in the locale.
    """
    findings = []
    for rule in voice.disclaimers:
        if not _applies(rule, where):
            continue
        if rule.require_field is not None and not texts.get(rule.require_field, "").strip():
            findings.append(_missing(rule, where, rule.require_field))
        pattern = rule.pattern.get(where.locale, rule.pattern.get("*"))
        if pattern is not None and not _found(pattern, rule, where, texts):
            findings.append(_missing(rule, where, (rule.fields or ["*"])[0]))
    return findings


def _applies(rule: Disclaimer, where: Where) -> bool:
    return (
        (rule.locales is None or where.locale in rule.locales)
        and (rule.channels is None or where.channel in rule.channels)
        and (rule.types is None or where.content_type in rule.types)
    )


def _found(pattern: str, rule: Disclaimer, where: Where, texts: dict[str, str]) -> bool:
    searched = [text for path, text in texts.items() if rule.fields is None or where._replace(field=path).applies(rule)]
    return any(re.search(pattern, text) for text in searched)


def _missing(rule: Disclaimer, where: Where, field: str) -> Finding:
    return where._replace(field=field).finding(
        "missing_disclaimer",
        rule.severity,
        (0, 0),
        f"{rule.name}: {rule.message}",
        rule.message,
        params(name=rule.name, custom=rule.message, custom_language=written_in(rule)),
    )
