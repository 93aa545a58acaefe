"""The sync feed of a channel: a first sync pages through what is served, later ones return what changed;
`GET /sync/{channel}` and the delivery schemas' `sync` field give the same pages."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest

from cms.delivery.context import DeliveryContext
from cms.delivery.fast import execute_fast
from cms.delivery.operations import operation_id
from cms.delivery.schema import build_channel_schema
from cms.delivery.sql import JsonDialect
from cms.events.sync import StaleSyncCursorError, SyncError, SyncQuery, sync
from cms.events.sync_cursor import decode_sync_cursor
from cms.model import ContentModel, load_model
from cms.store.database import delete_all_content, get_engine
from cms.store.engine import is_postgres
from cms.store.tables import Event, Projection
from cms.workflow.entries import Editor
from tests.conftest import ROOT, build_client
from tests.events.helpers import Mirror, category_data, delivered, documents_of, editor_for, published_category
from tests.factories import build_catalogue
from tests.management_client import token_for
from tests.model_copies import break_file, copy_shipped_model

SYNC = (ROOT / "graphql" / "operations" / "web" / "Sync.graphql").read_text(encoding="utf-8")
"""The persisted `Sync` operation every channel registers (`cms operations sync`)."""


@pytest.fixture
async def editor(model: ContentModel, clean_db: None) -> Editor:
    return editor_for(model)


@pytest.fixture
async def catalogue(model: ContentModel, clean_db: None) -> list[str]:
    """3 categories and 9 products, published; their ids."""
    ids = await build_catalogue(model, 9)
    return [*ids["categories"].values(), *ids["products"].values()]


async def test_the_first_sync_pages_through_every_published_document_exactly_once(model, catalogue) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "web")

    await mirror.catch_up(first=5)

    keys = [(item.id, item.locale) for page in mirror.pages for item in page.items]
    assert len(keys) == len(set(keys)) == 24  # 12 entries in English and French
    assert [len(page.items) for page in mirror.pages] == [5, 5, 5, 5, 4]
    assert [page.has_more for page in mirror.pages] == [True, True, True, True, False]
    assert keys == sorted(keys)
    assert mirror.documents == await delivered("web", ["en", "fr"], catalogue)


async def test_items_carry_the_type_locale_version_and_stored_document(model, editor) -> None:  # type: ignore[no-untyped-def]
    kitchen = await published_category(editor, "kitchen", "Kitchen")

    page = await sync(model, SyncQuery("kiosk"))

    assert [(item.id, item.type, item.locale, item.version) for item in page.items] == [
        (kitchen, "category", "en", 1),
        (kitchen, "category", "fr", 1),
    ]
    stored = await Projection.select(Projection.doc).where(
        (Projection.entry == kitchen) & (Projection.channel == "kiosk") & (Projection.locale == "fr")
    )
    assert documents_of(page)[(kitchen, "fr")] == msgspec.json.decode(stored[0]["doc"])
    assert documents_of(page)[(kitchen, "fr")]["name"] == "Kitchen (fr)"


async def test_a_publish_after_the_first_sync_comes_back_as_upserts(model, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    mirror = Mirror(model, "web")
    await mirror.catch_up()

    garden = await published_category(editor, "garden", "Garden")
    page = await mirror.page()

    assert [(item.id, item.locale) for item in page.items] == [(garden, "en"), (garden, "fr")]
    assert (page.removed, page.has_more) == ([], False)
    assert documents_of(page)[(garden, "en")]["name"] == "Garden"


async def test_an_unpublished_or_archived_entry_comes_back_as_a_removal(model, editor) -> None:  # type: ignore[no-untyped-def]
    kitchen = await published_category(editor, "kitchen")
    garden = await published_category(editor, "garden")
    mirror = Mirror(model, "web")
    await mirror.catch_up()

    await editor.unpublish(kitchen)
    await editor.archive(garden)
    page = await mirror.page()

    assert page.items == []
    assert [(removal.id, removal.type) for removal in page.removed] == sorted(
        [(kitchen, "category"), (garden, "category")]
    )
    assert mirror.documents == {}


async def test_a_sync_with_nothing_new_returns_nothing_and_the_same_cursor(model, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    mirror = Mirror(model, "web")
    await mirror.catch_up()
    cursor = mirror.cursor

    page = await mirror.page()

    assert (page.items, page.removed, page.next_cursor, page.has_more) == ([], [], cursor, False)


async def test_changes_on_other_channels_are_not_in_a_channel_feed(model, editor) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "social")  # social shows products, brand messages and offers: no categories
    await mirror.catch_up()

    await published_category(editor, "kitchen")
    page = await mirror.page()

    assert (page.items, page.removed, page.has_more) == ([], [], False)


async def test_changes_are_read_in_whole_events_of_about_first_entries(model, editor) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "web")
    await mirror.catch_up()
    ids = [await published_category(editor, slug) for slug in ("kitchen", "garden", "audio")]
    await editor.update(ids[0], 1, category_data("kitchen", "Cooking"))
    await editor.publish(ids[0])  # a fourth event, naming the first entry again

    pages = [await mirror.page(first=2), await mirror.page(first=2)]

    assert [sorted({item.id for item in page.items}) for page in pages] == [sorted(ids[:2]), sorted([ids[2], ids[0]])]
    assert [page.has_more for page in pages] == [True, False]
    assert documents_of(pages[1])[(ids[0], "en")]["name"] == "Cooking"


async def test_what_changes_while_paging_is_replayed_afterwards(model, catalogue, editor) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "web")
    first_page = await mirror.page(first=4)
    seen = first_page.items[0].id

    await editor.unpublish(seen)
    late = await published_category(editor, "late-arrival")
    await mirror.catch_up(first=4)

    assert (seen, "en") not in mirror.documents and (late, "fr") in mirror.documents
    assert mirror.documents == await delivered("web", ["en", "fr"], [*catalogue, late])


async def test_the_locale_filter_keeps_one_locale(model, editor) -> None:  # type: ignore[no-untyped-def]
    kitchen = await published_category(editor, "kitchen")
    mirror = Mirror(model, "app", locale="fr")
    first = await mirror.page()

    garden = await published_category(editor, "garden")
    changes = await mirror.page()

    assert [(item.id, item.locale) for item in first.items] == [(kitchen, "fr")]
    assert [(item.id, item.locale) for item in changes.items] == [(garden, "fr")]


async def test_the_types_filter_leaves_other_types_out_of_items_and_removals(model, catalogue, editor) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "web", types=("category",))
    await mirror.catch_up()
    product = next(entry for entry in catalogue[3:])

    await editor.unpublish(product)
    kitchen = await published_category(editor, "kitchen-2")
    page = await mirror.page()

    assert {item.type for item in mirror.pages[0].items} == {"category"}
    assert len(mirror.pages[0].items) == 6
    assert ([item.id for item in page.items], page.removed) == ([kitchen, kitchen], [])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SyncQuery("web", first=0), "`first` must be between 1 and 1000, got 0"),
        (SyncQuery("web", first=1001), "`first` must be between 1 and 1000, got 1001"),
        (SyncQuery("web", locale="de"), "unknown locale 'de' for the web channel: use one of en, fr"),
        (
            SyncQuery("social", types=("category",)),
            "the social channel has no type 'category': use brand_message, offer, product",
        ),
        (SyncQuery("web", cursor="not-a-cursor"), "`cursor` is not a cursor returned by this sync feed"),
        (SyncQuery("web", cursor="eyJ2IjoxfQ"), "`cursor` is not a cursor returned by this sync feed"),  # {"v":1}
    ],
)
async def test_a_bad_request_is_refused_with_what_to_send(model, clean_db, query: SyncQuery, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SyncError) as refused:
        await sync(model, query)
    assert str(refused.value).startswith(message)


async def test_a_cursor_is_refused_on_another_channel(model, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    cursor = (await sync(model, SyncQuery("web", first=1))).next_cursor

    with pytest.raises(SyncError) as refused:
        await sync(model, SyncQuery("app", cursor))

    assert str(refused.value).startswith("this cursor was made for the web channel, not app")


async def test_a_locale_or_types_sent_with_a_cursor_filter_what_follows_its_position(model, editor) -> None:  # type: ignore[no-untyped-def]
    # Given a consumer of every French document, up to date
    await published_category(editor, "kitchen")
    mirror = Mirror(model, "web", locale="fr")
    await mirror.catch_up()
    cursor = mirror.cursor
    garden = await published_category(editor, "garden", "Garden")

    # When it asks, from the same position, for English and for products only
    english = await sync(model, SyncQuery("web", cursor, locale="en"))
    products = await sync(model, SyncQuery("web", cursor, types=("product",)))
    own = await sync(model, SyncQuery("web", cursor))

    # Then each answer is what changed since, filtered as asked; left out, the filters are the cursor's own
    assert [(item.id, item.locale) for item in english.items] == [(garden, "en")]
    assert (products.items, products.removed) == ([], [])
    assert [(item.id, item.locale) for item in own.items] == [(garden, "fr")]
    assert (decode_sync_cursor(english.next_cursor).locale, decode_sync_cursor(products.next_cursor).types) == (
        "en",
        ("product",),
    )


async def test_a_cursor_older_than_a_reset_store_is_refused(model, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    mirror = Mirror(model, "web")
    await mirror.catch_up()

    await delete_all_content()

    with pytest.raises(StaleSyncCursorError, match="ahead of the change log"):
        await mirror.page()


async def test_cursors_are_opaque_and_carry_the_phase_and_high_water_mark(model, catalogue) -> None:  # type: ignore[no-untyped-def]
    mirror = Mirror(model, "web")
    await mirror.page(first=5)
    paging = decode_sync_cursor(mirror.cursor or "")
    await mirror.catch_up()
    done = decode_sync_cursor(mirror.cursor or "")

    last = (await Event.select(Event.id).order_by(Event.id, ascending=False).first())["id"]
    assert (paging.phase, paging.mark, paging.after) == ("initial", last, (mirror.pages[0].items[-1].id, "en"))
    assert (done.phase, done.mark, done.after) == ("incremental", last, None)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", mirror.cursor or "")  # base64url, unpadded: safe in a URL as is


# --- over HTTP and GraphQL ------------------------------------------------------------------------


async def graphql_sync(client: Any, channel: str = "web", **variables: Any) -> dict[str, Any]:
    response = await client.post(f"/graphql/{channel}", json={"query": SYNC, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["sync"]  # type: ignore[no-any-return]


async def http_sync(client: Any, channel: str = "web", **params: Any) -> dict[str, Any]:
    response = await client.get(f"/sync/{channel}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.json()  # type: ignore[no-any-return]


async def test_http_and_graphql_give_the_same_pages(client, catalogue, editor) -> None:  # type: ignore[no-untyped-def]
    over_http, over_graphql = [await http_sync(client, first="7")], [await graphql_sync(client, first=7)]
    while over_http[-1]["hasMore"]:
        over_http.append(await http_sync(client, cursor=over_http[-1]["nextCursor"], first="7"))
        over_graphql.append(await graphql_sync(client, cursor=over_graphql[-1]["nextCursor"], first=7))
    await editor.unpublish(catalogue[0])
    await published_category(editor, "late-arrival")
    over_http.append(await http_sync(client, cursor=over_http[-1]["nextCursor"]))
    over_graphql.append(await graphql_sync(client, cursor=over_graphql[-1]["nextCursor"]))

    assert over_http == over_graphql
    assert [len(page["items"]) for page in over_http] == [7, 7, 7, 3, 2]
    assert over_http[-1]["removed"] == [{"id": catalogue[0], "type": "category"}]


async def test_the_persisted_sync_operation_runs_by_id_over_get(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    params = {"id": operation_id(SYNC), "variables": '{"first": 3, "locale": "fr"}'}

    response = await client.get("/graphql/kiosk", params=params)

    assert response.status_code == 200, response.text
    assert response.json()["data"]["sync"] == await http_sync(client, "kiosk", first="3", locale="fr")


async def test_http_filters_take_types_comma_separated_or_repeated(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    comma = await http_sync(client, types="category,product", locale="fr")
    repeated = await http_sync(client, types=["category", "product"], locale="fr")
    graphql = await graphql_sync(client, types=["product", "category"], locale="fr")

    assert comma == repeated == graphql
    assert len(comma["items"]) == 12


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"first": "many"}, 400, "`first` must be a whole number between 1 and 1000, got 'many'"),
        ({"first": "5000"}, 400, "`first` must be between 1 and 1000, got 5000"),
        ({"cursor": "forged"}, 400, "`cursor` is not a cursor returned by this sync feed: 'forged'"),
        ({"type": "product"}, 400, "unknown query parameter 'type': use cursor, locale, types, first"),
        ({"locale": ["en", "fr"]}, 400, "send `locale` once"),
    ],
)
async def test_http_refuses_a_bad_request_with_400(client, clean_db, params, status, message) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/sync/web", params=params)

    assert (response.status_code, response.json()) == (status, {"errors": [{"message": message}]})


async def test_an_unknown_channel_is_404_naming_the_channels(client, clean_db) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/sync/fax")

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == (
        "unknown channel 'fax': the channels are web, app, kiosk, email, social, assistant, web_ch (/sync/<channel>)"
    )


async def test_a_cursor_of_another_channel_fails_validation(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    cursor = (await http_sync(client, "web", first="1"))["nextCursor"]

    as_variable = await client.post("/graphql/app", json={"query": SYNC, "variables": {"cursor": cursor}})
    inline = await client.post("/graphql/app", json={"query": f'{{ sync(cursor: "{cursor}") {{ hasMore }} }}'})
    over_http = await client.get("/sync/app", params={"cursor": cursor})

    refusal = "this cursor was made for the web channel, not app"
    assert as_variable.status_code == inline.status_code == 400
    for answer in (as_variable.json(), inline.json()):
        assert "data" not in answer
        assert "SyncCursor" in answer["errors"][0]["message"] and refusal in answer["errors"][0]["message"]
    assert over_http.status_code == 400
    assert over_http.json()["errors"][0]["message"].startswith(refusal)


@pytest.mark.parametrize(
    ("argument", "refusal"),
    [
        ('cursor: "forged"', "`cursor` is not a cursor returned by this sync feed: 'forged'"),
        ('cursor: ""', "`cursor` is not a cursor returned by this sync feed: ''"),
        ("cursor: 12", "`cursor` must be a cursor returned by this sync feed (a string), got 12"),
        ("types: [category, recipe]", "Value 'recipe' does not exist in 'SyncType' enum"),
        ('types: ["product"]', "Enum 'SyncType' cannot represent non-enum value: \"product\""),
        ("locale: de", "Value 'de' does not exist in 'Locale' enum"),
    ],
)
async def test_bad_sync_arguments_fail_validation_naming_them(client, clean_db, argument, refusal) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/graphql/web", json={"query": f"{{ sync({argument}) {{ hasMore }} }}"})

    assert response.status_code == 400
    assert refusal in response.json()["errors"][0]["message"]


async def test_the_sync_types_are_the_channel_s_own(client, clean_db) -> None:  # type: ignore[no-untyped-def]
    # social shows products, brand messages and offers: no categories
    response = await client.post("/graphql/social", json={"query": "{ sync(types: [category]) { hasMore } }"})

    assert response.status_code == 400
    assert "Value 'category' does not exist in 'SyncType' enum" in response.json()["errors"][0]["message"]


async def test_the_former_ids_of_the_sync_operation_still_run(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    former = re.findall(r"^# replaces: ([0-9a-f]{64})", SYNC, re.MULTILINE)
    variables = '{"first": 2, "locale": "fr", "types": ["category"]}'

    answers = [(await client.get("/graphql/web", params={"id": id, "variables": variables})).json() for id in former]
    current = (await client.get("/graphql/web", params={"id": operation_id(SYNC), "variables": variables})).json()

    assert len(former) == 2
    assert answers == [current, current]
    assert [(item["type"], item["locale"]) for item in current["data"]["sync"]["items"]] == [("category", "fr")] * 2


async def test_a_cursor_ahead_of_the_change_log_is_an_error_with_a_code(client, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    cursor = (await graphql_sync(client))["nextCursor"]
    await delete_all_content()

    response = await client.post("/graphql/web", json={"query": SYNC, "variables": {"cursor": cursor}})

    error = response.json()["errors"][0]
    assert error["message"].startswith("this cursor is ahead of the change log (the store was reset)")
    assert error["extensions"]["code"] == "STALE_SYNC_CURSOR"


async def test_a_protected_channel_feed_needs_its_delivery_token(settings, model, tmp_path, editor) -> None:  # type: ignore[no-untyped-def]
    from cms.app import create_app

    directory = copy_shipped_model(tmp_path)
    break_file(directory, "channels.toml", "[channels.kiosk]\n", "[channels.kiosk]\npublic = false\n")
    await published_category(editor, "kitchen")
    reader = {"Authorization": f"Bearer {await token_for(model, 'delivery:kiosk')}"}
    other = {"Authorization": f"Bearer {await token_for(model, 'delivery:web')}"}
    async with build_client(create_app(settings, load_model(directory))) as client:
        allowed = await client.get("/sync/kiosk", headers=reader)
        anonymous = await client.get("/sync/kiosk")
        elsewhere = await client.get("/sync/kiosk", headers=other)

    assert allowed.status_code == 200 and len(allowed.json()["items"]) == 2
    assert (anonymous.status_code, anonymous.json()["errors"][0]["message"]) == (
        401,
        "the kiosk channel needs a token with the `delivery:kiosk` scope",
    )
    assert (elsewhere.status_code, elsewhere.json()["errors"][0]["message"]) == (
        403,
        "this token may not read the kiosk channel (needs `delivery:kiosk`)",
    )


async def test_the_response_cache_never_answers_a_sync_with_an_old_page(client, editor) -> None:  # type: ignore[no-untyped-def]
    await published_category(editor, "kitchen")
    cursor = (await graphql_sync(client))["nextCursor"]
    before = await graphql_sync(client, cursor=cursor)
    again = await graphql_sync(client, cursor=cursor)

    garden = await published_category(editor, "garden")
    after = await graphql_sync(client, cursor=cursor)

    assert before == again and before["items"] == []
    assert [item["id"] for item in after["items"]] == [garden, garden]


async def test_a_preview_token_still_syncs_live_documents(client, model, editor) -> None:  # type: ignore[no-untyped-def]
    kitchen = await published_category(editor, "kitchen")
    await editor.update(kitchen, 1, category_data("kitchen", "Draft"))
    preview = {"Authorization": f"Bearer {await token_for(model, 'preview')}"}

    response = await client.post("/graphql/web", json={"query": SYNC, "variables": {}}, headers=preview)

    names = [item["document"]["name"] for item in response.json()["data"]["sync"]["items"]]
    assert names == ["Kitchen", "Kitchen (fr)"]


async def test_the_fast_path_and_strawberry_answer_a_sync_alike(model, catalogue) -> None:  # type: ignore[no-untyped-def]
    schema = build_channel_schema(model, "web")
    dialect = JsonDialect(postgres=is_postgres(get_engine()))
    variables = {"first": 5, "locale": "en"}

    def context() -> DeliveryContext:
        return DeliveryContext(model, model.channels["web"], "en", dialect)

    fast = await execute_fast(schema, SYNC, variables, None, context())
    regular = await schema.execute(SYNC, variable_values=variables, context_value=context())

    assert fast is not None and regular.errors is None
    assert fast.data == regular.data
    assert len(regular.data["sync"]["items"]) == 5  # type: ignore[index]
