"""Malformed multipart bodies on every upload route (issue 16): two `file` parts, a missing or wrong boundary, a
truncated body, too many fields — each a 422 problem+json naming the `file` part, never a bare 400."""

from __future__ import annotations

from typing import Any

import pytest

from tests import images
from tests.conftest import Actor

PNG = images.encode(images.photo("coffee"), "PNG")


def _part(name: str, data: bytes, filename: str | None = "a.png", boundary: str = "XyZ") -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: image/png\r\n\r\n".encode() + data + b"\r\n"


def _end(boundary: str = "XyZ") -> bytes:
    return f"--{boundary}--\r\n".encode()


BODIES = {
    "two file parts": ("multipart/form-data; boundary=XyZ", _part("file", PNG) + _part("file", PNG) + _end()),
    "no boundary": ("multipart/form-data", _part("file", PNG) + _end()),
    "another boundary": ("multipart/form-data; boundary=Other", _part("file", PNG) + _end()),
    "truncated": ("multipart/form-data; boundary=XyZ", _part("file", PNG)[:500]),
    "garbage": ("multipart/form-data; boundary=XyZ", b"\x00\xff" * 300),
    "part without a name": (
        "multipart/form-data; boundary=XyZ",
        b"--XyZ\r\nContent-Disposition: form-data\r\n\r\n" + PNG + b"\r\n" + _end(),
    ),
    "too many fields": (
        "multipart/form-data; boundary=XyZ",
        b"".join(_part(f"f{n}", b"x", filename=None) for n in range(40)) + _part("file", PNG) + _end(),
    ),
}


@pytest.fixture
def routes(client: Any, holder: Actor, specialist: Actor) -> list[tuple[str, Actor]]:
    work = client.post("/api/v1/works", json={"title": "poster"}, headers=holder.headers).json()
    claim = client.post(
        "/api/v1/claims",
        headers=holder.headers,
        json={"kind": "copyright", "regime": "EU_DSA", "items": [{"url": "https://videos.example.com/watch/1"}]},
    ).json()
    return [
        (f"/api/v1/works/{work['id']}/images", holder),
        (f"/api/v1/claims/{claim['id']}/items/{claim['items'][0]['id']}/content", holder),
        ("/api/v1/match", specialist),
    ]


@pytest.mark.parametrize("case", sorted(BODIES))
def test_a_malformed_multipart_body_is_422_problem_json_on_every_upload_route(
    client: Any, routes: list[tuple[str, Actor]], case: str
) -> None:
    content_type, body = BODIES[case]
    for url, actor in routes:
        r = client.post(url, content=body, headers={**actor.headers, "Content-Type": content_type})
        assert r.status_code == 422, (url, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), url
        problem = r.json()
        assert problem["status"] == 422 and problem["errors"][0]["loc"] == ["body", "file"], problem


def test_a_well_formed_upload_still_passes(client: Any, routes: list[tuple[str, Actor]]) -> None:
    content_type, body = "multipart/form-data; boundary=XyZ", _part("file", PNG) + _end()
    for url, actor in routes:
        r = client.post(url, content=body, headers={**actor.headers, "Content-Type": content_type})
        assert r.status_code in (200, 201), (url, r.text)
