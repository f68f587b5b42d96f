"""A notice in an attached Word document, under a one-line body, made into a claim through the API: the claim is made
of the document's text (every element read), not of the one line with every element missing and a deficiency letter
asking the sender for what the document said."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Actor
from tests.notices.test_message_attached import DOCX_TYPE, NOTICE, docx, mail


def test_a_notice_in_an_attached_docx_makes_a_complete_claim(client: TestClient, specialist: Actor) -> None:
    raw = mail((docx(NOTICE.split("\n")), *DOCX_TYPE, "notice.docx"))
    r = client.post("/api/v1/notices", headers=specialist.headers, files={"file": ("notice.eml", raw, "message/rfc822")})
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["status"] == "in_review", claim["completeness"]
    assert [i["url"] for i in claim["items"]] == ["https://platform.example/u/lifter/posts/77"]
    assert claim["complainant"]["email"] == "olek@inkmarsh.example"
    assert claim["received_at"] == "2026-12-01T09:30:00Z"
    kept = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=specialist.headers)
    assert kept.content == raw


def test_a_message_of_two_attached_notices_makes_no_claim_and_says_why(client: TestClient, specialist: Actor) -> None:
    """Both the API and the inbox refuse it (the inbox keeps it `failed` with the same words for staff), so neither
    notice is left unanswered behind a claim made of the other."""
    from tests.notices.test_message_attached import _attached_notice, _forward

    raw = _forward(
        _attached_notice("Olek Marsh <olek@inkmarsh.example>", "Heron notice", "https://platform.example/u/lifter/posts/77"),
        _attached_notice("Ada Wren <ada@wren.example>", "Wren notice", "https://platform.example/u/other/posts/5"),
    )
    r = client.post("/api/v1/notices", headers=specialist.headers, files={"file": ("fw.eml", raw, "message/rfc822")})
    assert r.status_code == 422, r.text
    assert "carries 2 attached messages" in r.json()["detail"]
    assert client.get("/api/v1/claims", headers=specialist.headers).json()["items"] == []
