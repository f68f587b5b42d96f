"""The import page highlights the same text the API's `text` gives (`POST /api/v1/notices/parse`): for an HTML-only
message and for one forwarded as `message/rfc822`, the page's notice text is the API's, and each highlight is the
text of an evidence span."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tests.mailroom.test_evidence_text import KINDS
from tests.web.conftest import WebUser
from tests.web.test_notice_import import read_page


@pytest.mark.parametrize("kind", ["html-only", "forwarded-rfc822", "pdf-attachment"])
def test_the_page_highlights_the_text_the_api_gives(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], kind: str
) -> None:
    user = make_web_user("specialist")
    staff = signed_in(user)
    raw = KINDS[kind]()
    api = staff.post("/api/v1/notices/parse", headers=user.headers, files={"file": ("n.eml", raw, "message/rfc822")}).json()
    page = read_page(staff, file=("n.eml", raw, "message/rfc822"))
    assert page.status_code == 200, page.text
    shown = re.search(r'<div class="notice-text"[^>]*><pre>(.*?)</pre></div>', page.text, flags=re.S)
    assert shown is not None
    # the text with each quote's label (its element and status, `notice_text.Tag`) set aside
    text = re.sub(r'<span id="ev-[^"]*" class="ev-tag [^"]*">[^<]*<span class="visually-hidden">:</span></span>', "", shown.group(1))
    assert unescape(re.sub(r"<[^>]+>", "", text)) == api["text"]
    quotes = {s["quote"] for spans in api["evidence"].values() for s in spans}
    mark = r'<mark class="ev ev-\w+" data-elements="[^"]*"[^>]*>(.*?)</mark>'
    marked = [unescape(m) for m in re.findall(mark, text, flags=re.S)]
    assert marked and all(any(m in q for q in quotes) for m in marked)
