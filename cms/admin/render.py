"""Render an admin page: every template gets the signed-in user, the language, `t`, the CSRF token and the nav."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from cms.admin.gate import CSRF_FIELD, principal
from cms.admin.i18n import LANGUAGES, Translator, admin_language
from cms.admin.problems import ProblemWords
from cms.admin.time_zone import admin_time_zone, local_instant, zone_label
from cms.auth.principal import ADMIN
from cms.model.definitions import ContentModel
from cms.workflow.errors import ForbiddenError, FourEyesError, InvalidStateError, LintError, WorkflowError

STATUSES = frozenset({"draft", "in_review", "approved", "published", "unpublished", "archived"})


def model_of(request: Request[Any, Any, Any]) -> ContentModel:
    model: ContentModel = request.app.state.model
    return model


def translator(request: Request[Any, Any, Any]) -> Translator:
    return Translator(admin_language(request))


def refusal(request: Request[Any, Any, Any], error: WorkflowError) -> str:
    """Why the workflow refused, in the admin's language when it is the user's role (else the workflow's words)."""
    t = translator(request)
    if isinstance(error, FourEyesError):
        return t("entries.four_eyes", version=error.extensions.get("version"))
    if isinstance(error, ForbiddenError):
        user = principal(request)
        return t("common.role_refused", role=user.role or user.name)
    return error.message


def entry_refusal(request: Request[Any, Any, Any], error: WorkflowError) -> str:
    """Why the workflow refused an action on the entry whose page this is: the entry goes without saying."""
    t = translator(request)
    if isinstance(error, LintError):
        return t.plural("workflow.lint_refused", len(error.extensions.get("findings", [])))
    if isinstance(error, InvalidStateError) and "approvedVersion" in error.extensions:
        return t("workflow.needs_review")
    if isinstance(error, InvalidStateError) and error.extensions.get("status") in STATUSES:
        return t("workflow.not_from_status", status=t(f"status.{error.extensions['status']}").lower())
    return refusal(request, error)


def render(request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any) -> Template:
    """A full page, or — for htmx requests of a fragment template (`_name.html`) — just that fragment."""
    user = principal(request)
    language = admin_language(request)
    zone = admin_time_zone(request)
    base = {
        "request": request,
        "user": user,
        "is_admin": user.can(ADMIN),
        "lang": language,
        "languages": LANGUAGES,
        "t": Translator(language),
        "say": ProblemWords(Translator(language), model_of(request)),
        "csrf_field": CSRF_FIELD,
        "csrf_token": user.csrf_token or "",
        "content_types": model_of(request).types,
        "path": request.url.path,
        "time_zone": zone_label(zone),
        "when": lambda instant: local_instant(instant, zone, language),
    }
    return Template(template_name=f"admin/{template}", context=base | context, status_code=status_code)
