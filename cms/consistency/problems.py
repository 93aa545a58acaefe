"""Configuration problems (budgets, voice.toml) as the model loader reports them: file, key, reason."""

from __future__ import annotations

import re

from cms.model.errors import ModelProblem

_AT_PATH = re.compile(r"^(?P<reason>.*?)(?: - at `\$\.?(?P<key>[^`]*)`)?$", re.DOTALL)


def validation_problem(file: str, key: str, message: str) -> ModelProblem:
    """Turn msgspec's 'Expected `int`, got `str` - at `$.hard`' under `key` into file, `key.hard`, reason."""
    match = _AT_PATH.match(message)
    assert match is not None  # the pattern accepts any string
    inner = match["key"] or ""
    full_key = ".".join(part for part in (key, inner) if part).replace(".[", "[")
    reason = match["reason"].replace("Object contains unknown field", "unknown option")
    return ModelProblem(file, full_key, reason[:1].lower() + reason[1:])
