"""Uploads never hold the write turn: a client that stalls halfway through an image, or an image that takes long to
decode and verify, must not stop other requests from writing (on SQLite every write of every process queues for
that one turn). Run against a real uvicorn server, since the point is what happens between requests."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests import images
from tests.servers import serving


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    with serving(app) as port:
        yield f"http://127.0.0.1:{port}"


def _stall(base: str, path: str, key: str) -> socket.socket:
    """Send the headers and the first kilobyte of a 1 MB multipart image upload, then nothing more."""
    host, port = base.removeprefix("http://").split(":")
    head = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n" + images.encode(images.photo("coffee"))[:1024]
    )
    sock = socket.create_connection((host, int(port)))
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n"
        ).encode()
        + head
    )
    return sock


def _post(base: str, path: str, key: str, *, json_body: Any = None, image: bytes | None = None, timeout: float = 10) -> tuple[int, Any]:
    if image is not None:
        body = (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="c.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n" + image + b"\r\n--b--\r\n"
        )
        ctype = "multipart/form-data; boundary=b"
    else:
        body, ctype = json.dumps(json_body).encode(), "application/json"
    request = urllib.request.Request(
        base + path, data=body, method="POST", headers={"Authorization": f"Bearer {key}", "Content-Type": ctype}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("route", ["work-image", "match"])
def test_a_stalled_upload_does_not_hold_up_other_writes(server, holder, specialist, route):
    status, work = _post(server, "/api/v1/works", holder.key, json_body={"title": "Poster"})
    assert status == 201, work
    path, key = (f"/api/v1/works/{work['id']}/images", holder.key) if route == "work-image" else ("/api/v1/match", specialist.key)
    stalled = _stall(server, path, key)
    try:
        time.sleep(0.3)  # the stalled request is in the app, waiting for the rest of its body
        started = time.monotonic()
        status, other = _post(server, "/api/v1/works", holder.key, json_body={"title": "Another poster"}, timeout=5)
        assert status == 201, other
        assert time.monotonic() - started < 2
        # And an upload of its own completes meanwhile too.
        status, image = _post(server, f"/api/v1/works/{other['id']}/images", holder.key, image=images.encode(images.photo("chelsea")))
        assert status == 201, image
    finally:
        stalled.close()
