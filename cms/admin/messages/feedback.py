"""Admin words: feedback."""

MESSAGES: dict[str, dict[str, str]] = {}
