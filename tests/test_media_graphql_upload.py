"""Uploads through the management GraphQL API, following the GraphQL multipart request spec."""

from __future__ import annotations

import io
import json

from PIL import Image as PILImage

from cms.store.tables import Asset
from tests.management_client import token_for

UPLOAD = "mutation($file: Upload!, $alt: JSON) { uploadAsset(file: $file, alt: $alt) }"


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (10, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(data: bytes, filename: str, alt: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    operations = {"query": UPLOAD, "variables": {"file": None, "alt": alt}}
    return {
        "data": {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        "files": {"0": (filename, data, "application/octet-stream")},
    }


async def test_an_image_uploaded_through_graphql_becomes_an_asset(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {await token_for(model, 'management:write')}"}
    response = await client.post("/graphql", headers=headers, **multipart(png(), "sky.png", {"en": "Blue sky"}))
    assert response.status_code == 200, response.text
    asset = response.json()["data"]["uploadAsset"]
    assert (asset["width"], asset["height"], asset["mime"], asset["alt"]) == (640, 480, "image/png", {"en": "Blue sky"})
    assert await Asset.count() == 1


async def test_a_refused_upload_is_a_coded_error_and_stores_nothing(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {await token_for(model, 'management:write')}"}
    response = await client.post("/graphql", headers=headers, **multipart(b"<svg onload='alert(1)'/>", "x.svg"))
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UPLOAD_REFUSED"
    assert "SVG" in error["message"]
    assert await Asset.count() == 0


async def test_uploading_needs_the_write_permission(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {await token_for(model, 'management:read')}"}
    response = await client.post("/graphql", headers=headers, **multipart(png(), "sky.png"))
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Asset.count() == 0


async def test_a_map_naming_a_missing_file_is_400(client, model, clean_db) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {await token_for(model, 'management:write')}"}
    body = multipart(png(), "sky.png")
    body["data"]["map"] = json.dumps({"1": ["variables.file"]})
    response = await client.post("/graphql", headers=headers, **body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "`map` names file part '1', which was not sent"
