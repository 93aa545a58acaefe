"""Admin words: audit."""

MESSAGES: dict[str, dict[str, str]] = {}
