"""A field's `max_length` counted the way the channels serving the value count it, so that the limit a save
checks and the channel budget that publishing checks agree (a 280-character X post with a long URL, which X
counts as 23, fits both).

An override for channel C is counted as C's budget for that field counts (`channels.toml`, `count`); a base
value is served on every channel that shows the field, so it must fit on each: its length is the largest of
their counts. A channel with no budget for the field counts code points, as `len` does.
"""

from __future__ import annotations

from typing import NamedTuple

from cms.model.definitions import ContentModel, FieldDef

CODE_POINTS = "code_points"


class MeasuredLength(NamedTuple):
    length: int
    channel: str | None
    """The channel whose counting gave `length`; None when it is code points."""
    method: str


def measure(model: ContentModel, type_name: str, field: FieldDef, channel: str | None, value: str) -> MeasuredLength:
    """The length of `value` that `field.max_length` bounds: the largest count among the channels serving it."""
    # Imported here: cms.consistency builds on cms.model (the loader does the same for budgets).
    from cms.consistency.counting import count_length

    measured = MeasuredLength(len(value), None, CODE_POINTS)
    methods = counting_methods(model, type_name, field, channel)
    if methods and CODE_POINTS not in methods.values():
        measured = MeasuredLength(0, None, CODE_POINTS)
    for name, method in methods.items():
        if method != CODE_POINTS and (length := count_length(value, method)) > measured.length:  # type: ignore[arg-type]
            measured = MeasuredLength(length, name, method)
    return measured


def counting_methods(model: ContentModel, type_name: str, field: FieldDef, channel: str | None) -> dict[str, str]:
    """Channel -> how it counts this field, for each channel serving the value (code points without a budget);
    empty when no channel's budget counts it otherwise than code points, so that `len` is the whole answer."""
    serving = [
        name
        for name in ([channel] if channel is not None else model.channels)
        if model.channels[name].exposes(type_name) and field.visible_on(name)
    ]
    budgets = {name: model.budgets.get(name, {}).get(f"{type_name}.{field.name}") for name in serving}
    if all(budget is None for budget in budgets.values()):
        return {}
    return {name: CODE_POINTS if budget is None else str(budget.count) for name, budget in budgets.items()}
