"""What the consistency engine reports: findings located in a text, and a scored report per version.

Score: `max(0, 100 - 25 * errors - 5 * warnings)`, counted after duplicate findings are merged, so
the same version always gets the same score. Errors block publishing; warnings do not.
"""

from __future__ import annotations

from typing import Literal

import msgspec

Severity = Literal["error", "warning"]
Params = tuple[tuple[str, "str | int"], ...]
"""What a finding's sentence names (lengths, terms, the offer), as sorted pairs so that findings stay hashable."""
ERROR_PENALTY = 25
WARNING_PENALTY = 5


class Finding(msgspec.Struct, frozen=True):
    """One problem in one field as one channel (or every channel, `channel=None`) shows it in one locale.

    `start`/`end` index the checked text (Python string indices, end exclusive): the field's plain
    text, rich text rendered with `render_plain_text`; object sub-fields are named like `steps[0].title`.
    """

    rule: str
    severity: Severity
    field: str
    locale: str
    channel: str | None
    start: int
    end: int
    message: str
    suggestion: str | None = None
    params: Params = ()
    """`rule` and these render the finding in any language (the admin's catalogue); `message` is the English."""


class LintReport(msgspec.Struct, frozen=True):
    score: int
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]

    @property
    def blocks_publishing(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)


def params(**values: str | int | None) -> Params:
    """A finding's parameters from keywords (None left out), in a stable order."""
    return tuple(sorted((name, value) for name, value in values.items() if value is not None))


def score(findings: list[Finding]) -> int:
    """100 minus 25 per error and 5 per warning, never below 0."""
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    return max(0, 100 - ERROR_PENALTY * errors - WARNING_PENALTY * warnings)


def report(findings: list[Finding]) -> LintReport:
    """Findings sorted in a stable order (field, locale, channel, position, rule) with their score."""
    ordered = sorted(findings, key=lambda f: (f.field, f.locale, f.channel or "", f.start, f.end, f.rule, f.message))
    return LintReport(score=score(ordered), findings=ordered)
