"""The uploader's pages (issue 18): the signed link in the statement of reasons opens one item's decision, and the
uploader answers through the same services as the API. A link for another claim, an altered or an expired link
shows nothing."""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims import tokens
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.jobs.worker import run_once
from ipclaims.letters.render import long_date
from ipclaims.models import OutboxMessage
from tests.conftest import Actor
from tests.letters.helpers import HAVE_POPPLER, INTERNAL, PUBLIC, decided, pdf_text, save
from tests.web.conftest import csrf_of

# [.]payload.timestamp.HMAC-SHA1 (a leading dot: compressed), "~" for "-" (tokens.PRINTED)
LINK = re.compile(r"https?://[A-Za-z0-9.:-]+/u/\.?[A-Za-z0-9_~]+\.[A-Za-z0-9_~]+\.[A-Za-z0-9_~]{27}")

US_FORM = {
    "name": "Uma Uploader",
    "email": "uma@mail.example.com",
    "phone": "+1 415 555 0199",
    "street": "2 Market St",
    "city": "San Francisco",
    "region": "CA",
    "postal_code": "94105",
    "country": "US",
    "material": "My cover video, formerly at https://video.example.com/watch?v=abc123",
    "statements.mistake_or_misidentification": "true",
    "statements.under_penalty_of_perjury": "true",
    "statements.jurisdiction_consent": "true",
    "statements.service_acceptance": "true",
    "signature": "Uma Uploader",
    "signature_date": "2026-12-05",
}


def mailed_link(claim_id: str) -> str:
    """The link in the statement-of-reasons mail the uploader received."""
    with session_scope(write=False) as s:
        query = select(OutboxMessage.body).where(OutboxMessage.claim_id == claim_id, OutboxMessage.kind == "statement_of_reasons")
        body = s.scalars(query).one()
    found = LINK.search(body)
    assert found, body
    return found.group(0)


def path_of(link: str) -> str:
    return urlsplit(link).path


def _anonymous(app: Any) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def test_the_link_in_the_mail_and_the_letter_opens_the_decision_and_never_the_internal_reason(
    app: Any, client: Any, holder: Actor, specialist: Actor, tmp_path: Path
) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    run_once()
    link = mailed_link(claim["id"])
    assert link.startswith(get_settings().public_url + "/u/")
    with _anonymous(app) as web:
        page = web.get(path_of(link))
        assert page.status_code == 200, page.text
        text = page.text
        assert claim["reference"] in text and claim["items"][0]["url"] in text and PUBLIC in text
        assert INTERNAL not in text and "a@holder-a.example" not in text and claim["complainant"]["email"] not in text
        assert "Send the counter-notice" in text and "§ 512(g)(3)(C)" in text and "§ 512(f)" in text
        # Dated as the letters date it: the designated agent's calendar, not UTC's.
        received = datetime.fromisoformat(claim["received_at"]).astimezone(ZoneInfo(get_settings().timezone))
        assert f"Notice received</dt><dd>{long_date(received)}" in text
    letters = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
    sor = next(x for x in letters if x["kind"] == "statement_of_reasons")
    if HAVE_POPPLER:
        raw = pdf_text(save(client, specialist, sor, tmp_path / "sor.pdf"))
        letter_text = "".join(raw.split())
        in_letter = LINK.search(letter_text)
        assert in_letter, letter_text
        with _anonymous(app) as web:
            assert web.get(path_of(in_letter.group(0))).status_code == 200


def test_altered_foreign_and_expired_links_show_nothing(app: Any, client: Any, holder: Actor, specialist: Actor, monkeypatch: Any) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    other = decided(client, holder, specialist, "EU_DSA")
    settings = get_settings()
    good = tokens.issue(claim["id"], claim["items"][0]["id"], settings)
    altered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    mixed = tokens.issue(claim["id"], other["items"][0]["id"], settings)  # an item of another claim: never its data
    with _anonymous(app) as web:
        for token in (altered, mixed, "not-a-token", good + "x"):
            r = web.get(f"/u/{token}")
            assert r.status_code == 404, (token, r.status_code)
            assert r.headers["content-type"].startswith("text/html")
            assert claim["reference"] not in r.text and other["reference"] not in r.text and "watch?v=" not in r.text
        r = web.post(f"/u/{altered}/counter-notice", data={**US_FORM, "csrf_token": csrf_of(web.get("/login").text)})
        assert r.status_code == 404
    # Signed by this key more than IPCLAIMS_UPLOADER_LINK_DAYS ago: expired.
    now = time.time()
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now - (settings.uploader_link_days + 1) * 86400)
    old = tokens.issue(claim["id"], claim["items"][0]["id"], settings)
    monkeypatch.undo()
    with _anonymous(app) as web:
        r = web.get(f"/u/{old}")
        assert r.status_code == 410 and "expired" in r.text and claim["reference"] not in r.text


def test_the_uploader_files_a_counter_notice_through_the_counter_notice_service(
    app: Any, client: Any, holder: Actor, specialist: Actor
) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    path = path_of(tokens.link(claim["id"], claim["items"][0]["id"], get_settings()))
    with _anonymous(app) as web:
        csrf = csrf_of(web.get(path).text)
        assert web.post(f"{path}/counter-notice", data=US_FORM).status_code == 403  # no CSRF token
        missing = {k: v for k, v in US_FORM.items() if k != "signature"}
        r = web.post(f"{path}/counter-notice", data={**missing, "csrf_token": csrf})
        # The counter-notice checker's own verdict, before anything is stored; everything typed is kept.
        assert r.status_code == 422 and 'value="Uma Uploader"' in r.text and 'id="f-signature-error"' in r.text
        assert "§ 512(g)(3)(A)" in r.text
        assert client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=specialist.headers).json()["items"] == []
        r = web.post(f"{path}/counter-notice", data={**US_FORM, "csrf_token": csrf})
        assert r.status_code == 303, r.text
        page = web.get(r.headers["location"])
        assert "We received your counter-notice" in page.text and "forwarded" in page.text
    counters = client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=specialist.headers).json()["items"]
    assert len(counters) == 1 and counters[0]["status"] == "forwarded"
    assert counters[0]["subscriber"]["phone"] == US_FORM["phone"] and counters[0]["statements"]["service_acceptance"] is True
    window = counters[0]["restore_window"]
    for day in (window["earliest"], window["latest"], counters[0]["restore_on"]):
        assert f'datetime="{day}"' in page.text
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    received = [e for e in events if e["subject_type"] == "counter_notice" and e["action"] == "received"]
    assert received and received[0]["actor"] is None and received[0]["data"]["via"] == "uploader_link"
    run_once()  # the owed counter_notice_forwarded letter goes to the notifier, as for one staff recorded
    kinds = [x["kind"] for x in client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]]
    assert "counter_notice_forwarded" in kinds
    with _anonymous(app) as web:  # a second one while the first is open: no form, and a forged post is refused
        assert "Send the counter-notice" not in web.get(path).text
        r = web.post(f"{path}/counter-notice", data={**US_FORM, "csrf_token": csrf_of(web.get("/login").text)})
        assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("regime", ["EU_DSA", "TM_POLICY"])
def test_the_uploader_lodges_a_complaint_through_the_complaint_service(
    app: Any, client: Any, holder: Actor, specialist: Actor, regime: str
) -> None:
    claim = decided(client, holder, specialist, regime)
    path = path_of(tokens.link(claim["id"], claim["items"][0]["id"], get_settings()))
    with _anonymous(app) as web:
        page = web.get(path)
        assert "Art. 20" in page.text and "counter-notice" not in page.text.lower().replace("no counter-notice", "")
        csrf = csrf_of(page.text)
        r = web.post(f"{path}/complaint", data={"body": "", "csrf_token": csrf})
        assert r.status_code == 422 and "Tell us why the decision is wrong" in r.text
        r = web.post(f"{path}/complaint", data={"email": "up@mail.example", "body": "I took this photo myself.", "csrf_token": csrf})
        assert r.status_code == 303, r.text
        assert "We received your complaint" in web.get(r.headers["location"]).text
    staff = client.get(f"/api/v1/claims/{claim['id']}/complaints", headers=specialist.headers).json()["items"]
    assert [(c["complainant_role"], c["body"], c["status"]) for c in staff] == [("uploader", "I took this photo myself.", "open")]
    notifier = client.get(f"/api/v1/claims/{claim['id']}/complaints", headers=holder.headers).json()["items"]
    assert notifier[0]["body"] is None


def test_a_letters_link_is_the_same_each_time_its_html_is_built(env: Any) -> None:
    """The letter's HTML is built twice around its render (the second build checks nothing changed): its link must
    not depend on the second the HTML was built, and it lasts from the letter's date."""
    settings = get_settings()
    dated = datetime(2026, 12, 4, 15, 30, tzinfo=ZoneInfo("UTC"))
    first = tokens.issue("claim", "item", settings, at=dated)
    time.sleep(1.1)
    assert tokens.issue("claim", "item", settings, at=dated) == first
    grant = tokens.read(first, settings)
    assert (grant.claim_id, grant.item_id, grant.issued_at) == ("claim", "item", dated)
    assert "-" not in first and tokens.issue("claim", "item", settings) != first
