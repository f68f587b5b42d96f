"""The import page and a forward of a notice that made a claim (docs/contract-additions.md "Duplicates"): named as a
re-upload is, with a link to the claim and the box for a second claim. Found by a probe: the page made claim 7 of
a message, then took a colleague's forward of it (attached, the same Message-ID and text) with no warning, made a
second claim and queued a second acknowledgment; only the review page's "Claimed before" said so afterwards."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Claim, OutboxMessage, SourceMessage
from tests.mailroom.forwards import AGENT, attached, inline, notice
from tests.web.conftest import WebUser
from tests.web.test_notice_import import as_browser_sends, fields_of, read_page
from tests.web.test_notice_import_duplicates import _duplicate_notice


def _stored() -> tuple[int, int, int]:
    with session_scope() as s:
        return s.query(Claim).count(), s.query(SourceMessage).count(), s.query(OutboxMessage).count()


def _by_inbox(raw: bytes, sender: str) -> Claim:
    store(raw, {"mail_from": sender, "rcpt_tos": [AGENT], "peer": None, "helo": None})
    assert sweep(get_settings()).parsed == 1
    with session_scope() as s:
        (claim,) = s.query(Claim).all()
        s.expunge(claim)
        return claim


def _create(staff: TestClient, html: str, **extra: str) -> Any:
    return staff.post("/notices/import/create", data=as_browser_sends(fields_of(html)) | {"action": "create"} | extra)


def test_a_forward_of_a_notice_the_inbox_claimed_is_named_and_not_made_again(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    first = _by_inbox(notice(), "dana.reyes@lumenphoto.example")
    staff = signed_in(make_web_user("specialist"))
    page = read_page(staff, file=("fw.eml", attached(notice()), "message/rfc822"))
    assert page.status_code == 200, page.text
    said = _duplicate_notice(page.text)
    assert f'<a href="/claims/{first.id}">{first.reference}</a>' in said and "the inbox (email)" in said
    assert "The message this one forwards (the same sender, Message-ID and text) came by" in said
    assert re.search(rf'<input type="checkbox" id="f-second-claim" name="second_claim" value="{first.id}"', page.text)
    before = _stored()
    refused = _create(staff, page.text)
    assert refused.status_code == 409 and f"already made claim {first.reference}" in refused.text
    assert _stored() == before
    made = _create(staff, page.text, second_claim=first.id)  # ticked: a second claim, as staff chose
    assert made.status_code == 303
    assert _stored()[:2] == (before[0] + 1, before[1] + 1)


def test_an_inline_forward_pasted_is_named(make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> None:
    first = _by_inbox(notice(), "dana.reyes@lumenphoto.example")
    staff = signed_in(make_web_user("legal"))
    for text in (inline(headers=False).decode(), inline().decode()):
        page = read_page(staff, text)
        said = _duplicate_notice(page.text)
        assert first.reference in said and "The message this one forwards (the same sender, date and text)" in said, text[:60]
        before = _stored()
        assert _create(staff, page.text).status_code == 409
        assert _stored() == before


def test_the_notice_a_forward_made_a_claim_of_is_named(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    first = _by_inbox(attached(notice()), "sam@trust.example")
    staff = signed_in(make_web_user("specialist"))
    page = read_page(staff, file=("notice.eml", notice(), "message/rfc822"))
    said = _duplicate_notice(page.text)
    assert first.reference in said and "A forward of this message (the same sender, Message-ID and text)" in said
    assert _create(staff, page.text).status_code == 409


def test_a_forward_of_another_notice_is_not_named(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    _by_inbox(notice(), "dana.reyes@lumenphoto.example")
    staff = signed_in(make_web_user("specialist"))
    page = read_page(staff, file=("fw.eml", attached(notice(message_id="<notice-9@lumenphoto.example>")), "message/rfc822"))
    assert not _duplicate_notice(page.text) and 'name="second_claim"' not in page.text
    assert _create(staff, page.text).status_code == 303


def test_a_forward_uploaded_after_the_page_made_the_notices_claim_is_named(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    # The probe's steps: the notice (text and HTML alternatives) imported on this page, then a forward of it uploaded.
    staff = signed_in(make_web_user("specialist"))
    made = _create(staff, read_page(staff, file=("notice.eml", notice(), "message/rfc822")).text)
    assert made.status_code == 303
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    before = _stored()
    page = read_page(staff, file=("fw.eml", attached(notice(), by="ana@platform.example"), "message/rfc822"))
    said = _duplicate_notice(page.text)
    assert f'href="/claims/{claim_id}"' in said and "the import page" in said
    assert _create(staff, page.text).status_code == 409
    assert _stored() == before
