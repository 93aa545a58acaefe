"""Load `content_types/` into a ContentModel, collecting every problem with file, key and reason."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from cms.model.checks import check_model
from cms.model.definitions import (
    FIELD_KINDS,
    Channel,
    ChannelsFile,
    ContentModel,
    ContentType,
    ContentTypeFile,
    LocalesFile,
)
from cms.model.errors import InvalidModelError, ModelProblem
from cms.model.locations import LOCATIONS_FILE, with_locations
from cms.model.names import IDENTIFIER

RESERVED_FILES = {"channels.toml", "locales.toml", "voice.toml", LOCATIONS_FILE}
FileStruct = TypeVar("FileStruct", bound=msgspec.Struct)


def load_model(directory: Path | str) -> ContentModel:
    """Read and validate a model directory; raise InvalidModelError listing all problems."""
    model, problems = read_model(Path(directory))
    if problems or model is None:
        raise InvalidModelError(problems)
    return model


def read_model(directory: Path) -> tuple[ContentModel | None, list[ModelProblem]]:
    """The model and the problems found; the model is None when it could not be assembled."""
    if not directory.is_dir():
        return None, [ModelProblem(str(directory), "", "model directory not found")]
    problems: list[ModelProblem] = []
    locales = _decode(directory / "locales.toml", LocalesFile, problems)
    undecodable_channels: set[str] = set()
    channels = _decode_channels(directory / "channels.toml", problems, undecodable_channels)
    types: dict[str, ContentType] = {}
    undecodable: set[str] = set()
    for path in sorted(directory.glob("*.toml")):
        if path.name in RESERVED_FILES:
            continue
        if not IDENTIFIER.match(path.stem):
            problems.append(ModelProblem(path.name, "", "a type file name must be snake_case, e.g. brand_message.toml"))
            continue
        declared = _decode(path, ContentTypeFile, problems)
        if declared is None:
            undecodable.add(path.stem)
        else:
            types[path.stem] = _content_type(path.stem, declared)
    if not types and not problems:
        problems.append(ModelProblem(str(directory), "", "no content type files (*.toml) found"))
    if locales is None or channels is None:
        return None, problems
    problems.extend(_duplicate_locales(locales))
    model = ContentModel(
        types=types,
        channels=channels,
        locales={locale.code: locale for locale in locales.locales},
        default_locale=locales.default,
    )
    # A type whose file could not be decoded still exists: do not also call it unknown elsewhere.
    problems.extend(
        check_model(
            model, undecodable_types=frozenset(undecodable), undecodable_channels=frozenset(undecodable_channels)
        )
    )
    model = with_locations(directory, model, problems)
    model = _with_consistency(directory, model, problems, frozenset(undecodable), frozenset(undecodable_channels))
    return (None if problems else model), problems


def _with_consistency(
    directory: Path,
    model: ContentModel,
    problems: list[ModelProblem],
    undecodable_types: frozenset[str],
    undecodable_channels: frozenset[str],
) -> ContentModel:
    """The model with its budgets and brand voice decoded; their problems join the model's."""
    # Imported here: cms.consistency builds on cms.model, so the model cannot import it at module level.
    from cms.consistency.config import read_consistency

    voice, budgets, found = read_consistency(directory, model, undecodable_types, undecodable_channels)
    problems.extend(found)
    return msgspec.structs.replace(model, voice=voice, budgets=budgets)


def _content_type(name: str, declared: ContentTypeFile) -> ContentType:
    return ContentType(
        name=name,
        fields=declared.fields,
        label=declared.label or {"en": name.replace("_", " ").capitalize()},
        plural=declared.plural or f"{name}s",
        title_field=declared.title_field,
        description=declared.description,
        requires_review=declared.requires_review,
        options=declared.options,
    )


def _duplicate_locales(locales: LocalesFile) -> list[ModelProblem]:
    first_seen: dict[str, int] = {}
    problems = []
    for index, locale in enumerate(locales.locales):
        if locale.code in first_seen:
            problems.append(
                ModelProblem(
                    "locales.toml",
                    f"locales[{index}].code",
                    f"locale {locale.code!r} is declared twice (first at locales[{first_seen[locale.code]}])",
                )
            )
        first_seen.setdefault(locale.code, index)
    return problems


def _decode_channels(path: Path, problems: list[ModelProblem], undecodable: set[str]) -> dict[str, Channel] | None:
    """Decode channel by channel, so a problem's key names its channel (`channels.kiosk.rich_text`)."""
    raw = _decode(path, ChannelsFile, problems, typed=False)
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("channels"), dict) or set(raw) != {"channels"}:
        problems.append(ModelProblem(path.name, "channels", "declare channels as [channels.<name>] tables"))
        return None
    channels: dict[str, Channel] = {}
    for name, declared in raw["channels"].items():
        try:
            channels[name] = msgspec.structs.replace(msgspec.convert(declared, Channel), name=name)
        except msgspec.ValidationError as error:
            problem = _validation_problem(path.name, str(error))
            key = f"channels.{name}" + (f".{problem.key}" if problem.key else "")
            problems.append(ModelProblem(path.name, key, problem.reason))
            undecodable.add(name)
    return channels


def _decode(path: Path, kind: type[FileStruct], problems: list[ModelProblem], *, typed: bool = True) -> Any:
    if not path.is_file():
        problems.append(ModelProblem(path.name, "", "file is missing"))
        return None
    try:
        return msgspec.toml.decode(path.read_bytes(), type=kind if typed else Any)
    except msgspec.ValidationError as error:
        problems.append(_validation_problem(path.name, str(error)))
    except msgspec.DecodeError as error:
        problems.append(ModelProblem(path.name, "", f"not valid TOML: {error}"))
    return None


_AT_PATH = re.compile(r"^(?P<reason>.*?)(?: - at `\$\.?(?P<key>[^`]*)`)?$", re.DOTALL)


def _validation_problem(file: str, message: str) -> ModelProblem:
    """Turn msgspec's 'Expected `int`, got `str` - at `$.fields[0].min`' into file/key/reason."""
    match = _AT_PATH.match(message)
    assert match is not None
    key, reason = match["key"] or "", match["reason"]
    if key.endswith(".kind") and reason.startswith("Invalid enum value"):
        bad = reason.removeprefix("Invalid enum value ").strip()
        reason = f"unknown kind {bad} (expected one of: {', '.join(FIELD_KINDS)})"
    elif reason.startswith("Object contains unknown field"):
        reason = reason.replace("Object contains unknown field", "unknown option")
    return ModelProblem(file, key, reason[0].lower() + reason[1:] if reason else reason)
