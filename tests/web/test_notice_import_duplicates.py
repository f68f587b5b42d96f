"""The import page and a message that already made a claim (docs/contract-additions.md "Duplicates"): the inbox,
the API or the page itself made it. The reading page says so and links that claim; "Make the claim" makes no
second claim (409, nothing stored) unless staff tick the box naming the earlier claim. Before, the page made a
second claim of the same bytes and sent the sender a second set of letters."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Claim, SourceMessage
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT
from tests.web.conftest import WebUser
from tests.web.test_notice_import import as_browser_sends, fields_of, read_page

SENDER = "dana.reyes@lumenphoto.example"
SMTP_BYTES = notice_text(SENDER).replace("\n", "\r\n").encode()  # as the inbox keeps a message: CRLF


def _stored() -> tuple[int, int]:
    with session_scope() as s:
        return s.query(Claim).count(), s.query(SourceMessage).count()


def _by_inbox() -> Claim:
    store(SMTP_BYTES, {"mail_from": SENDER, "rcpt_tos": [AGENT], "peer": None, "helo": None})
    assert sweep(get_settings()).parsed == 1
    with session_scope() as s:
        (claim,) = s.query(Claim).all()
        s.expunge(claim)
        return claim


def _duplicate_notice(html: str) -> str:
    found = re.search(r'<div class="notice notice-warning" id="duplicate".*?</div>', html, flags=re.S)
    return found.group(0) if found else ""


def _create(staff: TestClient, html: str, **extra: str) -> Any:
    return staff.post("/notices/import/create", data=as_browser_sends(fields_of(html)) | {"action": "create"} | extra)


def test_the_same_bytes_the_inbox_made_a_claim_of_are_named_and_not_made_again(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    first = _by_inbox()
    staff = signed_in(make_web_user("specialist"))
    page = read_page(staff, file=("saved.eml", SMTP_BYTES, "message/rfc822"))
    assert page.status_code == 200, page.text
    said = _duplicate_notice(page.text)
    assert f'<a href="/claims/{first.id}">{first.reference}</a>' in said and "the inbox (email)" in said
    assert "The same message came by" in said
    assert re.search(rf'<input type="checkbox" id="f-second-claim" name="second_claim" value="{first.id}"', page.text)
    # said at the top too, over the elements' "Complete as a claim", not only beside the button
    top = page.text.index('id="duplicate-summary"')
    assert top < page.text.index("Complete as a claim") and first.reference in page.text[top : top + 400]

    before = _stored()
    checked = staff.post("/notices/import/create", data=as_browser_sends(fields_of(page.text)) | {"action": "check"})
    assert checked.status_code == 200 and _duplicate_notice(checked.text)
    refused = _create(staff, page.text)
    assert refused.status_code == 409, refused.status_code
    assert f"already made claim {first.reference}" in refused.text and _duplicate_notice(refused.text)
    assert "Someone changed this claim first" not in refused.text  # nobody did: the refusal says what it is
    assert _stored() == before
    # A box naming some other claim is not the choice of a second claim of this one.
    assert _create(staff, page.text, second_claim="01J0000000000000000000000Z").status_code == 409
    assert _stored() == before

    # Ticked: a second claim, as staff chose.
    again = read_page(staff, file=("saved.eml", SMTP_BYTES, "message/rfc822"))
    made = _create(staff, again.text, second_claim=first.id)
    assert made.status_code == 303, made.text
    assert _stored() == (before[0] + 1, before[1] + 1)


def test_pasted_text_of_a_message_that_made_a_claim_is_the_same_message(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    first = _by_inbox()
    staff = signed_in(make_web_user("legal"))
    # Pasted as a mail client shows it (LF line ends), and a copy a relay added its own Received: line to.
    for text in (notice_text(SENDER), f"Received: from relay-b.example by mx.platform.example\n{notice_text(SENDER)}"):
        page = read_page(staff, text)
        said = _duplicate_notice(page.text)
        assert first.reference in said, text[:80]
        assert ("The same message" if text.startswith("From") else "A copy of the message") in said
        before = _stored()
        assert _create(staff, page.text).status_code == 409
        assert _stored() == before


def test_a_claim_the_page_made_is_named_when_the_notice_is_imported_again(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    other = notice_text("kofi@meridian-maps.example", "https://platform.example/maps/3301")
    page = read_page(staff, other)
    assert not _duplicate_notice(page.text) and 'name="second_claim"' not in page.text
    made = _create(staff, page.text)
    assert made.status_code == 303
    # The same form sent again is the same claim (its token), not a duplicate refused.
    assert _create(staff, page.text).headers["location"] == made.headers["location"]
    claim_id = made.headers["location"].split("/")[2].split("?")[0]
    again = read_page(staff, other)
    assert f'href="/claims/{claim_id}"' in _duplicate_notice(again.text) and "the import page" in _duplicate_notice(again.text)
    before = _stored()
    assert _create(staff, again.text).status_code == 409
    assert _stored() == before
