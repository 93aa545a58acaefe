"""Validation errors and consistency findings in the editor's language, rendered from their code and parameters.

The model and the consistency engine give each problem a code (`FieldError.code`, `Finding.rule`) and
the values its sentence names; `messages/problems.py` holds the sentences in English and French.
Numbers follow the language (Babel: "1 234,5"), word forms its plural rules (Babel: French
singular for 0 and 1). A problem without a code, or a code the catalogue lacks, shows its own
(English) words rather than nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import msgspec
from babel import Locale
from babel.numbers import format_decimal

from cms.admin.feedback import field_label
from cms.admin.i18n import Translator
from cms.admin.messages.problems import PROBLEMS
from cms.consistency import Finding
from cms.model.definitions import ContentModel
from cms.model.entry_data import FieldError

_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}|]*)\|([^{}]*))?\}")
NUMBER_PARAMS = frozenset(
    {"length", "limit", "over", "count", "allowed", "words", "average", "places", "line", "column"}
)
"""Parameters that are numbers, written the language's way; others (typed values, codes) stay as given."""
_CUSTOM_TERM_RULES = frozenset({"forbidden_term", "claim_needs_review"})


def say(key: str, language: str, values: Mapping[str, Any]) -> str | None:
    """The catalogue's sentence `key` in `language` with `values` filled in; None when the catalogue lacks it."""
    template = PROBLEMS.get(key, {}).get(language)
    if template is None:
        return None

    def fill(match: re.Match[str]) -> str:
        name, one, other = match.groups()
        value = values.get(name, "")
        if one is None:
            return _number(value, language) if name in NUMBER_PARAMS else str(value)
        return one if plural_category(value, language) == "one" else other

    return _PLACEHOLDER.sub(fill, template)


def plural_category(value: Any, language: str) -> str:
    """CLDR's plural category of `value` in `language` ("one", "other", …), by Babel."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return "other"
    return str(_locale(language).plural_form(number))


def _number(value: Any, language: str) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return str(format_decimal(number, locale=language))


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def as_finding(value: Finding | Mapping[str, Any]) -> Finding:
    """A finding, also from its JSON form (a refused publish carries its findings as data)."""
    return value if isinstance(value, Finding) else msgspec.convert(value, Finding)


class ProblemWords:
    """Sentences for one language: `error(field_error)`, `finding(f, type)`, `suggestion(f, type)`."""

    def __init__(self, t: Translator, model: ContentModel) -> None:
        self.t, self.model = t, model
        self.language = t.language

    def error(self, error: FieldError) -> str:
        """Why a value was refused, in this language (its English reason when it has no code)."""
        values = dict(error.params)
        if "got" in values:
            values["got"] = say(f"got.{values['got']}", self.language, {}) or values["got"]
        if "channel" in values:
            values["channel"] = self._channel(str(values["channel"]))
        if "locale" in values:
            values["locale"] = self.t.locale_name(str(values["locale"]))
        return (say(f"value.{error.code}", self.language, values) if error.code else None) or error.reason

    def finding(
        self, finding: Finding | Mapping[str, Any], type_name: str | None = None, field: str | None = None
    ) -> str:
        """A consistency finding's sentence in this language (its English message when the rule is unknown here).

        The field is named by `field` when given (a label already in this language), else by its label in `type_name`.
        """
        finding = as_finding(finding)
        values = self._values(finding, type_name, field)
        if finding.rule in _CUSTOM_TERM_RULES and self._custom(values):
            return say("finding.custom_term", self.language, values) or finding.message
        if finding.rule == "missing_disclaimer" and self._custom(values):
            return str(values["custom"])
        if not finding.params:
            return finding.message
        key = f"finding.{finding.rule}"
        fact = values.get("fact")
        return say(f"{key}.{fact}" if fact else key, self.language, values) or finding.message

    def suggestion(
        self, finding: Finding | Mapping[str, Any], type_name: str | None = None, field: str | None = None
    ) -> str | None:
        """What to do about it, in this language; None when the catalogue has nothing to suggest."""
        finding = as_finding(finding)
        values = self._values(finding, type_name, field)
        if "custom_suggestion" in values and values.get("custom_language") == self.language:
            return str(values["custom_suggestion"])
        if not finding.params:
            return finding.suggestion
        if finding.rule == "budget_hard" and not finding.channel:
            return None  # an override cannot help a budget every channel shares
        return say(f"finding.{finding.rule}.suggestion", self.language, values)

    def _values(self, finding: Finding, type_name: str | None, field: str | None) -> dict[str, Any]:
        values: dict[str, Any] = dict(finding.params)
        values["field"] = field or self._field_label(finding.field, type_name)
        where = values.get("channel") or finding.channel
        values["channel"] = self._channel(where) if where else say("finding.every_channel", self.language, {})
        if "channels" in values:
            names = [self._channel(name.strip()) for name in str(values["channels"]).split(",") if name.strip()]
            values["channels"] = ", ".join(names) or say("finding.no_channel", self.language, {})
        if "locale" in values:
            values["locale"] = self.t.locale_name(str(values["locale"]))
        return values

    def _custom(self, values: Mapping[str, Any]) -> bool:
        """Whether the voice file's own words for this rule are written in this language."""
        return "custom" in values and values.get("custom_language") == self.language

    def field(self, finding: Finding | Mapping[str, Any], type_name: str | None = None) -> str:
        """The field a finding is about, by its label in this language."""
        return self._field_label(as_finding(finding).field, type_name)

    def _field_label(self, path: str, type_name: str | None) -> str:
        """`path`'s label in `type_name`; without a type (a release's findings), in the first type having it."""
        name = path.split("[")[0].split(".")[0]
        content_type = self.model.types.get(type_name or "") or next(
            (candidate for candidate in self.model.types.values() if candidate.field(name)), None
        )
        return field_label(content_type, path)[self.language] if content_type else path

    def channel(self, name: str | None) -> str:
        """A channel by its label in this language; every channel when None."""
        return self._channel(name) if name else say("finding.every_channel", self.language, {}) or ""

    def _channel(self, name: str) -> str:
        channel = self.model.channels.get(name)
        return (channel.label.get(self.language) or channel.label.get("en") if channel else None) or name
