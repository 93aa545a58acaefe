"""The slug proposed from a name as the editor types (`GET /admin/slug?text=`), transliterated by python-slugify.

The editor's script asks while the slug still follows the name (empty, or never edited by hand); the answer
obeys the model's slug rule (lower-case letters, digits, single hyphens) and its length limit.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from slugify import slugify

from cms.model.values import MAX_SLUG_LENGTH


def propose_slug(text: str) -> str:
    """`Lampe à poser` -> `lampe-a-poser`; `Œuf & crème brûlée` -> `oeuf-creme-brulee`; cut on a word boundary."""
    return str(slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True))


@get("/slug", name="admin:slug")
async def slug_for(request: Request[Any, Any, Any], text: str = "") -> dict[str, str]:
    return {"slug": propose_slug(text[: MAX_SLUG_LENGTH * 4])}


ROUTES: list[Any] = [slug_for]
