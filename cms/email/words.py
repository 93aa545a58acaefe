"""The words the email template adds around the editors' copy, in every locale the CMS ships (English first)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "offer.code": {"en": "Use code", "fr": "Utilisez le code"},
    "offer.until": {"en": "Until", "fr": "Jusqu’au"},
    "offer.shop": {"en": "Shop the offer", "fr": "Profiter de l’offre"},
    "products.title": {"en": "Featured products", "fr": "Produits à la une"},
    "products.see": {"en": "See the product", "fr": "Voir le produit"},
    "tutorials.title": {"en": "Learn how", "fr": "Nos tutoriels"},
}
FALLBACK = "en"


def words_for(locale: str) -> dict[str, str]:
    """Each text in `locale` (its language, then English): `offer.code` → `Utilisez le code` for `fr-CA`."""
    language = locale.split("-")[0]
    return {key: texts.get(locale) or texts.get(language) or texts[FALLBACK] for key, texts in WORDS.items()}
