"""The staff claim page's "From" for a claim made from a notice: the `From` address of a message, else the address
the owner was chosen by, read from the text (pasted text has no headers; the complainant's email is the sender's),
said to be so; "no sender address" only when there is none."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import update

from ipclaims.db import session_scope
from ipclaims.models import SourceMessage
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser
from tests.web.test_notice_import import shown

TEXT_ONLY = notice_text("legal@orbitcalc.example", "https://platform.example/apps/calc-pro").partition("\n\n")[2]


def _from_shown(staff: TestClient, claim_id: str) -> str:
    page = shown(staff.get(f"/claims/{claim_id}").text)
    found = re.search(r"From (.*?) (?:Subject|Original) ", page)
    assert found is not None, page
    return found.group(1)


def test_pasted_text_shows_the_address_read_from_it(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    user = make_web_user("specialist")
    staff = signed_in(user)
    made = staff.post("/api/v1/notices", headers=user.headers, json={"text": TEXT_ONLY})
    assert made.status_code == 201, made.text
    assert made.json()["reading"]["owner_chosen_by"] == {"address": "legal@orbitcalc.example", "read_from": "text"}
    assert _from_shown(staff, made.json()["id"]) == "legal@orbitcalc.example (read from the text)"
    # A claim kept before the reading said so: the claim's complainant email, the address the owner was chosen by.
    with session_scope() as s:
        row = s.get(SourceMessage, made.json()["source_message_id"])
        assert row is not None and row.reading is not None
        older = {k: v for k, v in row.reading.items() if k != "owner_chosen_by"}
        s.execute(update(SourceMessage).where(SourceMessage.id == row.id).values(reading=older))
    assert _from_shown(staff, made.json()["id"]) == "legal@orbitcalc.example (read from the text)"


def test_a_message_shows_its_from_and_no_address_says_so(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    user = make_web_user("specialist")
    staff = signed_in(user)
    mail = staff.post("/api/v1/notices", headers=user.headers, json={"text": notice_text("legal@orbitcalc.example")})
    assert mail.status_code == 201, mail.text
    assert mail.json()["reading"]["owner_chosen_by"] == {"address": "legal@orbitcalc.example", "read_from": "headers"}
    assert _from_shown(staff, mail.json()["id"]) == "legal@orbitcalc.example"
    anonymous = TEXT_ONLY.replace(", legal@orbitcalc.example", "")
    none = staff.post("/api/v1/notices", headers=user.headers, json={"text": anonymous})
    assert none.status_code == 201, none.text
    assert "owner_chosen_by" not in none.json()["reading"]
    assert _from_shown(staff, none.json()["id"]) == "no sender address"
