"""Admin words: releases."""

MESSAGES: dict[str, dict[str, str]] = {}
