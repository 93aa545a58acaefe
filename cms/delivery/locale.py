"""Choose the locale of a delivery request: the `locale` argument, else Accept-Language, else the channel's default."""

from __future__ import annotations

import enum

from cms.model.definitions import Channel


class UnknownLocaleError(ValueError):
    pass


def match_locale(requested: str, available: list[str]) -> str | None:
    """`fr-CA` matches `fr-CA`, then `fr`; case and `_`/`-` do not matter."""
    wanted = requested.strip().replace("_", "-").lower()
    by_lower = {code.replace("_", "-").lower(): code for code in available}
    if wanted in by_lower:
        return by_lower[wanted]
    return by_lower.get(wanted.split("-")[0])


def locale_from_accept_language(header: str | None, channel: Channel) -> str:
    """The best of the channel's locales for an Accept-Language header (q-values honoured)."""
    if not header:  # most API clients send none
        return channel.default_locale
    candidates: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            candidates.append((-quality, position, tag))
    for _, _, tag in sorted(candidates):
        matched = match_locale(tag, channel.locales)
        if matched:
            return matched
    return channel.default_locale


def locale_member(code: str) -> str:
    """How a locale code is spelled in a channel's `Locale` enum: `fr` as is, `fr-CA` as `fr_CA`
    (a GraphQL name has no hyphen); the enum's values are the codes."""
    return code.replace("-", "_")


def choose_locale(argument: str | enum.Enum | None, header_locale: str, channel: Channel) -> str:
    """The `locale` argument (a member of the channel's `Locale` enum, or a code), else the header's locale."""
    if argument is None:
        return header_locale
    if isinstance(argument, enum.Enum):
        argument = str(argument.value)
    matched = match_locale(argument, channel.locales)
    if matched is None:
        raise UnknownLocaleError(
            f"locale {argument!r} is not served on the {channel.name} channel (available: {', '.join(channel.locales)})"
        )
    return matched
