"""The release page's "add entries" picker, searched on the server as the editor types.

`GET /admin/releases/<id>/candidates?q=` answers the `<option>`s of the picker's list: entries of every type
whose title (in any locale) or slug holds `q` (accents and case ignored, as the entry list searches), not
archived and not already in the release, most recently changed first. An empty `q` lists the recent ones.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from cms.admin.entry_list import ListFilters, list_entries
from cms.admin.i18n import admin_language
from cms.admin.render import model_of, render
from cms.store.tables import ReleaseItem

SHOWN = 50


@get("/releases/{release_id:int}/candidates", name="admin:release-candidates")
async def release_candidates(request: Request[Any, Any, Any], release_id: int, q: str = "") -> Template:
    model, language = model_of(request), admin_language(request)
    items = await ReleaseItem.select(ReleaseItem.entry).where(ReleaseItem.release == release_id)
    in_release = {str(row["entry"]) for row in items}
    found: list[dict[str, Any]] = []
    for type_name in model.types:
        listed = await list_entries(model, type_name, ListFilters(q=q[:200]), language, SHOWN)
        found += [row for row in listed.rows if row["status"] != "archived" and str(row["id"]) not in in_release]
    found.sort(key=lambda row: row["updated_at"], reverse=True)
    return render(request, "releases/_candidates.html", candidates=found[:SHOWN])


ROUTES: list[Any] = [release_candidates]
