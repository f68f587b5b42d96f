"""A notice whose text is over the reader's character cap (`notices.message.MAX_TEXT_CHARS`) is too large, as
everywhere: 413 problem+json naming the limit, though its bytes are under IPCLAIMS_MAX_NOTICE_BYTES. Nothing is
stored for it; the import page and `ipclaims notices import` say 413 too."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from ipclaims.config import get_settings
from ipclaims.mailroom.cli import import_file
from ipclaims.notices.message import MAX_TEXT_CHARS
from tests.claims.test_refusals import assert_problem
from tests.conftest import Actor

PARSE, CREATE = "/api/v1/notices/parse", "/api/v1/notices"
LINE = "Our photographs are copied at https://platform.example/gallery/item without our permission, again.\n"


def _long_text(chars: int) -> bytes:
    """Plain text of `chars` characters (one byte each), under the default IPCLAIMS_MAX_NOTICE_BYTES."""
    return (LINE * (chars // len(LINE) + 1)).encode()[:chars]


def test_a_text_over_the_character_cap_is_413_naming_the_limit(client: TestClient, specialist: Actor) -> None:
    raw = _long_text(4_400_000)
    assert len(raw) < get_settings().max_notice_bytes and len(raw) > MAX_TEXT_CHARS
    for path, name in ((PARSE, "big.txt"), (CREATE, "big.txt"), (CREATE, "big.eml")):
        body = assert_problem(client.post(path, headers=specialist.headers, files={"file": (name, raw, "text/plain")}), 413)
        assert f"{MAX_TEXT_CHARS:,} characters" in body["detail"], body["detail"]
    mail = b"From: Ines <ines@tidewater-prints.example>\nSubject: notice\n\n" + _long_text(2_100_000)
    body = assert_problem(client.post(CREATE, headers=specialist.headers, files={"file": ("n.eml", mail, "message/rfc822")}), 413)
    assert f"{MAX_TEXT_CHARS:,} characters" in body["detail"]
    assert client.get("/api/v1/claims", headers=specialist.headers).json()["items"] == []
    assert client.get("/api/v1/notices/messages", headers=specialist.headers).json()["items"] == []


def test_the_file_import_reports_413_for_it(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(_long_text(MAX_TEXT_CHARS + 10))
    out = import_file(path, None)
    assert out["status"] == 413 and f"{MAX_TEXT_CHARS:,} characters" in out["error"], out
