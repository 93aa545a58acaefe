"""The editors' web interface at /admin: server-rendered Jinja2 pages with htmx, no build step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, Router
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from cms.admin import audit, campaigns, entries, media, pages, release_picker, releases, slugs, users, webhooks
from cms.admin.errors import ADMIN_EXCEPTION_HANDLERS
from cms.admin.gate import ADMIN, admin_gate
from cms.admin.security import security_headers, with_security_headers
from cms.settings import Settings

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# Page modules register their handlers here (one list per module keeps merges painless).
PAGE_HANDLERS = [
    pages.login_page,
    pages.login_submit,
    pages.logout,
    pages.choose_language,
    pages.session_token,
    pages.dashboard,
    *entries.ROUTES,
    *media.ROUTES,
    *releases.ROUTES,
    *campaigns.ROUTES,
    *users.ROUTES,
    *webhooks.ROUTES,
    *audit.ROUTES,
    *slugs.ROUTES,
    *release_picker.ROUTES,
]


def admin_router(settings: Settings) -> Router:
    return Router(
        path=ADMIN,
        route_handlers=PAGE_HANDLERS,
        before_request=admin_gate,
        exception_handlers=ADMIN_EXCEPTION_HANDLERS,
        response_headers=security_headers(settings),
        include_in_schema=False,
    )


def admin_static(settings: Settings) -> Router:
    def secured(response: Response[Any]) -> Response[Any]:
        """The static files router takes no `response_headers`: its answers get them from this hook."""
        return with_security_headers(response, settings)  # type: ignore[no-any-return]

    return create_static_files_router(
        path=f"{ADMIN}/static", directories=[STATIC], include_in_schema=False, after_request=secured
    )


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
