"""Webhooks in Chromium, as an admin adds one: a refused URL, the secret shown once, the list, a delivery's log."""

from __future__ import annotations

import asyncio
from typing import Any

from cms.events.log import record_event
from cms.settings import settings_from_environment
from cms.store.database import write_transaction
from cms.store.tables import WebhookAttempt
from cms.webhooks.dispatch import Dispatcher
from tests.browser.conftest import Shots, new_page, sign_in
from tests.webhooks.receiver import Receiver


async def wait_for_an_attempt(seconds: float = 15.0) -> None:
    """Send what is due with a dispatcher in the test's process (the browser tests' server runs none: one polling
    for the whole session sent the deliveries of later tests too); wait until it has logged one attempt."""
    dispatcher = Dispatcher(settings_from_environment())
    try:
        for _ in range(int(seconds * 10)):
            await dispatcher.dispatch_due()
            if await WebhookAttempt.count():
                return
            await asyncio.sleep(0.1)
    finally:
        await dispatcher.close()
    raise AssertionError("the dispatcher made no attempt")


async def test_an_admin_adds_a_webhook_and_sees_it_listed(
    live_server: str, browser: Any, admin_world: dict[str, str], shots: Shots
) -> None:
    page = await new_page(browser, live_server)
    await sign_in(page, admin_world["admin"])
    await page.get_by_role("link", name="Webhooks").click()
    await page.get_by_role("heading", name="Webhooks", level=1).wait_for()

    await page.get_by_label("URL").fill("ftp://files.example.com/hooks")
    await page.get_by_role("button", name="Add webhook").click()
    assert "must start with https:// or http://" in await page.locator("#url-error").inner_text()
    await shots.take(page, "url-refused")

    with Receiver(status=503) as receiver:
        await page.get_by_label("URL").fill(receiver.url)
        await page.get_by_label("Description").fill("CDN purge")
        await page.get_by_label("An entry was published").check()
        await page.get_by_label("Website", exact=True).check()
        await page.get_by_role("button", name="Add webhook").click()
        secret = await page.get_by_label("Signing secret", exact=True).input_value()
        assert secret.startswith("whsec_")
        assert await page.get_by_text("it will not be shown again").is_visible()
        await shots.take(page, "secret-shown-once")

        await page.get_by_role("link", name="Webhooks", exact=True).click()
        assert await page.get_by_role("link", name=f"Deliveries and actions of {receiver.url}").is_visible()
        assert secret not in await page.content()
        await shots.take(page, "listed")

        async with write_transaction():
            await record_event(
                "entry.published", {"slug": "kitchen"}, entry="e-1", content_type="category", channels=["web"]
            )
        await wait_for_an_attempt()
    await page.get_by_role("link", name=f"Deliveries and actions of {receiver.url}").click()
    await page.get_by_role("heading", name="Recent deliveries").wait_for()
    assert "503" in await page.locator("table.deliveries").inner_text()
    await shots.take(page, "deliveries")

    await page.get_by_role("button", name="Disable").click()
    await page.get_by_role("heading", name="Disabled").wait_for()
    await shots.take(page, "disabled")

    phone = await new_page(browser, live_server, width=390, height=844)
    await sign_in(phone, admin_world["admin"])
    await phone.goto("/admin/webhooks")
    await shots.take(phone, "list-390")
    await phone.get_by_role("link", name=f"Deliveries and actions of {receiver.url}").click()
    await shots.take(phone, "detail-390")
