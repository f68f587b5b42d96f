"""A `multipart/*` message without a boundary parameter (or whose boundary never occurs) is read as the text mail
clients show: the email package keeps its body whole as a string and records the defect; it was 422 "no readable
text"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ipclaims.notices import parse_message
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text

HEAD, _, BODY = notice_text("kofi@meridian-maps.example", "https://platform.example/maps/3301").partition("\n\n")
TYPES = ["multipart/mixed", "multipart/alternative", 'multipart/mixed; boundary="never-used-7f3a"']


def _boundless(content_type: str, crlf: bool = False) -> bytes:
    raw = f"{HEAD}\nMIME-Version: 1.0\nContent-Type: {content_type}\n\n{BODY}"
    return (raw.replace("\n", "\r\n") if crlf else raw).encode()


@pytest.mark.parametrize("content_type", TYPES)
@pytest.mark.parametrize("crlf", [False, True])
def test_the_whole_body_is_the_text(content_type: str, crlf: bool) -> None:
    message = parse_message(_boundless(content_type, crlf))
    assert message.text == BODY.strip()
    assert message.sender == "kofi@meridian-maps.example"


def test_such_a_message_becomes_a_claim(client: TestClient, specialist: Actor) -> None:
    files = {"file": ("n.eml", _boundless("multipart/mixed"), "message/rfc822")}
    parsed = client.post("/api/v1/notices/parse", headers=specialist.headers, files=files)
    assert parsed.status_code == 200, parsed.text
    assert "https://platform.example/maps/3301" in [i["url"] for i in parsed.json()["fields"]["items"]]
    assert {e["status"] for e in parsed.json()["completeness"]["elements"]} == {"present"}
    created = client.post("/api/v1/notices", headers=specialist.headers, files=files)
    assert created.status_code == 201, created.text
    assert "https://platform.example/maps/3301" in [i["url"] for i in created.json()["items"]]


def test_a_multipart_with_its_boundary_is_read_by_its_parts_as_before() -> None:
    raw = (
        f"{HEAD}\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\nThe preamble no client shows.\n"
        f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{BODY}\n--b1--\nThe epilogue.\n"
    ).encode()
    text = parse_message(raw).text
    assert text == BODY.strip() and "preamble" not in text and "epilogue" not in text
