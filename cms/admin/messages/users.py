"""Admin words: users."""

MESSAGES: dict[str, dict[str, str]] = {}
