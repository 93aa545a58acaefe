"""Demo entries for Maison Lumen, an invented home and lifestyle brand, in English and French.

Pure data in the stored JSON form of `content_types/`: categories, then products, tutorials,
offers and brand messages, so that every reference points to an entry listed earlier.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import unicodedata
from decimal import Decimal
from typing import Any, NamedTuple

import msgspec

BRAND = "Maison Lumen"
SITE = "https://www.maisonlumen.example"
CURRENCY = "EUR"

# GS1 France prefix (376) and an invented company number: 12 digits before the check digit.
_GTIN_PREFIX = "3760123"


class DemoEntry(msgspec.Struct):
    """One entry as an editor would save it: base values per locale and per-channel overrides."""

    content_type: str
    base: dict[str, dict[str, Any]]
    """locale -> field name -> stored value."""
    overrides: dict[str, dict[str, dict[str, Any]]] = {}
    """channel -> locale -> field name -> stored value, only for fields that differ."""


def demo_entries() -> list[DemoEntry]:
    """The whole demo set, identical on every call, referenced entries always listed first."""
    products = _products(random.Random(2026))
    prices = {entry.base["en"]["slug"]: entry.base["en"]["price"]["amount"] for entry in products}
    return [*_categories(), *products, *_tutorials(), *_offers(prices), *_brand_messages(), *_campaigns()]


# --- localized values -------------------------------------------------------------------------


class _Localized(NamedTuple):
    """A value written in both languages; `fr=None` leaves French to fall back to English."""

    en: Any
    fr: Any = None


def _by_locale(**fields: Any) -> dict[str, dict[str, Any]]:
    """Spread field values over locales: localized ones under en and fr, the rest under en."""
    values: dict[str, dict[str, Any]] = {"en": {}, "fr": {}}
    for name, value in fields.items():
        if isinstance(value, _Localized):
            values["en"][name] = value.en
            if value.fr is not None:
                values["fr"][name] = value.fr
        elif value is not None:
            values["en"][name] = value
    return {locale: by_name for locale, by_name in values.items() if by_name}


def _entry(
    content_type: str,
    base: dict[str, dict[str, Any]],
    overrides: dict[str, dict[str, dict[str, Any]]] | None = None,
) -> DemoEntry:
    by_channel = {channel: _with_french_typography(by_locale) for channel, by_locale in (overrides or {}).items()}
    return DemoEntry(content_type, _with_french_typography(base), by_channel)


# French puts a non-breaking space before high punctuation and between a number and what
# follows it; writers type plain spaces and this turns them into the right ones.
_FRENCH_SPACES = (
    (re.compile(r" (?=[:»%])|(?<=«) "), "\u00a0"),
    (re.compile(r" (?=[;!?])"), "\u202f"),
    (re.compile(r"(?<=\d) (?=\S)"), "\u00a0"),
)
_NOT_PROSE = frozenset({"href", "type", "marks"})


def _with_french_typography(by_locale: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    if "fr" not in by_locale:
        return by_locale
    return {**by_locale, "fr": _french_typography(by_locale["fr"])}


def _french_typography(value: Any) -> Any:
    if isinstance(value, str):
        for pattern, space in _FRENCH_SPACES:
            value = pattern.sub(space, value)
        return value
    if isinstance(value, list):
        return [_french_typography(item) for item in value]
    if isinstance(value, dict):
        return {key: item if key in _NOT_PROSE else _french_typography(item) for key, item in value.items()}
    return value


# --- rich text --------------------------------------------------------------------------------


def _text(text: str, *marks: str) -> dict[str, Any]:
    inline: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        inline["marks"] = list(marks)
    return inline


def _link(href: str, label: str) -> dict[str, Any]:
    return {"type": "link", "href": href, "children": [_text(label)]}


def _paragraph(*inlines: dict[str, Any] | str) -> dict[str, Any]:
    """A paragraph of inlines, where a plain string is unmarked text and empty ones are dropped."""
    children = [_text(inline) if isinstance(inline, str) else inline for inline in inlines if inline]
    return {"type": "paragraph", "children": children}


def _heading(text: str, level: int = 2) -> dict[str, Any]:
    return {"type": "heading", "level": level, "children": [_text(text)]}


def _bullets(*items: str) -> dict[str, Any]:
    return {"type": "list", "ordered": False, "items": [[_text(item)] for item in items]}


def _quote(text: str) -> dict[str, Any]:
    return {"type": "quote", "children": [_text(text, "italic")]}


# Bilingual block builders: each takes the English then the French text and returns the two
# blocks side by side, so that a document is written once, in the order it reads.
_Pair = tuple[str, str]
_BlockPair = tuple[dict[str, Any], dict[str, Any]]


def _p(en: str, fr: str) -> _BlockPair:
    return _paragraph(en), _paragraph(fr)


def _p_bold_lead(lead: _Pair, rest: _Pair) -> _BlockPair:
    """A paragraph opening with a sentence in bold."""
    en, fr = (_paragraph(_text(bold, "bold"), f" {plain}") for bold, plain in zip(lead, rest, strict=True))
    return en, fr


def _h(en: str, fr: str) -> _BlockPair:
    return _heading(en), _heading(fr)


def _ul(*items: _Pair) -> _BlockPair:
    return _bullets(*(en for en, _ in items)), _bullets(*(fr for _, fr in items))


def _q(en: str, fr: str) -> _BlockPair:
    return _quote(en), _quote(fr)


def _p_link(before: _Pair, path: str, label: _Pair, after: _Pair = (".", ".")) -> _BlockPair:
    """A paragraph with a link to the brand's site, in each language's section of it."""
    en = _paragraph(before[0], _link(f"{SITE}/en/{path}", label[0]), after[0])
    fr = _paragraph(before[1], _link(f"{SITE}/fr/{path}", label[1]), after[1])
    return en, fr


def _document(*blocks: _BlockPair, english_only: bool = False) -> _Localized:
    english = {"blocks": [en for en, _ in blocks]}
    return _Localized(english, None if english_only else {"blocks": [fr for _, fr in blocks]})


def _money(amount: Decimal | str) -> dict[str, str]:
    return {"amount": f"{Decimal(amount):.2f}", "currency": CURRENCY}


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _gtin13(index: int) -> str:
    body = f"{_GTIN_PREFIX}{index:05d}"
    weighted = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(body))
    return f"{body}{(10 - weighted % 10) % 10}"


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- categories -------------------------------------------------------------------------------

# slug, parent, name, description
_CATEGORIES: tuple[tuple[str, str | None, _Pair, _Pair], ...] = (
    (
        "kitchen",
        None,
        ("Kitchen", "Cuisine"),
        (
            "Knives, cast iron and everyday tools, made to be used daily and handed down.",
            "Couteaux, fonte et ustensiles du quotidien, faits pour servir tous les jours et se transmettre.",
        ),
    ),
    (
        "coffee-and-tea",
        "kitchen",
        ("Coffee & tea", "Café et thé"),
        (
            "Kettles, grinders, teapots and pour-over makers for slower mornings.",
            "Bouilloires, moulins, théières et cafetières filtre pour des matins sans précipitation.",
        ),
    ),
    (
        "home",
        None,
        ("Home", "Maison"),
        (
            "Linen, candles and the small things that make a room feel like yours.",
            "Du lin, des bougies et ces petites choses qui font qu’une pièce vous ressemble.",
        ),
    ),
    (
        "lighting",
        "home",
        ("Lighting", "Luminaires"),
        (
            "Warm, dimmable light for evenings at home.",
            "Une lumière chaude et modulable pour les soirées à la maison.",
        ),
    ),
    (
        "garden",
        None,
        ("Garden", "Jardin"),
        (
            "Terracotta, tools and everything for balconies, patios and vegetable patches.",
            "Terre cuite, outils et tout le nécessaire pour les balcons, les terrasses et le potager.",
        ),
    ),
    (
        "outdoor",
        None,
        ("Outdoor", "Plein air"),
        (
            "Bottles, lanterns and kit for picnics, hikes and nights under canvas.",
            "Gourdes, lanternes et équipement pour les pique-niques, les randonnées et les nuits sous la tente.",
        ),
    ),
    (
        "audio",
        None,
        ("Audio", "Audio"),
        (
            "Speakers and headphones by Atelier Sonore, tuned for natural sound.",
            "Enceintes et casques signés Atelier Sonore, réglés pour un son naturel.",
        ),
    ),
)


def _categories() -> list[DemoEntry]:
    return [
        _entry(
            "category",
            _by_locale(
                name=_Localized(*name),
                slug=slug,
                description=_Localized(*description),
                position=position,
                parent=parent,
            ),
        )
        for position, (slug, parent, name, description) in enumerate(_CATEGORIES, start=1)
    ]


# --- products ---------------------------------------------------------------------------------

# A spec value is written once when only the decimal separator differs between languages.
_SpecValue = str | _Pair


class _Model(NamedTuple):
    name: str
    price: str
    trait_en: str
    """One sentence on what sets this model apart; closes the summary."""
    trait_fr: str
    specs: tuple[_SpecValue, ...]
    """Values in the order of the product line's spec labels."""

    @property
    def trait(self) -> _Pair:
        return self.trait_en, self.trait_fr


class _ProductLine(msgspec.Struct, frozen=True, kw_only=True):
    """A product type sold in several models: the copy they share, and the models."""

    category: str
    name: _Pair
    """English as it follows the model name ("chef’s knife"), French as it precedes it."""
    sku: str
    aisle: str
    pitch: _Pair
    story: _Pair
    care: _Pair
    spec_labels: tuple[_Pair, ...]
    models: tuple[_Model, ...]
    brand: str = BRAND
    highlights: tuple[_Pair, ...] = ()
    guide: tuple[str, _Pair] | None = None
    """Path of a guide on the brand's site and the link's label."""
    attributes: dict[str, Any] | None = None
    social: _Pair | None = None
    """A post for the line's first model, which is then featured."""
    variants: tuple[str, tuple[tuple[str, str], ...]] | None = None
    """The option its models vary by (`finish`, `size`) and each value sold with its price difference to the
    model's price (`"0"` for the same price)."""


_LINES: tuple[_ProductLine, ...] = (
    _ProductLine(
        category="kitchen",
        name=("chef’s knife", "Couteau de chef"),
        sku="KNF",
        aisle="A03",
        pitch=(
            "A forged chef’s knife, balanced for everyday slicing, dicing and chopping.",
            "Un couteau de chef forgé, bien équilibré pour émincer, trancher et hacher au quotidien.",
        ),
        story=(
            "Our chef’s knives are forged in Thiers, the French capital of cutlery, from a single "
            "piece of stainless steel. The tang runs through the handle, so the weight sits right "
            "where your fingers pinch the blade.",
            "Nos couteaux de chef sont forgés à Thiers, capitale française de la coutellerie, "
            "d’une seule pièce d’acier inoxydable. La soie traverse tout le manche : le poids se "
            "trouve exactement là où vos doigts pincent la lame.",
        ),
        care=(
            "Wash by hand and dry straight away; a few strokes on a honing rod each week keep the edge keen.",
            "Lavez-le à la main et séchez-le aussitôt ; quelques passages sur un fusil chaque "
            "semaine suffisent à garder le fil.",
        ),
        spec_labels=(
            ("Blade length", "Longueur de lame"),
            ("Steel", "Acier"),
            ("Handle", "Manche"),
        ),
        models=(
            _Model(
                "Forge",
                "89.00",
                "Olive-wood handle and a satin-finished blade.",
                "Manche en bois d’olivier et lame au fini satiné.",
                ("20 cm", ("X50CrMoV15 stainless", "Inox X50CrMoV15"), ("Olive wood", "Olivier")),
            ),
            _Model(
                "Rive",
                "119.00",
                "Blackened ash handle and a hammered blade that stops food from sticking.",
                "Manche en frêne noirci et lame martelée qui empêche les aliments d’accrocher.",
                (
                    "21 cm",
                    ("Damascus-pattern steel", "Acier damassé"),
                    ("Blackened ash", "Frêne noirci"),
                ),
            ),
            _Model(
                "Sorel",
                "74.00",
                "A slimmer, lighter blade for smaller hands.",
                "Une lame plus fine et plus légère, pensée pour les petites mains.",
                ("18 cm", ("X50CrMoV15 stainless", "Inox X50CrMoV15"), ("Beech", "Hêtre")),
            ),
            _Model(
                "Cade",
                "139.00",
                "Juniper handle that gives off a faint scent as it warms in the hand.",
                "Manche en genévrier qui libère un léger parfum en se réchauffant dans la main.",
                ("20 cm", ("VG-10 steel", "Acier VG-10"), ("Juniper", "Genévrier")),
            ),
        ),
        guide=(
            "guides/knife-care",
            ("Read our knife care guide", "Lisez notre guide d’entretien des couteaux"),
        ),
        attributes={"forged_in": "Thiers, France", "dishwasher_safe": False, "hardness_hrc": 56},
        social=(
            "Forged in Thiers from a single piece of steel and balanced as if it were made for "
            "your hand. Meet our chef’s knife. #MaisonLumen #MadeInFrance",
            "Forgé à Thiers d’une seule pièce d’acier, équilibré comme s’il avait été fait pour "
            "votre main : voici notre couteau de chef. #MaisonLumen #FabriquéEnFrance",
        ),
    ),
    _ProductLine(
        category="kitchen",
        name=("cast-iron casserole", "Cocotte en fonte"),
        sku="CSR",
        aisle="A07",
        pitch=(
            "An enamelled cast-iron casserole that goes from hob to oven to table.",
            "Une cocotte en fonte émaillée qui passe du feu au four, puis à table.",
        ),
        story=(
            "Cast iron stores heat and gives it back slowly and evenly, which is exactly what a "
            "stew, a braise or a crusty loaf needs. The enamel inside needs no seasoning and never "
            "takes on flavours.",
            "La fonte emmagasine la chaleur et la restitue lentement, de façon homogène : "
            "exactement ce qu’il faut pour un ragoût, un braisé ou un pain bien croustillant. "
            "L’émail intérieur ne demande aucun culottage et ne garde pas les odeurs.",
        ),
        care=(
            "Suitable for every hob, induction included, and ovens up to 250 °C. Let it cool before washing.",
            "Compatible avec tous les feux, induction comprise, et avec le four jusqu’à 250 °C. "
            "Laissez-la refroidir avant de la laver.",
        ),
        spec_labels=(("Capacity", "Contenance"), ("Diameter", "Diamètre"), ("Weight", "Poids")),
        models=(
            _Model(
                "Ardoise",
                "179.00",
                "Slate-grey enamel with a matt black interior.",
                "Émail gris ardoise et intérieur noir mat.",
                ("3.8 L", "24 cm", "4.6 kg"),
            ),
            _Model(
                "Cerise",
                "189.00",
                "Deep cherry-red enamel, glossy outside and cream inside.",
                "Émail rouge cerise profond, brillant à l’extérieur et crème à l’intérieur.",
                ("4.7 L", "26 cm", "5.4 kg"),
            ),
            _Model(
                "Mistral",
                "149.00",
                "Pale blue enamel in a compact size for two.",
                "Émail bleu pâle et format compact, idéal pour deux.",
                ("2.4 L", "20 cm", "3.5 kg"),
            ),
            _Model(
                "Garrigue",
                "229.00",
                "An oval shape in sage-green enamel, roomy enough for a whole chicken.",
                "Une forme ovale en émail vert sauge, assez grande pour un poulet entier.",
                ("6.3 L", "31 cm", "6.2 kg"),
            ),
        ),
        highlights=(
            (
                "Self-basting lid with condensation studs",
                "Couvercle à picots qui arrose le plat en continu",
            ),
            (
                "Wide handles you can grip with oven gloves",
                "Larges poignées, faciles à saisir avec des maniques",
            ),
            ("Made in France", "Fabriquée en France"),
        ),
    ),
    _ProductLine(
        category="coffee-and-tea",
        name=("electric kettle", "Bouilloire électrique"),
        sku="KET",
        variants=("finish", (("steel", "0"), ("black", "0"), ("copper", "15"))),
        aisle="B02",
        pitch=(
            "A gooseneck electric kettle with temperature control, for tea and pour-over coffee.",
            "Une bouilloire électrique à col de cygne, avec réglage de la température, pour le thé "
            "comme pour le café filtre.",
        ),
        story=(
            "Green tea likes 75 °C, a light roast likes 93 °C: set the temperature to the degree "
            "and the kettle holds it for up to an hour. The slender spout gives you a slow, steady "
            "pour you can aim.",
            "Le thé vert aime l’eau à 75 °C, un café torréfié clair à 93 °C : réglez la "
            "température au degré près, la bouilloire la maintient jusqu’à une heure. Son bec "
            "effilé offre un versement lent, régulier et précis.",
        ),
        care=(
            "Descale once a month with white vinegar or citric acid, more often if your water is hard.",
            "Détartrez-la une fois par mois avec du vinaigre blanc ou de l’acide citrique, plus "
            "souvent si votre eau est calcaire.",
        ),
        spec_labels=(
            ("Capacity", "Contenance"),
            ("Power", "Puissance"),
            ("Temperature range", "Plage de température"),
        ),
        models=(
            _Model(
                "Alba",
                "89.00",
                "Brushed stainless steel with a walnut handle.",
                "Inox brossé et poignée en noyer.",
                ("0.9 L", "1200 W", "40–100 °C"),
            ),
            _Model(
                "Nuit",
                "99.00",
                "Matt black finish and a copper-toned lid knob.",
                "Finition noir mat et bouton de couvercle couleur cuivre.",
                ("0.9 L", "1200 W", "40–100 °C"),
            ),
            _Model(
                "Sauge",
                "99.00",
                "Sage-green enamel coating with a stainless-steel spout.",
                "Revêtement émaillé vert sauge et bec en inox.",
                ("0.9 L", "1200 W", "40–100 °C"),
            ),
            _Model(
                "Ample",
                "119.00",
                "A larger 1.2-litre body, to pour for the whole table.",
                "Un corps plus grand, de 1,2 litre, pour servir toute la tablée.",
                ("1.2 L", "1500 W", "40–100 °C"),
            ),
        ),
        attributes={"voltage": "220–240 V", "keep_warm_minutes": 60, "auto_shut_off": True},
        social=(
            "Tea at 75 °C, coffee at 93 °C, to the degree. Our gooseneck kettle is pouring now. "
            "#MaisonLumen #SlowCoffee",
            "Le thé à 75 °C, le café à 93 °C, au degré près. Notre bouilloire à col de cygne est "
            "arrivée. #MaisonLumen #CaféFiltre",
        ),
    ),
    _ProductLine(
        category="coffee-and-tea",
        name=("pour-over coffee maker", "Cafetière filtre manuelle"),
        sku="POV",
        aisle="B04",
        pitch=(
            "A glass pour-over coffee maker with a reusable stainless-steel filter.",
            "Une cafetière filtre manuelle en verre, avec un filtre réutilisable en inox.",
        ),
        story=(
            "Pour-over is the simplest way to taste what makes one coffee different from another: "
            "water, ground coffee and four minutes of your attention. The borosilicate carafe lets "
            "you watch the brew and never gives it a plastic taste.",
            "Le café filtre est la façon la plus simple de goûter ce qui distingue un café d’un "
            "autre : de l’eau, du café moulu et quatre minutes d’attention. La carafe en verre "
            "borosilicate laisse voir l’infusion et ne donne jamais de goût de plastique.",
        ),
        care=(
            "The steel filter rinses clean under the tap; the carafe is dishwasher-safe.",
            "Le filtre en inox se rince simplement sous le robinet ; la carafe passe au lave-vaisselle.",
        ),
        spec_labels=(("Capacity", "Contenance"), ("Cups", "Tasses"), ("Materials", "Matières")),
        models=(
            _Model(
                "Clair",
                "49.00",
                "Clear glass with a cork collar that stays cool to the touch.",
                "Verre transparent et collerette en liège qui reste froide au toucher.",
                ("0.6 L", "4", ("Borosilicate glass, cork", "Verre borosilicate, liège")),
            ),
            _Model(
                "Ambre",
                "55.00",
                "Amber-tinted glass with a walnut collar and a leather tie.",
                "Verre teinté ambre, collerette en noyer et lien en cuir.",
                ("0.6 L", "4", ("Tinted glass, walnut", "Verre teinté, noyer")),
            ),
            _Model(
                "Duo",
                "39.00",
                "A small carafe sized for one or two cups.",
                "Une petite carafe pensée pour une ou deux tasses.",
                ("0.4 L", "2", ("Borosilicate glass, cork", "Verre borosilicate, liège")),
            ),
            _Model(
                "Tablée",
                "65.00",
                "A generous carafe for brunch with friends.",
                "Une carafe généreuse pour les brunchs entre amis.",
                ("1 L", "8", ("Borosilicate glass, cork", "Verre borosilicate, liège")),
            ),
        ),
        guide=(
            "tutorials/brew-a-better-pour-over",
            ("Follow our pour-over guide", "Suivez notre guide du café filtre"),
        ),
    ),
    _ProductLine(
        category="coffee-and-tea",
        name=("teapot", "Théière"),
        sku="TEA",
        aisle="B06",
        pitch=(
            "A stoneware teapot with a fine stainless-steel infuser that lifts out when the tea is ready.",
            "Une théière en grès avec un infuseur fin en inox, que l’on retire dès que le thé est prêt.",
        ),
        story=(
            "Stoneware keeps the tea warm through a second cup, and the wide infuser gives the "
            "leaves room to unfurl. Each teapot is glazed by hand in a small workshop in Burgundy, "
            "so no two are quite alike.",
            "Le grès garde le thé au chaud jusqu’à la deuxième tasse, et le large infuseur laisse "
            "aux feuilles la place de se déployer. Chaque théière est émaillée à la main dans un "
            "petit atelier de Bourgogne : aucune n’est tout à fait identique.",
        ),
        care=(
            "Rinse with hot water only; over time the glaze takes on a patina that tea lovers prize.",
            "Rincez-la simplement à l’eau chaude : avec le temps, l’émail se patine, et les "
            "amateurs de thé y tiennent.",
        ),
        spec_labels=(("Capacity", "Contenance"), ("Material", "Matière")),
        models=(
            _Model(
                "Brume",
                "45.00",
                "Misty grey glaze with a speckled finish.",
                "Émail gris brume au fini moucheté.",
                ("0.8 L", ("Stoneware", "Grès")),
            ),
            _Model(
                "Matcha",
                "49.00",
                "Soft green glaze over a sand-coloured clay.",
                "Émail vert tendre sur une argile couleur sable.",
                ("0.8 L", ("Stoneware", "Grès")),
            ),
            _Model(
                "Cannelle",
                "52.00",
                "Warm rust-brown glaze, darker towards the rim.",
                "Émail brun rouille, plus sombre vers le bord.",
                ("1.1 L", ("Stoneware", "Grès")),
            ),
            _Model(
                "Lune",
                "39.00",
                "A small cream-white pot, just right for one.",
                "Une petite théière blanc crème, juste ce qu’il faut pour une personne.",
                ("0.5 L", ("Stoneware", "Grès")),
            ),
        ),
        social=(
            "Glazed by hand in Burgundy, so no two are alike. Our stoneware teapots keep the "
            "second cup warm. #TeaTime #MaisonLumen",
            "Émaillées à la main en Bourgogne, aucune n’est identique. Nos théières en grès "
            "gardent la deuxième tasse au chaud. #HeureDuThé #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="coffee-and-tea",
        name=("burr coffee grinder", "Moulin à café à meules"),
        sku="GRN",
        aisle="B05",
        pitch=(
            "A conical burr coffee grinder with 40 settings, from espresso-fine to French-press coarse.",
            "Un moulin à café à meules coniques et 40 réglages, de la mouture la plus fine pour "
            "l’espresso à la plus grossière pour la cafetière à piston.",
        ),
        story=(
            "Coffee starts losing its aroma minutes after grinding, so the best upgrade to your "
            "morning cup is grinding just before you brew. Conical steel burrs crush the beans "
            "evenly without heating them.",
            "Le café perd ses arômes quelques minutes après avoir été moulu : le meilleur moyen "
            "d’améliorer votre tasse du matin, c’est de moudre juste avant l’infusion. Les meules "
            "coniques en acier broient les grains régulièrement, sans les chauffer.",
        ),
        care=(
            "Brush the burrs out every couple of weeks, and never wash them with water.",
            "Brossez les meules toutes les deux semaines environ, sans jamais les passer à l’eau.",
        ),
        spec_labels=(
            ("Type", "Type"),
            ("Grind settings", "Réglages de mouture"),
            ("Bean hopper", "Réservoir à grains"),
        ),
        models=(
            _Model(
                "Causse",
                "69.00",
                "A hand grinder in beech and steel that fits in a travel bag.",
                "Un moulin manuel en hêtre et acier qui tient dans un sac de voyage.",
                (("Manual", "Manuel"), "40", "30 g"),
            ),
            _Model(
                "Volta",
                "149.00",
                "Electric, with a timer that doses the same amount every morning.",
                "Électrique, avec une minuterie qui dose la même quantité chaque matin.",
                (("Electric", "Électrique"), "40", "250 g"),
            ),
            _Model(
                "Minuit",
                "159.00",
                "The electric model in matt black, with a quieter motor.",
                "Le modèle électrique en noir mat, avec un moteur plus silencieux.",
                (("Electric", "Électrique"), "40", "250 g"),
            ),
            _Model(
                "Nomade",
                "59.00",
                "A compact hand grinder with a folding crank.",
                "Un moulin manuel compact à manivelle repliable.",
                (("Manual", "Manuel"), "40", "20 g"),
            ),
        ),
        attributes={"burrs": "conical steel", "burr_diameter_mm": 38},
    ),
    _ProductLine(
        category="home",
        name=("linen throw", "Plaid en lin"),
        sku="THR",
        variants=("size", (("130x170", "0"), ("150x200", "30"))),
        aisle="C01",
        pitch=(
            "A stonewashed linen throw, light enough for summer evenings and perfect for layering in winter.",
            "Un plaid en lin lavé, assez léger pour les soirées d’été, à superposer l’hiver.",
        ),
        story=(
            "Woven in northern France from European flax, our linen gets softer with every wash. "
            "It breathes, keeps you warm without weighing you down and looks just as good left "
            "crumpled on the sofa.",
            "Tissé dans le nord de la France à partir de lin européen, notre lin s’adoucit à "
            "chaque lavage. Il respire, tient chaud sans peser et reste beau, même négligemment "
            "posé sur le canapé.",
        ),
        care=(
            "Machine wash at 40 °C and line dry; there is no need to iron it.",
            "Lavage en machine à 40 °C et séchage à l’air libre ; inutile de le repasser.",
        ),
        spec_labels=(
            ("Size", "Dimensions"),
            ("Material", "Matière"),
            ("Fabric weight", "Grammage"),
        ),
        models=(
            _Model(
                "Sable",
                "89.00",
                "Warm sand colour with hand-knotted fringes.",
                "Coloris sable chaud et franges nouées à la main.",
                ("130 × 170 cm", ("100% linen", "100 % lin"), "240 g/m²"),
            ),
            _Model(
                "Romarin",
                "89.00",
                "Rosemary green with a narrow ochre stripe.",
                "Vert romarin souligné d’une fine rayure ocre.",
                ("130 × 170 cm", ("100% linen", "100 % lin"), "240 g/m²"),
            ),
            _Model(
                "Craie",
                "79.00",
                "Chalk white, plain and unfringed.",
                "Blanc craie, uni et sans franges.",
                ("130 × 170 cm", ("100% linen", "100 % lin"), "200 g/m²"),
            ),
            _Model(
                "Argile",
                "99.00",
                "Clay red, in an oversized format that covers a three-seater sofa.",
                "Rouge argile, dans un grand format qui couvre un canapé trois places.",
                ("150 × 220 cm", ("100% linen", "100 % lin"), "240 g/m²"),
            ),
        ),
        highlights=(
            ("OEKO-TEX certified", "Certifié OEKO-TEX"),
            ("European Flax® fibre", "Fibre European Flax®"),
            ("Woven and finished in France", "Tissé et fini en France"),
        ),
        social=(
            "Stonewashed linen that gets softer with every wash. Light in summer, layered in "
            "winter. #SlowLiving #MaisonLumen",
            "Du lin lavé qui s’adoucit à chaque lavage. Léger l’été, superposé l’hiver. #ArtDeVivre #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="home",
        name=("scented candle", "Bougie parfumée"),
        sku="CDL",
        aisle="C04",
        pitch=(
            "A rapeseed-wax candle in a reusable ceramic pot, with a fragrance composed in Grasse.",
            "Une bougie à la cire de colza, dans un pot en céramique réutilisable, au parfum composé à Grasse.",
        ),
        story=(
            "Rapeseed wax burns slowly and cleanly, and the cotton wick keeps the flame small and "
            "steady. Once the candle is finished, the pot makes a pretty home for a succulent or "
            "your pencils.",
            "La cire de colza brûle lentement et proprement, et la mèche en coton garde une flamme "
            "petite et régulière. Une fois la bougie terminée, le pot accueillera volontiers une "
            "plante grasse ou vos crayons.",
        ),
        care=(
            "Let the first burn last at least two hours, so the wax melts right to the edge.",
            "Laissez-la brûler au moins deux heures la première fois, pour que la cire fonde jusqu’au bord.",
        ),
        spec_labels=(
            ("Scent", "Parfum"),
            ("Burn time", "Durée de combustion"),
            ("Weight", "Poids"),
        ),
        models=(
            _Model(
                "Figuier",
                "35.00",
                "Green fig leaves and a hint of cedar.",
                "Feuille de figuier et une pointe de cèdre.",
                (("Fig leaf", "Feuille de figuier"), "45 h", "220 g"),
            ),
            _Model(
                "Tilleul",
                "35.00",
                "Lime blossom and honey, soft and sunny.",
                "Fleur de tilleul et miel, douce et ensoleillée.",
                (("Lime blossom", "Tilleul"), "45 h", "220 g"),
            ),
            _Model(
                "Maquis",
                "39.00",
                "Wild herbs, myrtle and sun-warmed stone, like a walk in Corsica.",
                "Herbes sauvages, myrte et pierre chauffée au soleil, comme une balade en Corse.",
                (("Wild herbs", "Herbes du maquis"), "50 h", "250 g"),
            ),
            _Model(
                "Feu de bois",
                "42.00",
                "Woodsmoke, vanilla and a touch of leather, for winter evenings.",
                "Feu de bois, vanille et une touche de cuir, pour les soirées d’hiver.",
                (("Woodsmoke", "Feu de bois"), "60 h", "300 g"),
            ),
        ),
        attributes={"wax": "rapeseed", "wick": "cotton", "vegan": True},
    ),
    _ProductLine(
        category="lighting",
        name=("table lamp", "Lampe à poser"),
        sku="LMP",
        variants=("finish", (("brass", "0"), ("black", "0"), ("white", "-5"))),
        aisle="D02",
        pitch=(
            "A table lamp with a warm LED bulb and a touch dimmer in the base.",
            "Une lampe à poser à LED chaude, avec un variateur tactile intégré au pied.",
        ),
        story=(
            "Light at table height is what makes a room feel lived-in in the evening. The touch "
            "dimmer takes it from reading light to a soft glow, and the 2700 K bulb flatters wood, "
            "linen and faces alike.",
            "C’est la lumière à hauteur de table qui rend une pièce chaleureuse le soir. Le "
            "variateur tactile la fait passer d’un éclairage de lecture à une douce lueur, et "
            "l’ampoule 2700 K flatte le bois, le lin… et les visages.",
        ),
        care=(
            "The E27 bulb is replaceable, and spare shades and globes are sold separately.",
            "L’ampoule E27 est remplaçable ; abat-jour et globes de rechange sont vendus séparément.",
        ),
        spec_labels=(("Height", "Hauteur"), ("Base", "Pied"), ("Bulb", "Ampoule")),
        models=(
            _Model(
                "Galet",
                "129.00",
                "A rounded ceramic base in pebble-grey glaze, under a pleated linen shade.",
                "Un pied en céramique arrondi, émaillé gris galet, sous un abat-jour en lin plissé.",
                ("42 cm", ("Ceramic", "Céramique"), "E27 LED, 2700 K"),
            ),
            _Model(
                "Orme",
                "149.00",
                "A turned elm base with an oiled finish and a linen shade.",
                "Un pied en orme tourné, fini huilé, et un abat-jour en lin.",
                ("48 cm", ("Elm", "Orme"), "E27 LED, 2700 K"),
            ),
            _Model(
                "Laiton",
                "179.00",
                "A slim brushed-brass stem, ideal on a desk.",
                "Une tige fine en laiton brossé, idéale sur un bureau.",
                ("52 cm", ("Brass", "Laiton"), "E27 LED, 2700 K"),
            ),
            _Model(
                "Opaline",
                "159.00",
                "An opal-glass globe instead of a shade, for a softer light all around.",
                "Un globe en opaline à la place de l’abat-jour, pour une lumière plus douce et diffuse.",
                ("38 cm", ("Opal glass", "Opaline"), "E27 LED, 2700 K"),
            ),
        ),
        guide=(
            "guides/bulbs",
            (
                "Read our guide to choosing bulbs",
                "Lisez notre guide pour bien choisir vos ampoules",
            ),
        ),
        attributes={"bulb_included": True, "cable_length_m": 1.8, "dimmable": True},
        social=(
            "Evening light, at table height. One touch takes it from reading lamp to soft glow. "
            "#HomeLighting #MaisonLumen",
            "La lumière du soir, à hauteur de table. Un effleurement, et la lampe de lecture "
            "devient douce lueur. #Luminaire #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="lighting",
        name=("pendant light", "Suspension"),
        sku="PND",
        aisle="D05",
        pitch=(
            "A pendant light that casts a warm pool of light over a dining table or kitchen island.",
            "Une suspension qui dessine un halo de lumière chaude au-dessus d’une table ou d’un îlot de cuisine.",
        ),
        story=(
            "Hang it 70 to 80 cm above the table and it lights the plates, not your guests’ eyes. "
            "The textile cable can be shortened when you install it, and the canopy covers any "
            "standard ceiling outlet.",
            "Accrochée à 70 ou 80 cm au-dessus de la table, elle éclaire les assiettes plutôt que "
            "les yeux de vos invités. Le câble textile se raccourcit à l’installation, et la "
            "rosace couvre tous les points lumineux standard.",
        ),
        care=(
            "Dust with a dry cloth. The bulb is sold separately.",
            "Dépoussiérez-la avec un chiffon sec. Ampoule vendue séparément.",
        ),
        spec_labels=(
            ("Diameter", "Diamètre"),
            ("Material", "Matière"),
            ("Cable length", "Longueur du câble"),
        ),
        models=(
            _Model(
                "Rotin",
                "119.00",
                "A hand-woven rattan dome that throws patterned shadows.",
                "Un dôme en rotin tressé à la main, qui projette de jolies ombres.",
                ("45 cm", ("Rattan", "Rotin"), "1.5 m"),
            ),
            _Model(
                "Cloche",
                "139.00",
                "An enamelled steel bell in deep green with a white interior.",
                "Une cloche en acier émaillé vert profond, à l’intérieur blanc.",
                ("32 cm", ("Enamelled steel", "Acier émaillé"), "1.5 m"),
            ),
            _Model(
                "Voile",
                "99.00",
                "A gathered linen shade, soft and pale.",
                "Un abat-jour en lin froncé, doux et clair.",
                ("40 cm", ("Linen", "Lin"), "1.5 m"),
            ),
            _Model(
                "Verrière",
                "169.00",
                "A ribbed glass globe in a brass frame.",
                "Un globe en verre strié dans une monture en laiton.",
                ("30 cm", ("Ribbed glass, brass", "Verre strié, laiton"), "1.2 m"),
            ),
        ),
        highlights=(
            ("Adjustable textile cable", "Câble textile réglable"),
            ("E27 socket for any LED bulb", "Douille E27, compatible avec toutes les ampoules LED"),
            ("Fixings included", "Fixations fournies"),
        ),
    ),
    _ProductLine(
        category="garden",
        name=("terracotta planter", "Pot en terre cuite"),
        sku="PLT",
        variants=("size", (("small", "0"), ("medium", "8"), ("large", "18"))),
        aisle="E01",
        pitch=(
            "A frost-resistant terracotta planter with a drainage hole and a matching saucer.",
            "Un pot en terre cuite résistant au gel, avec trou de drainage et soucoupe assortie.",
        ),
        story=(
            "Unglazed terracotta lets the roots breathe and the soil dry out between waterings, "
            "which most plants love. Ours is fired at high temperature by a pottery near Anduze, "
            "so it shrugs off a winter on the balcony.",
            "La terre cuite brute laisse respirer les racines et sécher le terreau entre deux "
            "arrosages, ce que la plupart des plantes apprécient. La nôtre est cuite à haute "
            "température par une poterie des environs d’Anduze : elle passe l’hiver au balcon sans "
            "sourciller.",
        ),
        care=(
            "In winter, raise it on feet so that water never freezes underneath.",
            "L’hiver, surélevez-le sur des cales pour que l’eau ne gèle jamais dessous.",
        ),
        spec_labels=(
            ("Diameter", "Diamètre"),
            ("Height", "Hauteur"),
            ("Frost-resistant", "Résistant au gel"),
        ),
        models=(
            _Model(
                "Baou",
                "29.00",
                "Small, for herbs on a windowsill.",
                "Petit format, pour les aromatiques sur le rebord de la fenêtre.",
                ("18 cm", "16 cm", ("Yes", "Oui")),
            ),
            _Model(
                "Calanque",
                "49.00",
                "Medium-sized, with a rolled rim.",
                "Format moyen, à bord roulé.",
                ("30 cm", "26 cm", ("Yes", "Oui")),
            ),
            _Model(
                "Olivier",
                "89.00",
                "Large, sized for a young olive or lemon tree.",
                "Grand format, pour un jeune olivier ou un citronnier.",
                ("45 cm", "40 cm", ("Yes", "Oui")),
            ),
            _Model(
                "Garance",
                "59.00",
                "A madder-red wash that weathers to a soft pink.",
                "Une patine rouge garance qui s’adoucit en rose avec le temps.",
                ("32 cm", "28 cm", ("Yes", "Oui")),
            ),
        ),
        social=(
            "Fired near Anduze and built to spend the winter on your balcony. Your plants will "
            "thank you. #Garden #MaisonLumen",
            "Cuit près d’Anduze et taillé pour passer l’hiver au balcon. Vos plantes vous diront "
            "merci. #Jardin #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="garden",
        name=("pruning shears", "Sécateur"),
        brand="Verger & Fils",
        sku="PRN",
        aisle="E03",
        pitch=(
            "Bypass pruning shears with replaceable parts, for clean cuts on green wood.",
            "Un sécateur à lames croisantes, aux pièces remplaçables, pour des coupes nettes sur bois vert.",
        ),
        story=(
            "A clean cut heals fast; a crushed stem invites disease. These shears are made in the "
            "Loire valley and every part, from the spring to the blade, can be replaced, so they "
            "can last a lifetime.",
            "Une coupe nette cicatrise vite, une tige écrasée ouvre la porte aux maladies. Ce "
            "sécateur est fabriqué dans la vallée de la Loire et chaque pièce, du ressort à la "
            "lame, se remplace : de quoi le garder toute une vie.",
        ),
        care=(
            "Wipe the blades after use and oil the pivot now and then.",
            "Essuyez les lames après usage et huilez le pivot de temps en temps.",
        ),
        spec_labels=(
            ("Cutting capacity", "Capacité de coupe"),
            ("Length", "Longueur"),
            ("Weight", "Poids"),
        ),
        models=(
            _Model(
                "Classique",
                "49.00",
                "The all-rounder, with red aluminium handles.",
                "Le polyvalent, aux poignées en aluminium rouge.",
                ("20 mm", "21 cm", "240 g"),
            ),
            _Model(
                "Gaucher",
                "52.00",
                "Built in mirror image for left-handed gardeners.",
                "Conçu en miroir pour les jardiniers gauchers.",
                ("20 mm", "21 cm", "240 g"),
            ),
            _Model(
                "Rotatif",
                "65.00",
                "A rotating lower handle that spares the wrist during long sessions.",
                "Une poignée inférieure rotative qui ménage le poignet lors des longues séances.",
                ("25 mm", "23 cm", "290 g"),
            ),
            _Model(
                "Mini",
                "39.00",
                "Compact, for flowers, herbs and small hands.",
                "Compact, pour les fleurs, les aromatiques et les petites mains.",
                ("15 mm", "18 cm", "180 g"),
            ),
        ),
        guide=(
            "guides/pruning-calendar",
            ("See our pruning calendar", "Consultez notre calendrier de taille"),
        ),
        attributes={"blades": "bypass", "spare_parts": True, "warranty_years": 10},
    ),
    _ProductLine(
        category="outdoor",
        name=("insulated bottle", "Gourde isotherme"),
        sku="BTL",
        aisle="F02",
        pitch=(
            "A double-walled stainless-steel bottle that keeps drinks cold all day and hot well into the evening.",
            "Une gourde isotherme à double paroi en inox, qui garde vos boissons fraîches toute la "
            "journée et chaudes jusqu’au soir.",
        ),
        story=(
            "A vacuum between two walls of food-grade steel means no condensation in your bag and "
            "no metallic taste in your water. The bamboo-topped cap screws down tight enough to "
            "throw the bottle in a backpack.",
            "Le vide entre les deux parois d’inox alimentaire évite toute condensation dans le sac "
            "et tout goût métallique dans l’eau. Le bouchon en bambou se visse assez fermement "
            "pour la glisser sans crainte dans un sac à dos.",
        ),
        care=(
            "Hand wash only: the powder coat stays smart for longer away from the dishwasher.",
            "Lavage à la main uniquement : le revêtement reste impeccable plus longtemps loin du lave-vaisselle.",
        ),
        spec_labels=(
            ("Capacity", "Contenance"),
            ("Keeps cold", "Garde au frais"),
            ("Keeps hot", "Garde au chaud"),
            ("Weight", "Poids"),
        ),
        models=(
            _Model(
                "Glacier",
                "29.00",
                "Glacier white, powder-coated.",
                "Blanc glacier, revêtement poudré.",
                ("0.5 L", "24 h", "12 h", "320 g"),
            ),
            _Model(
                "Forêt",
                "29.00",
                "Deep forest green, powder-coated.",
                "Vert forêt profond, revêtement poudré.",
                ("0.5 L", "24 h", "12 h", "320 g"),
            ),
            _Model(
                "Sommet",
                "39.00",
                "The one-litre version, for long hikes.",
                "La version d’un litre, pour les longues randonnées.",
                ("1 L", "24 h", "12 h", "520 g"),
            ),
            _Model(
                "Galopin",
                "24.00",
                "A small 35 cl bottle that fits in a school bag.",
                "Une petite gourde de 35 cl qui se glisse dans un cartable.",
                ("0.35 L", "18 h", "8 h", "240 g"),
            ),
        ),
        highlights=(
            ("BPA-free", "Sans BPA"),
            ("Leak-proof cap", "Bouchon étanche"),
            ("Insulation guaranteed for life", "Isolation garantie à vie"),
        ),
        social=(
            "Cold for 24 hours, hot for 12, and not a drop in your bag. #Outdoors #MaisonLumen",
            "Fraîche pendant 24 heures, chaude pendant 12, et pas une goutte dans le sac. #PleinAir #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="outdoor",
        name=("camping lantern", "Lanterne de camping"),
        sku="LTN",
        aisle="F05",
        pitch=(
            "A rechargeable LED lantern with a warm glow, a hanging hook and a port to charge your phone.",
            "Une lanterne LED rechargeable à la lumière chaude, avec crochet de suspension et port "
            "pour recharger votre téléphone.",
        ),
        story=(
            "On its brightest setting it lights up a camp table; on its lowest it flickers like a "
            "candle, and the battery then lasts for days. Charge it over USB-C at home, then "
            "forget about it for a long weekend.",
            "Sur sa position la plus forte, elle éclaire toute une table de camping ; sur la plus "
            "faible, elle vacille comme une bougie, et sa batterie tient alors plusieurs jours. "
            "Rechargez-la en USB-C à la maison, puis oubliez-la le temps d’un long week-end.",
        ),
        care=(
            "Splash-proof: fine in the rain, not in the lake.",
            "Résiste aux éclaboussures : la pluie, oui ; le lac, non.",
        ),
        spec_labels=(
            ("Brightness", "Luminosité"),
            ("Battery life", "Autonomie"),
            ("Water resistance", "Étanchéité"),
        ),
        models=(
            _Model(
                "Veillée",
                "59.00",
                "Frosted glass and a beech handle.",
                "Verre dépoli et poignée en hêtre.",
                ("300 lm", "8–120 h", "IPX4"),
            ),
            _Model(
                "Soleil",
                "79.00",
                "A folding solar panel on top, for trips far from a socket.",
                "Un panneau solaire pliable sur le dessus, pour partir loin des prises.",
                ("250 lm", "10–150 h", "IPX4"),
            ),
            _Model(
                "Luciole",
                "29.00",
                "Pocket-sized, with a magnetic base.",
                "Format de poche, avec une base aimantée.",
                ("100 lm", "6–60 h", "IPX4"),
            ),
            _Model(
                "Bivouac",
                "69.00",
                "A rugged olive casing and a red mode that preserves your night vision.",
                "Une coque robuste vert olive et un mode rouge qui préserve la vision nocturne.",
                ("400 lm", "6–100 h", "IPX6"),
            ),
        ),
        attributes={"charging": "USB-C", "power_bank": True},
    ),
    _ProductLine(
        category="audio",
        name=("Bluetooth speaker", "Enceinte Bluetooth"),
        brand="Atelier Sonore",
        sku="SPK",
        aisle="G01",
        pitch=(
            "A wireless speaker dressed in wood and wool, with a full sound and a battery that lasts all weekend.",
            "Une enceinte sans fil habillée de bois et de laine, au son ample, dont la batterie "
            "tient tout le week-end.",
        ),
        story=(
            "Tuned in Lyon by Atelier Sonore, it favours natural voices and warm bass over sheer "
            "volume. Pair two for stereo, or take one out to the garden: a little dew won’t "
            "bother it.",
            "Accordée à Lyon par Atelier Sonore, elle privilégie des voix naturelles et des basses "
            "chaleureuses plutôt que la puissance brute. Associez-en deux pour la stéréo, ou "
            "emportez-en une au jardin : un peu de rosée ne lui fait pas peur.",
        ),
        care=(
            "Firmware updates arrive through the free companion app.",
            "Les mises à jour arrivent par l’application compagnon gratuite.",
        ),
        spec_labels=(
            ("Output", "Puissance"),
            ("Battery life", "Autonomie"),
            ("Bluetooth", "Bluetooth"),
            ("Weight", "Poids"),
        ),
        models=(
            _Model(
                "Alto",
                "149.00",
                "An oak front and a heather-grey wool cover.",
                "Une façade en chêne et un habillage en laine gris chiné.",
                ("20 W", "20 h", ("5.3", "5.3"), "1.1 kg"),
            ),
            _Model(
                "Soprano",
                "99.00",
                "The compact one, with a leather carry strap.",
                "La compacte, avec une sangle de transport en cuir.",
                ("10 W", "15 h", ("5.3", "5.3"), "0.6 kg"),
            ),
            _Model(
                "Basse",
                "249.00",
                "Twice the drivers and a deeper bass, for the living room.",
                "Deux fois plus de haut-parleurs et des basses plus profondes, pour le salon.",
                ("40 W", "12 h", ("5.3", "5.3"), "2.4 kg"),
            ),
            _Model(
                "Ténor",
                "179.00",
                "A walnut front and an ink-blue wool cover.",
                "Une façade en noyer et un habillage en laine bleu encre.",
                ("25 W", "18 h", ("5.3", "5.3"), "1.3 kg"),
            ),
        ),
        attributes={"codecs": ["SBC", "AAC"], "stereo_pairing": True, "water_resistance": "IP55"},
        social=(
            "Tuned in Lyon for natural voices and warm bass. Pair two for stereo. #AtelierSonore #MaisonLumen",
            "Accordée à Lyon pour des voix naturelles et des basses chaleureuses. Associez-en deux "
            "pour la stéréo. #AtelierSonore #MaisonLumen",
        ),
    ),
    _ProductLine(
        category="audio",
        name=("wireless headphones", "Casque sans fil"),
        brand="Atelier Sonore",
        sku="HPH",
        aisle="G03",
        pitch=(
            "Over-ear wireless headphones with soft cushions, a 3.5 mm jack and battery for the whole day.",
            "Un casque sans fil circum-auriculaire aux coussinets moelleux, avec prise jack 3,5 mm "
            "et une autonomie pour toute la journée.",
        ),
        story=(
            "Active noise cancelling, on every model but Studio, takes the drone out of trains and "
            "open-plan offices without that feeling of pressure on your ears. They fold flat into "
            "a felt case, and ten minutes of fast charging gives you five more hours.",
            "La réduction de bruit active, présente sur tous les modèles sauf Studio, gomme le "
            "ronronnement des trains et des open spaces, sans sensation de pression sur les "
            "oreilles. Le casque se replie à plat dans son étui en feutre, et dix minutes de "
            "charge rapide vous offrent cinq heures d’écoute de plus.",
        ),
        care=(
            "The cushions clip off and can be replaced when they wear out.",
            "Les coussinets se déclipsent et se remplacent lorsqu’ils sont usés.",
        ),
        spec_labels=(
            ("Battery life", "Autonomie"),
            ("Noise cancelling", "Réduction de bruit"),
            ("Weight", "Poids"),
        ),
        models=(
            _Model(
                "Silence",
                "299.00",
                "Sand-coloured, with brushed-aluminium arms.",
                "Coloris sable, branches en aluminium brossé.",
                ("40 h", ("Active, adaptive", "Active et adaptative"), "250 g"),
            ),
            _Model(
                "Nocturne",
                "299.00",
                "Midnight blue with tone-on-tone stitching.",
                "Bleu nuit, avec des surpiqûres ton sur ton.",
                ("40 h", ("Active, adaptive", "Active et adaptative"), "250 g"),
            ),
            _Model(
                "Studio",
                "199.00",
                "No noise cancelling, and tuned for a flat, honest response.",
                "Sans réduction de bruit, et réglé pour une restitution neutre et fidèle.",
                ("50 h", ("None", "Aucune"), "230 g"),
            ),
            _Model(
                "Voyage",
                "249.00",
                "Lighter, and folds smaller for travel.",
                "Plus léger, et plus compact une fois plié, pour voyager.",
                ("30 h", ("Active", "Active"), "210 g"),
            ),
        ),
        highlights=(
            (
                "Multipoint: a laptop and a phone connected at once",
                "Multipoint : un ordinateur et un téléphone connectés à la fois",
            ),
            ("USB-C charging and a 3.5 mm jack", "Charge USB-C et prise jack 3,5 mm"),
            ("Replaceable cushions and battery", "Coussinets et batterie remplaçables"),
        ),
    ),
)

_AVAILABILITY = ("in_stock", "low_stock", "out_of_stock", "preorder")
_AVAILABILITY_WEIGHTS = (70, 15, 8, 7)
_LAUNCH = dt.datetime(2023, 1, 9, 9, 0, tzinfo=dt.UTC)
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _products(rng: random.Random) -> list[DemoEntry]:
    products = []
    for line_index, line in enumerate(_LINES):
        for model_index in range(len(line.models)):
            index = line_index * len(line.models) + model_index
            featured = model_index == 0 and line.social is not None
            products.append(_product(rng, index, line, model_index, featured))
    return products


def _product(rng: random.Random, index: int, line: _ProductLine, model_index: int, featured: bool) -> DemoEntry:
    # About one product in five is not translated yet, and a few not even by name,
    # so French readers see English through the fallback chain.
    translated = featured or index % 5 != 4
    named_in_french = translated or index % 20 != 19

    def localized(en: Any, fr: Any) -> _Localized:
        return _Localized(en, fr if translated else None)

    model = line.models[model_index]
    english_name = f"{model.name} {line.name[0]}"
    availability = rng.choices(_AVAILABILITY, weights=_AVAILABILITY_WEIGHTS)[0]
    base = _by_locale(
        name=_Localized(english_name, f"{line.name[1]} {model.name}" if named_in_french else None),
        slug=_slugify(english_name),
        gtin=_gtin13(index),
        sku=f"ML-{line.sku}-{model_index + 1:02d}",
        brand=line.brand,
        summary=localized(f"{line.pitch[0]} {model.trait[0]}", f"{line.pitch[1]} {model.trait[1]}"),
        description=_product_description(line, model, translated),
        price=_money(model.price),
        category=line.category,
        availability=availability,
        stock=_stock(rng, availability),
        rating=None if availability == "preorder" else _rating(rng),
        featured=featured,
        released_at=_release_date(rng, availability),
        specs=localized(*_specs(line, model)),
        attributes=copy.deepcopy(line.attributes),
        aisle=None if availability == "preorder" else line.aisle,
        social_text=_Localized(*line.social) if featured and line.social else None,
        variants=_variants(line, model, index, model_index),
    )
    return _entry("product", base)


def _variants(line: _ProductLine, model: _Model, index: int, model_index: int) -> list[dict[str, Any]] | None:
    """The line's finishes or sizes for one model: the first shares the product's GTIN (the box scanned most
    often), the others have their own (after the products' range); a price only where it differs."""
    if line.variants is None:
        return None
    option, values = line.variants
    variants = []
    for position, (value, difference) in enumerate(values):
        variant: dict[str, Any] = {
            "sku": f"ML-{line.sku}-{model_index + 1:02d}-{value.upper()}",
            "gtin": _gtin13(index if position == 0 else _VARIANT_GTINS + index * 10 + position),
            "options": {option: value},
        }
        if Decimal(difference):
            variant["price"] = _money(Decimal(model.price) + Decimal(difference))
        variants.append(variant)
    return variants


_VARIANT_GTINS = 50_000
"""Variants' own GTINs are numbered from here, after the products'."""


def _product_description(line: _ProductLine, model: _Model, translated: bool) -> _Localized:
    blocks = [_p(*line.story), _p_bold_lead(model.trait, line.care)]
    if line.highlights:
        blocks.append(_ul(*line.highlights))
    if line.guide:
        path, label = line.guide
        blocks.append(_p_link(("", ""), path, label))
    return _document(*blocks, english_only=not translated)


def _specs(line: _ProductLine, model: _Model) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    english, french = [], []
    for (label_en, label_fr), value in zip(line.spec_labels, model.specs, strict=True):
        value_en, value_fr = value if isinstance(value, tuple) else (value, _DECIMAL_POINT.sub(",", value))
        english.append({"label": label_en, "value": value_en})
        french.append({"label": label_fr, "value": value_fr})
    return english, french


def _stock(rng: random.Random, availability: str) -> int:
    if availability == "in_stock":
        return rng.randint(12, 140)
    return rng.randint(1, 5) if availability == "low_stock" else 0


def _rating(rng: random.Random) -> str:
    tenths = rng.choice([value for value in range(35, 50) if value % 10])  # 3.5 to 4.9, never "x.0"
    return f"{tenths // 10}.{tenths % 10}"


def _release_date(rng: random.Random, availability: str) -> str:
    if availability == "preorder":
        return _iso(dt.datetime(2026, 9, rng.randint(1, 28), 8, 0, tzinfo=dt.UTC))
    return _iso(_LAUNCH + dt.timedelta(days=rng.randint(0, 1150)))


# --- tutorials --------------------------------------------------------------------------------


def _tutorial(
    *,
    slug: str,
    title: _Pair,
    summary: _Pair,
    body: _Localized,
    difficulty: str,
    duration_minutes: int,
    products: list[str],
    steps: tuple[tuple[_Pair, _Pair], ...],
    english_only: bool = False,
) -> DemoEntry:
    def localized(en: Any, fr: Any) -> _Localized:
        return _Localized(en, None if english_only else fr)

    step_lists = tuple(
        [{"title": title[language], "instructions": text[language]} for title, text in steps] for language in (0, 1)
    )
    base = _by_locale(
        title=localized(*title),
        slug=slug,
        summary=localized(*summary),
        body=body,
        difficulty=difficulty,
        duration_minutes=duration_minutes,
        products=products,
        steps=localized(*step_lists),
    )
    return _entry("tutorial", base)


def _english(text: str) -> _Pair:
    """Copy not translated yet; its entry is built with `english_only`, which drops the French."""
    return text, ""


def _tutorials() -> list[DemoEntry]:
    return [
        _tutorial(
            slug="brew-a-better-pour-over",
            title=("Brew a better pour-over at home", "Réussir son café filtre à la maison"),
            summary=(
                "Fresh grinding, the right water temperature and a slow pour: the three habits "
                "that turn a good coffee into a great one.",
                "Une mouture fraîche, une eau à la bonne température et un versement lent : trois "
                "habitudes qui transforment un bon café en excellent café.",
            ),
            body=_document(
                _h("What you need", "Ce qu’il vous faut"),
                _ul(
                    ("15 g of freshly roasted coffee", "15 g de café fraîchement torréfié"),
                    ("250 ml of filtered water", "25 cl d’eau filtrée"),
                    (
                        "A kitchen scale, if you have one",
                        "Une balance de cuisine, si vous en avez une",
                    ),
                ),
                _p(
                    "The ratio that suits most coffees is 1 g of coffee for every 16 to 17 g of "
                    "water. Start there, taste, and adjust the grind rather than the dose: finer "
                    "if the cup tastes sour and thin, coarser if it tastes bitter.",
                    "Le ratio qui convient à la plupart des cafés : 1 g de café pour 16 à 17 g "
                    "d’eau. Commencez par là, goûtez, puis ajustez la mouture plutôt que la dose : "
                    "plus fine si la tasse est acide et légère, plus grossière si elle est amère.",
                ),
                _q(
                    "Warm the carafe with a splash of hot water before you start: a cold carafe "
                    "steals heat from the brew.",
                    "Réchauffez la carafe avec un peu d’eau chaude avant de commencer : une carafe "
                    "froide vole de la chaleur à l’infusion.",
                ),
            ),
            difficulty="beginner",
            duration_minutes=15,
            products=[
                "clair-pour-over-coffee-maker",
                "causse-burr-coffee-grinder",
                "alba-electric-kettle",
            ],
            steps=(
                (
                    ("Heat the water", "Chauffer l’eau"),
                    (
                        "Set the kettle to 93 °C for a light roast, or 90 °C for a darker one.",
                        "Réglez la bouilloire sur 93 °C pour une torréfaction claire, ou sur 90 °C "
                        "pour une torréfaction plus foncée.",
                    ),
                ),
                (
                    ("Grind the coffee", "Moudre le café"),
                    (
                        "Just before brewing, grind 15 g to the texture of coarse sea salt.",
                        "Juste avant l’infusion, moulez 15 g de café à la texture d’un gros sel de mer.",
                    ),
                ),
                (
                    ("Let it bloom", "Laisser gonfler"),
                    (
                        "Pour twice the coffee’s weight in water, about 30 g, and wait 30 seconds "
                        "while the gas escapes.",
                        "Versez deux fois le poids du café en eau, soit environ 30 g, et attendez "
                        "30 secondes que le gaz s’échappe.",
                    ),
                ),
                (
                    ("Pour slowly", "Verser lentement"),
                    (
                        "Add the rest of the water in slow circles over two minutes, avoiding the edges of the filter.",
                        "Versez le reste de l’eau en cercles lents pendant deux minutes, en "
                        "évitant les bords du filtre.",
                    ),
                ),
                (
                    ("Serve", "Servir"),
                    (
                        "Once the water has drained through, swirl the carafe and pour straight away.",
                        "Quand toute l’eau est passée, faites tourner la carafe et servez aussitôt.",
                    ),
                ),
            ),
        ),
        _tutorial(
            slug="slow-cook-a-provencal-daube",
            title=("Slow-cook a Provençal daube", "Mijoter une daube provençale"),
            summary=(
                "Beef, red wine, orange peel and time: a Sunday classic that tastes even better the next day.",
                "Du bœuf, du vin rouge, un zeste d’orange et du temps : un classique du dimanche, "
                "encore meilleur le lendemain.",
            ),
            body=_document(
                _p(
                    "A daube is a stew from Provence, traditionally cooked in a pot-bellied "
                    "daubière. A cast-iron casserole does the same job: its heavy lid keeps the "
                    "moisture in, so the meat turns tender without drying out.",
                    "La daube est un ragoût provençal, traditionnellement cuit dans une daubière "
                    "ventrue. Une cocotte en fonte fait le même travail : son lourd couvercle "
                    "garde l’humidité, et la viande devient fondante sans se dessécher.",
                ),
                _h("Ingredients for six", "Ingrédients pour six personnes"),
                _ul(
                    (
                        "1.5 kg beef chuck, in large pieces",
                        "1,5 kg de paleron de bœuf en gros morceaux",
                    ),
                    ("A bottle of full-bodied red wine", "Une bouteille de vin rouge corsé"),
                    (
                        "2 onions, 3 carrots and 4 garlic cloves",
                        "2 oignons, 3 carottes et 4 gousses d’ail",
                    ),
                    (
                        "A strip of orange peel, thyme and bay",
                        "Un zeste d’orange, du thym et du laurier",
                    ),
                ),
                _p(
                    "If you can, start the marinade the evening before.",
                    "Si possible, lancez la marinade la veille au soir.",
                ),
            ),
            difficulty="intermediate",
            duration_minutes=240,
            products=["ardoise-cast-iron-casserole", "forge-chefs-knife"],
            steps=(
                (
                    ("Marinate", "Faire mariner"),
                    (
                        "Cover the beef with the wine, vegetables and aromatics, and leave it in the fridge overnight.",
                        "Couvrez la viande de vin, ajoutez les légumes et les aromates, puis "
                        "laissez une nuit au réfrigérateur.",
                    ),
                ),
                (
                    ("Brown the meat", "Saisir la viande"),
                    (
                        "Drain the beef, pat it dry, then brown it in batches in the hot casserole.",
                        "Égouttez la viande, séchez-la, puis faites-la dorer en plusieurs fois "
                        "dans la cocotte bien chaude.",
                    ),
                ),
                (
                    ("Simmer", "Laisser mijoter"),
                    (
                        "Add the marinade, bring to a simmer, cover and cook at 150 °C for three and a half hours.",
                        "Ajoutez la marinade, portez à frémissement, couvrez et enfournez à 150 °C "
                        "pendant trois heures et demie.",
                    ),
                ),
                (
                    ("Rest and serve", "Reposer et servir"),
                    (
                        "Let it rest, ideally until the next day, and serve with fresh pasta or polenta.",
                        "Laissez reposer, idéalement jusqu’au lendemain, et servez avec des pâtes "
                        "fraîches ou de la polenta.",
                    ),
                ),
            ),
        ),
        _tutorial(
            slug="keep-your-chefs-knife-sharp",
            title=("Keep your chef’s knife sharp", "Garder son couteau de chef bien affûté"),
            summary=(
                "Honing and sharpening are not the same thing. Here is when to do each, and how.",
                "Affiler et affûter, ce n’est pas la même chose. Voici quand faire l’un ou l’autre, et comment.",
            ),
            body=_document(
                _p(
                    "A knife rarely goes blunt: its edge just folds over a little with use. A few "
                    "strokes on a honing rod straighten it in seconds. Sharpening on a whetstone "
                    "removes metal to form a new edge, and once or twice a year is enough.",
                    "Un couteau s’émousse rarement : son fil se couche simplement un peu à "
                    "l’usage. Quelques passages sur un fusil suffisent à le redresser. L’affûtage "
                    "sur pierre, lui, retire du métal pour former un nouveau fil, et une ou deux "
                    "fois par an suffisent.",
                ),
                _q(
                    "A sharp knife is a safe knife: it goes where you guide it instead of slipping.",
                    "Un couteau bien affûté est un couteau sûr : il va là où vous le guidez au lieu de déraper.",
                ),
            ),
            difficulty="beginner",
            duration_minutes=10,
            products=["forge-chefs-knife", "rive-chefs-knife"],
            steps=(
                (
                    ("Find the angle", "Trouver l’angle"),
                    (
                        "Hold the blade at about 15° to the rod: roughly two stacked coins under the spine.",
                        "Tenez la lame à environ 15° du fusil, soit à peu près la hauteur de deux "
                        "pièces empilées sous le dos de la lame.",
                    ),
                ),
                (
                    ("Sweep the edge", "Balayer le fil"),
                    (
                        "Draw the blade down the rod from heel to tip, pressing lightly.",
                        "Faites glisser la lame le long du fusil, du talon jusqu’à la pointe, en appuyant légèrement.",
                    ),
                ),
                (
                    ("Alternate sides", "Alterner les côtés"),
                    (
                        "Repeat five or six times on each side, alternating.",
                        "Répétez cinq ou six fois de chaque côté, en alternant.",
                    ),
                ),
                (
                    ("Test on paper", "Tester sur une feuille"),
                    (
                        "Slice a sheet of paper: a sharp edge cuts it cleanly, without tearing.",
                        "Tranchez une feuille de papier : un fil bien affûté la coupe net, sans la déchirer.",
                    ),
                ),
            ),
        ),
        _tutorial(
            slug="repot-a-houseplant-in-terracotta",
            title=(
                "Repot a houseplant in terracotta",
                "Rempoter une plante d’intérieur en terre cuite",
            ),
            summary=(
                "Spring is the time to give cramped roots more room. Twenty minutes, a slightly "
                "bigger pot and a gentle touch.",
                "Le printemps est le bon moment pour donner de l’espace aux racines à l’étroit. "
                "Vingt minutes, un pot un peu plus grand et un peu de douceur.",
            ),
            body=_document(
                _p(
                    "Roots circling the bottom of the pot, or water running straight through, are "
                    "signs that a plant needs repotting. Choose a pot just 2 to 4 cm wider than "
                    "the old one: too much soil stays wet and rots the roots.",
                    "Des racines qui tournent au fond du pot, ou une eau d’arrosage qui file tout "
                    "droit : ce sont les signes qu’une plante a besoin d’être rempotée. Choisissez "
                    "un pot à peine plus large que l’ancien, de 2 à 4 cm : trop de terreau reste "
                    "humide et fait pourrir les racines.",
                ),
                _h("You will need", "Il vous faudra"),
                _ul(
                    ("A terracotta pot with a drainage hole", "Un pot en terre cuite percé"),
                    ("Potting mix suited to the plant", "Un terreau adapté à la plante"),
                    ("A handful of clay pebbles", "Une poignée de billes d’argile"),
                    ("Clean pruning shears", "Un sécateur propre"),
                ),
            ),
            difficulty="beginner",
            duration_minutes=30,
            products=["calanque-terracotta-planter", "mini-pruning-shears"],
            steps=(
                (
                    ("Soak the pot", "Faire tremper le pot"),
                    (
                        "Soak a new terracotta pot for an hour so it doesn’t draw the water out of the fresh soil.",
                        "Laissez tremper le pot neuf pendant une heure, pour qu’il ne pompe pas "
                        "l’eau du terreau frais.",
                    ),
                ),
                (
                    ("Ease the plant out", "Dépoter la plante"),
                    (
                        "Water the plant the day before, then tip it out, holding it at the base of the stems.",
                        "Arrosez la plante la veille, puis dépotez-la en la tenant par la base des tiges.",
                    ),
                ),
                (
                    ("Trim the roots", "Tailler les racines"),
                    (
                        "Cut away any dark or mushy roots and gently loosen the rest.",
                        "Coupez les racines noires ou molles et démêlez délicatement les autres.",
                    ),
                ),
                (
                    ("Replant and water", "Replanter et arroser"),
                    (
                        "Add the pebbles, then soil, set the plant at the same depth as before, "
                        "fill in and water well.",
                        "Disposez les billes d’argile puis le terreau, placez la plante à la même "
                        "profondeur qu’avant, comblez et arrosez copieusement.",
                    ),
                ),
            ),
        ),
        _tutorial(
            slug="layer-the-light-in-your-living-room",
            title=("Layer the light in your living room", "Composer l’éclairage de son salon"),
            summary=(
                "A single ceiling light makes a room look flat. Three sources at three heights make it feel warm.",
                "Un seul plafonnier rend une pièce plate. Trois sources à trois hauteurs la rendent chaleureuse.",
            ),
            body=_document(
                _h("The rule of three", "La règle des trois"),
                _p(
                    "Designers light a room in layers: general light from above, task lights where "
                    "you read or work, and accent lights that add depth. Keep every bulb at the "
                    "same warm colour, 2700 K, so that the layers blend instead of clashing.",
                    "Les décorateurs éclairent une pièce par couches : une lumière d’ambiance en "
                    "hauteur, des lampes d’appoint là où l’on lit ou travaille, et des touches "
                    "d’accent qui donnent de la profondeur. Gardez la même température de couleur "
                    "chaude pour toutes les ampoules, 2700 K, pour que les couches se fondent au "
                    "lieu de se heurter.",
                ),
                _p_link(
                    ("Not sure which bulb to pick? ", "Perdu parmi les ampoules ? "),
                    "guides/bulbs",
                    ("Our bulb guide", "Notre guide des ampoules"),
                    (" explains lumens and kelvins.", " vous explique lumens et kelvins."),
                ),
            ),
            difficulty="beginner",
            duration_minutes=45,
            products=["galet-table-lamp", "rotin-pendant-light", "figuier-scented-candle"],
            steps=(
                (
                    ("Hang the pendant low", "Descendre la suspension"),
                    (
                        "Over a table, leave 70 to 80 cm between the table top and the bottom of the shade.",
                        "Au-dessus d’une table, laissez 70 à 80 cm entre le plateau et le bas de l’abat-jour.",
                    ),
                ),
                (
                    ("Add lamps at eye level", "Ajouter des lampes à hauteur des yeux"),
                    (
                        "Place one or two table lamps in the corners where you sit, not the ones you walk past.",
                        "Placez une ou deux lampes à poser dans les coins où l’on s’assoit, pas "
                        "dans ceux où l’on passe.",
                    ),
                ),
                (
                    ("Finish with flames", "Terminer par des flammes"),
                    (
                        "Group candles of different heights on a tray to bring the lowest layer to life.",
                        "Regroupez des bougies de hauteurs différentes sur un plateau pour animer "
                        "la couche la plus basse.",
                    ),
                ),
            ),
        ),
        _tutorial(
            # Not translated yet: French readers get the English guide through the fallback.
            slug="set-up-a-weekend-camp-kitchen",
            title=_english("Set up a camp kitchen for the weekend"),
            summary=_english(
                "Light where your hands are, water you don’t have to fetch twice and coffee worth waking up for."
            ),
            body=_document(
                _p(
                    *_english(
                        "A good camp kitchen is more about order than equipment: a stable surface, "
                        "light where you work, and everything back in its crate before dark."
                    )
                ),
                _ul(
                    _english("A folding table or a flat rock"),
                    _english("A lantern with a hook"),
                    _english("Two insulated bottles"),
                    _english("A hand grinder and your favourite beans"),
                ),
                english_only=True,
            ),
            difficulty="intermediate",
            duration_minutes=60,
            products=[
                "bivouac-camping-lantern",
                "sommet-insulated-bottle",
                "nomade-burr-coffee-grinder",
            ],
            english_only=True,
            steps=(
                (
                    _english("Pick a flat, sheltered spot"),
                    _english("Set up the kitchen downwind of the tents and at least three metres away from them."),
                ),
                (
                    _english("Hang the light"),
                    _english(
                        "Hang the lantern above the work surface on its lowest useful setting: it "
                        "saves the battery and draws fewer insects."
                    ),
                ),
                (
                    _english("Fill the bottles the night before"),
                    _english(
                        "Fill the bottles with hot water at night; by morning it is still warm enough to wash up with."
                    ),
                ),
                (
                    _english("Grind coffee by hand"),
                    _english("A hand grinder needs no power and turns the morning coffee into a small ritual."),
                ),
            ),
        ),
    ]


# --- offers -----------------------------------------------------------------------------------


def _offers(prices: dict[str, str]) -> list[DemoEntry]:
    bundle = ["clair-pour-over-coffee-maker", "causse-burr-coffee-grinder", "alba-electric-kettle"]
    bundle_price = Decimal("169.00")
    # The offer is the single source of its figures: the discount is what the bundle saves.
    bundle_saving = sum((Decimal(prices[slug]) for slug in bundle), Decimal(0)) - bundle_price
    return [
        _entry(
            "offer",
            _by_locale(
                title=_Localized("Spring garden days", "Les beaux jours au jardin"),
                slug="spring-garden-days",
                discount_kind="percent",
                discount_percent="25.00",
                code="BEAUXJOURS",
                starts_at="2026-03-19T23:00:00Z",
                ends_at="2026-04-05T21:59:59Z",
                categories=["garden", "outdoor"],
                legal_terms=_Localized(
                    "Valid between the start and end dates shown, online and in participating "
                    "stores, on eligible garden and outdoor products while stocks last. Enter the "
                    "promo code at checkout or show it at the till. Cannot be combined with other "
                    "offers or used on gift cards. One use per customer.",
                    "Offre valable entre les dates de début et de fin indiquées, en ligne et dans "
                    "les magasins participants, sur les produits de jardin et de plein air "
                    "éligibles, dans la limite des stocks disponibles. Saisissez le code promo "
                    "lors de votre commande ou présentez-le en caisse. Non cumulable avec d’autres "
                    "offres ni utilisable sur les cartes cadeaux. Une utilisation par client.",
                ),
            ),
        ),
        _entry(
            "offer",
            _by_locale(
                title=_Localized("The slow coffee bundle", "Le coffret café filtre"),
                slug="slow-coffee-bundle",
                discount_kind="amount",
                discount_amount=_money(bundle_saving),
                price=_money(bundle_price),
                starts_at="2026-05-01T07:00:00Z",
                ends_at="2027-04-30T21:59:59Z",
                products=bundle,
                categories=["coffee-and-tea"],
                legal_terms=_Localized(
                    "The bundle price applies when the three eligible products are bought together "
                    "in a single order, online or in store. Items may be returned separately; the "
                    "refund is then calculated pro rata to the bundle price. Cannot be combined "
                    "with other offers.",
                    "Le prix du coffret s’applique lorsque les trois produits éligibles sont "
                    "achetés ensemble, en une seule commande, en ligne ou en magasin. Les articles "
                    "peuvent être retournés séparément ; le remboursement est alors calculé au "
                    "prorata du prix du coffret. Offre non cumulable avec d’autres promotions.",
                ),
            ),
        ),
        _entry(
            "offer",
            _by_locale(
                title=_Localized("Members’ audio fortnight", "La quinzaine audio des membres"),
                slug="members-audio-fortnight",
                discount_kind="percent",
                discount_percent="15.00",
                starts_at="2026-06-15T07:00:00Z",
                ends_at="2026-06-30T21:59:59Z",
                categories=["audio"],
                legal_terms=_Localized(
                    "Reserved for Maison Lumen members signed in to their account or showing their "
                    "membership card in store. The discount is applied automatically to eligible "
                    "audio products and cannot be combined with other offers.",
                    "Réservée aux membres Maison Lumen connectés à leur compte ou présentant leur "
                    "carte de membre en magasin. La remise s’applique automatiquement aux produits "
                    "audio éligibles et n’est pas cumulable avec d’autres offres.",
                ),
            ),
        ),
    ]


# --- brand messages ---------------------------------------------------------------------------


def _brand_message(
    *,
    slug: str,
    title: _Pair,
    headline: _Pair,
    body: _Localized,
    subject_line: _Pair,
    preheader: _Pair,
    audience: str,
    products: list[str],
    campaign_starts_at: str | None,
    social: tuple[_Pair, _Pair],
    email_headline: _Pair | None = None,
    kiosk_headline: _Pair | None = None,
) -> DemoEntry:
    """`social` is (headline, post); every override is written in both languages, because an
    English override would otherwise win over the French base value on that channel."""
    base = _by_locale(
        title=_Localized(*title),
        slug=slug,
        headline=_Localized(*headline),
        body=body,
        subject_line=_Localized(*subject_line),
        preheader=_Localized(*preheader),
        audience=audience,
        products=products,
        campaign_starts_at=campaign_starts_at,
    )
    social_headline, social_text = social
    overrides = {"social": _by_locale(headline=_Localized(*social_headline), social_text=_Localized(*social_text))}
    if email_headline:
        overrides["email"] = _by_locale(headline=_Localized(*email_headline))
    if kiosk_headline:
        overrides["kiosk"] = _by_locale(headline=_Localized(*kiosk_headline))
    return _entry("brand_message", base, overrides)


def _brand_messages() -> list[DemoEntry]:
    return [
        _brand_message(
            slug="spring-collection-2026",
            title=("Spring 2026 collection launch", "Lancement de la collection printemps 2026"),
            headline=("Let the light back in", "Laissez entrer la lumière"),
            body=_document(
                _p(
                    "The days are getting longer, and our spring collection follows the light: "
                    "woven rattan pendants, linen in chalk and rosemary, and terracotta fired near "
                    "Anduze for balconies that are about to wake up.",
                    "Les jours rallongent, et notre collection de printemps suit la lumière : "
                    "suspensions en rotin tressé, lin craie et romarin, et terre cuite des "
                    "environs d’Anduze pour les balcons qui se réveillent.",
                ),
                _p(
                    "Everything is in store and online from today.",
                    "Tout est disponible en magasin et en ligne dès aujourd’hui.",
                ),
            ),
            subject_line=(
                "Our spring collection is here",
                "Notre collection de printemps est arrivée",
            ),
            preheader=(
                "Rattan, linen and terracotta to let the light back in.",
                "Du rotin, du lin et de la terre cuite pour laisser entrer la lumière.",
            ),
            audience="everyone",
            products=[
                "rotin-pendant-light",
                "romarin-linen-throw",
                "craie-linen-throw",
                "calanque-terracotta-planter",
            ],
            campaign_starts_at="2026-03-16T08:00:00Z",
            social=(
                ("Spring is here", "Le printemps est là"),
                (
                    "Longer days, lighter homes. Rattan, linen and terracotta: our spring "
                    "collection is in store and online now. #MaisonLumen #SpringHome",
                    "Les jours rallongent, la maison s’allège. Rotin, lin et terre cuite : notre "
                    "collection de printemps est en magasin et en ligne. #MaisonLumen #Printemps",
                ),
            ),
            email_headline=(
                "Spring has arrived at Maison Lumen",
                "Le printemps est arrivé chez Maison Lumen",
            ),
            kiosk_headline=(
                "New for spring: aisles C, D and E",
                "Nouveautés de printemps : allées C, D et E",
            ),
        ),
        _brand_message(
            slug="slow-coffee-ritual",
            title=("Slow coffee bundle campaign", "Campagne du coffret café filtre"),
            headline=("Make time for a proper cup", "Prenez le temps d’un vrai café"),
            body=_document(
                _p(
                    "Pour-over coffee is a four-minute ritual: grind, bloom, pour, wait. Our new "
                    "bundle brings together the three pieces you need to get started.",
                    "Le café filtre est un rituel de quatre minutes : moudre, laisser gonfler, "
                    "verser, patienter. Notre nouveau coffret réunit les trois pièces nécessaires "
                    "pour bien commencer.",
                ),
                _p_link(
                    ("New to pour-over? ", "Vous débutez ? "),
                    "tutorials/brew-a-better-pour-over",
                    ("Follow our step-by-step guide", "Suivez notre guide pas à pas"),
                ),
            ),
            subject_line=(
                "Your new morning ritual, bundled",
                "Votre nouveau rituel du matin, en coffret",
            ),
            preheader=(
                "A grinder, a gooseneck kettle and a glass pour-over maker, together at last.",
                "Un moulin, une bouilloire à col de cygne et une cafetière filtre en verre, enfin réunis.",
            ),
            audience="everyone",
            products=[
                "clair-pour-over-coffee-maker",
                "causse-burr-coffee-grinder",
                "alba-electric-kettle",
            ],
            campaign_starts_at="2026-05-01T07:00:00Z",
            social=(
                ("Slow coffee, bundled", "Le café filtre en coffret"),
                (
                    "Grind. Bloom. Pour. Wait. Everything you need for a slower morning cup, in "
                    "one bundle. #SlowCoffee #MaisonLumen",
                    "Moudre. Laisser gonfler. Verser. Patienter. Tout ce qu’il faut pour un café "
                    "du matin sans se presser, réuni dans un coffret. #CaféFiltre #MaisonLumen",
                ),
            ),
        ),
        _brand_message(
            slug="members-summer-early-access",
            title=(
                "Members’ early access: summer outdoor range",
                "Avant-première membres : collection plein air d’été",
            ),
            headline=(
                "Summer starts early for members",
                "Pour nos membres, l’été commence plus tôt",
            ),
            body=_document(
                _p(
                    "Before anyone else, members can shop our summer outdoor range: solar "
                    "lanterns, insulated bottles for long hikes and a speaker that doesn’t mind "
                    "the dew.",
                    "En avant-première, nos membres peuvent découvrir notre collection plein air "
                    "d’été : lanternes solaires, gourdes isothermes pour les longues randonnées et "
                    "une enceinte que la rosée n’effraie pas.",
                ),
                _p(
                    "Sign in to your account to see it. It opens to everyone a week later.",
                    "Connectez-vous à votre compte pour la découvrir. Elle sera ouverte à tous une semaine plus tard.",
                ),
            ),
            subject_line=(
                "Members first: our summer outdoor range",
                "Les membres d’abord : notre collection plein air d’été",
            ),
            preheader=(
                "Lanterns, bottles and more, a week before everyone else.",
                "Lanternes, gourdes et bien plus, une semaine avant tout le monde.",
            ),
            audience="members",
            products=[
                "soleil-camping-lantern",
                "sommet-insulated-bottle",
                "soprano-bluetooth-speaker",
            ],
            campaign_starts_at="2026-06-01T07:00:00Z",
            social=(
                ("Summer opens early", "L’été en avant-première"),
                (
                    "Members, summer opens early for you: lanterns, bottles and speakers for long "
                    "evenings outside. Sign in to shop the range a week before everyone else. "
                    "#MaisonLumen",
                    "Membres, l’été ouvre plus tôt pour vous : lanternes, gourdes et enceintes "
                    "pour les longues soirées dehors. Connectez-vous pour découvrir la collection "
                    "une semaine avant tout le monde. #MaisonLumen",
                ),
            ),
            email_headline=(
                "You’re on the list: summer opens early",
                "Vous êtes sur la liste : l’été ouvre plus tôt",
            ),
        ),
        _brand_message(
            slug="welcome-new-customers",
            title=("Welcome series: first email", "Série de bienvenue : premier e-mail"),
            headline=("Welcome to Maison Lumen", "Bienvenue chez Maison Lumen"),
            body=_document(
                _p(
                    "Thank you for joining us. We make everyday things for the kitchen, the home "
                    "and the garden, with a small circle of French workshops, so that they last.",
                    "Merci de nous avoir rejoints. Nous créons des objets du quotidien pour la "
                    "cuisine, la maison et le jardin, avec un petit cercle d’ateliers français, "
                    "pour qu’ils durent.",
                ),
                _ul(
                    ("Free returns for 60 days", "Retours gratuits pendant 60 jours"),
                    (
                        "Repairs and spare parts for everything we sell",
                        "Réparations et pièces détachées pour tout ce que nous vendons",
                    ),
                    (
                        "Member prices on a selection of products",
                        "Des prix réservés aux membres sur une sélection de produits",
                    ),
                ),
            ),
            subject_line=("Welcome to Maison Lumen", "Bienvenue chez Maison Lumen"),
            preheader=(
                "What to expect from us, and a few favourites to start with.",
                "Ce que vous pouvez attendre de nous, et quelques coups de cœur pour commencer.",
            ),
            audience="new_customers",
            products=["forge-chefs-knife", "sable-linen-throw", "alba-electric-kettle"],
            campaign_starts_at=None,
            social=(
                ("Welcome", "Bienvenue"),
                (
                    "New here? Welcome. Everyday things for the kitchen, home and garden, made "
                    "with French workshops to last. #MaisonLumen",
                    "Première visite ? Bienvenue ! Des objets du quotidien pour la cuisine, la "
                    "maison et le jardin, faits avec des ateliers français pour durer. "
                    "#MaisonLumen",
                ),
            ),
            kiosk_headline=(
                "Welcome! Scan to join Maison Lumen",
                "Bienvenue ! Scannez pour rejoindre Maison Lumen",
            ),
        ),
        _brand_message(
            slug="saturday-repair-workshops",
            title=("Repair workshops in store", "Ateliers de réparation en magasin"),
            headline=("Bring it back and we’ll fix it", "Rapportez-le, on le répare"),
            body=_document(
                _p(
                    "Every Saturday morning, our stores turn into repair workshops: knives "
                    "sharpened while you wait, shears serviced and lamps rewired.",
                    "Chaque samedi matin, nos magasins se transforment en ateliers de réparation : "
                    "couteaux affûtés pendant que vous patientez, sécateurs révisés et lampes "
                    "recâblées.",
                ),
                _q(
                    "The most sustainable product is the one you already own.",
                    "Le produit le plus durable, c’est celui que vous possédez déjà.",
                ),
            ),
            subject_line=(
                "Saturday mornings: repair workshops in store",
                "Le samedi matin, ateliers de réparation en magasin",
            ),
            preheader=(
                "Sharpening, servicing and rewiring, free for anything bought at Maison Lumen.",
                "Affûtage, révision et recâblage, gratuits pour tout achat Maison Lumen.",
            ),
            audience="everyone",
            products=["forge-chefs-knife", "classique-pruning-shears", "orme-table-lamp"],
            campaign_starts_at="2026-09-05T07:00:00Z",
            social=(
                ("Repair, don’t replace", "Réparer plutôt que jeter"),
                (
                    "Saturday mornings are for repairs: bring your knives, shears and lamps to any "
                    "Maison Lumen store and we’ll give them a second life. #RepairDontReplace",
                    "Le samedi matin, on répare : apportez couteaux, sécateurs et lampes dans un "
                    "magasin Maison Lumen, nous leur offrons une seconde vie. "
                    "#RéparerPlutôtQueJeter",
                ),
            ),
            email_headline=("Saturday is repair day", "Le samedi, c’est jour de réparation"),
            kiosk_headline=(
                "Repairs every Saturday, 9 am to noon",
                "Réparations chaque samedi, de 9 h à midi",
            ),
        ),
    ]


def _campaigns() -> list[DemoEntry]:
    """Each campaign ties an offer to its messages on every channel, within the offer's window."""
    return [
        _entry(
            "campaign",
            _by_locale(
                title=_Localized("Slow coffee, all year", "Le café filtre, toute l’année"),
                slug="slow-coffee-2026",
                offer="slow-coffee-bundle",
                messages=["slow-coffee-ritual"],
                products=["clair-pour-over-coffee-maker", "causse-burr-coffee-grinder", "alba-electric-kettle"],
                tutorials=["brew-a-better-pour-over"],
                launch_at="2026-05-01T07:00:00Z",
                end_at="2027-04-30T21:59:59Z",
                utm_campaign="slow-coffee",
            ),
        ),
        _entry(
            "campaign",
            _by_locale(
                title=_Localized("Spring garden days", "Les beaux jours au jardin"),
                slug="spring-garden-days-2026",
                offer="spring-garden-days",
                messages=["spring-collection-2026"],
                products=["calanque-terracotta-planter"],
                launch_at="2026-03-19T23:00:00Z",
                end_at="2026-04-05T21:59:59Z",
            ),
        ),
    ]
