"""The import page with a notice of more URLs than a claim takes (issue 20, "parts"): the reading says how many claims
it will make, the claim made says how many were made and links each; each part's page says which part it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.models import Claim
from tests.conftest import Actor
from tests.mailroom.parts import bulk_notice
from tests.web.conftest import WebUser
from tests.web.test_notice_import import fields_of, read_page


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_bulk_notice_is_made_into_its_parts_and_the_page_links_them(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    r = read_page(staff, bulk_notice(2500))
    assert r.status_code == 200, r.text[:500]
    assert "2,500 reported URLs" in _text(r.text) and "3 claims" in _text(r.text)
    form = fields_of(r.text)
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text[:500]
    with session_scope(write=False) as s:
        parts = list(s.scalars(select(Claim).order_by(Claim.reference)))
    assert len(parts) == 3 and made.headers["location"] == f"/claims/{parts[0].id}?imported=1"
    page = staff.get(made.headers["location"])
    shown = _text(page.text)
    assert "made into 3 claims" in shown, shown[:2000]
    for part in parts:
        assert f'href="/claims/{part.id}"' in page.text and part.reference in shown
    assert "1,000 URLs" in shown and "500 URLs" in shown
    second = _text(staff.get(f"/claims/{parts[1].id}").text)
    assert "part 2 of 3" in second
    # A second submit of the same form makes nothing new.
    assert staff.post("/notices/import/create", data=form | {"action": "create"}).headers["location"] == made.headers["location"]
    with session_scope(write=False) as s:
        assert len(s.scalars(select(Claim)).all()) == 3


def test_the_holders_page_says_nothing_of_parts(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], admin: Actor
) -> None:
    owner = make_web_user("rights_holder", email="legal@lumenphoto.example")
    staff = signed_in(make_web_user("specialist"))
    verified = staff.post(f"/api/v1/accounts/{owner.id}/verified-domains", headers=admin.headers, json={"domain": "lumenphoto.example"})
    assert verified.status_code == 201, verified.text
    form = fields_of(read_page(staff, bulk_notice(1500)).text)
    assert staff.post("/notices/import/create", data=form | {"action": "create"}).status_code == 303
    with session_scope(write=False) as s:
        parts = list(s.scalars(select(Claim).order_by(Claim.reference)))
    assert len(parts) == 2 and {p.owner_id for p in parts} == {owner.id}
    assert "part 2 of 2" in _text(staff.get(f"/claims/{parts[1].id}").text)
    holder = signed_in(owner)
    page = holder.get(f"/claims/{parts[1].id}")
    assert page.status_code == 200 and parts[1].reference in page.text
    assert "part 2 of 2" not in _text(page.text).lower() and parts[0].reference not in page.text
