"""The facts of a projection: the few values of its document that lists filter and sort on.

On SQLite every filter or sort expression reads a value with `json_extract`, which parses the whole JSON
text it is given. A list's index finds candidate rows by one filter; each further filter (and a sort the
index does not give) is then tested on the row, and SQLite 3.40 reads it from the row, not from an index
holding it: with the document (~2 KB) that is a parse of 2 KB per candidate. The facts are those values
alone (~100-200 bytes), written beside the document when it is projected, and read by delivery's filter,
sort and unique-lookup expressions on SQLite (`cms.delivery.sql`). PostgreSQL reads `jsonb` by key, and
its sort values are generated columns: it does not use them.

The facts hold every filterable, sortable and unique field of the type; for each of those holding text
(string, slug, text), its folded value too (`~<key>`: lower case, accents and ligatures folded, by
cms.lib.folding, since SQLite's `lower()` folds ASCII only), which `contains` filters and string sorts
compare; and under `~` the digest of that list and of this format: a model that makes another field
filterable changes the digest, and the rows written before are computed again at start
(`cms.delivery.indexes.sync_field_indexes`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from cms.lib.folding import fold
from cms.model.definitions import ContentType
from cms.model.names import camel_case

DIGEST_KEY = "~"
FOLDED = "~"
"""Prefix of a folded value's key: `~name` holds the folded `name`."""
FORMAT = 2
"""Part of the digest: facts written in another format are computed again."""
TEXT_KINDS = ("string", "slug", "text")
_encode = msgspec.json.Encoder().encode
_plans: dict[int, tuple[ContentType, tuple[str, ...], tuple[str, ...], str]] = {}


def fact_keys(content_type: ContentType) -> tuple[str, ...]:
    """The document keys of the fields lists filter, sort or look up by."""
    return tuple(sorted(camel_case(f.name) for f in content_type.fields if f.filterable or f.sortable or f.unique))


def folded_keys(content_type: ContentType) -> tuple[str, ...]:
    """The keys among `fact_keys` whose folded text the facts hold too."""
    return tuple(
        sorted(
            camel_case(f.name)
            for f in content_type.fields
            if (f.filterable or f.sortable or f.unique) and f.kind in TEXT_KINDS
        )
    )


def facts_digest(content_type: ContentType) -> str:
    listed = f"{FORMAT}:{','.join(fact_keys(content_type))}:{','.join(folded_keys(content_type))}"
    return hashlib.sha256(listed.encode()).hexdigest()[:8]


def facts_of(content_type: ContentType, document: dict[str, Any]) -> str:
    """The facts of `document` (a delivered document of `content_type`), as JSON text."""
    keys, folded, digest = _facts_plan(content_type)
    facts: dict[str, Any] = {DIGEST_KEY: digest}
    for key in keys:
        if key in document:
            facts[key] = document[key]
    for key in folded:
        value = document.get(key)
        if isinstance(value, str):
            facts[FOLDED + key] = fold(value)
    return _encode(facts).decode()


def _facts_plan(content_type: ContentType) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """`fact_keys`, `folded_keys` and `facts_digest` of the type, computed once per type: facts_of runs per
    document, and recomputing them was a third of its time (an import projects 14 documents per product).
    Keyed by identity, the type kept alongside so that its id is never reused while cached."""
    found = _plans.get(id(content_type))
    if found is None or found[0] is not content_type:
        found = (content_type, fact_keys(content_type), folded_keys(content_type), facts_digest(content_type))
        _plans[id(content_type)] = found
    return found[1], found[2], found[3]
