"""Expression indexes for the model's filterable and sortable fields: made to match the model, and used."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

from cms.delivery.filters import not_null_in, order_clause, sort_expression, stored, where_conditions
from cms.delivery.indexes import field_indexes, sync_field_indexes
from cms.delivery.queries import page_query
from cms.delivery.sql import Condition, JsonDialect
from cms.model.facts import facts_of
from cms.store.database import get_engine, write_transaction
from cms.store.engine import is_postgres
from cms.store.tables import Entry, Projection

POSTGRES = is_postgres(get_engine())


def brand_and_availability() -> Any:
    """A `where` input `{brand: {eq: "Needle"}, availability: {eq: IN_STOCK}}`, read by attribute."""
    return SimpleNamespace(brand=SimpleNamespace(eq="Needle"), availability=SimpleNamespace(eq="IN_STOCK"))


async def catalogue_of(products: int) -> None:
    """`products` live web/en products: 20 of the brand Needle, the others over 100 brands, 4 availabilities."""
    now = dt.datetime.now(dt.UTC)
    await Entry.insert(Entry(id="e" * 36, content_type="product", created_at=now, updated_at=now))
    availabilities = ["IN_STOCK", "LOW_STOCK", "OUT_OF_STOCK", "PREORDER"]
    rows = [
        Projection(
            key=f"p{number}",
            entry="e" * 36,
            content_type="product",
            channel="web",
            locale="en",
            doc=json.dumps(
                {
                    "name": f"Product {number}",
                    "brand": "Needle" if number < 20 else f"Brand {number % 100}",
                    "availability": "IN_STOCK" if number < 20 else availabilities[number % 4],
                    "price": {"amount": float(number % 150), "currency": "EUR"},
                }
            ),
            version=1,
            published_at=now,
        )
        for number in range(products)
    ]
    for start in range(0, products, 500):
        await Projection.insert(*rows[start : start + 500])
    if POSTGRES:
        await Projection.raw("ANALYZE cms_projection")  # autovacuum's work, done now


async def plan_of(query: Condition) -> str:
    """The query plan, as text: EXPLAIN QUERY PLAN on SQLite; EXPLAIN without sequential scans on PostgreSQL,
    which shows whether an index can serve the query at all (on a tiny table it would rather scan)."""
    if not POSTGRES:
        rows = await Projection.raw(f"EXPLAIN QUERY PLAN {query.sql}", *query.params)
        return "\n".join(row["detail"] for row in rows)
    async with write_transaction():
        await Projection.raw("SET LOCAL enable_seqscan = off")
        rows = await Projection.raw(f"EXPLAIN {query.sql}", *query.params)
    return "\n".join(row["QUERY PLAN"] for row in rows)


async def test_syncing_creates_the_model_indexes_once_and_drops_the_ones_it_no_longer_has(model, database) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    await Projection.raw("CREATE INDEX IF NOT EXISTS cms_projection_filter_gone_00000000 ON cms_projection (stage)")

    created_again = await sync_field_indexes(model)

    names = {index.name for index in field_indexes(model, JsonDialect(postgres=POSTGRES))}
    assert created_again == []
    assert {"cms_projection_filter_brand", "cms_projection_sort_name"} <= {name.rsplit("_", 1)[0] for name in names}
    rows = await Projection.raw(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cms_projection'"
        if POSTGRES
        else "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cms_projection'"
    )
    existing = {row["name"] for row in rows}
    assert names <= existing and "cms_projection_filter_gone_00000000" not in existing


async def test_a_filtered_list_finds_its_page_and_count_through_the_brand_index(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await catalogue_of(2000)
    await sync_field_indexes(model)  # statistics are stale after the inserts (SQLite): analysed again
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    conditions = where_conditions(dialect, product, brand_and_availability())
    page, count = page_query("live", "product", "web", "en", conditions, order_clause(dialect, product, []), 20, 0)

    page_plan, count_plan = await plan_of(page), await plan_of(count)

    indexes = field_indexes(model, dialect)
    brand_index = next(index.name for index in indexes if "filter_brand" in index.name and not index.method)
    assert page_plan.count(brand_index) == 2, page_plan  # the page and its total
    assert brand_index in count_plan, count_plan


async def test_the_default_order_reads_the_name_index_in_order(model, demo_db) -> None:  # type: ignore[no-untyped-def]
    await sync_field_indexes(model)
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    page, _ = page_query("live", "product", "web", "en", [], order_clause(dialect, product, []), 50, 0)

    plan = await plan_of(page)

    name_index = next(index.name for index in field_indexes(model, dialect) if "sort_name" in index.name)
    assert name_index in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort Key" not in plan, plan  # no sorting: rows come in index order


async def test_a_list_filtered_on_two_fields_counts_and_sorts_in_one_index_reading_no_row(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await catalogue_of(2000)
    await sync_field_indexes(model)
    if POSTGRES:
        await get_engine().run_ddl("VACUUM ANALYZE cms_projection")  # all-visible pages, as autovacuum makes them
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    where = SimpleNamespace(
        availability=SimpleNamespace(eq="IN_STOCK"), price=SimpleNamespace(gte=20, lte=80, currency=None)
    )
    conditions = where_conditions(dialect, product, where)
    _, count = page_query(
        "live", "product", "web", "en", conditions, order_clause(dialect, product, [("price", False)]), 20, 0
    )

    count_plan = await plan_of(count)

    indexes = field_indexes(model, dialect)
    used = [index for index in indexes if index.name.startswith("cms_projection_filter_") and index.name in count_plan]
    assert len(used) == 1, count_plan
    columns = used[0].columns  # the index holds both filtered values: the second is tested in the index
    assert all(condition.sql.split(" ")[0] in columns for condition in conditions), (conditions, columns)
    if POSTGRES:
        assert "Index Only Scan" in count_plan, count_plan


def in_stock_priced_20_to_80() -> Any:
    return SimpleNamespace(
        availability=SimpleNamespace(eq="IN_STOCK"), price=SimpleNamespace(gte=20, lte=80, currency=None)
    )


def test_an_order_on_a_value_the_filter_leaves_no_null_in_goes_without_its_missing_last_term(model) -> None:  # type: ignore[no-untyped-def]
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    conditions = where_conditions(dialect, product, in_stock_priced_20_to_80())

    filtered = order_clause(dialect, product, [("price", False), ("name", False)], not_null_in(conditions))
    unfiltered = order_clause(dialect, product, [("price", False), ("name", False)])

    price = product.field("price")
    missing_last = f"({stored(dialect, price, sort_expression(dialect, price))} IS NULL) ASC, "
    assert missing_last in unfiltered, unfiltered
    assert filtered == unfiltered.replace(missing_last, ""), filtered  # the name's term stays


async def test_a_list_sorted_on_the_range_it_filters_reads_its_page_in_index_order(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await catalogue_of(2000)
    await sync_field_indexes(model)
    if POSTGRES:
        await get_engine().run_ddl("VACUUM ANALYZE cms_projection")
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    conditions = where_conditions(dialect, product, in_stock_priced_20_to_80())
    order = order_clause(dialect, product, [("price", False)], not_null_in(conditions))
    page, _ = page_query("live", "product", "web", "en", conditions, order, 20, 0)

    plan = await plan_of(page)

    assert "cms_projection_filter_price" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # the 20 come in index order, nothing sorted


async def tutorials_naming_products(count: int, facts_of_rows: bool = False) -> None:
    """`count` live web/en tutorials, each naming one of 50 products (`p0` … `p49`) in its `products` list."""
    now = dt.datetime.now(dt.UTC)
    await Entry.insert(Entry(id="t" * 36, content_type="tutorial", created_at=now, updated_at=now))
    rows = []
    for number in range(count):
        document = {"title": f"Tutorial {number}", "products": [f"p{number % 50}", "shared"]}
        rows.append(
            Projection(
                key=f"t{number}",
                entry="t" * 36,
                content_type="tutorial",
                channel="web",
                locale="en",
                doc=json.dumps(document),
                version=1,
                published_at=now,
            )
        )
    await Projection.insert(*rows)
    if POSTGRES:
        await Projection.raw("ANALYZE cms_projection")  # autovacuum's work, done now


async def naming(model: Any, product_id: str) -> tuple[int, str]:
    """How many live web/en tutorials `references: {contains: product_id}` finds, and the plan of that count."""
    dialect = JsonDialect(postgres=POSTGRES)
    where = SimpleNamespace(products=SimpleNamespace(contains=product_id))
    tutorial = model.types["tutorial"]
    conditions = where_conditions(dialect, tutorial, where)
    _, count = page_query("live", "tutorial", "web", "en", conditions, order_clause(dialect, tutorial, []), 20, 0)
    rows = await Projection.raw(count.sql, *count.params)
    return rows[0]["total"], await plan_of(count)


async def test_a_references_filter_finds_its_rows_through_an_index_not_a_scan(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await tutorials_naming_products(500)
    await sync_field_indexes(model)  # SQLite: computes the rows' facts, whose lists the triggers index

    total, plan = await naming(model, "p7")

    assert total == 10
    if POSTGRES:
        assert "Bitmap Index Scan on cms_projection_filter_products_" in plan, plan
    else:
        assert "cms_projection_reference USING PRIMARY KEY" in plan, plan
        assert "SCAN cms_projection" not in plan, plan


async def test_a_references_filter_follows_writes_of_the_projections(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await tutorials_naming_products(100)
    await sync_field_indexes(model)
    assert (await naming(model, "p7"))[0] == 2

    await Projection.delete().where(Projection.key == "t7")
    rewritten = json.dumps({"title": "Tutorial 8", "products": ["p7"]})
    facts = facts_of(model.types["tutorial"], json.loads(rewritten)) if not POSTGRES else None
    await Projection.update({Projection.doc: rewritten, Projection.facts: facts}).where(Projection.key == "t8")
    await Projection.insert(
        Projection(
            key="t100",
            entry="t" * 36,
            content_type="tutorial",
            channel="web",
            locale="en",
            version=1,
            doc=rewritten,
            facts=facts,
            published_at=dt.datetime.now(dt.UTC),
        )
    )

    assert (await naming(model, "p7"))[0] == 3  # t57, t8 rewritten, t100 new; t7 deleted
    assert (await naming(model, "p8"))[0] == 1  # t58 only
    assert (await naming(model, "shared"))[0] == 98  # neither rewritten row names it


async def containing(model: Any, text: str) -> tuple[int, str]:
    """How many live web/en products `name: {contains: text}` finds, and the plan of that count."""
    dialect = JsonDialect(postgres=POSTGRES)
    product = model.types["product"]
    conditions = where_conditions(dialect, product, SimpleNamespace(name=SimpleNamespace(contains=text)))
    _, count = page_query("live", "product", "web", "en", conditions, order_clause(dialect, product, []), 20, 0)
    rows = await Projection.raw(count.sql, *count.params)
    return rows[0]["total"], await plan_of(count)


async def test_a_contains_filter_finds_its_rows_through_a_trigram_index(model, clean_db) -> None:  # type: ignore[no-untyped-def]
    await catalogue_of(2000)
    await sync_field_indexes(model)  # SQLite: computes the rows' facts, whose folded texts the triggers index

    total, plan = await containing(model, "DUCT 12")

    assert total == len([n for n in range(2000) if f"product {n}".find("duct 12") >= 0])  # 12, 120…129, 1200…1299
    if POSTGRES:
        assert "Bitmap Index Scan on cms_projection_filter_name_" in plan, plan
    else:
        assert "cms_projection_text VIRTUAL TABLE" in plan and "INTEGER PRIMARY KEY" in plan, plan
    # Too short for trigrams, or holding a LIKE wildcard: still right (every row of the list tested).
    assert (await containing(model, "12"))[0] == len([n for n in range(2000) if "12" in str(n)])
    assert (await containing(model, "duct_1"))[0] == 0
    assert (await containing(model, "t 1%"))[0] == 0
