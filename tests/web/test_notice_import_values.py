"""Every input the import page's claim form posts is checked against the values the page offers, as the API refuses
a value it does not know: a tampered button (`action=destroy`), hidden field (`regime=ZZ`, a media type) or choice
is a 422 page and nothing is stored. Each of these made a claim before (the unknown action as "create", the regime
as "what the text shows")."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipclaims.db import session_scope
from ipclaims.models import Claim, SourceMessage
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser, csrf_of
from tests.web.test_notice_import import JPO_MARK, as_browser_sends, fields_of, read_page


def _stored() -> tuple[int, int]:
    with session_scope() as s:
        return s.query(Claim).count(), s.query(SourceMessage).count()


def _form(staff: TestClient, text: str) -> dict[str, Any]:
    page = read_page(staff, text)
    assert page.status_code == 200, page.text
    return as_browser_sends(fields_of(page.text)) | {"action": "create"}


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        (notice_text(), "action", "destroy"),
        (notice_text(), "action", None),  # no button sends nothing: each of the form's buttons names its action
        (notice_text(), "regime", "ZZ"),
        (notice_text(), "regime", "us_dmca"),
        (notice_text(), "media_type", "application/zip"),
        (notice_text(), "statements.good_faith", "banana"),
        (notice_text(), "complainant.relationship", "ZZ"),
        (notice_text(), "works.0.reference_work_id", "01J0000000000000000000000Z"),  # the page offers no registered work
        (notice_text(), "received_zone", "Mars/Olympus_Mons"),
        (JPO_MARK, "trademark.registry", "ZZ"),  # neither in the list nor the registry as read
        (JPO_MARK, "trademark.infringement_type", "ZZ"),
    ],
)
def test_a_value_the_form_never_offers_is_refused_and_nothing_is_stored(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], text: str, name: str, value: str | None
) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = _form(staff, text)
    before = _stored()
    form = {k: v for k, v in form.items() if k != name} | ({name: value} if value is not None else {})
    r = staff.post("/notices/import/create", data=form)
    assert r.status_code == 422, (r.status_code, r.headers.get("location"))
    assert "text/html" in r.headers["content-type"]
    assert _stored() == before
    # The form as the page made it still makes the claim.
    made = staff.post("/notices/import/create", data=_form(staff, text) | {"form_token": secrets.token_urlsafe(12)})
    assert made.status_code == 303, made.text


def test_the_first_step_refuses_an_unknown_regime(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    token = csrf_of(staff.get("/notices/import").text)
    files = {"file": ("", b"", "application/octet-stream")}
    r = staff.post("/notices/import", data={"csrf_token": token, "text": notice_text(), "regime": "ZZ"}, files=files)
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    ok = staff.post("/notices/import", data={"csrf_token": token, "text": notice_text(), "regime": "SG_CA2021"}, files=files)
    assert ok.status_code == 200 and "Singapore CA 2021" in ok.text
