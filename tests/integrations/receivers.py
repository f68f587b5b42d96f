"""HTTP receivers for the webhook tests, on 127.0.0.1 only: the integrators' verifying receiver, and scripted ones."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ipclaims.integrations.receiver import Receiver


@dataclass
class Seen:
    headers: dict[str, str]
    body: bytes


@dataclass
class Script:
    """Answers the n-th request with `statuses[n]` (the last one from then on); records every request."""

    statuses: list[int]
    location: str | None = None
    requests: list[Seen] = field(default_factory=list)


def _scripted(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            script.requests.append(Seen({k.lower(): v for k, v in self.headers.items()}, body))
            status = script.statuses[min(len(script.requests), len(script.statuses)) - 1]
            self.send_response(status)
            if script.location:
                self.send_header("location", script.location)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def scripted(script: Script) -> Iterator[str]:
    with running(ThreadingHTTPServer(("127.0.0.1", 0), _scripted(script))) as url:
        yield url


@contextmanager
def verifying(secret: str, lines: list[str]) -> Iterator[tuple[str, Receiver]]:
    server = Receiver(("127.0.0.1", 0), secret, report=lines.append)
    with running(server) as url:
        yield url, server


Report = Callable[[str], None]
