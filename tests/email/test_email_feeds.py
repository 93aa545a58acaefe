"""Ready-to-send email for marketing automation (`GET /email/...`): the HTML checked as an inbox would need it,
in English and French; pulled with a feed token in the URL or a bearer token, revalidated with ETags; refused
with a clear 4xx when there is nothing right to send."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import httpx
import pytest
from litestar import Litestar

from cms.app import create_app
from cms.auth.principal import SCHEDULER
from cms.auth.tokens import create_token, revoke_token, sign_path
from cms.lib.clock import TestClock, use_clock
from cms.model import ContentModel
from cms.model.entry_data import EntryData
from cms.publishing.publish import publish_versions
from cms.settings import Settings
from cms.store.entries import create_entry, load_version, save_version
from cms.workflow.entries import Editor
from cms.workflow.schedules import schedule
from tests import conftest
from tests.conftest import build_client
from tests.demo_snapshot import load_demo_for_tests
from tests.email.world import (
    CMS,
    MERGE_TAGS,
    NOW,
    OFFER_ENDS,
    PREHEADER,
    PRESET_UTM,
    SITE,
    SUBJECT,
    WITH_MERGE_TAG,
    ParsedEmail,
    build_world,
    campaign_values,
    message,
)

CAMPAIGN = "/email/campaigns/spring-campaign"
MESSAGE = "/email/messages/spring-garden"
GMAIL_CLIP = 102 * 1024
UTM = {"utm_source": ["newsletter"], "utm_medium": ["email"], "utm_campaign": ["spring-2026"]}
DISCOUNT = {"en": "25%", "fr": "25\xa0%"}
LAST_DAY = {"en": "April 1, 2026", "fr": "1 avril 2026"}  # the last instant (31 March 23:59:59 UTC) in Paris
PICTURE_ALT = {"en": "A brass lamp", "fr": "Une lampe en laiton"}


@pytest.fixture(scope="module")
def email_app(settings: Settings, model: ContentModel) -> Litestar:
    """The app with a public base URL and a storefront configured, as a production instance has them."""
    fields = {name: getattr(settings, name) for name in settings.__struct_fields__}
    return create_app(Settings(**{**fields, "public_base_url": CMS, "site_url": SITE}), model)


@pytest.fixture
async def email_client(email_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with build_client(email_app) as http:
        yield http


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    """The clock stands inside the offer's window (a test may move it: it is put back after)."""
    previous = use_clock(TestClock(NOW))
    yield
    use_clock(previous)


@pytest.fixture(scope="module")
async def world(email_app: Litestar, model: ContentModel, database: None) -> dict[str, Any]:
    """Built once for the module: no test here changes content (tokens they create change nothing served)."""
    previous = use_clock(TestClock(NOW))
    conftest.forget_demo()
    await load_demo_for_tests(model)
    async with build_client(email_app) as client:
        built = await build_world(client, model)
    _, built["feed_token"] = await create_token("klaviyo feed", ["email:read"], channels=model.channels)
    use_clock(previous)
    return built


async def pulled(client: httpx.AsyncClient, path: str, world: dict[str, Any], **params: str) -> httpx.Response:
    return await client.get(path, params={"token": world["feed_token"], **params})


def refusal(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["errors"][0]
    return error


@pytest.mark.parametrize("locale", ["en", "fr"])
async def test_the_campaign_email_is_ready_to_send(
    email_client: httpx.AsyncClient, world: dict[str, Any], locale: str
) -> None:
    response = await pulled(email_client, CAMPAIGN, world, locale=locale)

    assert response.status_code == 200, response.text
    email = response.json()
    html = email["html"]
    parsed = ParsedEmail(html)
    # Subject and preheader as written, merge tags untouched
    assert email["subject"] == SUBJECT[locale]
    assert email["preheader"] == PREHEADER[locale]
    # A table layout, styles inlined: what is left of the stylesheet is media queries only
    assert "table" in parsed.tags and 'role="presentation"' in html
    assert parsed.styled > 20
    assert parsed.styles and all(style.strip().startswith("@media") for style in parsed.styles)
    assert 'class="inner"' not in html or 'style="padding: 32px' in html
    # Nothing a mail client would refuse or a sanitizer should have let through
    assert not {"script", "form", "input", "iframe", "object", "embed", "button"} & set(parsed.tags)
    assert "onclick" not in html.lower() and "javascript:" not in html.lower()
    # Every image sized and described, from an absolute URL
    assert parsed.images, "the pictured product shows its picture"
    for image in parsed.images:
        assert image.get("width") and image.get("height") and image.get("alt"), image
        assert str(image["src"]).startswith(f"{CMS}/media/")
    assert parsed.images[0]["alt"] == PICTURE_ALT[locale]
    assert (parsed.images[0]["width"], parsed.images[0]["height"]) == ("160", "120")  # 800 × 600 shown 160 wide
    # Every link absolute; tagged with the campaign's UTM parameters unless it set its own
    assert parsed.hrefs
    for href in parsed.hrefs:
        assert href.startswith("https://"), href
        if href == PRESET_UTM:
            continue
        query = parse_qs(urlsplit(href).query)
        assert {name: query.get(name) for name in UTM} == UTM, href
    assert PRESET_UTM in parsed.hrefs
    assert f"{SITE}/garden?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026#tools" in parsed.hrefs
    assert f"{WITH_MERGE_TAG}&utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026" in parsed.hrefs
    # Small enough for Gmail not to clip it
    assert len(html.encode()) < GMAIL_CLIP and email["htmlBytes"] == len(html.encode())
    # Merge tags intact in the HTML's text and in the plain-text part
    for tag in MERGE_TAGS:
        assert tag in parsed.text and tag in email["text"], tag
    # The offer's facts, the locale's way, in the JSON and in the HTML
    offer = email["offer"]
    assert (offer["discount"], offer["code"], offer["lastDay"]) == (DISCOUNT[locale], "SPRING25", LAST_DAY[locale])
    assert offer["endsAt"] == "2026-04-01T00:00:00Z"
    assert DISCOUNT[locale] in parsed.text and "SPRING25" in parsed.text and LAST_DAY[locale] in parsed.text
    # Products (name, price, picture) and the tutorial as links
    assert len(email["products"]) == 2 and email["products"][0]["image"]["alt"] == PICTURE_ALT[locale]
    assert all(product["price"] and product["url"].startswith(f"{SITE}/products/") for product in email["products"])
    assert len(email["tutorials"]) == 1 and email["tutorials"][0]["url"].startswith(f"{SITE}/tutorials/")
    assert email["utm"] == {"source": "newsletter", "campaign": "spring-2026", "medium": "email"}


async def test_a_brand_message_alone_is_an_email_tagged_with_its_own_slug(
    email_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    response = await pulled(email_client, MESSAGE, world, locale="fr", utmSource="braze")

    assert response.status_code == 200, response.text
    email = response.json()
    assert (email["kind"], email["subject"], email["offer"]) == ("message", SUBJECT["fr"], None)
    tagged = [href for href in ParsedEmail(email["html"]).hrefs if href != PRESET_UTM]
    assert tagged and all("utm_source=braze&utm_medium=email&utm_campaign=spring-garden" in href for href in tagged)
    assert "Économisez 25\xa0%" in email["text"]


async def test_the_default_locale_is_the_email_channels(email_client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    response = await pulled(email_client, CAMPAIGN, world)

    assert response.json()["locale"] == "en" and response.json()["subject"] == SUBJECT["en"]


@pytest.mark.parametrize("ask", [{"format": "xml"}, {"accept": "application/xml"}])
async def test_xml_feeds_carry_the_same_fields(
    email_client: httpx.AsyncClient, world: dict[str, Any], ask: dict[str, str]
) -> None:
    params = {"token": world["feed_token"], "locale": "fr", **({"format": ask["format"]} if "format" in ask else {})}
    headers = {"accept": ask["accept"]} if "accept" in ask else {}

    response = await email_client.get(CAMPAIGN, params=params, headers=headers)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "email"
    assert root.findtext("subject") == SUBJECT["fr"] and root.findtext("preheader") == PREHEADER["fr"]
    assert root.findtext("offer/discount") == DISCOUNT["fr"]
    assert root.findall("products/product")[0].findtext("image/alt") == PICTURE_ALT["fr"]
    html = root.findtext("html") or ""
    assert "<table" in html and "{{ first_name }}" in html


async def test_a_feed_fetched_again_unchanged_is_a_304(email_client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    first = await pulled(email_client, CAMPAIGN, world, locale="fr")
    etag = first.headers["etag"]

    again = await email_client.get(
        CAMPAIGN, params={"token": world["feed_token"], "locale": "fr"}, headers={"if-none-match": etag}
    )
    other_locale = await email_client.get(
        CAMPAIGN, params={"token": world["feed_token"], "locale": "en"}, headers={"if-none-match": etag}
    )

    assert first.status_code == 200 and etag.startswith('"')
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert other_locale.status_code == 200 and other_locale.headers["etag"] != etag
    assert "private" in first.headers["cache-control"]


async def test_a_bearer_token_with_the_email_scope_pulls_too(
    email_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    response = await email_client.get(CAMPAIGN, headers={"authorization": f"Bearer {world['feed_token']}"})

    assert response.status_code == 200, response.text


async def test_a_feed_token_grants_nothing_else(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    bearer = {"authorization": f"Bearer {world['feed_token']}"}

    management = await email_client.post(
        "/graphql", json={"query": "{ entries(first: 1) { totalCount } }"}, headers=bearer
    )
    preview = await email_client.post(
        "/graphql/web", json={"query": "{ __typename }"}, headers={**bearer, "x-preview": "1"}
    )

    assert management.status_code == 200 and management.json()["data"] is None
    assert management.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert preview.status_code == 401, preview.text


@pytest.mark.parametrize(
    ("scopes", "in_url", "status", "code"),
    [
        (["preview"], False, 403, "forbidden"),
        (["delivery:email"], False, 403, "forbidden"),
        (["management:admin"], True, 403, "token_too_broad"),
        (["email:read", "preview"], True, 403, "token_too_broad"),
    ],
)
async def test_a_token_without_the_right_scope_is_refused(
    email_client: httpx.AsyncClient,
    world: dict[str, Any],
    model: ContentModel,
    scopes: list[str],
    in_url: bool,
    status: int,
    code: str,
) -> None:
    _, token = await create_token("other", scopes, channels=model.channels)

    if in_url:
        response = await email_client.get(CAMPAIGN, params={"token": token})
    else:
        response = await email_client.get(CAMPAIGN, headers={"authorization": f"Bearer {token}"})

    assert response.status_code == status, response.text
    assert refusal(response)["extensions"]["code"] == code
    assert "email:read" in refusal(response)["message"]
    assert "html" not in response.text


async def test_no_token_or_a_revoked_one_is_a_401(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    token_id, token = await create_token("to revoke", ["email:read"], channels=model.channels)
    before = await email_client.get(CAMPAIGN, params={"token": token})
    await revoke_token(token_id)

    after = await email_client.get(CAMPAIGN, params={"token": token})
    anonymous = await email_client.get(CAMPAIGN)

    assert before.status_code == 200
    assert after.status_code == 401 and "revoked" in refusal(after)["message"]
    assert refusal(after)["extensions"]["parameter"] == "token"
    assert anonymous.status_code == 401 and "email:read" in refusal(anonymous)["message"]


async def test_at_a_send_time_inside_the_offer_the_email_is_served(
    email_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    send_at = "2026-03-31T18:00:00+02:00"

    response = await pulled(email_client, CAMPAIGN, world, sendAt=send_at)

    assert response.status_code == 200, response.text
    assert response.json()["sendAt"] == "2026-03-31T18:00:00+02:00"
    assert response.json()["offer"]["code"] == "SPRING25"


@pytest.mark.parametrize("send_at", [OFFER_ENDS, OFFER_ENDS + dt.timedelta(days=3)])
async def test_an_offer_over_at_the_send_time_is_refused_naming_it_and_its_window(
    email_client: httpx.AsyncClient, world: dict[str, Any], send_at: dt.datetime
) -> None:
    response = await pulled(email_client, CAMPAIGN, world, sendAt=send_at.isoformat())

    assert response.status_code == 422, response.text
    error = refusal(response)
    assert error["extensions"] == {"code": "offer_not_valid", "parameter": "sendAt"}
    message = error["message"]
    assert "Spring sale" in message and "spring-sale" in message
    assert "2026-03-01T00:00:00Z" in message and "2026-04-01T00:00:00Z" in message and "is over" in message


async def test_an_offer_not_started_at_the_send_time_is_refused(
    email_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    use_clock(TestClock(dt.datetime(2026, 2, 20, tzinfo=dt.UTC)))

    response = await pulled(email_client, CAMPAIGN, world, sendAt="2026-02-27T09:00:00Z")

    assert response.status_code == 422, response.text
    assert "has not started" in refusal(response)["message"]


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC), "offer_not_valid"),
        (dt.datetime(2026, 4, 15, 0, 0, tzinfo=dt.UTC), "campaign_ended"),
    ],
)
async def test_without_send_at_the_email_is_checked_for_now(
    email_client: httpx.AsyncClient, world: dict[str, Any], today: dt.datetime, code: str
) -> None:
    use_clock(TestClock(today))

    campaign = await pulled(email_client, CAMPAIGN, world)
    message_alone = await pulled(email_client, MESSAGE, world)

    assert campaign.status_code == 422 and refusal(campaign)["extensions"]["code"] == code
    # The message alone has no offer to promise: its copy, served without the offer's sentence, is still an email
    assert message_alone.status_code == 200
    assert "SPRING25" not in message_alone.json()["text"] and "Save" not in message_alone.json()["text"]


@pytest.mark.parametrize(
    "path", [CAMPAIGN.replace("spring-campaign", "nope"), MESSAGE.replace("spring-garden", "nope")]
)
async def test_an_unknown_slug_is_a_404(email_client: httpx.AsyncClient, world: dict[str, Any], path: str) -> None:
    response = await pulled(email_client, path, world)

    assert response.status_code == 404, response.text
    assert "'nope'" in refusal(response)["message"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"locale": "de"}, "locale"),
        ({"sendAt": "tomorrow"}, "sendAt"),
        ({"sendAt": "2026-03-25T09:00:00"}, "sendAt"),  # no time zone
        ({"sendAt": "2026-03-01T09:00:00Z"}, "sendAt"),  # in the past
        ({"format": "csv"}, "format"),
        ({"utmSource": "a b"}, "utmSource"),
        ({"sendat": "2026-03-25T09:00:00Z"}, "sendat"),  # a misspelt parameter is not ignored
    ],
)
async def test_a_bad_parameter_is_a_400_naming_it(
    email_client: httpx.AsyncClient, world: dict[str, Any], params: dict[str, str], parameter: str
) -> None:
    response = await pulled(email_client, CAMPAIGN, world, **params)

    assert response.status_code == 400, response.text
    error = refusal(response)
    assert (
        error["extensions"]["parameter"] == parameter and f"`{parameter}`" in error["message"]
    ) or parameter in error["message"]
    assert error["extensions"]["parameter"] == parameter


async def test_an_error_asked_as_xml_is_xml(email_client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    response = await pulled(email_client, CAMPAIGN, world, format="xml", locale="de")

    assert response.status_code == 400
    root = ElementTree.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/extensions/parameter") == "locale"


async def test_an_email_gmail_would_clip_is_refused_saying_so(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    # Given a message whose body alone is over 102 KB (a new entry: what the other tests read is unchanged)
    long_read = await create_entry(
        model, model.types["brand_message"], EntryData(base=message("long-read", extra_paragraphs=100))
    )
    await publish_versions(model, [long_read])

    response = await pulled(email_client, "/email/messages/long-read", world)

    assert response.status_code == 422, response.text
    error = refusal(response)
    assert error["extensions"]["code"] == "too_large"
    assert "102 KB" in error["message"] and "Gmail" in error["message"]


async def test_a_token_both_in_the_header_and_the_url_is_refused(
    email_client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    token = world["feed_token"]

    response = await email_client.get(CAMPAIGN, params={"token": token}, headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 400 and refusal(response)["extensions"]["code"] == "two_tokens"


async def test_send_at_gives_the_email_as_scheduled_changes_will_make_it(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    # Given the campaign's second product repriced at 79.00 in a version scheduled for 22 March (last test of the
    # module: it leaves a pending job behind)
    product = world["products"][1]
    current = await load_version(product)
    base = {locale: dict(values) for locale, values in current.data.base.items()}
    base[model.default_locale]["price"] = {"amount": "79.00", "currency": "EUR"}
    repriced = await save_version(
        model, product, EntryData(base=base, overrides=current.data.overrides), based_on=current.number
    )
    editor = Editor(model, SCHEDULER)
    await schedule(editor, "publish", NOW + dt.timedelta(days=2), entry=product, version=repriced.number)

    today = await pulled(email_client, CAMPAIGN, world)
    just_before = await pulled(email_client, CAMPAIGN, world, sendAt="2026-03-22T08:59:59Z")
    after = await pulled(email_client, CAMPAIGN, world, sendAt="2026-03-23T09:00:00Z")

    assert after.status_code == 200, after.text
    assert after.json()["products"][1]["price"] == "€79.00"
    assert just_before.json()["products"][1]["price"] == today.json()["products"][1]["price"] != "€79.00"
    assert after.headers["etag"] != today.headers["etag"]


# --- signed feed URLs (`cms token sign-url`): no secret in the URL, one path each ----------------------------------


async def test_a_signed_url_opens_its_path_only_and_dies_with_its_token(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    token_id, token = await create_token("klaviyo signed", ["email:read"], channels=model.channels)
    signed = {"feed": token_id, "signature": await sign_path(token_id, CAMPAIGN)}

    opened = await email_client.get(CAMPAIGN, params={**signed, "locale": "fr"})
    other_path = await email_client.get(MESSAGE, params=signed)
    tampered = await email_client.get(CAMPAIGN, params={**signed, "signature": signed["signature"][:-2] + "AA"})
    other_token = await email_client.get(CAMPAIGN, params={**signed, "feed": world["feed_token"][4:16]})
    await revoke_token(token_id)
    revoked = await email_client.get(CAMPAIGN, params=signed)

    assert opened.status_code == 200, opened.text
    assert opened.json()["locale"] == "fr" and opened.json()["subject"] == SUBJECT["fr"]
    assert token not in str(opened.url) and token.split("_")[-1] not in str(opened.url)
    for refused in (other_path, tampered, other_token, revoked):
        assert refused.status_code == 401, refused.text
        assert refusal(refused)["extensions"]["parameter"] == "signature"
        assert "html" not in refused.text
    assert "revoked" in refusal(revoked)["message"]


async def test_a_signed_url_of_a_broader_token_or_half_a_signed_url_is_refused(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    broad_id, _ = await create_token("too broad", ["email:read", "preview"], channels=model.channels)
    broad = {"feed": broad_id, "signature": await sign_path(broad_id, CAMPAIGN)}
    feed_id = world["feed_token"][4:16]

    too_broad = await email_client.get(CAMPAIGN, params=broad)
    half = await email_client.get(CAMPAIGN, params={"feed": feed_id})
    mixed = await email_client.get(CAMPAIGN, params={"token": world["feed_token"], "feed": feed_id})

    assert too_broad.status_code == 403 and refusal(too_broad)["extensions"]["code"] == "token_too_broad"
    for refused in (half, mixed):
        assert refused.status_code == 400, refused.text
        assert refusal(refused)["extensions"]["code"] == "bad_url_credentials"
        assert "`feed` and `signature`" in refusal(refused)["message"]


async def test_a_campaign_with_several_messages_sends_the_one_named(
    email_client: httpx.AsyncClient, world: dict[str, Any], model: ContentModel
) -> None:
    second_values = message("spring-garden-evening")
    second_values["en"] = {**second_values["en"], "subject_line": "An evening in the garden"}
    second = await create_entry(model, model.types["brand_message"], EntryData(base=second_values))
    values = campaign_values(world["offer"], world["message"], world["products"], [])
    values["en"] = {**values["en"], "slug": "spring-two-messages", "messages": [world["message"], second.entry_id]}
    campaign = await create_entry(model, model.types["campaign"], EntryData(base=values))
    await publish_versions(model, [second, campaign])
    path = "/email/campaigns/spring-two-messages"

    first = await pulled(email_client, path, world)
    named = await pulled(email_client, path, world, message="spring-garden-evening")
    unknown = await pulled(email_client, path, world, message="autumn")
    on_a_message = await pulled(email_client, MESSAGE, world, message="spring-garden")

    assert first.status_code == 200 and first.json()["subject"] == SUBJECT["en"]
    assert named.status_code == 200 and named.json()["subject"] == "An evening in the garden"
    assert unknown.status_code == 422 and refusal(unknown)["extensions"]["parameter"] == "message"
    assert "spring-garden, spring-garden-evening" in refusal(unknown)["message"]
    assert on_a_message.status_code == 400 and refusal(on_a_message)["extensions"]["parameter"] == "message"
