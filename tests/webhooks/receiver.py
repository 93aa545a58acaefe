"""A real webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread that verifies every request
with `standardwebhooks` and keeps what it received; it answers what the test tells it to."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Received:
    def __init__(self, headers: dict[str, str], body: bytes, verified: Any) -> None:
        self.headers, self.body, self.verified = headers, body, verified

    @property
    def payload(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.body)
        return result


class Server(ThreadingHTTPServer):
    # A listen backlog of 5 (the default) drops connections of a dispatcher sending 32 at once: their
    # SYN is sent again a second later, which looked like a slow dispatcher.
    request_queue_size = 128
    daemon_threads = True


class Receiver:
    """`status` answers every request after `hang` seconds (callables get the request's number, from 1);
    `secret`, when set, verifies every request."""

    def __init__(self, status: int | Callable[[int], int] = 200, hang: float | Callable[[int], float] = 0.0) -> None:
        self.status, self.hang = status, hang
        self.secret: str | None = None
        self.received: list[Received] = []
        self.refused: list[str] = []
        self.requests = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver._lock:
                    receiver.requests += 1
                    number = receiver.requests
                status = receiver.status(number) if callable(receiver.status) else receiver.status
                hang = receiver.hang(number) if callable(receiver.hang) else receiver.hang
                if hang:
                    time.sleep(hang)
                headers = {key.lower(): value for key, value in self.headers.items()}
                try:
                    verified = Webhook(receiver.secret or "").verify(body, headers) if receiver.secret else None
                except WebhookVerificationError as error:
                    receiver.refused.append(str(error))
                    status = 400
                else:
                    if 200 <= status < 300:
                        receiver.received.append(Received(headers, body, verified))
                answer = b'{"ok": true}' if status < 300 else b"nope " * 200
                self.send_response(status)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def types(self) -> list[str]:
        return [item.payload["type"] for item in self.received]
