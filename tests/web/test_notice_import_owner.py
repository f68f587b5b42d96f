"""The import page's owner and receipt time: a specialist corrects whose claim a notice makes (among the active
rights-holder accounts, found by name or email) and when it was received (the message's Date by default, shown in
its zone), both checked on the server, and the claim's events say staff set them. Synthetic notices in our own
words (`notice_text`: sent Tue, 01 Dec 2026 09:30 -0500 from dana.reyes@lumenphoto.example)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ipclaims.db import session_scope
from ipclaims.models import Account, Claim, Event
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser
from tests.web.test_notice_import import fields_of, read_page

MESSAGE_DATE = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # 09:30 -0500


def _options(html: str) -> list[tuple[str, str]]:
    select_html = re.search(r'<select id="f-owner_id" name="owner_id"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, "no owner list"
    return [(v, unescape(t).strip()) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html.group(1))]


def _claims() -> int:
    with session_scope(write=False) as s:
        return s.scalar(select(func.count()).select_from(Claim)) or 0


def _made(staff: TestClient, form: dict[str, Any]) -> Claim:
    r = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert r.status_code == 303, r.text
    claim_id = r.headers["location"].split("/")[2].split("?")[0]
    with session_scope(write=False) as s:
        claim = s.get(Claim, claim_id)
        assert claim is not None
        s.expunge(claim)
        return claim


def _corrected_events(claim_id: str) -> list[Event]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(Event).where(Event.claim_id == claim_id, Event.action == "intake_corrected")))
        for e in found:
            s.expunge(e)
        return found


def _holders(make_web_user: Callable[..., WebUser]) -> dict[str, WebUser]:
    made = {
        "films": make_web_user("rights_holder", name="Harbour Films", email="legal@harbourfilms.example"),
        "press": make_web_user("rights_holder", name="Quay Press", email="rights@quaypress.example"),
        "gone": make_web_user("rights_holder", name="Harbour Archive (closed)", email="old@harbour-archive.example"),
        "staff": make_web_user("specialist", name="Harbour Desk", email="desk@harbour.example"),
    }
    with session_scope() as s:
        gone = s.get(Account, made["gone"].id)
        assert gone is not None
        gone.active = False
    return made


def test_the_owner_is_found_by_name_or_email_among_active_rights_holders_and_recorded(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holders = _holders(make_web_user)
    staff = signed_in(make_web_user("specialist", name="Sam Specialist"))
    html = read_page(staff, notice_text()).text
    assert _options(html) == [("", "As read: a new notifier account for dana.reyes@lumenphoto.example")]

    form = fields_of(html)
    by_name = staff.post("/notices/import/create", data=form | {"action": "find_owner", "owner_search": "HARBOUR"})
    assert by_name.status_code == 200
    assert [t for v, t in _options(by_name.text) if v] == ["Harbour Films <legal@harbourfilms.example>"]  # not the closed, not staff
    by_email = staff.post("/notices/import/create", data=form | {"action": "find_owner", "owner_search": "QuayPress.example"})
    assert [v for v, _ in _options(by_email.text) if v] == [holders["press"].id]
    wildcard = staff.post("/notices/import/create", data=form | {"action": "find_owner", "owner_search": "%"})
    assert [v for v, _ in _options(wildcard.text) if v] == []  # a LIKE wildcard is a character, not "anything"
    assert _claims() == 0

    chosen = fields_of(by_name.text) | {"owner_id": holders["films"].id}
    checked = staff.post("/notices/import/create", data=chosen | {"action": "check"})
    assert "Corrected: the claim's owner." in unescape(checked.text)
    claim = _made(staff, chosen)
    assert claim.owner_id == holders["films"].id
    with session_scope(write=False) as s:  # no notifier account was made for the sender
        assert s.scalars(select(Account).where(Account.email == "dana.reyes@lumenphoto.example")).all() == []
    [event] = _corrected_events(claim.id)
    assert event.internal and event.actor_role == "specialist"
    assert event.data == {"on_behalf_of": {"from": None, "to": holders["films"].id}}
    assert "owner Harbour Films" in (event.reason or "")
    shown = unescape(staff.get(f"/claims/{claim.id}").text)
    assert "intake corrected" in shown and "Staff corrected: the claim's owner." in shown


def test_an_owner_that_is_not_an_active_rights_holder_is_refused(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holders = _holders(make_web_user)
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, notice_text()).text)
    for owner_id in (holders["gone"].id, holders["staff"].id, "01NOSUCHACCOUNT00000000000"):
        for action in ("check", "create"):
            r = staff.post("/notices/import/create", data=form | {"owner_id": owner_id, "action": action})
            assert r.status_code == (200 if action == "check" else 422), (owner_id, action)
            assert 'id="f-owner_id-error"' in r.text and "Choose an active rights-holder account." in r.text
    assert _claims() == 0


def test_the_received_time_is_the_messages_date_in_its_zone_and_can_be_corrected(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    html = read_page(staff, notice_text()).text
    assert 'type="datetime-local" id="f-received_at" name="received_at" value="2026-12-01T09:30:00"' in html
    assert re.search(r'id="f-received_zone" name="received_zone" value="-05:00"', html)
    assert "Tue, 01 Dec 2026 09:30:00 -0500 (2026-12-01 14:30 UTC)" in unescape(html)
    form = fields_of(html) | {"received_at": "2026-12-01T09:30:00"}

    refused = {
        ("2999-01-01T00:00", "-05:00"): ("received_at", "The time received cannot be in the future."),
        ("1969-12-31T18:59", "-05:00"): ("received_at", "The time received cannot be before 1970."),
        ("yesterday", "-05:00"): ("received_at", "Give the date and time received"),
        ("2026-11-30T10:00", "Mars/Olympus"): ("received_zone", "Unknown zone “Mars/Olympus”"),
        ("2026-11-30T10:00", "+25:00"): ("received_zone", "Unknown zone “+25:00”"),
    }
    for (value, zone), (name, said) in refused.items():
        r = staff.post("/notices/import/create", data=form | {"received_at": value, "received_zone": zone, "action": "create"})
        assert r.status_code == 422, (value, zone)
        assert re.search(rf'id="f-{name}-error"><span class="visually-hidden">Error: </span>{re.escape(said)}', unescape(r.text)), said
    assert _claims() == 0

    as_read = _made(staff, form)  # the date as shown: no correction
    assert as_read.received_at.replace(tzinfo=UTC) == MESSAGE_DATE and _corrected_events(as_read.id) == []

    again = fields_of(read_page(staff, notice_text()).text)  # a new form: the same one again is the same claim
    # The same message made a claim already: a second one only with the box naming it ticked.
    moved = _made(staff, again | {"received_at": "2026-11-28T16:45", "received_zone": "Asia/Singapore", "second_claim": as_read.id})
    assert moved.received_at.replace(tzinfo=UTC) == datetime(2026, 11, 28, 8, 45, tzinfo=UTC)
    [event] = _corrected_events(moved.id)
    assert event.data == {"received_at": {"from": MESSAGE_DATE.isoformat(), "to": "2026-11-28T16:45:00+08:00"}}


def test_a_message_without_a_date_is_received_when_made_unless_staff_say(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    undated = notice_text().split("\n\n", 1)[1]  # the text alone, no headers
    html = read_page(staff, undated).text
    assert 'name="received_at" value=""' in html and "The message gives no date" in unescape(html)
    made = _made(staff, fields_of(html) | {"received_at": "2026-11-02T08:00", "received_zone": "UTC"})
    assert made.received_at.replace(tzinfo=UTC) == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert len(_corrected_events(made.id)) == 1


def test_the_owner_and_date_inputs_need_the_forms_csrf_token(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holders = _holders(make_web_user)
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, notice_text()).text) | {"owner_id": holders["films"].id, "action": "create"}
    del form["csrf_token"]
    assert staff.post("/notices/import/create", data=form).status_code == 403
    assert _claims() == 0
