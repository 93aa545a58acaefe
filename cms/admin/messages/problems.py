"""Admin words: what validation and the consistency check report, by code, in English and French.

Placeholders: `{name}` is a parameter (numbers formatted for the language by Babel); `{name:one|other}`
is the word form for that number under the language's plural rules (French counts 0 and 1,5 as
singular). Keys: `value.<code>` (a value that does not fit its field), `finding.<rule>[.<fact>]` and
`finding.<rule>.suggestion` (consistency findings), `got.<kind>` (what was given instead).
"""

PROBLEMS: dict[str, dict[str, str]] = {
    # --- values (cms/model/values.py, cms/model/entry_data.py, the admin form) ---------------------
    "value.required": {"en": "is required", "fr": "est obligatoire"},
    "value.taken": {
        "en": "is already used by another entry, “{holder}”: change it here or there",
        "fr": "est déjà utilisé par un autre contenu, « {holder} » : changez-le ici ou là-bas",
    },
    "value.not_after": {
        "en": "must come after {after} ({earlier})",
        "fr": "doit venir après {after} ({earlier})",
    },
    "value.expected_text": {"en": "expected text, got {got}", "fr": "un texte est attendu, pas {got}"},
    "value.too_long": {
        "en": "is {length} {length:character|characters} long, over the limit of {limit} by {over}",
        "fr": "compte {length} {length:caractère|caractères}, {over} de plus que la limite de {limit}",
    },
    "value.too_long_on": {
        "en": "is {length} {length:character|characters} long as {channel} counts them, over the limit of {limit} "
        "by {over}",
        "fr": "compte {length} {length:caractère|caractères} comme {channel} les compte, {over} de plus que la "
        "limite de {limit}",
    },
    "value.unique_too_long": {
        "en": "is {length} {length:character|characters} long; a unique value has at most {limit}",
        "fr": "compte {length} {length:caractère|caractères} ; une valeur unique en a au plus {limit}",
    },
    "value.slug_too_long": {
        "en": "is {length} {length:character|characters} long; a slug has at most {limit}",
        "fr": "compte {length} {length:caractère|caractères} ; un identifiant d’URL en a au plus {limit}",
    },
    "value.nul_character": {
        "en": "contains a NUL character, which cannot be stored",
        "fr": "contient un caractère NUL, qui ne peut pas être enregistré",
    },
    "value.not_gtin": {
        "en": "“{value}” is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)",
        "fr": "« {value} » n’est pas un GTIN valide (8, 12, 13 ou 14 chiffres avec une clé de contrôle correcte)",
    },
    "value.not_url": {"en": "“{value}” is not an http(s) URL", "fr": "« {value} » n’est pas une URL http(s)"},
    "value.not_email": {"en": "“{value}” is not an email address", "fr": "« {value} » n’est pas une adresse e-mail"},
    "value.not_slug": {
        "en": "“{value}” is not a slug: use lower-case letters, digits and single hyphens",
        "fr": "« {value} » n’est pas un identifiant d’URL : utilisez des minuscules, des chiffres et des tirets "
        "simples",
    },
    "value.expected_integer": {
        "en": "expected a whole number, got {got}",
        "fr": "un nombre entier est attendu, pas {got}",
    },
    "value.not_integer": {"en": "“{value}” is not a whole number", "fr": "« {value} » n’est pas un nombre entier"},
    "value.too_many_places": {
        "en": "{value} has more than {places} decimal {places:place|places}",
        "fr": "{value} a plus de {places} {places:décimale|décimales}",
    },
    "value.expected_boolean": {"en": "expected yes or no, got {got}", "fr": "oui ou non est attendu, pas {got}"},
    "value.expected_datetime": {
        "en": "expected a date and time, got {got}",
        "fr": "une date et une heure sont attendues, pas {got}",
    },
    "value.not_datetime": {
        "en": "“{value}” is not a date and time such as 2026-03-01 09:00",
        "fr": "« {value} » n’est pas une date et une heure comme 01/03/2026 09:00",
    },
    "value.no_timezone": {
        "en": "“{value}” has no time zone",
        "fr": "« {value} » n’a pas de fuseau horaire",
    },
    "value.not_in_enum": {
        "en": "“{value}” is not one of: {values}",
        "fr": "« {value} » ne fait pas partie de : {values}",
    },
    "value.expected_money": {
        "en": "expected an amount and a currency",
        "fr": "un montant et une devise sont attendus",
    },
    "value.not_currency": {
        "en": "“{value}” is not a currency code such as EUR",
        "fr": "« {value} » n’est pas un code de devise comme EUR",
    },
    "value.negative": {"en": "cannot be negative", "fr": "ne peut pas être négatif"},
    "value.currency_places": {
        "en": "{currency} amounts have at most {places} decimal {places:place|places}",
        "fr": "les montants en {currency} ont au plus {places} {places:décimale|décimales}",
    },
    "value.expected_reference": {"en": "expected an entry, got {got}", "fr": "un contenu est attendu, pas {got}"},
    "value.expected_asset": {"en": "expected an image, got {got}", "fr": "une image est attendue, pas {got}"},
    "value.expected_list": {"en": "expected a list, got {got}", "fr": "une liste est attendue, pas {got}"},
    "value.expected_object": {"en": "expected an object, got {got}", "fr": "un objet est attendu, pas {got}"},
    "value.duplicate_reference": {"en": "lists the same entry twice", "fr": "cite deux fois le même contenu"},
    "value.unknown_subfield": {
        "en": "unknown field “{name}” (expected: {known})",
        "fr": "champ « {name} » inconnu (attendus : {known})",
    },
    "value.below_minimum": {
        "en": "{value} is below the minimum of {minimum}",
        "fr": "{value} est inférieur au minimum de {minimum}",
    },
    "value.above_maximum": {
        "en": "{value} is above the maximum of {maximum}",
        "fr": "{value} est supérieur au maximum de {maximum}",
    },
    "value.expected_decimal": {
        "en": "expected a decimal number such as 12.5, got {got}",
        "fr": "un nombre décimal comme 12,5 est attendu, pas {got}",
    },
    "value.not_decimal": {"en": "“{value}” is not a decimal number", "fr": "« {value} » n’est pas un nombre décimal"},
    "value.not_finite": {"en": "“{value}” is not a finite number", "fr": "« {value} » n’est pas un nombre fini"},
    "value.out_of_range": {
        "en": "“{value}” is out of range: at most 30 digits before the point and 40 in all",
        "fr": "« {value} » est hors limites : au plus 30 chiffres avant la virgule et 40 en tout",
    },
    "value.not_json": {
        "en": "is not valid JSON (line {line}, column {column})",
        "fr": "n’est pas du JSON valide (ligne {line}, colonne {column})",
    },
    "value.unknown_channel": {"en": "unknown channel “{channel}”", "fr": "canal « {channel} » inconnu"},
    "value.unknown_locale": {"en": "unknown language “{locale}”", "fr": "langue « {locale} » inconnue"},
    "value.unknown_field": {"en": "unknown field “{name}”", "fr": "champ « {name} » inconnu"},
    "value.not_localized": {
        "en": "is not translated: set it in {locale} only",
        "fr": "n’est pas traduit : saisissez-le en {locale} uniquement",
    },
    "value.not_on_channel": {
        "en": "is not shown on {channel}",
        "fr": "n’est pas affiché sur {channel}",
    },
    "value.unique_per_channel": {
        "en": "is unique across entries and cannot differ per channel",
        "fr": "est unique parmi les contenus et ne peut pas varier selon le canal",
    },
    "value.variants_per_channel": {
        "en": "variants are shared by every channel: edit them in the base values",
        "fr": "les variantes sont communes à tous les canaux : modifiez-les dans les valeurs de base",
    },
    # variants (cms/model/variants.py): rows are counted from 1, as the admin's grid shows them
    "value.expected_variants": {"en": "expected a list of variants", "fr": "une liste de déclinaisons est attendue"},
    "value.expected_variant": {
        "en": "expected an object with sku, gtin, options (and optionally price, compare_at, images)",
        "fr": "un objet avec sku, gtin, options (et éventuellement price, compare_at, images) est attendu",
    },
    "value.unknown_variant_key": {
        "en": "unknown key “{key}” (expected: {expected})",
        "fr": "clé « {key} » inconnue (attendu : {expected})",
    },
    "value.not_sku": {
        "en": "“{value}” is not a SKU: up to {max} letters, digits and . _ / -, no spaces",
        "fr": "« {value} » n’est pas une référence : jusqu’à {max} lettres, chiffres et . _ / -, sans espace",
    },
    "value.expected_options": {
        "en": "give a value for each option ({axes})",
        "fr": "donnez une valeur pour chaque option ({axes})",
    },
    "value.unknown_option": {
        "en": "unknown option “{name}” (options: {axes})",
        "fr": "option « {name} » inconnue (options : {axes})",
    },
    "value.no_option_value": {
        "en": "give a value for at least one option ({axes})",
        "fr": "donnez une valeur pour au moins une option ({axes})",
    },
    "value.not_option_value": {
        "en": "“{value}” is not a value of option {name} (values: {values})",
        "fr": "« {value} » n’est pas une valeur de l’option {name} (valeurs : {values})",
    },
    "value.variant_axis_missing": {
        "en": "is required: the first variant varies by it, so every variant gives it",
        "fr": "est obligatoire : la première déclinaison varie selon cette option, toutes doivent la donner",
    },
    "value.variant_axis_extra": {
        "en": "the first variant does not vary by this option: every variant varies by the same options",
        "fr": "la première déclinaison ne varie pas selon cette option : toutes varient selon les mêmes options",
    },
    "value.variant_same_options": {
        "en": "same options as row {row}: each variant is one combination",
        "fr": "mêmes options que la ligne {row} : chaque déclinaison est une combinaison unique",
    },
    "value.variant_repeated": {
        "en": "“{value}” is already the {what} of row {row}",
        "fr": "« {value} » est déjà le {what} de la ligne {row}",
    },
    # an upload the media pipeline refused (cms/media: UploadRefused.code), as the admin's upload shows it
    "upload.empty": {
        "en": "the file is empty (0 bytes): choose the image again",
        "fr": "le fichier est vide (0 octet) : choisissez à nouveau l’image",
    },
    "upload.too_large": {
        "en": "the file is larger than the upload limit of {limit}: make it smaller",
        "fr": "le fichier dépasse la limite d’envoi de {limit} : réduisez-le",
    },
    "upload.not_image": {
        "en": "the file is not a JPEG, PNG, WebP or AVIF image (judged by its content, not its name)",
        "fr": "le fichier n’est pas une image JPEG, PNG, WebP ou AVIF (d’après son contenu, pas son nom)",
    },
    "upload.animated": {
        "en": "animated images are not accepted: upload a still image (one frame)",
        "fr": "les images animées ne sont pas acceptées : envoyez une image fixe (une seule vue)",
    },
    "upload.damaged": {
        "en": "the image is damaged or truncated: upload the complete file again",
        "fr": "l’image est endommagée ou tronquée : envoyez à nouveau le fichier complet",
    },
    "upload.no_pixels": {"en": "the image has no pixels", "fr": "l’image n’a aucun pixel"},
    "upload.too_many_pixels": {
        "en": "the image is {size}, over the limit of {limit} megapixels: downscale it before uploading",
        "fr": "l’image fait {size}, au-delà de la limite de {limit} mégapixels : réduisez-la avant de l’envoyer",
    },
    "upload.svg": {
        "en": "SVG is not accepted (it can carry scripts): export the image as PNG or WebP instead",
        "fr": "le SVG n’est pas accepté (il peut contenir des scripts) : exportez l’image en PNG ou en WebP",
    },
    "upload.wrong_extension": {
        "en": "the file is named .{suffix} but its content is a {kind} image: rename it to .{extension}",
        "fr": "le fichier se termine par .{suffix} mais contient une image {kind} : renommez-le en .{extension}",
    },
    "upload.wrong_type": {
        "en": "the file is declared as {declared} but its content is a {kind} image",
        "fr": "le fichier est déclaré comme {declared} mais contient une image {kind}",
    },
    "upload.polyglot": {
        "en": "the file holds something else besides the image (a polyglot): export the image again from an"
        " image editor",
        "fr": "le fichier contient autre chose que l’image (un polyglotte) : exportez à nouveau l’image depuis un"
        " éditeur d’images",
    },
    "upload.no_file": {"en": "choose one image to upload", "fr": "choisissez une image à envoyer"},
    # What was given instead
    "got.text": {"en": "text", "fr": "un texte"},
    "got.boolean": {"en": "yes or no", "fr": "oui ou non"},
    "got.number": {"en": "a number", "fr": "un nombre"},
    "got.list": {"en": "a list", "fr": "une liste"},
    "got.object": {"en": "an object", "fr": "un objet"},
    "got.nothing": {"en": "nothing", "fr": "rien"},
    "got.other": {"en": "something else", "fr": "autre chose"},
    # --- consistency findings (cms/consistency) ----------------------------------------------------
    "finding.budget_hard": {
        "en": "{field} is {length} {length:character|characters} long, over the budget of {limit} on {channel} by "
        "{over}",
        "fr": "{field} compte {length} {length:caractère|caractères}, soit {over} de plus que le budget de {limit} "
        "sur {channel}",
    },
    "finding.budget_hard.suggestion": {
        "en": "shorten it by {over} {over:character|characters}, or add an override for {channel}",
        "fr": "raccourcissez-le de {over} {over:caractère|caractères}, ou ajoutez un remplacement pour {channel}",
    },
    "finding.budget_soft": {
        "en": "{field} is {length} {length:character|characters} long; {channel} shows only {limit} before truncating",
        "fr": "{field} compte {length} {length:caractère|caractères} ; {channel} n’en affiche que {limit} avant de "
        "couper",
    },
    "finding.budget_soft.suggestion": {
        "en": "put what matters in the first {limit} {limit:character|characters}",
        "fr": "placez l’essentiel dans les {limit} premiers caractères",
    },
    "finding.forbidden_term": {
        "en": "“{term}” is not in the brand voice",
        "fr": "« {term} » ne correspond pas au ton de la marque",
    },
    "finding.custom_term": {"en": "“{term}” {custom}", "fr": "« {term} » {custom}"},
    "finding.claim_needs_review": {
        "en": "“{term}” is a claim that needs legal review",
        "fr": "« {term} » est une allégation à faire valider par le service juridique",
    },
    "finding.claim_needs_review.suggestion": {
        "en": "state the fact behind it, or have it reviewed",
        "fr": "énoncez le fait qui la justifie, ou faites-la valider",
    },
    "finding.preferred_term": {
        "en": "write “{use}” rather than “{term}”",
        "fr": "écrivez « {use} » plutôt que « {term} »",
    },
    "finding.preferred_term.suggestion": {"en": "{use}", "fr": "{use}"},
    "finding.canonical_name": {
        "en": "write the name as “{name}”, not “{term}”",
        "fr": "écrivez le nom « {name} », pas « {term} »",
    },
    "finding.canonical_name.suggestion": {"en": "{name}", "fr": "{name}"},
    "finding.exclamation": {
        "en": "{count} exclamation {count:mark|marks} in {field}; at most {allowed} on {channel}",
        "fr": "{count} {count:point|points} d’exclamation dans {field} ; au plus {allowed} sur {channel}",
    },
    "finding.exclamation.suggestion": {
        "en": "end the sentence with a full stop",
        "fr": "terminez la phrase par un point",
    },
    "finding.emoji": {
        "en": "{count} emoji in {field}; emoji are allowed only on {channels}",
        "fr": "{count} {count:émoji|émojis} dans {field} ; les émojis ne sont permis que sur {channels}",
    },
    "finding.emoji.suggestion": {
        "en": "remove them, or move them to an override for {channels}",
        "fr": "retirez-les, ou déplacez-les dans un remplacement pour {channels}",
    },
    "finding.sentence_too_long": {
        "en": "this sentence has {words} {words:word|words}; keep sentences to {limit} at most",
        "fr": "cette phrase compte {words} {words:mot|mots} ; limitez les phrases à {limit}",
    },
    "finding.sentence_too_long.suggestion": {"en": "split it in two", "fr": "coupez-la en deux"},
    "finding.average_sentence_length": {
        "en": "sentences average {average} words; aim for {limit} or fewer",
        "fr": "les phrases comptent {average} mots en moyenne ; visez {limit} ou moins",
    },
    "finding.average_sentence_length.suggestion": {
        "en": "use shorter sentences",
        "fr": "faites des phrases plus courtes",
    },
    "finding.missing_disclaimer": {
        "en": "a required mention ({name}) is missing",
        "fr": "une mention obligatoire ({name}) manque",
    },
    "finding.unknown_offer": {
        "en": "refers to offer “{offer}”, which does not exist",
        "fr": "cite l’offre « {offer} », qui n’existe pas",
    },
    "finding.unknown_offer.suggestion": {"en": "check the offer’s slug", "fr": "vérifiez l’identifiant de l’offre"},
    "finding.unknown_offer_field": {
        "en": "offer {offer} has no field “{name}”",
        "fr": "l’offre {offer} n’a pas de champ « {name} »",
    },
    "finding.unknown_offer_field.suggestion": {"en": "use one of: {known}", "fr": "utilisez l’un de : {known}"},
    "finding.empty_offer_field": {
        "en": "offer {offer} has no {name} in {locale}",
        "fr": "l’offre {offer} n’a pas de valeur « {name} » en {locale}",
    },
    "finding.empty_offer_field.suggestion": {
        "en": "fill it in on the offer, or remove the token",
        "fr": "renseignez-la dans l’offre, ou retirez la référence",
    },
    "finding.offer_ended": {
        "en": "offer {offer} ended on {ended}: the copy around this token is no longer served",
        "fr": "l’offre {offer} a pris fin le {ended} : le texte autour de cette référence n’est plus diffusé",
    },
    "finding.offer_ended.suggestion": {
        "en": "remove the sentence or refer to a current offer",
        "fr": "retirez la phrase ou citez une offre en cours",
    },
    "finding.offer_drift.is": {
        "en": "says {said} but offer {offer} is {actual}",
        "fr": "indique {said} alors que l’offre {offer} est de {actual}",
    },
    "finding.offer_drift.runs": {
        "en": "says {said} but offer {offer} runs from {start} to {end}",
        "fr": "indique {said} alors que l’offre {offer} court du {start} au {end}",
    },
    "finding.offer_drift.has_code": {
        "en": "says {said} but offer {offer} has code {actual}",
        "fr": "indique {said} alors que le code de l’offre {offer} est {actual}",
    },
    "finding.offer_drift.has_no_code": {
        "en": "says {said} but offer {offer} has no code",
        "fr": "indique {said} alors que l’offre {offer} n’a pas de code",
    },
    "finding.offer_drift.suggestion": {"en": "write {token} instead", "fr": "écrivez plutôt {token}"},
    "finding.offer_understated.is": {
        "en": "says {said} but offer {offer} is {actual}: the copy promises less than the offer gives",
        "fr": "indique {said} alors que l’offre {offer} est de {actual} : le texte promet moins que l’offre",
    },
    "finding.offer_understated.runs": {
        "en": "says {said} but offer {offer} runs from {start} to {end}: the copy promises less than the offer gives",
        "fr": "indique {said} alors que l’offre {offer} court du {start} au {end} : le texte promet moins que l’offre",
    },
    "finding.offer_understated.suggestion": {"en": "write {token} instead", "fr": "écrivez plutôt {token}"},
    "finding.price_drift": {
        "en": "says {said} but the price is {actual}",
        "fr": "indique {said} alors que le prix est de {actual}",
    },
    "finding.price_drift.suggestion": {
        "en": "write {actual}, or remove the figure",
        "fr": "écrivez {actual}, ou retirez le chiffre",
    },
    # live facts (cms/consistency/live_facts.py): copy against the stock and the prices of each channel now
    "finding.stock_claim.none": {
        "en": "says “{said}” but {channel} has none left at its locations now",
        "fr": "indique « {said} » alors que {channel} n’en a plus aucun dans ses points de vente",
    },
    "finding.stock_claim.some": {
        "en": "says “{said}” but {channel} has some in stock now",
        "fr": "indique « {said} » alors que {channel} en a en stock",
    },
    "finding.stock_claim.suggestion": {
        "en": "remove the phrase: the channel shows the live availability itself",
        "fr": "retirez la mention : le canal affiche lui-même la disponibilité en temps réel",
    },
    "finding.price_live": {
        "en": "says {said} but {channel} charges {actual} now",
        "fr": "indique {said} alors que {channel} facture {actual} actuellement",
    },
    "finding.price_live.suggestion": {
        "en": "write the price {channel} charges, or remove the figure",
        "fr": "écrivez le prix facturé sur {channel}, ou retirez le chiffre",
    },
    # Where a finding applies when no one channel is named
    "finding.every_channel": {"en": "every channel", "fr": "tous les canaux"},
    "finding.no_channel": {"en": "no channel", "fr": "aucun canal"},
}
