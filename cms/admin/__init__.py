"""The editors' web interface at /admin: server-rendered Jinja2 pages with htmx, no build step."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from cms.admin import audit, entries, media, pages, releases, users, webhooks
from cms.admin.errors import ADMIN_EXCEPTION_HANDLERS
from cms.admin.gate import ADMIN, admin_gate

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
    *users.ROUTES,
    *webhooks.ROUTES,
    *audit.ROUTES,
]


def admin_router() -> Router:
    return Router(
        path=ADMIN,
        route_handlers=PAGE_HANDLERS,
        before_request=admin_gate,
        exception_handlers=ADMIN_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )


def admin_static() -> Router:
    return create_static_files_router(path=f"{ADMIN}/static", directories=[STATIC], include_in_schema=False)


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
