"""Asset metadata: read with `read`, changed with `write` (focal point, alt per locale), problems name fields."""

from __future__ import annotations

from typing import Any

import pytest

from cms.auth.sessions import create_session
from cms.auth.users import create_user
from cms.media import AssetNotFound, get_asset, get_assets
from cms.store.tables import AuditEvent
from tests.test_media_kit import MediaWorld, media, png

__all__ = ["media"]


@pytest.fixture
async def asset(media: MediaWorld) -> dict[str, Any]:
    response = await media.upload(png((120, 80)), "a.png", **{"alt.en": "A red card"})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_metadata_is_served_to_readers_only(media: MediaWorld, asset: dict[str, Any]) -> None:
    response = await media.http.get(f"/media/{asset['id']}", headers=media.reader)
    assert response.status_code == 200
    assert response.json() == asset
    anonymous = await media.http.get(f"/media/{asset['id']}")
    assert anonymous.status_code == 401


async def test_an_unknown_asset_is_404(media: MediaWorld) -> None:
    response = await media.http.get("/media/00000000-0000-4000-8000-000000000000", headers=media.reader)
    assert response.status_code == 404 and "no asset" in response.json()["errors"][0]["message"]


async def test_an_editor_moves_the_focal_point_and_edits_alt_texts(media: MediaWorld, asset: dict[str, Any]) -> None:
    response = await media.http.patch(
        f"/media/{asset['id']}",
        json={"focalPoint": {"x": 0.25, "y": 1}, "alt": {"fr": " Une carte rouge ", "en": None}},
        headers=media.writer,
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["focalPoint"], changed["alt"]) == ({"x": 0.25, "y": 1.0}, {"fr": "Une carte rouge"})
    assert await get_asset(asset["id"]) == changed
    events = (
        await AuditEvent.select(AuditEvent.details).where(AuditEvent.action == "asset_changed").output(load_json=True)
    )
    assert events == [{"details": {"asset": asset["id"], "fields": ["focalPoint", "alt.fr", "alt.en"]}}]


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"focalPoint": {"x": 1.5, "y": 0.5}}, {"focalPoint.x": "must be a number between 0 and 1 (got 1.5)"}),
        ({"focalPoint": {"x": "left", "y": -1}}, {"focalPoint.x": "must be a number", "focalPoint.y": "(got -1)"}),
        ({"focalPoint": {"x": True, "y": 0}}, {"focalPoint.x": "must be a number"}),
        ({"focalPoint": [0.5, 0.5]}, {"focalPoint": 'an object {"x": …, "y": …}'}),
        ({"alt": {"de": "Eine Karte"}}, {"alt.de": "unknown locale (known: en, fr)"}),
        ({"alt": {"en": 12}}, {"alt.en": "must be a string or null"}),
        ({"alt": "A card"}, {"alt": "an object of texts per locale"}),
        ({"title": "x"}, {"title": "unknown field (expected focalPoint, alt)"}),
        ({}, {"body": "send a JSON object"}),
    ],
)
async def test_a_wrong_change_names_each_field(
    media: MediaWorld, asset: dict[str, Any], body: dict[str, Any], problems: dict[str, str]
) -> None:
    response = await media.http.patch(f"/media/{asset['id']}", json=body, headers=media.writer)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert {error["field"] for error in errors} == set(problems)
    for error in errors:
        assert problems[error["field"]] in error["message"] and error["message"].startswith(error["field"])
    assert await get_asset(asset["id"]) == asset


async def test_a_change_that_is_not_json_is_refused(media: MediaWorld, asset: dict[str, Any]) -> None:
    response = await media.http.patch(f"/media/{asset['id']}", content=b"{nope", headers=media.writer)
    assert response.status_code == 422 and "body: not valid JSON" in response.json()["errors"][0]["message"]


async def test_changing_needs_write_and_the_csrf_header(media: MediaWorld, asset: dict[str, Any]) -> None:
    url, body = f"/media/{asset['id']}", {"focalPoint": {"x": 0, "y": 0}}
    assert (await media.http.patch(url, json=body)).status_code == 401
    assert (await media.http.patch(url, json=body, headers=media.reader)).status_code == 403
    user = await create_user("ed@example.com", "Ed", "editor", "correct horse battery")
    cookie, csrf = await create_session(user)
    session = {"cookie": f"cms_session={cookie}"}
    assert (await media.http.patch(url, json=body, headers=session)).status_code == 403
    assert (await media.http.patch(url, json=body, headers={**session, "X-CSRF-Token": csrf})).status_code == 200


async def test_changing_an_unknown_asset_is_404(media: MediaWorld) -> None:
    response = await media.http.patch(
        "/media/00000000-0000-4000-8000-000000000000", json={"alt": {"en": "x"}}, headers=media.writer
    )
    assert response.status_code == 404


async def test_the_python_api_reads_one_or_many_assets(media: MediaWorld, asset: dict[str, Any]) -> None:
    other = (await media.upload(png((10, 10), (0, 0, 255)), "b.png")).json()
    found = await get_assets([asset["id"], other["id"], "00000000-0000-4000-8000-000000000000", "junk"])
    assert found == {asset["id"]: asset, other["id"]: other}
    with pytest.raises(AssetNotFound):
        await get_asset("00000000-0000-4000-8000-000000000000")
