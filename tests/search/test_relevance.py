"""Relevance over the demo catalogue: a judged set of what shoppers type, in English and French, with the
entries they expect; the expected entry must be in the top 3 for at least 90% of the queries.

Generic queries ("kettles") accept any entry of the product line, as a shopper would; a query naming a
model, a GTIN or a SKU expects that one entry. The set covers plurals, accents typed or not, typos, brand
names, codes, prefixes and a sentence spoken to an assistant. The suite runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.search.helpers import search

TOP = 3
REQUIRED_SHARE = 0.9

KNIVES = {"forge-chefs-knife", "rive-chefs-knife", "sorel-chefs-knife", "cade-chefs-knife"}
CASSEROLES = {f"{m}-cast-iron-casserole" for m in ("ardoise", "cerise", "mistral", "garrigue")}
KETTLES = {f"{m}-electric-kettle" for m in ("alba", "nuit", "sauge", "ample")}
POUR_OVERS = {f"{m}-pour-over-coffee-maker" for m in ("clair", "ambre", "duo", "tablee")} | {"brew-a-better-pour-over"}
TEAPOTS = {f"{m}-teapot" for m in ("brume", "matcha", "cannelle", "lune")}
GRINDERS = {f"{m}-burr-coffee-grinder" for m in ("causse", "volta", "minuit", "nomade")}
THROWS = {f"{m}-linen-throw" for m in ("sable", "romarin", "craie", "argile")}
CANDLES = {f"{m}-scented-candle" for m in ("figuier", "tilleul", "maquis", "feu-de-bois")}
PENDANTS = {f"{m}-pendant-light" for m in ("rotin", "cloche", "voile", "verriere")}
PLANTERS = {f"{m}-terracotta-planter" for m in ("baou", "calanque", "olivier", "garance")}
SHEARS = {f"{m}-pruning-shears" for m in ("classique", "gaucher", "rotatif", "mini")}
BOTTLES = {f"{m}-insulated-bottle" for m in ("glacier", "foret", "sommet", "galopin")}
LANTERNS = {f"{m}-camping-lantern" for m in ("veillee", "soleil", "luciole", "bivouac")}
SPEAKERS = {f"{m}-bluetooth-speaker" for m in ("alto", "soprano", "basse", "tenor")}
HEADPHONES = {f"{m}-wireless-headphones" for m in ("silence", "nocturne", "studio", "voyage")}

JUDGED: list[tuple[str, str, set[str]]] = [
    # English: names, plurals, models
    ("en", "scented candles", CANDLES),
    ("en", "figuier candle", {"figuier-scented-candle"}),
    ("en", "tilleul", {"tilleul-scented-candle"}),
    ("en", "chef's knife rive", {"rive-chefs-knife"}),
    ("en", "cast iron casserole cerise", {"cerise-cast-iron-casserole"}),
    ("en", "kettles", KETTLES),
    ("en", "matcha teapot", {"matcha-teapot"}),
    ("en", "pour-over coffee", POUR_OVERS),
    ("en", "burr grinders", GRINDERS),
    ("en", "linen throws", THROWS),
    ("en", "opaline table lamp", {"opaline-table-lamp"}),
    ("en", "pendant lights", PENDANTS),
    ("en", "wireless headphones", HEADPHONES),
    ("en", "keep a knife sharp", {"keep-your-chefs-knife-sharp"}),
    ("en", "repot a houseplant", {"repot-a-houseplant-in-terracotta"}),
    # English: typos, prefixes, brands, codes
    ("en", "scentd candle", CANDLES),
    ("en", "headphnoes", HEADPHONES),
    ("en", "lanterns campnig", LANTERNS),
    ("en", "casser", CASSEROLES),
    ("en", "Atelier Sonore speaker", SPEAKERS),
    ("en", "Verger & Fils", SHEARS),
    ("en", "3760123000611", {"nocturne-wireless-headphones"}),
    ("en", "ML-LMP-03", {"laiton-table-lamp"}),
    # French: plurals, accents typed or not, typos
    ("fr", "bougies", CANDLES),
    ("fr", "bougie figuier", {"figuier-scented-candle"}),
    ("fr", "cocottes en fonte", CASSEROLES),
    ("fr", "bouilloire electrique", KETTLES),
    ("fr", "théières", TEAPOTS),
    ("fr", "theiere cannelle", {"cannelle-teapot"}),
    ("fr", "cafetière filtre", POUR_OVERS),
    ("fr", "moulin à café", GRINDERS),
    ("fr", "plaid en lin", THROWS),
    ("fr", "lampe à poser laiton", {"laiton-table-lamp"}),
    ("fr", "suspensions", PENDANTS),
    ("fr", "sécateurs", SHEARS),
    ("fr", "gourde etanche", BOTTLES),
    ("fr", "lanterne de camping", LANTERNS),
    ("fr", "enceintes bluetooth", SPEAKERS),
    ("fr", "casque sans fil", HEADPHONES),
    ("fr", "couteau de chef", KNIVES),
    ("fr", "bouiloire", KETTLES),
    ("fr", "cocote", CASSEROLES),
    ("fr", "rempoter une plante", {"repot-a-houseplant-in-terracotta"}),
    ("fr", "daube provençale", {"slow-cook-a-provencal-daube"}),
    ("fr", "3760123000376", {"cloche-pendant-light"}),
    ("fr", "pot en terre cuite", PLANTERS),
    ("fr", "avez-vous un plaid en lin", THROWS),
]


async def test_the_expected_entry_is_in_the_top_three_for_nine_queries_in_ten(client, demo_db) -> None:
    # Given the demo catalogue and the judged queries
    assert len(JUDGED) >= 30
    misses = []
    # When each is searched on the web channel in its language
    for locale, query, expected in JUDGED:
        result = await search(client, "web", query, locale=locale, first=TOP)
        found = [edge["node"].get("slug") for edge in result["edges"]]
        if not expected & set(found):
            misses.append((locale, query, found))
    # Then nine in ten at least find what a shopper expects among the first three
    share = 1 - len(misses) / len(JUDGED)
    print(f"relevance: {share:.0%} of {len(JUDGED)} queries in the top {TOP}; misses: {misses}")
    assert share >= REQUIRED_SHARE, misses


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("en", "3760123000284", "figuier-scented-candle"),
        ("fr", "ML-CDL-01", "figuier-scented-candle"),
        ("en", "ML-KNF-02", "rive-chefs-knife"),
    ],
)
async def test_an_exact_gtin_or_sku_comes_first(client, demo_db, locale: str, query: str, expected: str) -> None:
    result = await search(client, "web", query, locale=locale)
    assert result["edges"][0]["node"]["slug"] == expected
