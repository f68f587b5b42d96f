"""The import page says why it refused a notice in a plain sentence, while the API's problem detail stays as the
contract has it.

A probe read API wording on the page: "Something in the form is not valid: the notice cannot be read: the input is
binary…", "the notice is larger than the 5,000,000-byte limit (IPCLAIMS_MAX_NOTICE_BYTES)", "file: …". Staff read a
capitalised sentence with no setting's name and sizes as "5 MB"; the same refusals through the API keep their
detail word for word."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import WebUser, csrf_of
from tests.web.test_notice_import import read_page

BINARY = bytes(range(256)) * 64


def _error(html: str) -> str:
    found = re.search(r'<div class="notice notice-error"[^>]*>(.*?)</div>', html, flags=re.S)
    assert found, "no error on the page"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


def _plain(said: str) -> None:
    body = said.removeprefix("The notice could not be read ").strip()
    assert body[:1].isupper() and body.endswith("."), said
    for api_words in ("Something in the form", "IPCLAIMS_", "file:", "-byte", "the input is"):
        assert api_words not in said, (api_words, said)


@pytest.mark.parametrize(
    ("upload", "status", "said"),
    [
        (("n.txt", BINARY, "text/plain"), 422, "This is not text or an email message."),
        (("n.eml", b"\x00\x01\x02\xff" * 1000, "message/rfc822"), 422, "This is not text or an email message."),
        (
            ("photo.png", b"\x89PNG\r\n", "image/png"),
            415,
            "This kind of file cannot be read as a notice. Upload one of these: email message (.eml), plain text (.txt), PDF (.pdf), "
            "Word document (.docx), OpenDocument text (.odt), Rich Text document (.rtf).",
        ),
        (
            ("notes.txt", b"%PDF-1.7 ...", "text/plain"),
            415,
            "The file is named as text but is not text: upload a document under its own name (.pdf, .docx, .odt or .rtf), "
            "or paste the notice's text.",
        ),
        (("n.txt", b"  \n", "text/plain"), 422, "The file is empty."),
    ],
    ids=["binary-txt", "binary-eml", "png", "pdf-named-txt", "empty"],
)
def test_a_refused_upload_is_said_in_a_sentence(
    upload: tuple[str, bytes, str],
    status: int,
    said: str,
    make_web_user: Callable[..., WebUser],
    signed_in: Callable[[WebUser], TestClient],
) -> None:
    r = read_page(signed_in(make_web_user("specialist")), file=upload)
    assert r.status_code == status and "text/html" in r.headers["content-type"]
    shown = _error(r.text)
    assert shown == f"The notice could not be read {said}", shown
    _plain(shown)


def test_sizes_are_said_in_megabytes_and_the_api_keeps_its_detail(
    client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], set_env: Callable[..., None]
) -> None:
    specialist = make_web_user("specialist")
    staff = signed_in(specialist)
    set_env(IPCLAIMS_MAX_NOTICE_BYTES="5000000")
    big = b"a " * 2_500_001
    page = read_page(staff, file=("big.txt", big, "text/plain"))
    assert page.status_code == 413
    assert _error(page.text) == "The notice could not be read The file is larger than 5 MB, the most a notice may be."
    api = client.post("/api/v1/notices/parse", headers=specialist.headers, files={"file": ("big.txt", big, "text/plain")})
    assert api.status_code == 413
    assert api.json()["detail"] == "the notice is larger than the 5,000,000-byte limit (IPCLAIMS_MAX_NOTICE_BYTES)"

    pasted = read_page(staff, "x" * 900_001)
    assert pasted.status_code == 413
    assert _error(pasted.text).endswith("Pasted text is limited to 900 KB: upload the message as a file instead.")
    assert "(up to 900 KB;" in signed_in(specialist).get("/notices/import").text


def test_the_api_details_stay_word_for_word(client: TestClient, make_web_user: Callable[..., WebUser]) -> None:
    h = make_web_user("specialist").headers

    def detail(**kw: Any) -> str:
        r = client.post("/api/v1/notices/parse", headers=h, **kw)
        assert r.headers["content-type"].startswith("application/problem+json")
        return str(r.json()["detail"])

    assert (
        detail(files={"file": ("n.txt", BINARY, "text/plain")}) == "the notice cannot be read: the input is binary, not a message or text"
    )
    assert detail(files={"file": ("photo.png", b"\x89PNG\r\n", "image/png")}) == "file: send an .eml message or plain text (.txt)"
    assert detail(files={"file": ("notes.txt", b"%PDF-1.7 ...", "text/plain")}) == "file: this is a binary document, not a message or text"
    assert detail(files={"file": ("n.txt", b"  \n", "text/plain")}) == "file: the file is empty"


def test_a_read_that_is_too_long_is_said_plainly(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_MAX_NOTICE_BYTES="6000000")
    staff = signed_in(make_web_user("specialist"))
    r = read_page(staff, file=("long.txt", b"word " * 1_000_000, "text/plain"))  # 5 MB, 5,000,000 characters of text
    assert r.status_code == 413
    shown = _error(r.text)
    assert shown.startswith("The notice could not be read The notice is too long to read:") and "split it" in shown, shown
    _plain(shown)
    assert csrf_of(r.text)


@pytest.mark.parametrize(
    ("typed", "field", "said"),
    [
        ({"trademark.nice_classes": "25, abc"}, "trademark-nice_classes", "Use whole numbers between 1 and 45, separated by commas."),
        ({"signature.date": "yesterday"}, "signature-date", "Use a date like 2026-12-05."),
    ],
)
def test_a_correction_intake_cannot_take_is_the_fields_error(
    typed: dict[str, str], field: str, said: str, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    from tests.web.test_notice_import import JPO_MARK, fields_of

    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, JPO_MARK).text)
    r = staff.post("/notices/import/create", data=form | typed | {"action": "check"})
    assert r.status_code == 422
    shown = _error(r.text)
    assert shown.endswith("Correct the fields marked below."), shown
    _plain(shown)
    error = re.search(rf'<p class="error" id="f-{field}-error">(.*?)</p>', r.text, flags=re.S)
    assert error and unescape(re.sub(r"<[^>]+>", "", error.group(1))).strip() == f"Error: {said}", r.text[:200]
    assert re.search(rf'name="{re.escape(next(iter(typed)))}" value="{re.escape(next(iter(typed.values())))}"', r.text)
