"""The mailroom reads mail relayed with kilobytes of trace and signature headers as the message it is (its sender,
subject, Message-ID and Date), and a pasted memo-style letter as text, its From line the sender's contact. Messages
made up here, in our own words (tests/notices/test_message_headers.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.legal import element_codes
from ipclaims.mailroom import reading
from ipclaims.models import SourceMessage
from tests.conftest import Actor
from tests.notices.test_message_headers import MEMO, relayed
from tests.notices.test_reader_pasted import EU_BODY

CREATE, PARSE = "/api/v1/notices", "/api/v1/notices/parse"


def test_relayed_mail_is_a_message_with_its_sender_date_and_elements(client: TestClient, specialist: Actor) -> None:
    raw = relayed(4700)
    r = client.post(CREATE, headers=specialist.headers, files={"file": ("notice.eml", raw, "message/rfc822")})
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["received_at"].startswith("2026-12-03T09:15:00")  # the message's Date, not now
    assert {e["code"]: e["status"] for e in claim["reading"]["completeness"]["elements"]} == dict.fromkeys(
        element_codes("US_DMCA"), "present"
    )
    with session_scope(write=False) as s:
        row = s.scalars(select(SourceMessage)).one()
        assert row.sender == "priya@natarajanphoto.example"
        assert row.subject == "Copyright infringement: Lantern Market at Dusk"
        assert row.message_id == "<lantern-77@natarajanphoto.example>"


def test_relayed_mail_pasted_as_text_is_a_message_too() -> None:
    read = reading.read(reading.Source(relayed(9000), reading.PLAIN))
    assert read.source.media_type == reading.RFC822
    assert read.message.sender == "priya@natarajanphoto.example"


def test_a_pasted_memo_is_a_letter_whose_from_line_is_the_contact(client: TestClient, specialist: Actor) -> None:
    r = client.post(PARSE, headers=specialist.headers, json={"text": MEMO})
    assert r.status_code == 200, r.text
    statuses = {e["code"]: e["status"] for e in r.json()["completeness"]["elements"]}
    assert statuses["contact_information"] == "present"
    assert r.json()["text"].startswith("To: Designated Agent\nFrom: Priya Natarajan")
    made = client.post(CREATE, headers=specialist.headers, json={"text": MEMO})
    assert made.status_code == 201, made.text
    original = client.get(f"/api/v1/claims/{made.json()['id']}/source-message", headers=specialist.headers)
    assert original.headers["content-type"].startswith("text/plain")  # pasted text, not made a message


def test_the_same_memo_as_an_eml_file_is_read_as_the_message_it_says_it_is() -> None:
    read = reading.read(reading.Source(MEMO.encode(), reading.RFC822, "memo.eml"))
    assert read.message.text.startswith("I own the copyright")


def test_a_pasted_messages_subject_tells_the_regime() -> None:
    # the body names no law; its Subject, taken off as a header, gives the notice as one under Art. 16 DSA
    raw = f"From: noor@dawnlight.example\nSubject: Meldung nach Art. 16 DSA\n\n{EU_BODY}".encode()
    read = reading.read(reading.Source(raw, reading.PLAIN))
    assert read.message.subject == "Meldung nach Art. 16 DSA"
    assert read.reading.regime == "EU_DSA"
