"""A notice uploaded on the import page as a PDF or a Word `.docx` is read as the same document attached to an `.eml`
is (the notice reader's own `pdf_text` and `docx_text`), and the claim keeps the document's bytes as its original.

A probe found both refused on the page ("send an .eml message or plain text (.txt)") though the same file inside an
`.eml` was read fine: staff had to wrap a law firm's PDF in an email to import it. The API's multipart `file` is
unchanged (CONTRACT.md: an `.eml` message or plain text; a PDF is its documented 415)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import escape, unescape

import pytest
from fastapi.testclient import TestClient

from ipclaims.db import session_scope
from ipclaims.models import Claim, ClaimItem, SourceMessage
from tests.notices.pdfs import pdf_with_lines
from tests.notices.test_attached_odt import NAMESPACES, odt
from tests.notices.test_message_attached import NOTICE, docx
from tests.web.conftest import WebUser
from tests.web.test_notice_import import fields_of, hidden, read_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _rtf(text: str) -> bytes:
    """The notice as a one-font RTF file, a paragraph a line, its non-ASCII letters as \\uN? (as WordPad saves it)."""

    def escaped(ch: str) -> str:
        if ch in "\\{}":
            return "\\" + ch
        return ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?"

    body = "".join("".join(map(escaped, line)) + "\\par\n" for line in text.split("\n"))
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\\f0\\fs22\n" + body + "}").encode("ascii")


def _odt(text: str) -> bytes:
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
    body = f"<office:body><office:text>{paragraphs}</office:text></office:body>"
    return odt(f"<office:document-content {NAMESPACES}>{body}</office:document-content>")


URL = "https://platform.example/u/lifter/posts/77"


def _error(html: str) -> str:
    found = re.search(r'<div class="notice notice-error"[^>]*>(.*?)</div>', html, flags=re.S)
    assert found, "no error on the page"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


@pytest.mark.parametrize(
    ("name", "data", "media_type", "kept_as"),
    [
        ("Notice of infringement.pdf", pdf_with_lines(*NOTICE.splitlines()), "application/pdf", "application/pdf"),
        ("notice.pdf", pdf_with_lines(*NOTICE.splitlines()), "application/octet-stream", "application/pdf"),
        ("DMCA notice.docx", docx(NOTICE.split("\n")), DOCX, DOCX),
        ("notice.docx", docx(NOTICE.split("\n")), "application/octet-stream", DOCX),
        ("DMCA notice.odt", _odt(NOTICE), ODT, ODT),
        ("DMCA notice.rtf", _rtf(NOTICE), "application/rtf", "application/rtf"),
        ("notice.rtf", _rtf(NOTICE), "application/octet-stream", "application/rtf"),
    ],
    ids=["pdf", "pdf-octet", "docx", "docx-octet", "odt", "rtf", "rtf-octet"],
)
def test_a_pdf_or_docx_is_read_and_kept_as_the_claims_original(
    name: str,
    data: bytes,
    media_type: str,
    kept_as: str,
    make_web_user: Callable[..., WebUser],
    signed_in: Callable[[WebUser], TestClient],
) -> None:
    staff = signed_in(make_web_user("specialist"))
    r = read_page(staff, file=(name, data, media_type))
    assert r.status_code == 200, _error(r.text)
    html = r.text
    assert hidden(html, "media_type") == [kept_as] and hidden(html, "filename") == [name]
    assert base64.b64decode("".join(hidden(html, "raw"))) == data
    assert "Heron in Fog" in unescape(html) and re.search(r'data-element="signature" data-status="present"', html)
    form = fields_of(html)
    assert form["items"].splitlines() == [URL] and form["complainant.email"] == "olek@inkmarsh.example"

    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, _error(made.text)
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    with session_scope() as s:
        kept = s.query(SourceMessage).filter_by(claim_id=claim_id).one()
        assert (kept.raw, kept.media_type, kept.filename, kept.channel) == (data, kept_as, name, "web")
        assert [i.url for i in s.query(ClaimItem).filter_by(claim_id=claim_id)] == [URL]
        assert s.get(Claim, claim_id) is not None
    page = staff.get(f"/claims/{claim_id}").text
    suffix = name.rsplit(".", 1)[1]
    assert f"Download the original document (.{suffix})" in page and f"(file {name})" in page
    original = staff.get(f"/claims/{claim_id}/source-message")
    assert original.status_code == 200 and original.content == data
    assert original.headers["content-type"] == kept_as and original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-disposition"] == f'attachment; filename="{claim_id}.{suffix}"'


def test_the_file_input_offers_the_documents_it_reads(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    html = signed_in(make_web_user("specialist")).get("/notices/import").text
    accept = re.search(r'name="file" value=""[^>]* accept="([^"]+)"', html)
    assert accept, "no accept on the file input"
    assert {".eml", ".txt", ".pdf", ".docx", ".odt", ".rtf", "application/pdf", DOCX, ODT} <= set(accept.group(1).split(","))
    assert "Or the notice's file (.eml, .txt, .pdf, .docx, .odt or .rtf)" in unescape(html)


def test_a_document_with_no_text_or_over_the_limit_is_refused_in_words(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], set_env: Callable[..., None]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    scanned = read_page(staff, file=("scan.pdf", pdf_with_lines(), "application/pdf"))
    assert scanned.status_code == 422
    assert _error(scanned.text).endswith("No text could be read from this PDF (a scanned page has none): paste the notice's text instead.")
    broken = read_page(staff, file=("notice.docx", b"PK\x03\x04 not a zip", DOCX))
    assert broken.status_code == 422 and "No text could be read from this Word document" in _error(broken.text)
    set_env(IPCLAIMS_MAX_NOTICE_BYTES="20000")
    big = pdf_with_lines(*NOTICE.splitlines(), *(["padding " * 12] * 300))
    assert len(big) > 20_000
    refused = read_page(staff, file=("big.pdf", big, "application/pdf"))
    assert refused.status_code == 413 and _error(refused.text).endswith("The file is larger than 20 KB, the most a notice may be.")
    with session_scope() as s:
        assert s.query(Claim).count() == 0


def test_the_api_still_refuses_a_pdf_as_documented(client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    specialist = make_web_user("specialist")
    for route in ("/api/v1/notices/parse", "/api/v1/notices"):
        r = client.post(
            route, headers=specialist.headers, files={"file": ("n.pdf", pdf_with_lines(*NOTICE.splitlines()), "application/pdf")}
        )
        assert r.status_code == 415 and r.json()["detail"] == "file: send an .eml message or plain text (.txt)"


def test_a_tampered_media_type_is_refused(make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, file=("notice.pdf", pdf_with_lines(*NOTICE.splitlines()), "application/pdf")).text)
    for media in ("image/png", "application/x-msdownload", "application/zip"):
        r = staff.post("/notices/import/create", data=form | {"media_type": media, "action": "check"})
        assert r.status_code == 422 and "text/html" in r.headers["content-type"], (media, r.status_code)
