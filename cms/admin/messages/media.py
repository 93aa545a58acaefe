"""Admin words: media."""

MESSAGES: dict[str, dict[str, str]] = {}
