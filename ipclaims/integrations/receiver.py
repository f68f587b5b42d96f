"""`ipclaims webhooks test-receiver`: a local HTTP receiver that verifies Standard Webhooks signatures.

For integrators: point an endpoint at it, act on a decision, and see each event verified (or refused) with the
specification's own verifier. It answers 204 to a verified message, 400 to anything else, and acts on each
`webhook-id` once, as a platform receiver should: a retried duplicate is acknowledged and ignored.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

Report = Callable[[str], None]


class Receiver(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], secret: str, report: Report = print) -> None:
        super().__init__(address, _Handler)
        self.webhook = Webhook(secret)
        self.report = report
        self.seen: dict[str, dict[str, Any]] = {}  # webhook-id → the verified event, each acted on once
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(min(length, 1_000_000))
        try:
            event = self.server.webhook.verify(body, dict(self.headers.items()))
        except (WebhookVerificationError, ValueError) as exc:
            self.server.report(f"REFUSED {self.headers.get('webhook-id')}: {exc}")
            self._answer(400)
            return
        msg_id = self.headers["webhook-id"]
        with self.server.lock:
            duplicate = msg_id in self.server.seen
            self.server.seen.setdefault(msg_id, event)
        kind = event.get("type") if isinstance(event, dict) else None
        self.server.report(f"{'DUPLICATE' if duplicate else 'VERIFIED'} {msg_id} {kind} {json.dumps(event)}")
        self._answer(204)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the report line says what happened; no access log on stderr


def serve(secret: str, host: str = "127.0.0.1", port: int = 8787, report: Report = print) -> None:
    server = Receiver((host, port), secret, report)
    report(f"verifying webhooks on http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
