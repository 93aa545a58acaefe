"""Campaigns in the admin: the list, and a campaign's page showing every channel's rendering side by side, in
each locale, as it will be at a chosen instant (the launch by default), with the findings across them; launching
and cancelling a launch go through `cms.campaigns` with an `Editor` of the signed-in user (permissions, audit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from cms.admin.gate import principal
from cms.admin.i18n import admin_language
from cms.admin.render import model_of, refusal, render, translator
from cms.admin.summaries import entries_by_ids, summaries
from cms.campaigns import launch
from cms.campaigns.campaign import CAMPAIGN_TYPE
from cms.campaigns.errors import CampaignRefused
from cms.campaigns.launch import window_text
from cms.campaigns.preview import preview_campaign
from cms.store.tables import Entry
from cms.workflow.entries import Editor
from cms.workflow.errors import ForbiddenError, NotFoundError, WorkflowError

STATUS_CODES = {ForbiddenError: 403, NotFoundError: 404}


@get("/campaigns", name="admin:campaigns")
async def campaign_list(request: Request[Any, Any, Any]) -> Template:
    model, language = model_of(request), admin_language(request)
    rows = (
        await Entry.select()
        .where((Entry.content_type == CAMPAIGN_TYPE) & (Entry.status != "archived"))
        .order_by(Entry.updated_at, ascending=False)
    )
    campaigns = []
    for row in await summaries(model, list(rows), language):
        latest = await launch.latest_launch(row["id"])
        campaigns.append(row | {"launch": latest})
    return render(request, "campaigns/list.html", campaigns=campaigns, window_text=window_text)


@get("/campaigns/{campaign_id:str}", name="admin:campaign")
async def campaign_page(request: Request[Any, Any, Any], campaign_id: str) -> Template:
    text = request.query_params.get("at") or ""
    notice = await _notice(request, campaign_id)
    if not text:
        return await _page(request, campaign_id, notice=notice)
    try:
        instant = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    except ValueError:
        error = translator(request)("campaigns.bad_instant", value=text)
        return await _page(request, campaign_id, error=error, status_code=400)
    return await _page(request, campaign_id, instant=instant, notice=notice)


async def _notice(request: Request[Any, Any, Any], campaign_id: str) -> str:
    """What the launch or cancel just done (`?done=`) says, read from the launch as it is now."""
    done, latest = request.query_params.get("done"), await launch.latest_launch(campaign_id)
    t = translator(request)
    if done == "launched" and latest and latest["status"] == "scheduled":
        return t("campaigns.launched", launch=window_text(latest["launch_at"]), end=window_text(latest["end_at"]))
    if done == "cancelled" and latest and latest["status"] == "cancelled":
        return t("campaigns.cancelled")
    return ""


@post("/campaigns/{campaign_id:str}/launch", name="admin:campaign-launch")
async def launch_now(request: Request[Any, Any, Any], campaign_id: str) -> Template | Redirect:
    editor = Editor(model_of(request), principal(request))
    try:
        await launch.launch_campaign(editor, campaign_id)
    except WorkflowError as error:
        return await _refused(request, campaign_id, error)
    # Post/redirect/get: reloading the page (or switching the admin's language) does not send the form again.
    return Redirect(f"/admin/campaigns/{campaign_id}?done=launched", status_code=HTTP_303_SEE_OTHER)


@post("/campaigns/{campaign_id:str}/cancel", name="admin:campaign-cancel")
async def cancel(request: Request[Any, Any, Any], campaign_id: str) -> Template | Redirect:
    editor = Editor(model_of(request), principal(request))
    try:
        await launch.cancel_launch(editor, campaign_id)
    except WorkflowError as error:
        return await _refused(request, campaign_id, error)
    return Redirect(f"/admin/campaigns/{campaign_id}?done=cancelled", status_code=HTTP_303_SEE_OTHER)


async def _refused(request: Request[Any, Any, Any], campaign_id: str, error: WorkflowError) -> Template:
    language = admin_language(request)
    reason = error.message_in(language) if isinstance(error, CampaignRefused) else refusal(request, error)
    findings = error.extensions.get("findings", []) if isinstance(error, CampaignRefused) else []
    status = next((code for kind, code in STATUS_CODES.items() if isinstance(error, kind)), 409)
    return await _page(request, campaign_id, error=reason, refused_findings=findings, status_code=status)


async def _page(
    request: Request[Any, Any, Any],
    campaign_id: str,
    *,
    instant: dt.datetime | None = None,
    status_code: int = 200,
    **context: Any,
) -> Template:
    model, language = model_of(request), admin_language(request)
    try:
        preview = await preview_campaign(model, campaign_id, instant)
    except NotFoundError as missing:
        return render(request, "campaigns/missing.html", status_code=404, reason=missing.message)
    ids = [campaign_id, *preview.campaign.member_ids]
    rows = await summaries(model, await entries_by_ids(ids), language)
    titles = {row["id"]: row["title"] for row in rows}
    types = {row["id"]: row["content_type"] for row in rows}
    return render(
        request,
        "campaigns/detail.html",
        status_code=status_code,
        preview=preview,
        campaign=preview.campaign,
        title=preview.campaign.title_in(language),
        titles=titles,
        types=types,
        channel_labels={name: channel.label.get(language) or name for name, channel in model.channels.items()},
        launch_row=await launch.latest_launch(campaign_id),
        at_value=f"{preview.instant:%Y-%m-%dT%H:%M}",
        window_text=window_text,
        **context,
    )


ROUTES: list[Any] = [campaign_list, campaign_page, launch_now, cancel]
