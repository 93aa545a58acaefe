"""Sign in and out, the language switch and the dashboard."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import CacheControlHeader, Cookie
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_429_TOO_MANY_REQUESTS

from cms.admin.gate import CSRF_FIELD, principal, safe_next
from cms.admin.i18n import LANGUAGE_COOKIE, LANGUAGES, admin_language
from cms.admin.render import model_of, render, translator
from cms.admin.summaries import entries_by_ids, summaries
from cms.auth.sessions import SESSION_COOKIE, SESSION_TTL, create_session, end_session
from cms.auth.sign_in import SignInThrottledError, sign_in
from cms.auth.throttle import ThrottleLimits
from cms.store.tables import Entry, Release, ReleaseItem, Schedule
from cms.workflow.audit import record

LOGIN_CSRF_COOKIE = "cms_login_csrf"
"""Double-submit token of the sign-in form (there is no session yet to hold one)."""
DASHBOARD_ROWS = 10


@get("/login", name="admin:login")
async def login_page(request: Request[Any, Any, Any], next: str | None = None) -> Template:
    if principal(request).kind == "user":
        return Redirect(safe_next(next), status_code=HTTP_303_SEE_OTHER)  # type: ignore[return-value]
    return _login_form(request, next)


@post("/login", name="admin:login-submit", status_code=HTTP_303_SEE_OTHER)
async def login_submit(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    t = translator(request)
    target = safe_next(form.get("next"))
    email = str(form.get("email") or "")
    sent, expected = str(form.get(CSRF_FIELD) or ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return _login_form(request, target, email=email, error=t("login.expired"), status_code=400)
    details = {"ip": request.client.host if request.client else "", "userAgent": request.headers.get("user-agent", "")}
    limits = ThrottleLimits.of(request.app.state.settings)
    try:
        user = await sign_in(email, str(form.get("password") or ""), details | {"via": "admin"}, limits)
    except SignInThrottledError as held:
        error = t("login.throttled", seconds=held.retry_after)
        refused = _login_form(request, target, email=email, error=error, status_code=HTTP_429_TOO_MANY_REQUESTS)
        refused.headers["Retry-After"] = str(held.retry_after)
        return refused
    if user is None:
        return _login_form(request, target, email=email, error=t("login.wrong"), status_code=401)
    if previous := request.cookies.get(SESSION_COOKIE):
        await end_session(previous)
    cookie_value, _csrf = await create_session(user["id"])
    response = Redirect(target, status_code=HTTP_303_SEE_OTHER)
    response.set_cookie(_session_cookie(request, cookie_value))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@post("/logout", name="admin:logout", status_code=HTTP_303_SEE_OTHER)
async def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    await end_session(request.cookies[SESSION_COOKIE])
    await record(principal(request), "sign_out", details={"via": "admin"})
    response = _login_form(request, None, notice=translator(request)("login.signed_out"))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@post("/language", name="admin:language", status_code=HTTP_303_SEE_OTHER)
async def choose_language(request: Request[Any, Any, Any]) -> Response[Any]:
    form = await request.form()
    language = str(form.get("lang") or "")
    response = Redirect(safe_next(form.get("next")), status_code=HTTP_303_SEE_OTHER)
    if language in LANGUAGES:
        response.set_cookie(
            Cookie(key=LANGUAGE_COOKIE, value=language, path="/admin", max_age=365 * 86400, samesite="lax")
        )
    return response


@get("/session", name="admin:session", cache_control=CacheControlHeader(no_store=True))
async def session_token(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The CSRF token of the current session: a page kept open while its session ended and the editor
    signed in again elsewhere picks up the new token here, so its unsaved form can still be saved."""
    return {"csrf": principal(request).csrf_token or ""}


@get("/", name="admin:dashboard")
async def dashboard(request: Request[Any, Any, Any]) -> Template:
    model, user, language = model_of(request), principal(request), admin_language(request)
    drafts = await Entry.select().where(Entry.status == "draft").order_by(Entry.updated_at, ascending=False).limit(200)
    mine = [row for row in await summaries(model, list(drafts), language) if row["author"] == user.name]
    in_review = await Entry.select().where(Entry.status == "in_review").order_by(Entry.updated_at, ascending=False)
    schedules = (
        await Schedule.select()
        .where((Schedule.status == "pending") & Schedule.entry.is_not_null())
        .order_by(Schedule.run_at)
        .limit(DASHBOARD_ROWS)
    )
    scheduled_rows = {row["id"]: row for row in await entries_by_ids([str(job["entry"]) for job in schedules])}
    scheduled_entries = await summaries(model, [scheduled_rows[str(job["entry"])] for job in schedules], language)
    scheduled = [
        summary | {"detail": f"{job['action']} · {job['run_at']:%Y-%m-%d %H:%M} UTC"}
        for job, summary in zip(schedules, scheduled_entries, strict=True)
    ]
    releases = []
    for release in await Release.select().where(Release.status == "open").order_by(Release.created_at, ascending=False):
        count = await ReleaseItem.count().where(ReleaseItem.release == release["id"])
        releases.append(release | {"items": count})
    return render(
        request,
        "dashboard.html",
        my_drafts=mine[:DASHBOARD_ROWS],
        in_review=await summaries(model, list(in_review[:DASHBOARD_ROWS]), language),
        scheduled=scheduled,
        releases=releases,
        lint_errors=await _entries_with_lint_errors(model, language),
    )


async def _entries_with_lint_errors(model: Any, language: str) -> list[dict[str, Any]]:
    """Entries whose current version has at least one lint error (newest change first)."""
    rows = await Entry.select().where(Entry.status != "archived").order_by(Entry.updated_at, ascending=False).limit(500)
    return [row for row in await summaries(model, list(rows), language) if row["lint_errors"]][:DASHBOARD_ROWS]


def _login_form(
    request: Request[Any, Any, Any],
    next: str | None,
    *,
    email: str = "",
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status_code=status_code,
        login_csrf=token,
        next=safe_next(next),
        email=email,
        error=error,
        notice=notice,
    )
    response.set_cookie(
        Cookie(key=LOGIN_CSRF_COOKIE, value=token, path="/admin", httponly=True, samesite="strict", max_age=3600)
    )
    return response


def _session_cookie(request: Request[Any, Any, Any], value: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        path="/",
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies or None,
    )
