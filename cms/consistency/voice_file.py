"""Read `content_types/voice.toml` into a VoiceConfig, or say what is wrong with file, key and reason."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Any

import msgspec

from cms.consistency.problems import validation_problem
from cms.consistency.voice_config import Readability, VoiceConfig
from cms.model.definitions import ContentModel
from cms.model.errors import InvalidModelError, ModelProblem


def load_voice(path: Path | str) -> VoiceConfig:
    """Decode and check voice.toml; InvalidModelError lists every problem with file, key and reason."""
    path = Path(path)
    try:
        raw = msgspec.toml.decode(path.read_bytes())
    except FileNotFoundError:
        raise InvalidModelError([ModelProblem(path.name, "", "file is missing")]) from None
    except msgspec.DecodeError as error:
        raise InvalidModelError([ModelProblem(path.name, "", f"not valid TOML: {error}")]) from None
    problems = _readability_problems(raw, path.name)
    try:
        voice = msgspec.convert(raw, VoiceConfig)
    except msgspec.ValidationError as error:
        raise InvalidModelError(problems or [validation_problem(path.name, "", str(error))]) from None
    problems += check_voice(voice, path.name)
    if problems:
        raise InvalidModelError(problems)
    return voice


def _readability_problems(raw: Any, file: str) -> list[ModelProblem]:
    """Checked locale by locale, so that a problem names its locale (msgspec only says `readability[...]`)."""
    by_locale = raw.get("readability") if isinstance(raw, dict) else None
    problems = []
    for locale, bounds in by_locale.items() if isinstance(by_locale, dict) else ():
        try:
            msgspec.convert(bounds, Readability)
        except msgspec.ValidationError as error:
            problems.append(validation_problem(file, f"readability.{locale}", str(error)))
    return problems


def check_voice(voice: VoiceConfig, file: str = "voice.toml") -> list[ModelProblem]:
    """What msgspec cannot check: patterns that compile, a known time zone, sensible bounds."""
    problems = []
    for index, disclaimer in enumerate(voice.disclaimers):
        if disclaimer.require_field is None and not disclaimer.pattern:
            problems.append(ModelProblem(file, f"disclaimers[{index}]", "set require_field, pattern or both"))
        for locale, pattern in disclaimer.pattern.items():
            try:
                re.compile(pattern)
            except re.error as error:
                problems.append(ModelProblem(file, f"disclaimers[{index}].pattern.{locale}", f"bad pattern: {error}"))
    for index, rule in enumerate(voice.exclamations):
        if rule.max < 0:
            problems.append(ModelProblem(file, f"exclamations[{index}].max", f"must be 0 or more, got {rule.max}"))
    try:
        zoneinfo.ZoneInfo(voice.offers.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(ModelProblem(file, "offers.time_zone", f"unknown time zone {voice.offers.time_zone!r}"))
    return problems


_SCOPED_SECTIONS = ("forbidden", "preferred", "claims", "names", "exclamations", "disclaimers")


def check_voice_names(voice: VoiceConfig, model: ContentModel, file: str = "voice.toml") -> list[ModelProblem]:
    """Channels, types and locales that the model does not have: a typo would silently switch a rule off."""
    known = {"channels": set(model.channels), "types": set(model.types), "locales": set(model.locales)}
    named: list[tuple[str, str, list[str]]] = [
        (f"{section}[{index}].{option}", option, getattr(rule, option) or [])
        for section in _SCOPED_SECTIONS
        for index, rule in enumerate(getattr(voice, section))
        for option in known
    ]
    named += [
        ("emoji.allowed_channels", "channels", voice.emoji.allowed_channels if voice.emoji else []),
        ("offers.legal_terms_channels", "channels", voice.offers.legal_terms_channels),
        ("readability", "locales", list(voice.readability)),
        ("stock.in_stock", "locales", list(voice.stock.in_stock)),
        ("stock.out_of_stock", "locales", list(voice.stock.out_of_stock)),
    ]
    return [
        ModelProblem(
            file, key, f"unknown {option.removesuffix('s')} {name!r} (known: {', '.join(sorted(known[option]))})"
        )
        for key, option, names in named
        for name in names
        if name not in known[option]
    ]
