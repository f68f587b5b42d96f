"""`idempotency.fingerprint` hashes the request's path as `request.url.path` spells it, without building the URL."""

from __future__ import annotations

import hashlib

from starlette.requests import Request

from ipclaims import idempotency

PATHS = [
    "/api/v1/claims",
    "/api/v1/claims/01ABC/decisions",
    "//double/slash",
    "/with space/and%25percent",
    "/ünï/çødé/😀",
    "/semi;colon/plus+/at@/colon:",
    "/q?mark",
    "/hash#mark",
    "/back\\slash",
    "/",
]


def _request(path: str, root_path: str = "") -> Request:
    headers = [(b"host", b"example.com:8443")]
    scope = {"type": "http", "method": "POST", "path": path, "root_path": root_path, "query_string": b"a=1", "headers": headers}
    return Request(scope)


def test_the_path_is_the_urls() -> None:
    for path in PATHS:
        for root in ("", "/mounted"):
            request = _request(path, root)
            assert idempotency._path(request) == Request(request.scope).url.path, (path, root)


def test_the_fingerprint_is_unchanged() -> None:
    body = b'{"b": [1, {"z": null, "a": "\\u00e9"}], "a": true}'
    for path in PATHS:
        request = _request(path)
        url_path = Request(request.scope).url.path
        canonical = b'{"a":true,"b":[1,{"a":"\\u00e9","z":null}]}'
        expected = hashlib.sha256(f"POST {url_path}\n".encode() + canonical).hexdigest()
        assert idempotency.fingerprint(request, body) == expected
