"""Length budgets per channel and field: a hard limit that blocks publishing, a soft one that warns.

Declared in `channels.toml` as `[channels.<name>.budgets]`, keys `<type>.<field>`:
`"brand_message.social_text" = { hard = 280, soft = 250, count = "x_weighted" }`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from cms.consistency.counting import CountMethod, count_length, units
from cms.consistency.findings import Finding, Severity, params
from cms.consistency.problems import validation_problem
from cms.model.definitions import ContentModel
from cms.model.errors import InvalidModelError, ModelProblem
from cms.model.names import IDENTIFIER

ELLIPSIS = "…"


class Budget(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    hard: int | None = None
    """Publishing is refused above this length, and delivery never serves more."""
    soft: int | None = None
    """What the platform shows before truncating ("… more"): a warning above it."""
    count: CountMethod = "graphemes"
    """How the target platform counts: graphemes, utf16 code units, or x_weighted (X / twitter-text)."""


def check_budget(text: str, budget: Budget, *, field: str, channel: str | None, locale: str) -> list[Finding]:
    """An error over the hard limit, else a warning over the soft one; the span is the part past the limit."""
    length = count_length(text, budget.count)
    hard = budget.hard is not None and length > budget.hard
    limit = budget.hard if hard else budget.soft
    if limit is None or length <= limit:
        return []
    where = channel or "every channel"
    severity: Severity
    if hard:
        rule, severity = "budget_hard", "error"
        message = f"{field} is {length} characters long, over the budget of {limit} on {where} by {length - limit}"
        suggestion = f"shorten it by {length - limit} characters" + (f" or add a {channel} override" if channel else "")
    else:
        rule, severity = "budget_soft", "warning"
        message = f"{field} is {length} characters long; {where} shows only {limit} before truncating"
        suggestion = f"put what matters in the first {limit} characters"
    start = _end_within(text, budget.count, limit)
    return [
        Finding(
            rule=rule,
            severity=severity,
            field=field,
            locale=locale,
            channel=channel,
            start=start,
            end=len(text),
            message=message,
            suggestion=suggestion,
            params=params(length=length, limit=limit, over=length - limit, channel=channel),
        )
    ]


def truncate_to_budget(text: str, budget: Budget) -> str:
    """`text` unchanged within the hard limit; else cut at a grapheme (or URL) boundary, ending in "…" within it."""
    if budget.hard is None or count_length(text, budget.count) <= budget.hard:
        return text
    room = budget.hard - count_length(ELLIPSIS, budget.count)
    if room < 0:
        return ""
    end = _end_within(text, budget.count, room)
    return text[:end].rstrip() + ELLIPSIS


def decode_budgets(raw: dict[str, Any], *, file: str = "channels.toml", key: str = "budgets") -> dict[str, Budget]:
    """Decode one channel's budgets table; InvalidModelError names the file, the key and the reason."""
    budgets, problems = read_budgets(raw, file=file, key=key)
    if problems:
        raise InvalidModelError(problems)
    return budgets


def read_budgets(raw: Any, *, file: str, key: str) -> tuple[dict[str, Budget], list[ModelProblem]]:
    """The budgets that decode, and a problem for each one that does not."""
    if not isinstance(raw, dict):
        return {}, [ModelProblem(file, key, 'expected a table of "<type>.<field>" = { hard, soft, count }')]
    budgets: dict[str, Budget] = {}
    problems = []
    for name, value in raw.items():
        where = f'{key}."{name}"'
        try:
            budgets[name] = _decode_one(name, value)
        except (msgspec.ValidationError, ValueError) as error:
            problems.append(validation_problem(file, where, str(error)))
    return budgets, problems


def check_budget_keys(
    model: ContentModel, channel: str, budgets: Mapping[str, Budget], *, file: str = "channels.toml"
) -> list[ModelProblem]:
    """Problems with budget keys naming a type or field that `channel` does not show, or a field that is not text."""
    problems = []
    for name in budgets:
        type_name, _, field_name = name.partition(".")
        content_type = model.types.get(type_name)
        field = content_type.field(field_name) if content_type else None
        if content_type is None or not model.channels[channel].exposes(type_name):
            reason = f"{channel} does not show a content type named {type_name!r}"
        elif field is None or not field.visible_on(channel):
            reason = f"{channel} does not show a field {field_name!r} of {type_name}"
        elif field.kind not in ("string", "text", "rich_text"):
            reason = f"{type_name}.{field_name} is a {field.kind} field; budgets apply to string, text and rich_text"
        else:
            continue
        problems.append(ModelProblem(file, f'channels.{channel}.budgets."{name}"', reason))
    return problems


def _decode_one(name: str, value: Any) -> Budget:
    parts = name.split(".")
    if len(parts) != 2 or not all(IDENTIFIER.match(part) for part in parts):
        raise ValueError('a budget key is "<type>.<field>", e.g. "brand_message.social_text"')
    budget = msgspec.convert(value, Budget)
    for label, limit in (("hard", budget.hard), ("soft", budget.soft)):
        if limit is not None and limit < 1:
            raise ValueError(f"{label} must be at least 1, got {limit}")
    if budget.hard is not None and budget.soft is not None and budget.soft > budget.hard:
        raise ValueError(f"soft ({budget.soft}) cannot be above hard ({budget.hard})")
    if budget.hard is None and budget.soft is None:
        raise ValueError("set hard, soft or both")
    return budget


def _end_within(text: str, method: CountMethod, room: int) -> int:
    total, end = 0, 0
    for unit in units(text, method):
        if total + unit.weight > room:
            break
        total, end = total + unit.weight, unit.end
    return end
