"""Signing in and out of the admin in Chromium; the dashboard; the language switch."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import PASSWORD, Shots, new_page, sign_in


async def test_sign_in_dashboard_and_sign_out(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await page.goto("/admin/?from=bookmark")
    assert "/admin/login" in page.url  # a page behind sign-in sends the browser to the form first
    await shots.take(page, "sign-in")

    await page.get_by_label("Email").fill(admin_world["editor"])
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    assert await page.get_by_role("alert").inner_text() == "Wrong email or password."
    await shots.take(page, "sign-in-wrong-password")

    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r"/admin/?\?from=bookmark$"))  # back where the editor was going
    await page.goto("/admin/")
    assert await page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    assert admin_world["editor"] in await page.locator(".who").inner_text()
    await shots.take(page, "dashboard")

    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_text("You are signed out.").wait_for()
    await page.goto("/admin/")
    assert "/admin/login" in page.url


async def test_french_admin(live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.get_by_label("Language").select_option("fr")
    await page.get_by_role("heading", level=1, name="Tableau de bord").wait_for()  # the page reloads in French
    assert await page.get_by_role("button", name="Se déconnecter").is_visible()
    await shots.take(page, "dashboard-fr")


async def test_tablet_width_keeps_navigation_reachable(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server, width=768, height=1024)
    await sign_in(page, admin_world["editor"])
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768  # nothing forces sideways scrolling at tablet width
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    await shots.take(page, "dashboard-tablet")
