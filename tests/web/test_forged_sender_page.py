"""The review page shows staff why a notice whose `From` names a verified rights holder went to a notifier account
(a forged `From`: docs/contract-additions.md "Notices in free text and email", Owner)."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import SourceMessage
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser


def test_the_review_page_says_why_the_verified_holder_was_not_taken(
    client: TestClient, admin: Actor, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    aurora = make_web_user("rights_holder", name="Aurora Studios", email="legal@aurora-studios.example")
    r = client.post(f"/api/v1/accounts/{aurora.id}/verified-domains", headers=admin.headers, json={"domain": "aurora-studios.example"})
    assert r.status_code == 201, r.text
    stored = store(notice_text("legal@aurora-studios.example").encode(), {"mail_from": "mallory@attacker.example"})
    assert sweep(get_settings()).parsed == 1
    with session_scope(write=False) as s:
        claim_id = s.scalar(select(SourceMessage.claim_id).where(SourceMessage.id == stored))
    staff = signed_in(make_web_user("specialist"))
    page = unescape(staff.get(f"/claims/{claim_id}").text)
    assert 'data-flag="impersonation"' in page and "Possible impersonation." in page
    assert "mallory@attacker.example" in page and "not to that rights holder" in page
    assert "Notifier by email: legal@aurora-studios.example" in page
    assert signed_in(aurora).get(f"/claims/{claim_id}").status_code == 404
