"""The evidence spans index a text the answer gives (`text`): for every kind of `.eml` the reader takes, each span of
`POST /api/v1/notices/parse` and of the 201's `reading` is `text[start:end] == quote`, where `text` is the notice as
read (an HTML part's text, the original inside a forward, a PDF attachment's text), not the bytes sent."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipclaims.db import session_scope
from ipclaims.models import SourceMessage
from ipclaims.notices import parse_message, read_notice
from tests.conftest import Actor
from tests.notices.pdfs import pdf_with_lines

PARSE, CREATE = "/api/v1/notices/parse", "/api/v1/notices"
SENDER = "Ines Calloway <ines@tidewater-prints.example>"
LINES = [
    "Dear agent,",
    'Tidewater Prints owns the copyright in the linocut series "Salt Marsh at Noon" (https://tidewater-prints.example/marsh).',
    "Scans of the series are posted without our permission at https://platform.example/gallery/88412",
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
    "copyright owner, its agent, or the law.",
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am "
    "authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.",
    "Ines Calloway, 4 Ferry Lane, Beaufort, SC 29902, +1 843 555 0142, ines@tidewater-prints.example",
    "/s/ Ines Calloway",
]
PLAIN = "\n".join(LINES) + "\n"
HTML = "<html><body>" + "".join(f"<p>{line}</p>" for line in LINES) + "</body></html>"


def _headers(msg: EmailMessage, sender: str = SENDER, subject: str = "Copyright notice") -> EmailMessage:
    msg["From"] = sender
    msg["To"] = "agent@platform.example"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 04 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = f"<{abs(hash((sender, subject)))}@tidewater-prints.example>"
    return msg


def multipart_alternative() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content(PLAIN)
    msg.add_alternative(HTML, subtype="html")
    return msg.as_bytes()


def html_only() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content(HTML, subtype="html", cte="quoted-printable")
    return msg.as_bytes()


def quoted_printable() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content(PLAIN.replace("Dear agent", "Dear agent — résumé"), cte="quoted-printable")
    return msg.as_bytes()


def base64_body() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content(PLAIN, cte="base64")
    return msg.as_bytes()


def forwarded_inline() -> bytes:
    msg = _headers(EmailMessage(), sender="Front Desk <desk@platform.example>", subject="Fwd: Copyright notice")
    block = (
        "Passing this on to the agent; the sender called as well.\n\n"
        "---------- Forwarded message ---------\n"
        f"From: {SENDER}\nDate: Tue, 3 Nov 2026 16:20:00 +0000\nSubject: Copyright notice\nTo: <agent@platform.example>\n\n" + PLAIN
    )
    msg.set_content(block)
    return msg.as_bytes()


def forwarded_rfc822() -> bytes:
    outer = _headers(EmailMessage(), sender="Front Desk <desk@platform.example>", subject="Fwd: Copyright notice")
    outer.set_content("Attached as it came in.\n")
    inner = _headers(EmailMessage())
    inner.set_content(HTML, subtype="html")
    outer.add_attachment(inner)
    return outer.as_bytes()


def pdf_attachment() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content("Please find our notice in the attached letter.\n")
    msg.add_attachment(pdf_with_lines(*LINES[1:]), maintype="application", subtype="pdf", filename="notice.pdf")
    return msg.as_bytes()


def crlf() -> bytes:
    msg = _headers(EmailMessage())
    msg.set_content(PLAIN)
    raw = msg.as_bytes(policy=SMTP)
    assert b"\r\n" in raw
    return raw


KINDS: dict[str, Callable[[], bytes]] = {
    "multipart": multipart_alternative,
    "html-only": html_only,
    "quoted-printable": quoted_printable,
    "base64": base64_body,
    "forwarded-inline": forwarded_inline,
    "forwarded-rfc822": forwarded_rfc822,
    "pdf-attachment": pdf_attachment,
    "crlf": crlf,
}


def _spans_index(text: str, evidence: dict[str, list[dict[str, Any]]]) -> int:
    count = 0
    for code, spans in evidence.items():
        for s in spans:
            assert 0 <= s["start"] <= s["end"] <= len(text), (code, s)
            assert text[s["start"] : s["end"]] == s["quote"], (code, s)
            count += 1
    return count


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_span_indexes_the_text_given_with_it(client: TestClient, specialist: Actor, kind: str) -> None:
    raw = KINDS[kind]()
    files = {"file": (f"{kind}.eml", raw, "message/rfc822")}
    parsed = client.post(PARSE, headers=specialist.headers, files=files)
    assert parsed.status_code == 200, parsed.text
    body = parsed.json()
    text = body["text"]
    assert text == read_notice(parse_message(raw).text).text
    assert _spans_index(text, body["evidence"]) >= 4
    assert "Salt Marsh at Noon" in text and "<p>" not in text and "\r" not in text
    assert "Passing this on" not in text and "Attached as it came in" not in text  # a forward's own note is not the notice
    created = client.post(CREATE, headers=specialist.headers, files=files)
    assert created.status_code == 201, created.text
    kept = created.json()["reading"]
    assert kept["text"] == text and kept["evidence"] == body["evidence"]
    _spans_index(kept["text"], kept["evidence"])
    with session_scope(write=False) as s:  # kept with the claim without the text: the original bytes are kept
        row = s.get(SourceMessage, created.json()["source_message_id"])
        assert row is not None and row.reading is not None
        assert "text" not in row.reading and row.reading["evidence"] == body["evidence"]


def test_the_text_of_pasted_json_is_the_text_as_read(client: TestClient, specialist: Actor) -> None:
    """Pasted text is read too (line ends, a quoted reply dropped): the spans index that, which `text` gives."""
    pasted = "\r\n".join(LINES) + "\r\n\r\n> On Monday someone wrote:\r\n> an older message quoted below\r\n"
    body = client.post(PARSE, headers=specialist.headers, json={"text": pasted}).json()
    assert body["text"] != pasted and "older message" not in body["text"]
    assert _spans_index(body["text"], body["evidence"]) >= 4
    created = client.post(CREATE, headers=specialist.headers, json={"text": pasted})
    assert created.status_code == 201, created.text
    assert created.json()["reading"]["text"] == body["text"]
