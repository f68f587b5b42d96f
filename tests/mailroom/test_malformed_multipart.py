"""A malformed multipart/form-data body to `POST /api/v1/notices/parse` or `POST /api/v1/notices` is refused (422)
with a detail that says the multipart body is malformed, never "malformed JSON": also when it comes without its
Content-Type header (a client that sent the bytes alone), which would otherwise be read as a JSON body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ipclaims.db import session_scope
from ipclaims.models import Claim, SourceMessage
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text

PATHS = ("/api/v1/notices/parse", "/api/v1/notices")
PART = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="n.eml"\r\nContent-Type: message/rfc822\r\n\r\n'
WHOLE = PART + notice_text().encode() + b"\r\n--xyz--\r\n"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (None, WHOLE),  # the bytes of a good body without the header naming its boundary
        (None, PART + b"cut off"),
        ("multipart/form-data; boundary=xyz", PART + b"cut off"),
        ("multipart/form-data; boundary=xyz", b"not a multipart body at all"),
        ("multipart/form-data", WHOLE),
        ("multipart/form-data; boundary=xyz", WHOLE.replace(b'; name="file"', b"")),
    ],
)
def test_a_malformed_multipart_body_is_called_so(
    client: TestClient, specialist: Actor, path: str, content_type: str | None, body: bytes
) -> None:
    headers = specialist.headers | ({"Content-Type": content_type} if content_type else {})
    r = client.post(path, headers=headers, content=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "JSON" not in detail and "multipart/form-data body is malformed" in detail, detail
    with session_scope() as s:
        assert s.query(Claim).count() == 0 and s.query(SourceMessage).count() == 0


@pytest.mark.parametrize("path", PATHS)
def test_a_body_without_a_content_type_is_still_read_as_json(client: TestClient, specialist: Actor, path: str) -> None:
    r = client.post(path, headers=specialist.headers, content=b'{"text": ')
    assert r.status_code == 422 and "malformed JSON" in r.json()["detail"], r.text
    good = client.post(path, headers=specialist.headers, content=b'{"text": "' + b"A notice." + b'"}')
    assert good.status_code in (200, 201), good.text
