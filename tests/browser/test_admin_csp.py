"""The admin under its Content-Security-Policy in Chromium: no page breaks a directive, the editor's live
feedback (with the email preview frame) and the media grid included."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import new_page, sign_in

PAGES = (
    "/admin/",
    "/admin/media",
    "/admin/releases",
    "/admin/audit",
    "/admin/users",
    "/admin/webhooks",
    "/admin/entries/brand_message/new",
    "/admin/entries/product/new",
)


async def test_no_admin_page_breaks_the_content_security_policy(
    live_server: str, browser: Any, admin_world: dict[str, str]
) -> None:
    page = await new_page(browser, live_server)
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    await sign_in(page, admin_world["admin"])
    for path in PAGES:
        response = await page.goto(path)
        assert (
            response is not None
            and "frame-ancestors 'none'" in (await response.all_headers())["content-security-policy"]
        )
        await page.wait_for_load_state("networkidle")
    # The editor's feedback (htmx, out-of-band swaps, the email preview frame) runs as someone types
    await page.goto("/admin/entries/brand_message/new")
    await page.get_by_label("Title").first.fill("Spring launch")
    await page.wait_for_load_state("networkidle")
    await page.wait_for_timeout(600)  # the form posts itself after a 300 ms pause in typing
    await page.wait_for_load_state("networkidle")
    assert refused == []
