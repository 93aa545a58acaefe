"""Stock locations (`content_types/locations.toml`): warehouses and stores, and which channels sell from them."""

from __future__ import annotations

from pathlib import Path

import msgspec

from cms.model.definitions import Channel, ContentModel, Location, LocationsFile
from cms.model.errors import ModelProblem
from cms.model.names import IDENTIFIER

LOCATIONS_FILE = "locations.toml"


def with_locations(directory: Path, model: ContentModel, problems: list[ModelProblem]) -> ContentModel:
    """The model with its locations and low-stock threshold; their problems join the model's (file, key, reason).

    Without a locations.toml there are none, and a channel naming locations is a problem.
    """
    path = directory / LOCATIONS_FILE
    declared = _decode(path, problems) if path.is_file() else LocationsFile()
    if declared is None:
        return model
    locations = {name: msgspec.structs.replace(location, id=name) for name, location in declared.locations.items()}
    problems.extend(_check_locations(declared))
    for channel in model.channels.values():
        problems.extend(_check_channel_locations(channel, locations))
    return msgspec.structs.replace(model, locations=locations, low_stock_threshold=declared.low_stock_threshold)


def stores_of(model: ContentModel, channel: str) -> list[Location]:
    """The stores a channel sells from, in its declared order: the values of its `store` argument."""
    return [
        model.locations[name] for name in model.channels[channel].locations if model.locations[name].kind == "store"
    ]


def _decode(path: Path, problems: list[ModelProblem]) -> LocationsFile | None:
    """Decode location by location, so a problem's key names its location (`locations.paris_store.kind`)."""
    try:
        raw = msgspec.toml.decode(path.read_bytes())
    except msgspec.DecodeError as error:
        problems.append(ModelProblem(LOCATIONS_FILE, "", f"not valid TOML: {error}"))
        return None
    declared = raw.get("locations", {}) if isinstance(raw, dict) else None
    if not isinstance(declared, dict):
        problems.append(ModelProblem(LOCATIONS_FILE, "locations", "declare locations as [locations.<id>] tables"))
        return None
    locations: dict[str, Location] = {}
    for name, value in declared.items():
        try:
            locations[name] = msgspec.convert(value, Location)
        except msgspec.ValidationError as error:
            problems.append(_problem(f"locations.{name}", str(error)))
    try:
        settings = msgspec.convert({**raw, "locations": {}}, LocationsFile)
    except msgspec.ValidationError as error:
        problems.append(_problem("", str(error)))
        return None
    return msgspec.structs.replace(settings, locations=locations)


def _problem(prefix: str, message: str) -> ModelProblem:
    """msgspec's 'Invalid enum value 'depot' - at `$.kind`' as (locations.toml, prefix.kind, reason)."""
    reason, _, at = message.partition(" - at `$")
    key = ".".join(part for part in (prefix, at.rstrip("`").lstrip(".")) if part)
    if key.endswith(".kind") and reason.startswith("Invalid enum value"):
        reason = f"unknown kind {reason.removeprefix('Invalid enum value ')} (expected warehouse or store)"
    reason = reason.replace("Object contains unknown field", "unknown option")
    return ModelProblem(LOCATIONS_FILE, key, reason[:1].lower() + reason[1:])


def _check_locations(declared: LocationsFile) -> list[ModelProblem]:
    problems = [
        ModelProblem(
            LOCATIONS_FILE,
            f"locations.{name}",
            "a location id must be snake_case (a-z, 0-9, _), e.g. paris_store: it is a GraphQL enum value",
        )
        for name in declared.locations
        if not IDENTIFIER.match(name)
    ]
    if declared.low_stock_threshold < 0:
        problems.append(
            ModelProblem(
                LOCATIONS_FILE,
                "low_stock_threshold",
                f"must be 0 or more (units at or below which stock is low), got {declared.low_stock_threshold}",
            )
        )
    return problems


def _check_channel_locations(channel: Channel, locations: dict[str, Location]) -> list[ModelProblem]:
    problems = []
    seen: set[str] = set()
    for index, name in enumerate(channel.locations):
        key = f"channels.{channel.name}.locations[{index}]"
        if name not in locations:
            known = ", ".join(locations) or f"none: declare them in {LOCATIONS_FILE}"
            problems.append(ModelProblem("channels.toml", key, f"unknown location {name!r} (locations: {known})"))
        elif name in seen:
            problems.append(ModelProblem("channels.toml", key, f"location {name!r} is listed twice"))
        seen.add(name)
    return problems
