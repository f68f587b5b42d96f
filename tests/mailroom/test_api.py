"""`POST /api/v1/notices/parse`, `POST /api/v1/notices`, `GET /api/v1/claims/{id}/source-message` (CONTRACT.md
"Notices in free text and email"), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ipclaims import legal
from ipclaims.notices import parse_message, read_notice
from tests.conftest import Actor
from tests.mailroom.helpers import fixture, notice_text

PARSE, CREATE = "/api/v1/notices/parse", "/api/v1/notices"


def test_parse_reports_every_element_as_the_text_reads_with_its_evidence(client: TestClient, specialist: Actor) -> None:
    raw = fixture("complete.eml")
    r = client.post(PARSE, headers=specialist.headers, files={"file": ("notice.eml", raw, "message/rfc822")})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = read_notice(parse_message(raw).text)
    assert body["regime"] == expected.regime == "US_DMCA"
    assert body["kind"] == "claim"
    elements = body["completeness"]["elements"]
    assert [e["code"] for e in elements] == list(legal.element_codes("US_DMCA"))
    assert {e["code"]: e["status"] for e in elements} == {j.code: j.status for j in expected.judgements}
    assert all(e["citation"] for e in elements)
    text = expected.text
    for e in elements:
        spans = body["evidence"][e["code"]]
        if e["status"] == "present":
            assert spans, e["code"]
        for s in spans:
            assert text[s["start"] : s["end"]] == s["quote"]
    assert body["fields"]["items"][0]["url"] == "https://platform.example/u/copycat/posts/1001"
    intake = body["intake_completeness"]
    assert [e["code"] for e in intake["elements"]] == [e["code"] for e in elements]
    # Nothing stored.
    assert client.get("/api/v1/claims", headers=specialist.headers).json()["items"] == []


def test_parse_text_takes_the_regime_asked_for_and_reports_a_deficiency(client: TestClient, legal_user: Actor) -> None:
    text = fixture("company_only.txt").decode()
    r = client.post(PARSE, headers=legal_user.headers, json={"text": text, "regime": "US_DMCA"})
    assert r.status_code == 200, r.text
    statuses = {e["code"]: e["status"] for e in r.json()["completeness"]["elements"]}
    assert statuses == {j.code: j.status for j in read_notice(text, regime="US_DMCA").judgements}
    assert statuses["accuracy_authority_statement"] == "missing"
    assert r.json()["completeness"]["complete"] is False
    dsa = client.post(PARSE, headers=legal_user.headers, json={"text": text, "regime": "EU_DSA"})
    assert dsa.status_code == 200
    assert [e["code"] for e in dsa.json()["completeness"]["elements"]] == list(legal.element_codes("EU_DSA"))


def test_parse_is_staff_only(client: TestClient, holder: Actor, admin: Actor) -> None:
    assert client.post(PARSE, headers=holder.headers, json={"text": notice_text()}).status_code == 403
    assert client.post(CREATE, headers=holder.headers, json={"text": notice_text()}).status_code == 403
    assert client.post(PARSE, json={"text": notice_text()}).status_code == 401
    assert client.post(PARSE, headers=admin.headers, json={"text": notice_text()}).status_code == 200


def test_refusals_are_problems_never_500(client: TestClient, specialist: Actor, set_env: Callable[..., None]) -> None:
    h = specialist.headers

    def problem(r: Any, status: int) -> None:
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")

    problem(client.post(PARSE, headers=h, json={"text": "   "}), 422)
    problem(client.post(PARSE, headers=h, json={"text": "x", "regime": "US_COPYRIGHT"}), 422)
    problem(client.post(PARSE, headers=h, json={"text": "x", "kind": "letter"}), 422)
    problem(client.post(PARSE, headers=h, json={"txt": "x"}), 422)
    problem(client.post(PARSE, headers={**h, "content-type": "application/json"}, content=b"{not json"), 422)
    problem(client.post(PARSE, headers={**h, "content-type": "text/csv"}, content=b"a,b"), 415)
    problem(client.post(PARSE, headers=h, files={"file": ("notice.pdf", b"%PDF-1.7 ...", "application/pdf")}), 415)
    problem(client.post(PARSE, headers=h, files={"file": ("notice.txt", b"%PDF-1.7 ...", "text/plain")}), 415)
    problem(client.post(PARSE, headers=h, files={"file": ("photo.png", b"\x89PNG\r\n", "image/png")}), 415)
    problem(client.post(PARSE, headers=h, files={"other": ("n.txt", b"text", "text/plain")}), 422)
    problem(client.post(PARSE, headers=h, files={"file": ("n.txt", b"", "text/plain")}), 422)
    problem(client.post(PARSE, headers=h, files={"file": ("n.txt", bytes(range(256)) * 64, "text/plain")}), 422)
    problem(client.post(PARSE, headers=h, files={"file": ("n.eml", b"\x00\x01\x02\xff" * 1000, "message/rfc822")}), 422)
    problem(client.post(PARSE, headers=h, files={"file": ("n.txt", b"x", "text/plain")}, data={"regime": "nope"}), 422)
    set_env(IPCLAIMS_MAX_NOTICE_BYTES="20000")
    problem(client.post(PARSE, headers=h, files={"file": ("big.txt", b"a " * 20_000, "text/plain")}), 413)
    problem(client.post(CREATE, headers=h, files={"file": ("big.eml", b"a " * 20_000, "message/rfc822")}), 413)
    problem(client.post(PARSE, headers=h, json={"text": "a " * 20_000}), 413)
    set_env(IPCLAIMS_MAX_NOTICE_BYTES="5000000")  # the default: a 10 MB message is refused, whatever it holds
    ten_mb = b"From: a@b.example\n\n" + (b"https://platform.example/p/1 " * 400_000)[:10_000_000]
    problem(client.post(CREATE, headers=h, files={"file": ("huge.eml", ten_mb, "message/rfc822")}), 413)
    assert client.get("/api/v1/claims", headers=h).json()["items"] == []


def test_hostile_messages_parse_or_are_refused_without_a_500(client: TestClient, specialist: Actor) -> None:
    nested = b"Content-Type: multipart/mixed; boundary=a0\n\n"
    for depth in range(1, 60):
        nested += f"--a{depth - 1}\nContent-Type: multipart/mixed; boundary=a{depth}\n\n".encode()
    nested += b"--a59\nContent-Type: text/plain\n\nhttps://platform.example/x/1\n"
    cases = [
        nested,
        b"From: <<<@@@>>>\nDate: not a date\nSubject: =?bogus?q?x?=\n\nSee https://platform.example/p/1",
        b"Content-Type: text/plain; charset=no-such-charset\n\n\xff\xfe notice",
        b"Content-Transfer-Encoding: base64\n\n!!!!not base64!!!!",
        ("\u202e\ud7ff " * 500).encode("utf-8", "surrogatepass"),
    ]
    for raw in cases:
        for route in (PARSE, CREATE):
            r = client.post(route, headers=specialist.headers, files={"file": ("m.eml", raw, "message/rfc822")})
            assert r.status_code in (200, 201, 413, 415, 422), (route, r.status_code, r.text[:300])


def test_a_notice_of_2000_urls_is_read_and_made_into_claims_of_1000(client: TestClient, specialist: Actor) -> None:
    # More URLs than a claim takes: several claims of one message (tests/mailroom/test_parts.py has the rest).
    urls = "\n".join(f"https://platform.example/u/bulk/posts/{n}" for n in range(2000))
    text = notice_text().replace("A copy is displayed", f"Copies:\n{urls}\nA copy is displayed")
    parsed = client.post(PARSE, headers=specialist.headers, json={"text": text})
    assert parsed.status_code == 200, parsed.text[:300]
    assert len(parsed.json()["fields"]["items"]) == 2001
    made = client.post(CREATE, headers=specialist.headers, json={"text": text})
    assert made.status_code == 201, made.text[:300]
    assert [p["items"] for p in made.json()["parts"]] == [1000, 1000, 1]
    assert len(client.get("/api/v1/claims", headers=specialist.headers).json()["items"]) == 3
