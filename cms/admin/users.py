"""Users and API tokens in the admin (admins only): create users, change roles, deactivate; create tokens (the
secret is shown once, in the answer to the form), revoke them. Every change is audited with the admin as actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.response import Template

from cms.admin.gate import principal
from cms.admin.render import model_of, render, translator
from cms.auth.principal import ADMIN, ROLES
from cms.auth.tokens import TokenError, create_token, list_tokens, revoke_token, valid_scopes
from cms.auth.users import UserError, create_user, deactivate, list_users, set_role
from cms.lib.clock import now
from cms.workflow.audit import record

MAX_TOKEN_NAME_LENGTH = 200
"""What the token table holds; checked here with a message, not by the input (which would cut a paste short)."""
NO_STORE = {"Cache-Control": "no-store"}
"""The page that shows a token's secret must not be kept by any cache (nor the back button)."""


def _forbidden(request: Request[Any, Any, Any]) -> Template | None:
    if principal(request).can(ADMIN):
        return None
    return render(request, "users/forbidden.html", status_code=403)


@get("/users", name="admin:users")
async def users_page(request: Request[Any, Any, Any]) -> Template:
    return _forbidden(request) or await _page(request)


@post("/users", name="admin:user-create")
async def add_user(request: Request[Any, Any, Any]) -> Template:
    if refused := _forbidden(request):
        return refused
    form = await request.form()
    email, name, role = (str(form.get(key) or "").strip() for key in ("email", "name", "role"))
    try:
        user_id = await create_user(email, name, role, str(form.get("password") or ""))
    except UserError as error:
        return await _page(request, user_error=str(error), user_form={"email": email, "name": name, "role": role})
    await record(principal(request), "create_user", details={"user": user_id, "email": email.lower(), "role": role})
    return await _page(request, notice=translator(request)("users.user_created", email=email.lower()))


@post("/users/{user_id:int}/role", name="admin:user-role")
async def change_role(request: Request[Any, Any, Any], user_id: int) -> Template:
    if refused := _forbidden(request) or _not_yourself(request, user_id):
        return refused
    role = str((await request.form()).get("role") or "")
    user = await _user(user_id)
    if user is None:
        return await _page(request, status_code=404, user_error=translator(request)("users.unknown"))
    try:
        await set_role(user_id, role)
    except UserError as error:
        return await _page(request, user_error=str(error))
    details = {"user": user_id, "email": user.email, "from": user.role, "to": role}
    await record(principal(request), "change_role", details=details)
    return await _page(request, notice=translator(request)("users.role_changed", email=user.email, role=role))


@post("/users/{user_id:int}/deactivate", name="admin:user-deactivate")
async def deactivate_user(request: Request[Any, Any, Any], user_id: int) -> Template:
    if refused := _forbidden(request) or _not_yourself(request, user_id):
        return refused
    user = await _user(user_id)
    if user is None:
        return await _page(request, status_code=404, user_error=translator(request)("users.unknown"))
    await deactivate(user_id)
    await record(principal(request), "deactivate_user", details={"user": user_id, "email": user.email})
    return await _page(request, notice=translator(request)("users.deactivated", email=user.email))


@post("/users/tokens", name="admin:token-create")
async def add_token(request: Request[Any, Any, Any]) -> Template:
    if refused := _forbidden(request):
        return refused
    form = await request.form()
    name, scopes, expiry = (
        str(form.get("name") or "").strip(),
        form.getall("scopes", []),
        str(form.get("expires") or ""),
    )
    t = translator(request)
    try:
        expires_at = dt.datetime.fromisoformat(expiry).replace(tzinfo=dt.UTC) if expiry else None
    except ValueError:
        return await _page(request, token_error=t("users.bad_expiry", value=expiry), token_form={"name": name})
    if expires_at is not None and expires_at <= now():
        return await _page(request, token_error=t("users.past_expiry"), token_form={"name": name, "scopes": scopes})
    if not name:
        return await _page(request, token_error=t("users.token_needs_name"), token_form={"scopes": scopes})
    if len(name) > MAX_TOKEN_NAME_LENGTH:
        too_long = t("users.token_name_too_long", length=len(name), limit=MAX_TOKEN_NAME_LENGTH)
        return await _page(request, token_error=too_long, token_form={"name": name, "scopes": scopes})
    channels = model_of(request).channels
    try:
        token_id, secret = await create_token(
            name, scopes, channels=channels, expires_at=expires_at, created_by=principal(request).name
        )
    except TokenError as error:
        return await _page(request, token_error=str(error), token_form={"name": name, "scopes": scopes})
    details = {"token": token_id, "name": name, "scopes": list(scopes), "expires": expiry or None}
    await record(principal(request), "create_token", details=details)
    page = await _page(request, secret=secret, secret_name=name)
    page.headers.update(NO_STORE)
    return page


@post("/users/tokens/{token_id:str}/revoke", name="admin:token-revoke")
async def revoke(request: Request[Any, Any, Any], token_id: str) -> Template:
    if refused := _forbidden(request):
        return refused
    try:
        await revoke_token(token_id)
    except TokenError as error:
        return await _page(request, status_code=404, token_error=str(error))
    await record(principal(request), "revoke_token", details={"token": token_id})
    return await _page(request, notice=translator(request)("users.revoked_notice", token=token_id))


def _not_yourself(request: Request[Any, Any, Any], user_id: int) -> Template | None:
    """Admins cannot demote or lock out themselves (another admin can): the install always keeps one admin."""
    if principal(request).user_id != user_id:
        return None
    return render(request, "users/forbidden.html", status_code=403, reason=translator(request)("users.not_yourself"))


async def _user(user_id: int) -> Any:
    return next((user for user in await list_users() if user.id == user_id), None)


async def _page(request: Request[Any, Any, Any], *, status_code: int = 200, **context: Any) -> Template:
    failed = context.get("user_error") or context.get("token_error")
    return render(
        request,
        "users/page.html",
        status_code=status_code if status_code != 200 or not failed else 400,
        users=await list_users(),
        tokens=await list_tokens(),
        roles=ROLES,
        scopes=valid_scopes(model_of(request).channels),
        me=principal(request).user_id,
        **context,
    )


ROUTES: list[Any] = [users_page, add_user, change_role, deactivate_user, add_token, revoke]
