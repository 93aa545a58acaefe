"""The Standard Webhooks headers of a message: its id, its timestamp and the HMAC-SHA256 signature
(`standardwebhooks`, the specification's reference library, so receivers verify with it or Svix unchanged)."""

from __future__ import annotations

import base64
import datetime as dt
import os

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh `whsec_` secret: 24 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(24)).decode()


def message_id(event_id: int) -> str:
    """The `webhook-id` of an event: the same on every attempt and every redelivery (receivers dedupe by it)."""
    return f"msg_{event_id}"


def signed_headers(secret: str, msg_id: str, at: dt.datetime, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }
