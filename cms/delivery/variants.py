"""Variants in delivery: the `<Type>Variant` types, `variant(by:)` on an entry, the lookup of an entry by a
variant's SKU or GTIN (with `selectedVariant`), and `where: { variantOptions: {...} }` as SQL.

Variants are stored in the projection as a list (cms.publishing.documents.VariantOutput); the SQL reads
that list from the document (`doc`, on SQLite too: the facts do not hold it).
"""

from __future__ import annotations

import inspect
from typing import Any

import strawberry

from cms.delivery.sql import Condition, JsonDialect
from cms.delivery.types import Namespace, list_of, optional
from cms.model.definitions import ContentType, FieldDef
from cms.model.names import camel_case, pascal_case

VARIANT_CODES = ("sku", "gtin")
OPTIONS_WHERE = "variantOptions"
SELECTED_VARIANT = "selectedVariant"
VARIANTS_KEY = "variants_key"
"""Set on the `variant(by:)` resolver: the document key of the variants it picks from (the fast path's cue)."""


def variant_code_condition(dialect: JsonDialect, field: FieldDef, code: str, value: str) -> Condition:
    """Documents with a variant whose `code` (sku or gtin) is `value`."""
    name = camel_case(field.name)
    if dialect.postgres:
        return Condition(
            f"(doc->'{name}') @> jsonb_build_array(jsonb_build_object('{code}', CAST({{}} AS TEXT)))", [value]
        )
    return Condition(
        f"EXISTS (SELECT 1 FROM json_each(doc, '$.{name}') AS v WHERE json_extract(v.value, '$.{code}') = {{}})",
        [value],
    )


def option_conditions(dialect: JsonDialect, content_type: ContentType, field: FieldDef, where: Any) -> list[Condition]:
    """`variantOptions: {finish: ["brass"], size: [...]}`: one variant must hold a listed value of every axis
    given. An unknown value is refused, naming the option and its values."""
    chosen = _chosen_values(content_type, getattr(where, OPTIONS_WHERE, None))
    if not chosen:
        return []
    name = camel_case(field.name)
    tests, params = [], []
    for axis, values in chosen.items():
        marks = ", ".join(["{}"] * len(values))
        if dialect.postgres:
            tests.append(
                "EXISTS (SELECT 1 FROM jsonb_array_elements(v->'options') AS o "
                f"WHERE o->>'name' = {{}} AND o->>'value' IN ({marks}))"
            )
        else:
            tests.append(
                "EXISTS (SELECT 1 FROM json_each(v.value, '$.options') AS o "
                f"WHERE json_extract(o.value, '$.name') = {{}} AND json_extract(o.value, '$.value') IN ({marks}))"
            )
        params += [axis, *values]
    source = f"jsonb_array_elements(doc->'{name}') AS v" if dialect.postgres else f"json_each(doc, '$.{name}') AS v"
    return [Condition(f"EXISTS (SELECT 1 FROM {source} WHERE {' AND '.join(tests)})", params)]


def _chosen_values(content_type: ContentType, options: Any) -> dict[str, list[str]]:
    if options is None:
        return {}
    chosen: dict[str, list[str]] = {}
    for axis in content_type.options:
        values = getattr(options, axis.name, None)
        if values is None:
            continue
        # a value the axis does not have is schema-valid input (a String): it matches no variant, as a search for
        # nothing finds nothing, rather than an error inside a 200 (tests/conformance)
        chosen[axis.name] = list(values)
    return chosen


def select_variant(document: dict[str, Any], field: FieldDef, code: str, value: str) -> dict[str, Any] | None:
    """The variant of `document` whose `code` is `value`, if any."""
    return next((v for v in document.get(camel_case(field.name)) or [] if v.get(code) == value), None)


class VariantTypes:
    """The GraphQL types of one content type's variants on one channel."""

    def __init__(
        self, ns: Namespace, owner: ContentType, field: FieldDef, image: Any, money: Any, inventory: Any = None
    ) -> None:
        """`inventory`: the variant's `inventory(store:)` (cms.delivery.stock_field), on a channel showing stock."""
        self.owner, self.field = owner, field
        base = pascal_case(owner.name)
        option = ns.object_type(
            f"{base}VariantOption",
            {"name": str, "label": str, "value": str, "valueLabel": str},
            {},
            "An option of a variant: the axis (`finish`) and the value (`brass`), with their labels in the locale.",
        )
        self.variant = ns.object_type(
            f"{base}Variant",
            {
                "sku": str,
                "gtin": str,
                "price": optional(money),
                "compareAtPrice": optional(money),
                "appliedOffer": str | None,
                "images": list_of(image),
                "options": list_of(option),
            },
            {
                "price": strawberry.field(
                    description="What it costs now: its own price (else the entry's) after the best offer in force"
                    " (cms.commerce.prices; the price feed gives the same)."
                ),
                "compareAtPrice": strawberry.field(
                    description="The price before the offer; with no offer in force, the former price entered (the"
                    " variant's, else the entry's when it has no price of its own) if above the price; else null."
                ),
                "appliedOffer": strawberry.field(description="The slug of the offer in the price; null when none."),
                **({"inventory": inventory} if inventory is not None else {}),
            },
            f"A variant of a {owner.name.replace('_', ' ')}: its own SKU, GTIN, price (the entry's when it has none),"
            " images and option values.",
        )
        by_annotations = {code: str | None for code in VARIANT_CODES}
        by_class = type(f"{base}VariantBy", (), {"__annotations__": by_annotations, "__module__": ns.module.__name__})
        for code in VARIANT_CODES:
            setattr(by_class, code, strawberry.UNSET)
        self.by = ns.add(
            f"{base}VariantBy", strawberry.input(by_class, one_of=True, description="Exactly one of: sku, gtin.")
        )
        self.options_where = ns.input_type(
            f"{base}OptionsWhere",
            {axis.name: optional(list_of(str)) for axis in owner.options},
            "Entries with a variant holding one of the values listed, for every option given.",
        )
        self.ns = ns

    def fields(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Annotations and attributes the entry type gains: `variant(by:)` and `selectedVariant`."""
        field = self.field

        async def resolve(root: dict[str, Any], info: strawberry.Info, by: Any) -> Any:
            ((code, value),) = ((k, v) for k, v in vars(by).items() if v is not None and v is not strawberry.UNSET)
            return select_variant(root, field, code, value)

        setattr(resolve, VARIANTS_KEY, camel_case(field.name))
        name = f"resolve_{self.owner.name}_variant"
        variant_name = f"{pascal_case(self.owner.name)}Variant"
        resolver = self.ns.resolver(
            resolve, name, [("by", self.by, inspect.Parameter.empty)], f"Optional[{variant_name}]", with_root=True
        )
        annotations = {SELECTED_VARIANT: optional(self.variant)}
        attributes = {
            "variant": strawberry.field(resolver=resolver, description="One of the variants, by SKU or GTIN."),
            SELECTED_VARIANT: strawberry.field(
                description="The variant whose SKU or GTIN this entry was looked up by (a scanned barcode); null"
                " otherwise."
            ),
        }
        return annotations, attributes
