"""A header with a byte that is not UTF-8 is a 400 problem, never a 500 with a traceback (issue 16, defect 4).

Sent as raw bytes over a socket to a served app: HTTP allows such bytes (obs-text), uvicorn passes them on, and an
unauthenticated client must not be able to fill the log with one traceback per request."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.servers import serving


@pytest.fixture
def served(app: Any) -> Iterator[tuple[str, int]]:
    with serving(app) as port:
        yield "127.0.0.1", port


def raw_request(address: tuple[str, int], head: bytes, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data:
                header_end = data.index(b"\r\n\r\n")
                lines = data[:header_end].decode("latin-1").split("\r\n")
                headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
                if len(data) - header_end - 4 >= int(headers.get("content-length", "0")):
                    break
    status = int(lines[0].split()[1])
    return status, headers, data[header_end + 4 :]


BAD = b"caf\xe9 \xff\xfe"  # latin-1 é and two bytes no UTF-8 sequence may contain


@pytest.mark.parametrize("name", ["User-Agent", "Authorization", "Idempotency-Key", "Content-Type", "X-Anything"])
def test_a_non_utf8_header_is_a_400_problem_without_a_traceback(served, holder, caplog, name):
    body = json.dumps({"kind": "copyright"}).encode()
    headers = {
        "Host": b"127.0.0.1",
        "Authorization": f"Bearer {holder.key}".encode(),
        "Content-Type": b"application/json",
        "Idempotency-Key": b"k-1",
        "User-Agent": b"probe/1.0",
        "Content-Length": str(len(body)).encode(),
    }
    headers[name] = (b"Bearer " + BAD) if name == "Authorization" else BAD
    head = b"POST /api/v1/claims HTTP/1.1\r\n" + b"".join(k.encode() + b": " + v + b"\r\n" for k, v in headers.items())
    with caplog.at_level(logging.INFO):
        status, response_headers, raw = raw_request(served, head, body)
    assert status == 400, raw
    assert response_headers["content-type"] == "application/problem+json"
    problem = json.loads(raw)
    assert problem["status"] == 400 and name.lower() in problem["detail"].lower()
    assert problem["errors"] == [{"loc": ["header", name.lower()], "msg": "not valid UTF-8"}]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_utf8_headers_are_still_accepted(served, holder):
    head = (
        b"GET /api/v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + holder.key.encode()
        + b"\r\nUser-Agent: caf\xc3\xa9/1.0\r\n"
    )
    status, _, raw = raw_request(served, head)
    assert status == 200, raw
