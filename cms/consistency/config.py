"""Read the consistency rules of a model directory: each channel's budgets and `voice.toml`.

The model loader calls `read_consistency` once the model is assembled, so `cms check` and start-up
report a bad budget or voice rule with file, key and reason like any other model problem.
"""

from __future__ import annotations

from pathlib import Path

from cms.consistency.budgets import Budget, check_budget_keys, read_budgets
from cms.consistency.voice_config import VoiceConfig
from cms.consistency.voice_file import check_voice_names, load_voice
from cms.model.definitions import ContentModel
from cms.model.errors import InvalidModelError, ModelProblem

VOICE_FILE = "voice.toml"
NO_VOICE = VoiceConfig()
"""What linting uses when the model has no voice.toml: no voice rules at all."""


def read_consistency(
    directory: Path,
    model: ContentModel,
    undecodable_types: frozenset[str] = frozenset(),
    undecodable_channels: frozenset[str] = frozenset(),
) -> tuple[VoiceConfig | None, dict[str, dict[str, Budget]], list[ModelProblem]]:
    """The voice (None without voice.toml), the budgets by channel, and every problem found in either.

    Types and channels whose files could not be decoded exist: names of theirs are not called unknown.
    """
    problems: list[ModelProblem] = []
    budgets: dict[str, dict[str, Budget]] = {}
    for name, channel in model.channels.items():
        decoded, found = read_budgets(channel.budgets, file="channels.toml", key=f"channels.{name}.budgets")
        checked = {key: budget for key, budget in decoded.items() if key.partition(".")[0] not in undecodable_types}
        problems += found + check_budget_keys(model, name, checked)
        if decoded:
            budgets[name] = decoded
    voice = None
    if (directory / VOICE_FILE).is_file():
        try:
            voice = load_voice(directory / VOICE_FILE)
        except InvalidModelError as error:
            problems += error.problems
        else:
            if not undecodable_types and not undecodable_channels:
                problems += check_voice_names(voice, model, VOICE_FILE)
    return voice, budgets, problems


def voice_of(model: ContentModel) -> VoiceConfig:
    """The model's brand voice, or no rules when it has none."""
    return model.voice if isinstance(model.voice, VoiceConfig) else NO_VOICE
