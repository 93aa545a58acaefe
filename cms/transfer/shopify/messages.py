"""What a Shopify import says about a refused row, by code, in English and French (`--lang`).

A refusal carries its code and the values its sentence names; the English sentence is its `reason`. Problems the
model finds keep the model's codes (`value.<code>`), rendered from the admin's catalogue.
"""

from __future__ import annotations

from typing import Any

import msgspec

from cms.transfer.reading import Refusal

MESSAGES: dict[str, dict[str, str]] = {
    "no_variant_row": {
        "en": "the product has no variant row (no price, no SKU)",
        "fr": "le produit n’a aucune ligne de déclinaison (ni prix, ni référence)",
    },
    "missing_handle": {
        "en": "missing: every row names its product’s handle",
        "fr": "manquant : chaque ligne nomme le handle de son produit",
    },
    "no_category": {
        "en": "no category “{wanted}” (by {match}): create it, or map “{text}” to a category’s slug under "
        "[category.values] in the mapping file",
        "fr": "aucune catégorie « {wanted} » (par {match}) : créez-la, ou associez « {text} » à l’identifiant d’une "
        "catégorie sous [category.values] dans le fichier de correspondance",
    },
    "options_needed": {
        "en": "a second variant needs option values (Option1 Name and Value)",
        "fr": "une deuxième déclinaison demande des valeurs d’option (Option1 Name et Value)",
    },
    "no_axis": {
        "en": "no option axis for “{name}” in {type} (axes: {known}): map it under [options.'{name}'] in the "
        "mapping file",
        "fr": "aucun axe d’option pour « {name} » dans {type} (axes : {known}) : associez-le sous "
        "[options.'{name}'] dans le fichier de correspondance",
    },
    "missing_option": {
        "en": "missing: every variant needs a {axis}",
        "fr": "manquant : chaque déclinaison demande une valeur de {axis}",
    },
    "unknown_option": {
        "en": "unknown {axis} “{value}” (known: {known}): map it under [options.'{name}'.values] in the mapping file",
        "fr": "{axis} « {value} » inconnu (connus : {known}) : associez-le sous [options.'{name}'.values] dans le "
        "fichier de correspondance",
    },
    "missing_sku": {
        "en": "missing: every variant needs its SKU",
        "fr": "manquant : chaque déclinaison demande sa référence (SKU)",
    },
    "missing_gtin": {
        "en": "missing: every variant needs its GTIN (barcode)",
        "fr": "manquant : chaque déclinaison demande son GTIN (code-barres)",
    },
    "invalid_gtin": {
        "en": "“{value}” is not a valid GTIN: 8, 12, 13 or 14 digits ending with their check digit",
        "fr": "« {value} » n’est pas un GTIN valide : 8, 12, 13 ou 14 chiffres finissant par leur clé de contrôle",
    },
    "missing_price": {
        "en": "missing: every variant needs a price",
        "fr": "manquant : chaque déclinaison demande un prix",
    },
    "invalid_price": {
        "en": "“{value}” is not a price (write it as 12.99)",
        "fr": "« {value} » n’est pas un prix (écrivez-le 12.99)",
    },
    "invalid_compare_at": {
        "en": "“{value}” is not a compare-at price (write it as 12.99, or leave it empty)",
        "fr": "« {value} » n’est pas un prix barré (écrivez-le 12.99, ou laissez-le vide)",
    },
    "invalid_quantity": {
        "en": "“{value}” is not a quantity: a whole number of units, from 0 to 2147483647",
        "fr": "« {value} » n’est pas une quantité : un nombre entier d’unités, de 0 à 2147483647",
    },
    "negative_quantity": {
        "en": "“{value}”: a quantity cannot be negative (Shopify counts oversold units below zero): write 0",
        "fr": "« {value} » : une quantité ne peut pas être négative (Shopify compte sous zéro les unités survendues) : "
        "écrivez 0",
    },
    "quantity_needs_sku": {
        "en": "a quantity needs the variant’s SKU (Variant SKU): stock is kept by SKU",
        "fr": "une quantité demande la référence de la déclinaison (Variant SKU) : le stock est tenu par référence",
    },
    "stock_stale": {
        "en": "stock of {sku} at {location} not written: {reason}",
        "fr": "stock de {sku} à {location} non écrit : le stock enregistré est plus récent que ce fichier",
    },
    "stock_refused": {
        "en": "stock of {sku} at {location} not written: {reason}",
        "fr": "stock de {sku} à {location} non écrit : {reason}",
    },
    "image_missing": {
        "en": "image “{name}” is not in the images folder (--images)",
        "fr": "l’image « {name} » n’est pas dans le dossier d’images (--images)",
    },
    "image_needs_folder": {
        "en": "image “{name}” needs --images DIR to be read",
        "fr": "l’image « {name} » ne peut être lue qu’avec --images DOSSIER",
    },
    "image_refused": {
        "en": "image “{name}”: {reason}",
        "fr": "image « {name} » : {reason}",
    },
    "image_position": {
        "en": "“{value}” is not a whole number",
        "fr": "« {value} » n’est pas un nombre entier",
    },
    "claimed_in_file": {
        "en": "the same value as product “{owner}” of this file",
        "fr": "la même valeur que le produit « {owner} » de ce fichier",
    },
    "claimed_in_database": {
        "en": "already used by entry “{owner}” in the database",
        "fr": "déjà utilisé par le contenu « {owner} » dans la base",
    },
    "nothing_saved": {
        "en": "{handle}: nothing saved: {reason}",
        "fr": "{handle} : rien n’a été enregistré : {reason}",
    },
    "not_published": {
        "en": "{handle}: saved as version {version}, not published: {reason}",
        "fr": "{handle} : enregistré en version {version}, non publié : {reason}",
    },
}


class RowRefusal(Refusal, frozen=True):
    """A refusal by CSV line and column (`path`), with the code and values of its sentence."""

    code: str = ""
    params: dict[str, Any] = msgspec.field(default_factory=dict)


def refuse(line: int, column: str, code: str, **params: Any) -> RowRefusal:
    return RowRefusal(line, column, MESSAGES[code]["en"].format_map(params), code, params)
