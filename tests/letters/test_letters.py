"""Letters (CONTRACT.md "Letters"): content per kind × regime, PDF/A, archive integrity, visibility, worker, export."""

from __future__ import annotations

import hashlib
import io
import socket
import subprocess
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Actor
from tests.letters.helpers import (
    COUNTER_REGIMES,
    HAVE_POPPLER,
    INTERNAL,
    PUBLIC,
    REGIMES,
    countered,
    decided,
    letter,
    pdf_text,
    save,
)
from tests.review.flows import submit

needs_poppler = pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils and qpdf are not installed")

CITATIONS = {
    ("deficiency", "US_DMCA"): ["§ 512(c)(3)(A)(v)", "§ 512(c)(3)(B)(ii)"],
    ("deficiency", "EU_DSA"): ["Art. 16(2)(d)"],
    ("deficiency", "SG_CA2021"): ["reg 78(4)(e)"],
    ("deficiency", "TM_POLICY"): ["DSA Art. 16(2)(d)"],
    ("rejection", "US_DMCA"): ["§ 512(c)(3)(A)(v)"],
    ("rejection", "EU_DSA"): ["Art. 16(2)", "Art. 20"],
    ("rejection", "SG_CA2021"): ["reg 78(4)"],
    ("rejection", "TM_POLICY"): ["TM policy"],
    ("acknowledgment", "US_DMCA"): ["§ 512(c)(3)"],
    ("acknowledgment", "EU_DSA"): ["Art. 16(4)"],
    ("acknowledgment", "SG_CA2021"): ["reg 78"],
    ("acknowledgment", "TM_POLICY"): ["trademark policy"],
    ("decision", "US_DMCA"): ["§ 512(c)", "§ 512(f)"],
    ("decision", "EU_DSA"): ["Art. 16(5)", "Art. 20", "Art. 21"],
    ("decision", "SG_CA2021"): ["s 324"],
    ("decision", "TM_POLICY"): ["Registration", "Nice class", "Territory"],
    ("statement_of_reasons", "US_DMCA"): ["§ 512(c)", "§ 512(g)", "§ 512(f)"],
    ("statement_of_reasons", "EU_DSA"): [f"Art. 17(3)({x})" for x in "abcdef"] + ["Art. 20", "Art. 21"],
    ("statement_of_reasons", "SG_CA2021"): ["s 324", "reg 80"],
    ("statement_of_reasons", "TM_POLICY"): ["Registration", "Nice class", "Territory", "Art. 17(3)(a)"],
    ("counter_notice_forwarded", "US_DMCA"): ["§ 512(g)(2)(B)–(C)"],
    ("counter_notice_forwarded", "SG_CA2021"): ["s 322(4)", "reg 80"],
    ("restoration", "US_DMCA"): ["§ 512(g)(2)(C)"],
    ("restoration", "SG_CA2021"): ["s 322(4)"],
}


def _flat(text: str) -> str:
    return " ".join(text.split())


@needs_poppler
@pytest.mark.parametrize("regime", REGIMES)
def test_each_kind_names_reference_date_citations_and_items(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor, regime: str, tmp_path: Path
) -> None:
    claim = countered(client, holder, specialist, regime) if regime in COUNTER_REGIMES else decided(client, holder, specialist, regime)
    kinds: list[tuple[str, int | None]] = [("acknowledgment", None), ("decision", None), ("statement_of_reasons", 0)]
    if regime in COUNTER_REGIMES:
        kinds.append(("counter_notice_forwarded", 0))
    incomplete = submit(client, holder, regime, statements=None)
    assert incomplete["status"] == "needs_info"
    r = client.post(
        f"/api/v1/claims/{incomplete['id']}/transitions", json={"to": "rejected", "reason": INTERNAL}, headers=specialist.headers
    )
    assert r.status_code == 200, r.text
    for kind, item in [*kinds, ("deficiency", None), ("rejection", None)]:
        source = incomplete if kind in ("deficiency", "rejection") else claim
        out = letter(client, specialist, source, kind, item)
        assert out["sha256"] and out["version"] >= 1 and out["template_version"]
        path = save(client, specialist, out, tmp_path / f"{kind}.pdf")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == out["sha256"]
        text = _flat(pdf_text(path))
        assert source["reference"] in text
        assert "Page 1 of" in text
        assert any(
            m in text
            for m in (
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            )
        )
        for citation in CITATIONS[(kind, regime)]:
            assert citation in text, (kind, regime, citation)
        assert INTERNAL not in text
        if kind == "decision":
            for i in claim["items"]:
                assert i["url"].split("//")[1][:12] in text.replace(" ", "")
            assert "removed" in text and PUBLIC in text
            assert len(claim["items"]) == 1 or "no action" in text
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        plain = tmp_path / f"{kind}.qdf"  # streams uncompressed, so the XMP and catalog can be read
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), str(plain)], check=True)
        raw = plain.read_bytes()
        assert b"<pdfaid:part>3</pdfaid:part>" in raw or b'pdfaid:part="3"' in raw
        assert b"<pdfaid:conformance>B</pdfaid:conformance>" in raw or b'pdfaid:conformance="B"' in raw
        assert b"/OutputIntents" in raw and b"sRGB" in raw
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(r.split()[-5] == "yes" for r in rows), fonts
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert f"{kind} {source['reference']}" in info


@needs_poppler
def test_deficiency_lists_elements_with_citation_cure_and_deadline(client: Any, holder: Actor, specialist: Actor, tmp_path: Path) -> None:
    claim = submit(client, holder, "US_DMCA", signature=None)
    assert claim["status"] == "needs_info"
    out = letter(client, specialist, claim, "deficiency")
    text = _flat(pdf_text(save(client, specialist, out, tmp_path / "d.pdf")))
    assert "§ 512(c)(3)(A)(i)" in text and "§ 512(c)(3)(B)(ii)" in text
    assert "/s/ Full Name" in text and "Deadline" in text


def test_visibility_and_state_rules(client: Any, holder: Actor, specialist: Actor, make_account: Any) -> None:
    claim = submit(client, holder, "US_DMCA")
    letter(client, specialist, claim, "decision", expect=409)  # an undecided claim has no decision
    r = client.post(f"/api/v1/claims/{claim['id']}/letters", json={"kind": "acknowledgment"}, headers=holder.headers)
    assert r.status_code == 403
    claim = decided(client, holder, specialist, "US_DMCA")
    ack = letter(client, specialist, claim, "acknowledgment")
    again = letter(client, specialist, claim, "acknowledgment")
    assert again["version"] == ack["version"] + 1 and again["id"] != ack["id"]
    sor = letter(client, specialist, claim, "statement_of_reasons", 0)
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    assert client.get(ack["url"], headers=other.headers).status_code == 404
    assert client.get(f"/api/v1/claims/{claim['id']}/letters", headers=other.headers).status_code == 404
    assert client.get(sor["url"], headers=holder.headers).status_code == 404
    assert client.get(sor["url"], headers=specialist.headers).status_code == 200
    assert client.get(ack["url"], headers=holder.headers).status_code == 200
    mine = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]
    assert {x["kind"] for x in mine} >= {"acknowledgment", "decision"}
    assert "statement_of_reasons" not in {x["kind"] for x in mine}
    staff = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
    assert "statement_of_reasons" in {x["kind"] for x in staff}


def test_altered_file_is_refused_not_served(
    client: Any, holder: Actor, specialist: Actor, env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    out = letter(client, specialist, claim, "decision")
    path = Path(env["IPCLAIMS_DATA_DIR"]) / "letters" / out["sha256"][:2] / f"{out['sha256']}.pdf"
    path.write_bytes(path.read_bytes() + b"%tampered")
    r = client.get(out["url"], headers=specialist.headers)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "INTEGRITY ALERT" in caplog.text


def test_owed_letters_rendered_by_the_worker(client: Any, holder: Actor, specialist: Actor) -> None:
    from ipclaims.jobs.worker import run_once

    claim = decided(client, holder, specialist, "US_DMCA")
    staff = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
    assert {x["kind"] for x in staff} == {"acknowledgment", "decision", "statement_of_reasons"}
    assert all(x["status"] == "pending" and x["sha256"] is None for x in staff)
    summary = run_once()
    assert summary["letters_rendered"] == 3, summary
    staff = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
    assert all(x["status"] == "rendered" and x["sha256"] for x in staff)
    for x in staff:
        r = client.get(x["url"], headers=specialist.headers)
        assert hashlib.sha256(r.content).hexdigest() == x["sha256"]
    assert run_once()["letters_rendered"] == 0


def test_failed_render_is_recorded_and_retried(client: Any, holder: Actor, specialist: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims.jobs.worker import run_once
    from ipclaims.letters import render

    submit(client, holder, "US_DMCA")

    def broken(html: str) -> bytes:
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(render, "pdf_from_html", broken)
    assert run_once()["letters_failed"] == 1
    claim_id = client.get("/api/v1/claims", headers=specialist.headers).json()["items"][0]["id"]
    rows = client.get(f"/api/v1/claims/{claim_id}/letters", headers=specialist.headers).json()["items"]
    assert rows[0]["status"] == "failed" and rows[0]["attempts"] == 1 and "pango exploded" in rows[0]["error"]
    monkeypatch.undo()
    assert run_once()["letters_rendered"] == 1
    rows = client.get(f"/api/v1/claims/{claim_id}/letters", headers=specialist.headers).json()["items"]
    assert rows[0]["status"] == "rendered" and rows[0]["attempts"] == 2


def test_no_internal_reason_reaches_any_letter_or_mail(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    from sqlalchemy import select

    from ipclaims.jobs.worker import run_once
    from ipclaims.letters import archive
    from ipclaims.models import Letter, OutboxMessage

    for regime in REGIMES:
        decided(client, holder, specialist, regime)
    run_once()
    session.expire_all()
    bodies = [m.subject + m.body for m in session.scalars(select(OutboxMessage))]
    assert bodies and not [b for b in bodies if INTERNAL in b]
    assert any(PUBLIC in b for b in bodies)
    letters = list(session.scalars(select(Letter)))
    assert letters and all(x.sha256 for x in letters)
    for x in letters:
        data = archive.read_verified(x.sha256, x.id)
        if HAVE_POPPLER:
            proc = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
            assert INTERNAL.encode() not in proc.stdout


class _Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


@needs_poppler
def test_injected_markup_is_text_and_fetches_nothing(client: Any, holder: Actor, specialist: Actor, tmp_path: Path) -> None:
    from ipclaims.letters import render

    listener = _Listener()
    try:
        evil = (
            f'<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:{listener.port}/x.css">'
            f'<img src="http://127.0.0.1:{listener.port}/p.png">'
        )
        claim = submit(client, holder, "US_DMCA", complainant={**submit_body_complainant(), "name": evil})
        out = letter(client, specialist, claim, "acknowledgment")
        text = _flat(pdf_text(save(client, specialist, out, tmp_path / "a.pdf")))
        assert 'src="file:///etc/passwd"' in text.replace(" ", "").replace('src="', 'src="') or "file:///etc/passwd" in text
        assert "root:x:0:0" not in text
        # Even markup that reached WeasyPrint raw loads nothing: the fetcher refuses every foreign URL.
        html = (
            f'<html><body><img src="file:///etc/passwd"><img src="http://127.0.0.1:{listener.port}/a.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/b.css">'
            '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
        )
        render.pdf_from_html(html)
        assert listener.hits == 0
    finally:
        listener.close()


def submit_body_complainant() -> dict[str, Any]:
    from tests.legal.notices import complete_claim

    return dict(complete_claim("US_DMCA")["complainant"])


def test_export_manifest_matches_files(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    from ipclaims.jobs.worker import run_once

    decided(client, holder, specialist, "US_DMCA")
    decided(client, holder, specialist, "EU_DSA")
    run_once()
    assert client.get("/api/v1/letters/export", headers=specialist.headers).status_code == 403
    r = client.get("/api/v1/letters/export", headers=legal_user.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    lines = zf.read("manifest.csv").decode().splitlines()
    assert lines[0] == "reference,kind,item_id,version,file,sha256,created_at"
    assert len(lines) == 1 + 6
    for line in lines[1:]:
        cells = line.split(",")
        assert hashlib.sha256(zf.read(cells[4])).hexdigest() == cells[5]
    only = client.get("/api/v1/letters/export?kind=decision", headers=legal_user.headers)
    assert len(zipfile.ZipFile(io.BytesIO(only.content)).read("manifest.csv").decode().splitlines()) == 3


def test_cli_export_writes_zip_and_prints_count(
    client: Any, holder: Actor, specialist: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ipclaims.cli import main
    from ipclaims.jobs.worker import run_once

    decided(client, holder, specialist, "SG_CA2021")
    run_once()
    out = tmp_path / "letters.zip"
    assert main(["letters", "export", "--out", str(out), "--kind", "decision"]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["letters"] == 1 and printed["file"] == str(out.resolve())
    names = zipfile.ZipFile(out).namelist()
    assert "manifest.csv" in names and len(names) == 2


def test_mail_carries_its_letter_and_messages_list_it(
    client: Any, holder: Actor, specialist: Actor, set_env: Any, make_account: Any
) -> None:
    from aiosmtpd.controller import Controller

    from ipclaims.jobs.worker import run_once
    from tests.jobs.test_worker import Inbox, free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
        claim = decided(client, holder, specialist, "US_DMCA")
        run_once()
    finally:
        controller.stop()
    by_kind: dict[str, Any] = {}
    for _, m in inbox.messages:
        pdfs = [p for p in m.walk() if p.get_content_type() == "application/pdf"]
        by_kind[m["Subject"]] = pdfs
        assert INTERNAL not in m.as_string()
    assert inbox.messages and all(len(p) == 1 for p in by_kind.values()), by_kind.keys()
    staff = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=specialist.headers).json()["items"]
    mine = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=holder.headers).json()["items"]
    assert {m["kind"] for m in staff} >= {"acknowledgment", "decision", "statement_of_reasons"}
    assert {m["kind"] for m in mine} == {"acknowledgment", "decision"}
    assert all(m["letter_id"] and m["status"] == "sent" for m in staff)
    pdf = client.get(next(m for m in mine if m["kind"] == "decision")["letter_url"], headers=holder.headers)
    assert pdf.status_code == 200
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    assert client.get(f"/api/v1/claims/{claim['id']}/messages", headers=other.headers).status_code == 404


def test_unrenderable_machine_answers_503(client: Any, holder: Actor, specialist: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims.jobs.worker import run_once
    from ipclaims.letters import render

    claim = submit(client, holder, "US_DMCA")
    monkeypatch.setattr(render, "weasyprint", None)
    monkeypatch.setattr(render, "IMPORT_ERROR", "cannot load library 'libpango-1.0-0'")
    r = client.post(f"/api/v1/claims/{claim['id']}/letters", json={"kind": "acknowledgment"}, headers=specialist.headers)
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    assert "apt-get install" in r.json()["detail"]
    assert run_once()["letters_unrenderable"] == 1
    rows = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
    assert [x["status"] for x in rows] == ["pending"]  # kept, rendered once Pango is installed


@needs_poppler
@pytest.mark.parametrize("regime", COUNTER_REGIMES)
def test_restoration_letter_after_restore(client: Any, holder: Actor, specialist: Actor, regime: str, tmp_path: Path) -> None:
    from sqlalchemy import select

    from ipclaims.db import session_scope
    from ipclaims.jobs.worker import run_once
    from ipclaims.models import CounterNotice
    from ipclaims.review.counter_notices import restore

    claim = countered(client, holder, specialist, regime)
    with session_scope() as session:
        counter_row = session.scalars(select(CounterNotice).where(CounterNotice.claim_id == claim["id"])).one()
        restore(session, counter_row, actor=None, reason=INTERNAL)
    run_once()
    rows = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]
    restoration = next(x for x in rows if x["kind"] == "restoration")
    text = _flat(pdf_text(save(client, holder, restoration, tmp_path / "r.pdf")))
    assert claim["reference"] in text and claim["items"][0]["url"] in text
    assert ("§ 512(g)(2)(C)" if regime == "US_DMCA" else "s 322(4)") in text
    assert INTERNAL not in text
    again = letter(client, specialist, claim, "restoration", 0)
    assert again["version"] == restoration["version"] + 1


@needs_poppler
def test_restoration_owed_when_a_complaint_upheld_restores_the_item(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor, tmp_path: Path
) -> None:
    """CONTRACT.md: a `restoration` whenever an item is restored, with no counter-notice too (DSA Art. 20(4))."""
    from ipclaims.jobs.worker import run_once

    claim = decided(client, holder, specialist, "EU_DSA")
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={"complainant_role": "uploader", "complainant_email": "up@mail.example", "body": "My own photo."},
    )
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/complaints/{r.json()['id']}/decision", json={"upheld": True, "reason": INTERNAL}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    run_once()
    rows = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]
    restorations = [x for x in rows if x["kind"] == "restoration"]
    assert len(restorations) == 1 and restorations[0]["status"] == "rendered" and restorations[0]["item_id"] == item_id
    text = _flat(pdf_text(save(client, holder, restorations[0], tmp_path / "r.pdf")))
    assert claim["reference"] in text and claim["items"][0]["url"] in text and "Art. 20(4)" in text
    assert INTERNAL not in text
    assert letter(client, specialist, claim, "restoration", 0)["version"] == 2
    never_restored = decided(client, holder, specialist, "US_DMCA")
    assert letter(client, specialist, never_restored, "restoration", 0, expect=409)["status"] == 409


def test_letters_list_pages_with_the_shared_cursor(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    made = [letter(client, specialist, claim, "decision")["id"] for _ in range(3)]
    url = f"/api/v1/claims/{claim['id']}/letters"
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = client.get(url, params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=specialist.headers).json()
        seen += [x["id"] for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert cursor not in seen  # not a raw id: the codec's token
    assert set(made) <= set(seen) and len(seen) == len(set(seen))
    for junk in ("zzz", seen[0], "W10", "!!!"):
        r = client.get(url, params={"cursor": junk}, headers=specialist.headers)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), (junk, r.text)


def test_letter_request_honours_idempotency_key(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    headers = {**specialist.headers, "Idempotency-Key": "letter-1"}
    url = f"/api/v1/claims/{claim['id']}/letters"
    first = client.post(url, json={"kind": "decision"}, headers=headers)
    again = client.post(url, json={"kind": "decision"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json() and again.headers["Idempotency-Replayed"] == "true"
    assert client.post(url, json={"kind": "decision", "item_id": None}, headers=headers).status_code == 422  # another body
    fresh = letter(client, specialist, claim, "decision")
    assert fresh["version"] == first.json()["version"] + 1  # the replay made no letter


def test_export_lists_files_that_fail_their_check(
    client: Any,
    holder: Actor,
    specialist: Actor,
    legal_user: Actor,
    env: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from ipclaims.cli import main

    claim = decided(client, holder, specialist, "EU_DSA")
    good = letter(client, specialist, claim, "decision")
    bad = letter(client, specialist, claim, "statement_of_reasons", 0)
    path = Path(env["IPCLAIMS_DATA_DIR"]) / "letters" / bad["sha256"][:2] / f"{bad['sha256']}.pdf"
    path.write_bytes(path.read_bytes() + b"%tampered")
    zf = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/letters/export", headers=legal_user.headers).content))
    manifest = zf.read("manifest.csv").decode()
    assert good["sha256"] in manifest and bad["sha256"] not in manifest
    failures = zf.read("integrity_failures.csv").decode().splitlines()
    assert failures[0] == "reference,kind,item_id,version,letter_id,sha256,error"
    assert len(failures) == 2 and bad["id"] in failures[1] and bad["sha256"] in failures[1]
    out = tmp_path / "letters.zip"
    assert main(["letters", "export", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["integrity_failures"] == 1 and "integrity_failures.csv" in zipfile.ZipFile(out).namelist()


def test_a_claim_changed_during_the_render_is_a_409_not_a_stale_letter(client: Any, holder: Actor, specialist: Actor) -> None:
    from ipclaims.db import session_scope
    from ipclaims.letters import service
    from ipclaims.models import Account, ClaimItem

    claim = decided(client, holder, specialist, "EU_DSA")
    with session_scope() as session:
        actor = session.get(Account, specialist.id)
        assert actor is not None
        draft = service.prepare(session, actor, claim["id"], "decision", None)
    with session_scope() as session:
        item = session.get(ClaimItem, claim["items"][0]["id"])
        assert item is not None
        item.public_reason = "Changed while the letter was rendered."
    with session_scope() as session:
        actor = session.get(Account, specialist.id)
        assert actor is not None
        with pytest.raises(service.InvalidTransition):
            service.record(session, actor, draft, b"%PDF-1.7 stale")
