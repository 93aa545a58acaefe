"""`cms webhook …` run as an operator would, against the tests' database; every change audited."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cms.model.entry_data import EntryData
from cms.store.tables import AuditEvent, WebhookDelivery, WebhookSubscription
from cms.webhooks.dispatch import Dispatcher
from cms.workflow.entries import entry_data_from
from tests.webhooks.helpers import category, drain, fast_settings
from tests.webhooks.receiver import Receiver

CMS = Path(sys.executable).with_name("cms")


def cms(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CMS), "webhook", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=60, input=input
    )


async def test_add_list_disable_and_redeliver_from_the_shell(clean_db, model, settings) -> None:  # type: ignore[no-untyped-def]
    from cms.auth.principal import SCHEDULER
    from cms.workflow.entries import Editor

    with Receiver() as receiver:
        added = cms("add", receiver.url, "--event", "entry.published", "--type", "category", "--description", "build")
        assert added.returncode == 0, added.stderr
        first_line, secret = added.stdout.splitlines()
        assert first_line.startswith("created webhook ") and secret.startswith("whsec_")
        assert "will not be shown again" in added.stderr
        receiver.secret = secret
        subscription = int(first_line.split()[2].rstrip(":"))

        listed = cms("list")
        assert f"{subscription}  active" in listed.stdout and "events=entry.published" in listed.stdout
        assert secret not in listed.stdout

        editor = Editor(model, SCHEDULER)
        entry = await editor.create("category", _data())
        await editor.publish(entry["id"])
        dispatcher = Dispatcher(fast_settings(settings))
        await drain(dispatcher)
        delivery = await WebhookDelivery.select().first()
        shown = cms("deliveries", str(subscription))
        assert f"{delivery['id']}" in shown.stdout and "entry.published" in shown.stdout and "delivered" in shown.stdout

        again = cms("redeliver", str(delivery["id"]))
        assert again.stdout.strip() == "1 delivery queued again"
        await drain(dispatcher)
        await dispatcher.close()
        assert len(receiver.received) == 2 and receiver.refused == []

    assert cms("disable", str(subscription)).returncode == 0
    row = await WebhookSubscription.select().where(WebhookSubscription.id == subscription).first()
    assert row["active"] is False and "cli:" in row["disabled_reason"]
    actors = {(e["action"], e["actor"].split(":")[0]) for e in await AuditEvent.select()}
    assert {("create_webhook", "cli"), ("redeliver_webhook", "cli"), ("disable_webhook", "cli")} <= actors


async def test_a_refused_subscription_says_why_and_stores_nothing(clean_db) -> None:  # type: ignore[no-untyped-def]
    refused = cms("add", "http://127.0.0.1:9/x", "--type", "gadget")
    assert refused.returncode == 1
    assert "contentTypes.0: unknown 'gadget'" in refused.stderr
    assert await WebhookSubscription.count() == 0
    missing = cms("disable", "999")
    assert (missing.returncode, missing.stderr.strip()) == (1, "no webhook with id 999")


def _data() -> EntryData:
    return entry_data_from(category("Kitchen", "kitchen"))
