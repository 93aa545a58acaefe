"""Admin words: entries."""

MESSAGES: dict[str, dict[str, str]] = {}
