"""Text folded for comparison: lower case, accents and ligatures folded ("Élégant Œuvre" -> "elegant oeuvre").

Search folds words with it (cms.search.text); SQLite's `contains` filters and string sorts compare folded
values kept in each projection's facts (cms.model.facts), since SQLite's own `lower()` folds ASCII only.
"""

from __future__ import annotations

import unicodedata

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})


def fold(text: str) -> str:
    """Lower case without accents: "Élégant Œuvre" -> "elegant oeuvre"."""
    if text.isascii():  # most words: nothing to decompose (a fifth of indexing a product went to the loop below)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
