"""Variants: option axes in the model, variants checked on save, GTINs unique across variants and products,
and delivery finding a scanned variant, listing, filtering and faceting by option value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.delivery.operations import operation_id
from cms.model import ContentModel
from cms.model.entry_data import EntryData, InvalidEntryError
from cms.model.loader import read_model
from cms.publishing.publish import publish_versions
from cms.store.entries import create_entry, load_version, save_version
from cms.store.tables import Entry, EntryVersion, UniqueValue
from tests import conftest
from tests.factories import gtin13
from tests.model_copies import break_file, copy_shipped_model
from tests.test_delivery_caching import OPERATIONS

LAMP_GTINS = [gtin13(9001), gtin13(9002), gtin13(9003)]
THROW_GTINS = [gtin13(9101), gtin13(9102)]


def lamp(category: str, variants: list[dict[str, Any]] | None = None, **more: Any) -> EntryData:
    values: dict[str, Any] = {
        "name": "Galet table lamp",
        "slug": "galet-table-lamp",
        "gtin": LAMP_GTINS[0],
        "sku": "LMP-01",
        "price": {"amount": "89.00", "currency": "EUR"},
        "category": category,
        "availability": "in_stock",
        "variants": variants
        if variants is not None
        else [
            {"sku": "LMP-01-BRASS", "gtin": LAMP_GTINS[0], "options": {"finish": "brass"}},
            {"sku": "LMP-01-BLACK", "gtin": LAMP_GTINS[1], "options": {"finish": "black"}},
            {
                "sku": "LMP-01-WHITE",
                "gtin": LAMP_GTINS[2],
                "options": {"finish": "white"},
                "price": {"amount": "84", "currency": "EUR"},
            },
        ],
        **more,
    }
    return EntryData(base={"en": values, "fr": {"name": "Lampe à poser Galet"}})


def throw(category: str) -> EntryData:
    return EntryData(
        base={
            "en": {
                "name": "Linen throw",
                "slug": "linen-throw",
                "gtin": gtin13(9100),
                "price": {"amount": "79.00", "currency": "EUR"},
                "category": category,
                "availability": "in_stock",
                "variants": [
                    {"sku": "THR-130", "gtin": THROW_GTINS[0], "options": {"size": "130x170"}},
                    {"sku": "THR-150", "gtin": THROW_GTINS[1], "options": {"size": "150x200"}},
                ],
            }
        }
    )


async def new_category(model: ContentModel) -> str:
    saved = await create_entry(
        model, model.types["category"], EntryData(base={"en": {"name": "Lighting", "slug": "lighting"}})
    )
    return saved.entry_id


async def counts() -> tuple[int, int, int]:
    return (await Entry.count(), await EntryVersion.count(), await UniqueValue.count())


# -- the model ------------------------------------------------------------------------------------


BROKEN_OPTIONS = [
    pytest.param('name = "finish"', 'name = "Finish"', "options[0].name", "snake_case", id="axis-name"),
    pytest.param('name = "size"', 'name = "finish"', "options[1].name", "declared twice", id="axis-twice"),
    pytest.param('{ name = "black"', '{ name = "brass"', "options[0].values[1].name", "listed twice",
                 id="value-twice"),
    pytest.param('{ name = "small"', '{ name = "Small one"', "options[1].values[0].name", "lower-case",
                 id="value-name"),
    pytest.param('kind = "variants"\n', 'kind = "variants"\nlocalized = true\n', "fields[19].localized",
                 "does not apply", id="localized-variants"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "key", "reason"), BROKEN_OPTIONS)
def test_a_broken_option_axis_names_the_file_the_key_and_the_reason(
    tmp_path: Path, old: str, new: str, key: str, reason: str
) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "product.toml", old, new)
    model, problems = read_model(directory)
    assert model is None
    assert [(problem.file, problem.key) for problem in problems] == [("product.toml", key)]
    assert reason in problems[0].reason


def test_an_option_named_like_a_field_is_refused(tmp_path: Path) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "product.toml", 'name = "size"', 'name = "brand"')
    model, problems = read_model(directory)
    assert model is None
    assert [(problem.key, problem.reason) for problem in problems] == [
        ("options[1].name", "'brand' is also a field of product: rename one")
    ]


def test_options_without_a_variants_field_are_refused(tmp_path: Path) -> None:
    directory = copy_shipped_model(tmp_path)
    break_file(directory, "product.toml", 'kind = "variants"', 'kind = "json"')
    model, problems = read_model(directory)
    assert model is None
    assert [(problem.file, problem.key) for problem in problems] == [("product.toml", "options")]
    assert "kind `variants`" in problems[0].reason


# -- saving ----------------------------------------------------------------------------------------


async def test_variants_are_stored_with_options_in_the_models_order(model: ContentModel, clean_db: None) -> None:
    category = await new_category(model)
    saved = await create_entry(model, model.types["product"], lamp(category))
    stored = (await load_version(saved.entry_id)).data.base["en"]["variants"]
    assert [variant["sku"] for variant in stored] == ["LMP-01-BRASS", "LMP-01-BLACK", "LMP-01-WHITE"]
    assert stored[2]["price"] == {"amount": "84.00", "currency": "EUR"}
    assert "price" not in stored[0]


UNFIT_VARIANTS = [
    pytest.param({"options": {"finish": "gold"}}, "base.en.variants[1].options.finish",
                 "'gold' is not a value of option finish (values: brass, black, white, steel, copper)",
                 id="unknown-value"),
    pytest.param({"options": {"colour": "red"}}, "base.en.variants[1].options.colour",
                 "unknown option 'colour' of product (options: finish, size)", id="unknown-axis"),
    pytest.param({"options": {"size": "small"}}, "base.en.variants[1].options.finish",
                 "is required: variant [0] varies by it, so every variant gives it", id="other-axis"),
    pytest.param({"options": {"finish": "brass"}}, "base.en.variants[1].options",
                 "same options as variant [0]: each variant is one combination", id="same-combination"),
    pytest.param({"sku": "LMP-01-BRASS"}, "base.en.variants[1].sku",
                 "'LMP-01-BRASS' is already the SKU of variant [0]", id="same-sku"),
    pytest.param({"gtin": "4000000090011"}, "base.en.variants[1].gtin",
                 "'4000000090011' is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)",
                 id="bad-gtin"),
    pytest.param({"sku": "LMP 01"}, "base.en.variants[1].sku",
                 "'LMP 01' is not a SKU: up to 64 letters, digits and . _ / -, no spaces", id="bad-sku"),
    pytest.param({"price": {"amount": "-1", "currency": "EUR"}}, "base.en.variants[1].price.amount",
                 "cannot be negative", id="negative-price"),
    pytest.param({"colour": "red"}, "base.en.variants[1].colour",
                 "unknown key 'colour' (expected: sku, gtin, price, compare_at, images, options)", id="unknown-key"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "path", "reason"), UNFIT_VARIANTS)
async def test_an_unfit_variant_is_refused_naming_its_row_and_column_and_nothing_is_stored(
    model: ContentModel, clean_db: None, change: dict[str, Any], path: str, reason: str
) -> None:
    category = await new_category(model)
    before = await counts()
    variants = [
        {"sku": "LMP-01-BRASS", "gtin": LAMP_GTINS[0], "options": {"finish": "brass"}},
        {"sku": "LMP-01-BLACK", "gtin": LAMP_GTINS[1], "options": {"finish": "black"}, **change},
    ]
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(model, model.types["product"], lamp(category, variants))
    assert [(error.path, error.reason) for error in refused.value.errors] == [(path, reason)]
    assert await counts() == before


async def test_variants_cannot_differ_per_channel(model: ContentModel, clean_db: None) -> None:
    category = await new_category(model)
    data = lamp(category)
    data.overrides = {"kiosk": {"en": {"variants": data.base["en"]["variants"][:1]}}}
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(model, model.types["product"], data)
    assert [str(error) for error in refused.value.errors] == [
        "overrides.kiosk.en.variants: variants are shared by every channel: edit them in the base values"
    ]


async def test_a_gtin_held_by_another_products_variant_is_refused_naming_that_entry(
    model: ContentModel, clean_db: None
) -> None:
    # given a lamp whose black variant has a GTIN
    category = await new_category(model)
    first = await create_entry(model, model.types["product"], lamp(category))
    before = await counts()
    # when another product gives one of its variants the same GTIN
    data = throw(category)
    data.base["en"]["variants"][1]["gtin"] = LAMP_GTINS[1]
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(model, model.types["product"], data)
    # then it is refused, naming the variant's path and the lamp, and nothing is stored
    assert [str(error) for error in refused.value.errors] == [
        f"base.en.variants[1].gtin: is already used by another entry: product 'galet-table-lamp' (id {first.entry_id})"
    ]
    assert await counts() == before


async def test_a_products_own_gtin_cannot_be_a_variant_gtin_of_another(model: ContentModel, clean_db: None) -> None:
    category = await new_category(model)
    first = await create_entry(model, model.types["product"], lamp(category))
    data = throw(category)
    data.base["en"]["gtin"] = LAMP_GTINS[2]
    with pytest.raises(InvalidEntryError) as refused:
        await create_entry(model, model.types["product"], data)
    assert [error.path for error in refused.value.errors] == ["base.en.gtin"]
    assert first.entry_id in refused.value.errors[0].reason


async def test_a_gtin_a_variant_gave_up_can_be_claimed_by_another_product(model: ContentModel, clean_db: None) -> None:
    # given a lamp whose white variant is dropped in a later version
    category = await new_category(model)
    first = await create_entry(model, model.types["product"], lamp(category))
    data = lamp(category)
    data.base["en"]["variants"] = data.base["en"]["variants"][:2]
    await save_version(model, first.entry_id, data, based_on=1)
    # when another product's variant takes the white one's GTIN
    other = throw(category)
    other.base["en"]["variants"][0]["gtin"] = LAMP_GTINS[2]
    saved = await create_entry(model, model.types["product"], other)
    # then it is accepted
    assert (await load_version(saved.entry_id)).data.base["en"]["variants"][0]["gtin"] == LAMP_GTINS[2]


# -- delivery --------------------------------------------------------------------------------------


@pytest.fixture
async def catalogue(clean_db: None, model: ContentModel) -> dict[str, str]:
    conftest._demo_is_intact = False
    category = await new_category(model)
    lamp_version = await create_entry(model, model.types["product"], lamp(category))
    throw_version = await create_entry(model, model.types["product"], throw(category))
    await publish_versions(model, [lamp_version, throw_version])
    return {"lamp": lamp_version.entry_id, "throw": throw_version.entry_id}


async def gql(client: httpx.AsyncClient, channel: str, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post(f"/graphql/{channel}", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


SCAN = """
query Scan($gtin: String!) {
  product(by: { gtin: $gtin }, locale: fr) {
    id name
    selectedVariant { sku gtin price { amount formatted } options { name label value valueLabel } }
  }
}
"""


async def test_a_variant_is_found_by_scanning_its_gtin_on_the_app(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    # the app's persisted operation, by id over GET (as a CDN caches it)
    text = (OPERATIONS / "app" / "ScanVariant.graphql").read_text(encoding="utf-8")
    variables = json.dumps({"gtin": LAMP_GTINS[2], "locale": "fr"})
    response = await client.get("/graphql/app", params={"id": operation_id(text), "variables": variables})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["product"] == {
        "id": catalogue["lamp"],
        "name": "Lampe à poser Galet",
        "price": {"formatted": "89,00\xa0€"},
        "selectedVariant": {
            "sku": "LMP-01-WHITE",
            "gtin": LAMP_GTINS[2],
            "price": {"amount": "84.00", "formatted": "84,00\xa0€"},
            "options": [{"name": "finish", "label": "Finition", "value": "white", "valueLabel": "Blanc"}],
        },
        "variants": [
            {"sku": "LMP-01-BRASS", "gtin": LAMP_GTINS[0], "options": [{"value": "brass", "valueLabel": "Laiton"}]},
            {"sku": "LMP-01-BLACK", "gtin": LAMP_GTINS[1], "options": [{"value": "black", "valueLabel": "Noir mat"}]},
            {"sku": "LMP-01-WHITE", "gtin": LAMP_GTINS[2], "options": [{"value": "white", "valueLabel": "Blanc"}]},
        ],
    }


async def test_scans_of_one_products_variants_in_a_row_each_select_their_own(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    # the same operation, run enough times for the fast path to remember the product's output
    for _ in range(3):
        for gtin, sku in zip(LAMP_GTINS, ["LMP-01-BRASS", "LMP-01-BLACK", "LMP-01-WHITE"], strict=True):
            data = await gql(client, "app", SCAN, gtin=gtin)
            assert data["product"]["selectedVariant"]["sku"] == sku


async def test_scanning_the_products_own_gtin_selects_the_variant_sharing_it(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    data = await gql(client, "app", SCAN, gtin=LAMP_GTINS[0])
    assert data["product"]["id"] == catalogue["lamp"]
    assert data["product"]["selectedVariant"]["sku"] == "LMP-01-BRASS"
    # the variant without a price of its own has the product's
    assert data["product"]["selectedVariant"]["price"]["amount"] == "89.00"


async def test_a_variant_sku_finds_its_product_and_an_unknown_code_finds_nothing(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    query = '{ product(by: { sku: "THR-150" }) { id selectedVariant { gtin } } }'
    data = await gql(client, "app", query)
    assert data["product"] == {"id": catalogue["throw"], "selectedVariant": {"gtin": THROW_GTINS[1]}}
    assert (await gql(client, "app", SCAN, gtin=gtin13(9999)))["product"] is None


async def test_a_product_looked_up_otherwise_has_no_selected_variant_and_lists_its_variants(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    query = """query Throw($gtin: String!) { product(by: { slug: "linen-throw" }) {
      selectedVariant { sku }
      variants { sku price { amount } options { value valueLabel } }
      variant(by: { gtin: $gtin }) { sku }
    } }"""
    data = await gql(client, "web", query, gtin=THROW_GTINS[0])
    assert data["product"] == {
        "selectedVariant": None,
        "variants": [
            {
                "sku": "THR-130",
                "price": {"amount": "79.00"},
                "options": [{"value": "130x170", "valueLabel": "130 × 170 cm"}],
            },
            {
                "sku": "THR-150",
                "price": {"amount": "79.00"},
                "options": [{"value": "150x200", "valueLabel": "150 × 200 cm"}],
            },
        ],
        "variant": {"sku": "THR-130"},
    }


async def test_products_are_filtered_by_option_value(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    query = "query F($where: ProductWhere) { products(where: $where) { totalCount nodes { slug } } }"
    by_finish = await gql(client, "web", query, where={"variantOptions": {"finish": ["white", "copper"]}})
    assert by_finish["products"] == {"totalCount": 1, "nodes": [{"slug": "galet-table-lamp"}]}
    by_size = await gql(client, "web", query, where={"variantOptions": {"size": ["150x200"]}})
    assert by_size["products"]["nodes"] == [{"slug": "linen-throw"}]
    # both options must hold in one variant: no lamp comes in a size
    both = await gql(client, "web", query, where={"variantOptions": {"finish": ["white"], "size": ["150x200"]}})
    assert both["products"]["totalCount"] == 0


async def test_an_unknown_option_value_in_a_filter_matches_nothing(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    query = "query F($where: ProductWhere) { products(where: $where) { totalCount } }"
    gold = await gql(client, "web", query, where={"variantOptions": {"finish": ["gold"]}})
    gold_or_known = await gql(client, "web", query, where={"variantOptions": {"finish": ["gold", "white", "copper"]}})
    assert gold["products"]["totalCount"] == 0
    assert gold_or_known["products"]["totalCount"] == 1


async def test_the_demo_sells_lamps_in_finishes_and_throws_in_sizes(client, demo_db) -> None:  # type: ignore[no-untyped-def]
    query = "query F($where: ProductWhere) { products(first: 100, where: $where) { nodes { slug variants { sku } } } }"
    data = await gql(client, "web", query, where={"variantOptions": {"size": ["150x200"]}})
    slugs = {node["slug"] for node in data["products"]["nodes"]}
    assert slugs and all(slug.endswith("linen-throw") for slug in slugs)
    assert all(len(node["variants"]) == 2 for node in data["products"]["nodes"])


SEARCH = """
query S($q: String!, $w: SearchWhere) {
  search(query: $q, where: $w, first: 10, locale: fr) {
    totalCount
    edges { node { ... on Product { slug } } }
    facets { field values { value label count } }
  }
}
"""


async def test_search_counts_option_values_as_facets_and_filters_by_them(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    everything = (await gql(client, "web", SEARCH, q="galet throw"))["search"]
    assert everything["totalCount"] == 2
    finish = next(f["values"] for f in everything["facets"] if f["field"] == "finish")
    assert sorted((v["value"], v["label"], v["count"]) for v in finish) == [
        ("black", "Noir mat", 1),
        ("brass", "Laiton", 1),
        ("white", "Blanc", 1),
    ]
    size = next(f["values"] for f in everything["facets"] if f["field"] == "size")
    assert sorted((v["value"], v["count"]) for v in size) == [("130x170", 1), ("150x200", 1)]
    only = (await gql(client, "web", SEARCH, q="galet throw", w={"size": ["150x200"]}))["search"]
    assert [edge["node"]["slug"] for edge in only["edges"]] == ["linen-throw"]


async def test_search_finds_a_product_by_a_variant_code(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    found = (await gql(client, "web", SEARCH, q="LMP-01-WHITE"))["search"]
    assert [edge["node"]["slug"] for edge in found["edges"]][:1] == ["galet-table-lamp"]
    by_gtin = (await gql(client, "web", SEARCH, q=THROW_GTINS[1]))["search"]
    assert [edge["node"]["slug"] for edge in by_gtin["edges"]][:1] == ["linen-throw"]
